"""Readers: a survey export file (CSV/XLSX of any supported tool) -> `RawExport`.

Steps: read the file into text cells (`files`), detect the tool from the header rows and describe each
column (`layouts`), then build a frame of str cells with unique column names (`raw`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pandas as pd

from pipeline.config import InputConfig
from pipeline.errors import InputError
from pipeline.readers.checks import Shaped, header_like_data, merged_problems, repeated_headers, shape_csv
from pipeline.readers.files import Grid, load_grid
from pipeline.readers.layouts import (
    FORMATS,
    ID_COLUMNS,
    MULTI_SEPARATORS,
    PERSONAL_COLUMNS,
    ColumnInfo,
    describe_columns,
    detect_format,
    header_row_count,
    id_header,
    norm,
    unique_names,
)
from pipeline.readers.polis import comment_problems, excluded_comments, read_context
from pipeline.readers.raw import RawExport, RowProblem, one_line, resolve_columns

__all__ = [
    "FORMATS",
    "ColumnInfo",
    "RawExport",
    "RowProblem",
    "check_format",
    "one_line",
    "read_export",
    "resolve_columns",
]


def read_export(path: Path, spec: InputConfig | None = None) -> RawExport:
    """Read a survey export into a `RawExport`.

    Args:
        path: The export (already resolved against the config folder).
        spec: The `input` section of the config (format, sheet, encoding, delimiter, header rows, id column,
            multi-select separator); default: detect everything.

    Returns:
        The export with str cells, unique column names, the detected format and source row numbers, and what
        the reader noticed (encoding guess, ragged rows, merged cells, header rows that look like responses).

    Raises:
        InputError: Unreadable file, no responses, or an `id_column` that does not exist.
    """
    spec = spec or InputConfig(path=path)
    grid = load_grid(path, spec.sheet, spec.encoding, spec.delimiter)
    where = f"{path} (sheet {grid.sheet!r})" if grid.sheet else str(path)
    skip, rows = _table_rows(grid, where)
    fmt = detect_format(rows) if spec.format == "auto" else spec.format
    natural = header_row_count(fmt, rows)
    n_head = spec.header_rows or natural
    shaped = shape_csv(rows, n_head, skip, where) if grid.delimiter is not None else Shaped(_padded(rows))
    rows = shaped.rows
    repeats, repeated = repeated_headers(rows, n_head, skip, where)
    kept = [i for i in range(n_head, len(rows)) if _filled(rows[i]) and i not in repeats]
    if not kept:
        raise InputError(
            f"{where} has header row(s) but no responses; export it again once responses exist "
            "(or check input.header_rows)."
        )
    columns, data = _columns(fmt, rows[:n_head], [rows[i] for i in kept])
    frame = pd.DataFrame(data, columns=[c.name for c in columns], dtype="str")
    raw = RawExport(
        path=path,
        format=fmt,
        frame=frame,
        columns=tuple(columns),
        source_rows=tuple(skip + i + 1 for i in kept),
        personal=frozenset(c.name for c in columns if _is_format_personal(fmt, c)),
        excluded=excluded_comments(frame, spec.polis_unmoderated) if fmt == "polis" else {},
        separator=spec.multi_separator or MULTI_SEPARATORS.get(fmt, ";"),
        sheet=grid.sheet,
        sheets=grid.sheets,
        hidden_sheets=grid.hidden,
    )
    raw = _with_polis(raw) if fmt == "polis" else raw
    raw = _with_notes(raw, grid, shaped, skip, (natural, n_head))
    raw = replace(raw, problems=raw.problems + repeated.problems, warnings=raw.warnings + _lines(repeated.warning))
    return _with_id_column(raw, spec.id_column)


def _lines(line: str | None) -> tuple[str, ...]:
    return (line,) if line else ()


def _with_polis(raw: RawExport) -> RawExport:
    """A Polis export: each comment is one response (its author kept); the conversation's prompt and votes are read.

    A comment is a statement put to the room, and its support is the votes: the author is not the voice reported
    (a moderator often seeds most comments), so findings count comments, not authors.

    A comment whose id repeats an earlier one is left out; vote counts that are not counts are read as 0; both
    are listed.
    """
    author = next((c.name for c in raw.columns if norm(c.name) == "author-id"), None)
    repeated, counts = comment_problems(raw.frame)
    problems = tuple((raw.source_rows[i], name, text) for i, name, text in counts)
    warnings: tuple[str, ...] = ()
    if repeated or counts:
        warnings = (
            f"{raw.where}: {len(repeated)} comment(s) repeat an earlier comment id (left out) and {len(counts)} vote "
            "count(s) are not numbers of votes (read as 0); listed in issues.csv",
        )
    return replace(
        raw,
        author_column=author,
        polis=read_context(raw.path, raw.frame),
        excluded=dict(sorted({**repeated, **raw.excluded}.items())),
        problems=raw.problems + problems,
        warnings=raw.warnings + warnings,
    )


def _with_notes(raw: RawExport, grid: Grid, shaped: Shaped, skip: int, heads: tuple[int, int]) -> RawExport:
    """The export with what the reader noticed: encoding guess, ragged rows, merged cells, extra header rows."""
    natural, n_head = heads
    rows = shaped.rows
    merges = merged_problems(grid.merged, rows[0], skip + n_head + 1, raw.where)
    return replace(
        raw,
        encoding=grid.encoding,
        encoding_confidence=grid.encoding_confidence,
        encoding_note=grid.encoding_note,
        problems=raw.problems + grid.problems + shaped.problems + merges.problems,
        warnings=(*raw.warnings, *grid.warnings, *(w for w in (shaped.warning, merges.warning) if w)),
        extra_header_rows=tuple(skip + i + 1 for i in range(natural, min(n_head, len(rows))) if _filled(rows[i])),
        header_like_data=header_like_data(rows, natural, n_head, skip) if n_head > natural else (),
    )


def _table_rows(grid: Grid, where: str) -> tuple[int, list[list[str]]]:
    """Leading blank rows skipped (their count is returned); rows keep their own width."""
    rows = grid.rows
    skip = next((i for i, row in enumerate(rows) if _filled(row)), None)
    if skip is None:
        others = [s for s in grid.sheets if s != grid.sheet]
        if others:
            raise InputError(
                f"{where} is empty; the workbook also has sheet(s) {others}: set input.sheet to the one with the "
                "responses (or run `consolidate init EXPORT --sheet NAME`)."
            )
        raise InputError(f"{where} is empty; export the responses again.")
    return skip, [list(r) for r in rows[skip:]]


def _padded(rows: list[list[str]]) -> list[list[str]]:
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


def _filled(row: Sequence[str]) -> bool:
    return any(cell.strip() for cell in row)


def _columns(fmt: str, header: list[list[str]], data: list[list[str]]) -> tuple[list[ColumnInfo], list[list[str]]]:
    described = describe_columns(fmt, header)
    keep = [i for i, c in enumerate(described) if c.name or any(row[i].strip() for row in data)]
    described = [described[i] for i in keep]
    data = [[row[i] for i in keep] for row in data]
    return unique_names(described), data


def _is_format_personal(fmt: str, col: ColumnInfo) -> bool:
    personal = PERSONAL_COLUMNS.get(fmt, frozenset())
    return norm(col.name) in personal or (bool(col.code) and norm(col.code) in personal)


def _with_id_column(raw: RawExport, wanted: str | None) -> RawExport:
    name: str | None
    if wanted is not None:
        name = resolve_columns(raw, [wanted], "input.id_column")[wanted]
    else:
        candidates = ID_COLUMNS.get(raw.format, ())
        name = next((c.name for c in raw.columns if norm(c.name) in candidates), None)
        name = name or next((c.name for c in raw.columns if id_header(c.name) and _unique(raw, c.name)), None)
    if name is None:
        return raw
    return replace(raw, id_column=name)


def _unique(raw: RawExport, name: str) -> bool:
    """Whether a column has a value in every response, each different (an id column of an unknown tool)."""
    values = [v.strip() for i, v in enumerate(raw.frame[name].tolist()) if i not in raw.excluded]
    return bool(values) and all(values) and len(set(values)) == len(values)


def check_format(fmt: str) -> str:
    """Validate a format name given on the command line."""
    if fmt != "auto" and fmt not in FORMATS:
        raise InputError(f"Unknown export format {fmt!r}; use auto or one of {list(FORMATS)}.")
    return fmt
