"""Select-all questions exported one column per option (a ticked cell holds the option's label, `1`, `Yes`, `X`).

Qualtrics (`<question> - Selected Choice - <option>` split into columns), SurveyMonkey (option labels in the second
header row), LimeSurvey (`<question> [<option>]` with `Y`), Google Forms checkbox grids and generic exports do
this. Such a run of columns is one `multi` question; ingest reads it with `questions[].columns`.

Exports with one header row do the same with 0/1 (or true/false) columns, one per label: a complaints platform's
38 category columns, `topic_roads`, `topic_noise`, ... (`flag_groups`). A run of such columns is one `multi`
question too: each row is one respondent (or case) and each 1 a label it carries, which is how an analyst would
count them ("12% of complaints are about noise"); 38 single-choice sections of "0" and "1" say nothing. A shared
header start (`topic_`) names the question; without one the run must be at least three columns long, and its
question text is left for a person to write. A lone 0/1 column is a flag, not a question (detection ignores it).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pipeline.readers import ColumnInfo

TICKED = frozenset({"1", "yes", "y", "x", "true", "selected", "checked", "ticked", "on", "✓", "✔", "☑"})
UNTICKED = frozenset({"0", "false", "not selected", "unchecked", "not checked", "unticked", "off", "☐"})
FLAGS = frozenset({"0", "1", "true", "false"})
_PREFIX_ENDS = "_:./-|[( "
_LABEL_EDGES = " _:./-|[]()"


@dataclass(frozen=True)
class FlagGroup:
    """A run of adjacent 0/1 columns read as one multi question.

    Attributes:
        indexes: Column indexes of the run.
        prefix: The header start they share, up to a separator (`topic_`); '' when they share none.
    """

    indexes: tuple[int, ...]
    prefix: str

    @property
    def question(self) -> str:
        """The shared header start as question text (`topic_` -> `topic`), '' without one."""
        return self.prefix.strip(_LABEL_EDGES)

    def label(self, header: str) -> str:
        """The option one column stands for: its header without the shared start."""
        return header[len(self.prefix) :].strip(_LABEL_EDGES) or header


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


def flag_values(values: Sequence[str]) -> bool:
    """Whether a column holds only 0/1 (or true/false) values: a flag or one label of a set."""
    return bool(values) and all(v.strip().casefold() in FLAGS for v in values)


def flag_groups(
    columns: Sequence[ColumnInfo], values_of: Callable[[str], list[str]], eligible: Callable[[int], bool]
) -> list[FlagGroup]:
    """Runs of adjacent 0/1 columns that are one question: two or more sharing a header start, else three or more.

    Args:
        columns: The export's columns, in order.
        values_of: Non-blank cells of a column by name.
        eligible: Whether a column index may join a run (not already an option column, metadata or the id).

    Returns:
        The runs in which some cell is 1 (or true).
    """
    runs: list[list[int]] = []
    for i, col in enumerate(columns):
        if not eligible(i) or not flag_values(values_of(col.name)):
            continue
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    groups = [FlagGroup(tuple(run), shared_prefix([option_label(columns[i]) for i in run])) for run in runs]
    return [
        g
        for g in groups
        if len(g.indexes) >= (2 if g.question else 3)
        and any(ticked(v) for i in g.indexes for v in values_of(columns[i].name))
    ]


def shared_prefix(headers: Sequence[str]) -> str:
    """The start all headers share, cut after its last separator (`topic_` of `topic_roads`, `topic_noise`).

    '' when they share none with a letter in it, or when a header would be left with nothing.
    """
    common = os.path.commonprefix(list(headers))
    cut = max(common.rfind(c) for c in _PREFIX_ENDS)
    prefix = common[: cut + 1] if cut > 0 else ""
    if not any(c.isalpha() for c in prefix) or any(not h[len(prefix) :].strip(_LABEL_EDGES) for h in headers):
        return ""
    return prefix
