"""What a reader noticed about the shape of a table: ragged CSV rows, merged cells, header rows that hold responses.

Each check returns the rows it concerns as `RowProblem`s (row number of the file, column, what happened), which
ingest writes to `issues.csv`, and at most one summary line for the console.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.readers.files import Merged
from pipeline.readers.raw import RowProblem, one_line


@dataclass(frozen=True)
class Shaped:
    """Rows cut or padded to one width, and what was done to them."""

    rows: list[list[str]]
    problems: tuple[RowProblem, ...] = ()
    warning: str | None = None


def filled(row: Sequence[str]) -> bool:
    """Whether a row has a non-blank cell."""
    return any(cell.strip() for cell in row)


def shape_csv(rows: list[list[str]], n_head: int, skip: int, where: str) -> Shaped:
    """Rows of a CSV read at the header's width.

    A row with more (non-blank) fields than the header usually means a stray delimiter or quote: its extra fields
    are not read, and the row is listed. When most rows are wider, the header is the short one: the extra columns
    are kept (as `Column N`). A row with fewer fields is read with blanks for the missing ones, and listed.
    """
    header_width = max((len(r) for r in rows[:n_head]), default=0)
    data = [(i, r) for i, r in enumerate(rows[n_head:], start=n_head) if filled(r)]
    longer = [(i, r) for i, r in data if filled(r[header_width:])]
    if len(longer) * 2 > len(data):
        width = max(len(r) for r in rows)
        note = (
            f"{where}: the header has {header_width} fields but {len(longer)} of {len(data)} rows have more; "
            "the extra columns are read as 'Column N' (add their headers to the file to name them)"
        )
        return Shaped(_padded(rows, width), warning=note)
    problems = _row_problems(data, header_width, skip)
    warning = None
    if problems:
        warning = (
            f"{where}: {len(problems)} row(s) do not have the header's {header_width} fields "
            f"({len(longer)} longer, {len(problems) - len(longer)} shorter); listed in issues.csv"
        )
    return Shaped(_padded([r[:header_width] for r in rows], header_width), tuple(problems), warning)


def _row_problems(data: list[tuple[int, list[str]]], width: int, skip: int) -> list[RowProblem]:
    """Rows with extra (non-blank) fields beyond `width`, or fewer fields."""
    problems: list[RowProblem] = []
    for i, row in data:
        if filled(row[width:]):
            extra = one_line(" | ".join(c for c in row[width:] if c.strip()), 60)
            what = f"the extra ones ({extra!r}) were not read: check the delimiter and the quotes in this row"
        elif len(row) < width:
            what = "the missing ones were read as blank"
        else:
            continue
        problems.append((skip + i + 1, None, f"row has {len(row)} fields but the header has {width}; {what}"))
    return problems


def _padded(rows: list[list[str]], width: int) -> list[list[str]]:
    return [list(r) + [""] * (width - len(r)) for r in rows]


def merged_problems(merged: Sequence[Merged], header: Sequence[str], first_data_row: int, where: str) -> Shaped:
    """Issue rows for the data cells that took the value of a merged range (header merges are layout)."""
    problems: list[RowProblem] = []
    used: list[str] = []
    for m in merged:
        start = max(m.first_row, first_data_row)
        copied = [r for r in range(start, m.last_row + 1) if r > m.first_row or m.last_col > m.first_col]
        if not copied:
            continue
        used.append(m.ref)
        column = header[m.first_col - 1] if m.first_col <= len(header) else None
        from openpyxl.utils.cell import get_column_letter  # openpyxl only for merged cells of a workbook

        top = f"{get_column_letter(m.first_col)}{m.first_row}"
        for r in copied:
            problems.append((r, column, f"cell(s) in merged range {m.ref}: filled with the value of {top}"))
    warning = None
    if used:
        shown = ", ".join(used[:5]) + (", ..." if len(used) > 5 else "")
        warning = (
            f"{where}: {len(used)} merged cell range(s) ({shown}) were filled with their top-left value; "
            f"{len(problems)} row(s) listed in issues.csv"
        )
    return Shaped([], tuple(problems), warning)


def repeated_headers(rows: Sequence[Sequence[str]], n_head: int, skip: int, where: str) -> tuple[set[int], Shaped]:
    """Rows after the header that repeat one of its rows (two exports joined into one file): not responses.

    Returns the positions of those rows in `rows`, and an issue row for each with one summary line. A header row
    with fewer than two non-blank cells is never matched (a one-column answer may well repeat its header).
    """
    heads = {key for key in map(_row_key, rows[:n_head]) if sum(bool(c) for c in key) >= 2}
    found = {i for i in range(n_head, len(rows)) if heads and _row_key(rows[i]) in heads}
    problems = tuple(
        (skip + i + 1, None, "repeats the header row (two exports joined into one file?): not read as a response")
        for i in sorted(found)
    )
    warning = None
    if found:
        warning = f"{where}: {len(found)} row(s) repeat the header row and were not read as responses (issues.csv)"
    return found, Shaped([], problems, warning)


def _row_key(row: Sequence[str]) -> tuple[str, ...]:
    cells = [" ".join(c.split()).casefold() for c in row]
    while cells and not cells[-1]:
        cells.pop()
    return tuple(cells)


def header_like_data(rows: Sequence[Sequence[str]], natural: int, n_head: int, skip: int) -> tuple[int, ...]:
    """File row numbers of header rows beyond the format's own (`natural`) that look like responses.

    A row looks like a response when at least half its non-blank cells are values found in the same column among
    the data rows, or numbers in a column of numbers.
    """
    data = [r for r in rows[n_head:] if filled(r)]
    out: list[int] = []
    for i in range(natural, min(n_head, len(rows))):
        cells = [(j, c.strip()) for j, c in enumerate(rows[i]) if c.strip()]
        if cells and sum(_like_column(c, [r[j] for r in data if j < len(r)]) for j, c in cells) * 2 >= len(cells):
            out.append(skip + i + 1)
    return tuple(out)


def _like_column(cell: str, column: list[str]) -> bool:
    values = {v.strip() for v in column if v.strip()}
    if cell in values:
        return True
    numbers = [v for v in values if _number(v)]
    return _number(cell) and len(numbers) * 2 > len(values) > 0


def _number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True
