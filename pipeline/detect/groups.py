"""Select-all questions exported one column per option (a ticked cell holds the option's label, `1`, `Yes`, `X`).

Qualtrics (`<question> - Selected Choice - <option>` split into columns), SurveyMonkey (option labels in the second
header row), LimeSurvey (`<question> [<option>]` with `Y`), Google Forms checkbox grids and generic exports do
this. Such a run of columns is one `multi` question; ingest reads it with `questions[].columns`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pipeline.readers import ColumnInfo

TICKED = frozenset({"1", "yes", "y", "x", "true", "selected", "checked", "ticked", "on", "✓", "✔", "☑"})
UNTICKED = frozenset({"0", "false", "not selected", "unchecked", "not checked", "unticked", "off", "☐"})


def ticked(cell: str) -> bool:
    """Whether a non-blank cell of an option column means the option was chosen."""
    return bool(cell.strip()) and cell.strip().casefold() not in UNTICKED


def option_label(col: ColumnInfo) -> str:
    """The option an option column stands for: its sub-label, else its header."""
    return col.sublabel or col.header or col.name


def option_groups(columns: Sequence[ColumnInfo], values_of: Callable[[str], list[str]]) -> list[list[int]]:
    """Runs of two or more adjacent columns of one question whose cells only tick an option.

    Args:
        columns: The export's columns, in order.
        values_of: Non-blank cells of a column by name.

    Returns:
        Column indexes of each run; some cell of the run is ticked.
    """
    groups: list[list[int]] = []
    for i, col in enumerate(columns):
        values = values_of(col.name)
        if not col.sublabel or not _ticks_only(col, values):
            continue
        if groups and groups[-1][-1] == i - 1 and columns[i - 1].question == col.question:
            groups[-1].append(i)
        else:
            groups.append([i])
    return [g for g in groups if len(g) >= 2 and any(values_of(columns[i].name) for i in g)]


def _ticks_only(col: ColumnInfo, values: list[str]) -> bool:
    label = option_label(col).casefold()
    return all(v.strip().casefold() in TICKED | UNTICKED | {label} for v in values)
