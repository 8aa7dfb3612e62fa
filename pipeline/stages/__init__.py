"""Pure stage functions over DataFrames and arrays; none of them touches files."""
