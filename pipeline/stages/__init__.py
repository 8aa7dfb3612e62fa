"""Pure stage functions over DataFrames and arrays; none of them touches files.

One package per stage, in run order: `ingest`, `closed`, `embed`, `cluster`, `findings`, then `review` and `draft`,
then `report`; each `__init__` says what its stage takes and gives and exports its public names. A stage uses only
the stages before it and `shared` (what several stages use), below them all (docs/architecture.md).
"""
