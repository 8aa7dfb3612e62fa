"""The raw export handed to ingest and init, and the lookup of config column names in it."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.errors import InputError
from pipeline.readers.layouts import COUNT_UNITS, ColumnInfo, norm
from pipeline.readers.polis import PolisContext

RowProblem = tuple[int | None, str | None, str]  # file row number (None: the whole file), column, what happened


@dataclass(frozen=True)
class RawExport:
    """One survey export as read from its file, before any interpretation of the answers.

    Attributes:
        path: The file read.
        format: Survey tool (`msforms`, `google`, `qualtrics`, ... or `generic`).
        frame: One row per response and one column per `columns` entry (named by `ColumnInfo.name`, unique);
            every cell is a str, '' when blank. Fully blank rows of the file are left out.
        columns: Description of each column, in file order.
        source_rows: Row number in the file of each frame row (1-based, header rows counted), as a
            spreadsheet shows it.
        id_column: Column holding the export's own response id, or None.
        personal: Columns that the format defines as personal data (names, emails, IP, location).
        excluded: Frame row position -> why that row is not a response (e.g. Polis comments moderated out).
        separator: Default separator of multi-select cells for this format.
        sheet: Worksheet read (XLSX), else None.
        sheets: Every worksheet of the workbook (XLSX), in order.
        hidden_sheets: Those of them hidden in the workbook (the first visible one is read by default).
        encoding: Text encoding used (CSV), else None.
        author_column: Column naming each row's author when the rows are comments put to the room rather than
            respondents' answers (Polis: `author-id`), else None. Each comment is then its own response and is
            counted as a comment; its author is kept beside it (the votes table's `author_id`).
        polis: The conversation's prompt and votes (Polis exports only).
        encoding_confidence: `certain`, `high`, `medium` or `low` (CSV), else None.
        encoding_note: How the encoding was chosen (CSV), else None.
        problems: What the reader did to particular rows (ragged CSV rows, filled merged cells), for `issues.csv`.
        warnings: One line per kind of problem, for the console and the report annex.
        extra_header_rows: File row numbers of the header rows `input.header_rows` asks for beyond the format's
            own (they are not responses; ingest lists them in `issues.csv`).
        header_like_data: Those of them that look like responses (`input.header_rows` too high); ingest makes
            this an error unless `run.on_mismatch` is `warn`.
    """

    path: Path
    format: str
    frame: pd.DataFrame
    columns: tuple[ColumnInfo, ...]
    source_rows: tuple[int, ...]
    id_column: str | None = None
    personal: frozenset[str] = frozenset()
    excluded: Mapping[int, str] = field(default_factory=dict)
    separator: str = ";"
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    hidden_sheets: tuple[str, ...] = ()
    encoding: str | None = None
    author_column: str | None = None
    polis: PolisContext | None = None
    encoding_confidence: str | None = None
    encoding_note: str | None = None
    problems: tuple[RowProblem, ...] = ()
    warnings: tuple[str, ...] = ()
    extra_header_rows: tuple[int, ...] = ()
    header_like_data: tuple[int, ...] = ()

    @property
    def unit(self) -> str:
        """What one response of the open questions is, and so what findings count: `comment` or `respondent`."""
        return COUNT_UNITS.get(self.format, "respondent")

    @property
    def where(self) -> str:
        """The file (and sheet) for error messages."""
        return f"{self.path} (sheet {self.sheet!r})" if self.sheet else str(self.path)

    def info(self, name: str) -> ColumnInfo:
        """Description of one column by its unique name."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


def one_line(text: str, limit: int = 80) -> str:
    """Text on one line (line breaks shown as ' / '), shortened to `limit` characters."""
    flat = " / ".join(part.strip() for part in text.splitlines() if part.strip()) or text.strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def resolve_columns(raw: RawExport, wanted: Sequence[str], setting: str = "questions[].column") -> dict[str, str]:
    """Map column names given in the config to the export's unique column names.

    A name matches a unique column name exactly, or else (when unambiguous) a column's original header,
    export id (Qualtrics row 1) or question text, ignoring case and spacing.

    Raises:
        InputError: Listing every name that matches nothing, each with the closest column name if any.
    """
    found: dict[str, str] = {}
    missing: list[str] = []
    for name in wanted:
        match = _match(raw.columns, name)
        if match is None:
            missing.append(name)
        else:
            found[name] = match
    if missing:
        names = [c.name for c in raw.columns]
        hints = [_hint(name, names) for name in missing]
        raise InputError(
            f"{raw.where}: {len(missing)} column(s) named in {setting} not found: {'; '.join(hints)}; "
            "fix the names in the config (or rerun `consolidate init`)."
        )
    return found


def _match(columns: Sequence[ColumnInfo], name: str) -> str | None:
    for col in columns:
        if col.name == name:
            return col.name
    key = norm(name)
    for attr in ("name", "header", "code", "question"):
        hits = [c.name for c in columns if norm(getattr(c, attr)) == key and key]
        if len(hits) == 1:
            return hits[0]
    return None


def _hint(name: str, names: list[str]) -> str:
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    if not close:
        lowered = {n.casefold(): n for n in names}
        close = [lowered[c] for c in difflib.get_close_matches(name.casefold(), list(lowered), n=1, cutoff=0.6)]
    suggestion = f" (did you mean {one_line(close[0])!r}?)" if close else ""
    return f"{one_line(name)!r}{suggestion}"
