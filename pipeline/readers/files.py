"""File -> grid of text cells: CSV (encoding and delimiter detection) and XLSX (one sheet).

Every failure is an `InputError` whose one-line message names the file and says what to do.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.readers.csvtext import parse_csv, plain_text
from pipeline.readers.encoding import decode
from pipeline.readers.workbook import GridProblem, check_archive, formula_problems, has_formulas, read_rows

log = logging.getLogger(__name__)

CSV_EXTENSIONS = frozenset({".csv", ".tsv", ".txt"})
XLSX_EXTENSIONS = frozenset({".xlsx", ".xlsm"})
DELIMITERS = (",", ";", "\t", "|")
RAGGED_SPLIT = 0.8  # share of rows a delimiter must split into several fields to be chosen where none is consistent
_MAGIC = {
    b"PK\x03\x04": "an Excel workbook (zip) renamed to .csv; rename it to .xlsx",
    b"\xd0\xcf\x11\xe0": "a legacy Excel (.xls) file; open it in Excel and save it as .xlsx or CSV",
    b"%PDF": "a PDF document, not a survey export; download the responses as .xlsx or .csv",
}


@dataclass(frozen=True)
class Grid:
    """Raw cells of one table, header rows included, every cell a str ('' when blank).

    Attributes:
        rows: The cells, row by row (row i is line/row i + 1 of the file).
        encoding: Text encoding used (CSV), else None.
        encoding_confidence: How sure the encoding is (`certain`, `high`, `medium`, `low`; CSV), else None.
        encoding_note: What was chosen and why (CSV), else None.
        delimiter: CSV delimiter, else None.
        sheet: Worksheet read (XLSX), else None.
        sheets: Every worksheet of the workbook (XLSX), in order.
        merged: Merged cell ranges whose value was copied into every cell of the range (XLSX).
        hidden: Worksheets hidden in the workbook (XLSX); the first visible one is read by default.
        problems: What the reader noticed about particular rows (row number of the file, column, what happened).
        warnings: One line per kind of problem, for the console.
    """

    rows: list[list[str]]
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    encoding_confidence: str | None = None
    encoding_note: str | None = None
    sheets: tuple[str, ...] = ()
    merged: tuple[Merged, ...] = ()
    hidden: tuple[str, ...] = ()
    problems: tuple[GridProblem, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Merged:
    """A merged cell range of a worksheet (1-based rows and columns, as Excel numbers them)."""

    ref: str
    first_row: int
    last_row: int
    first_col: int
    last_col: int


def load_grid(path: Path, sheet: str | int | None = None, encoding: str = "auto", delimiter: str | None = None) -> Grid:
    """Read a CSV or XLSX file into a grid of text cells.

    Args:
        path: The export file.
        sheet: Excel sheet name or 0-based index (XLSX only); default: the first sheet.
        encoding: `auto` (detect) or a codec name (CSV only).
        delimiter: CSV delimiter; default: sniffed from the first rows.

    Returns:
        The grid; fully blank rows are kept (as lists of '') so row numbers stay those of the file.

    Raises:
        InputError: The file is missing, empty, of an unsupported kind or unreadable.
    """
    if path.is_dir():
        found = sorted(p.name for p in path.iterdir() if p.suffix.lower() in CSV_EXTENSIONS | XLSX_EXTENSIONS)
        hint = f" (it holds {', '.join(found[:5])})" if found else ""
        raise InputError(f"{path} is a folder, not an export file{hint}; set input.path to the export file itself.")
    if not path.is_file():
        raise InputError(f"{path} not found; check input.path (relative to the config file) or the file name.")
    suffix = path.suffix.lower()
    if suffix in XLSX_EXTENSIONS:
        return _read_xlsx(path, sheet)
    if suffix == ".xls":
        raise InputError(f"{path} is a legacy .xls workbook; open it in Excel and save it as .xlsx or CSV.")
    if suffix not in CSV_EXTENSIONS:
        raise InputError(
            f"{path} has unsupported extension {suffix or '(none)'!r}; export the responses as .xlsx or .csv."
        )
    return _read_csv(path, encoding, delimiter)


def _read_csv(path: Path, encoding: str, delimiter: str | None) -> Grid:
    data = path.read_bytes()
    if not data.strip():
        raise InputError(f"{path} is empty; export the responses again.")
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise InputError(f"{path} is {what}.")
    decoded = decode(data, encoding, str(path))
    text = decoded.text
    if decoded.guessed:
        log.info("%s: %s", path, decoded.note)
    if "\x00" in text:
        raise InputError(f"{path} looks like a binary file, not CSV text; export the responses as .xlsx or .csv.")
    sep = delimiter or sniff_delimiter(text)
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        rows, problems = parse_csv(plain_text(text), sep)
    except csv.Error as exc:
        raise InputError(f"{path} is not valid CSV ({exc}); check input.delimiter or re-export the file.") from exc
    warnings: tuple[str, ...] = ()
    if problems:
        warnings = (
            f"{path}: {len(problems)} row(s) have a quote that does not close where a field ends; each was read "
            "on its own line, so the rows after it are kept (listed in issues.csv: check the quotes there)",
        )
    return Grid(
        rows=rows,
        encoding=decoded.encoding,
        delimiter=sep,
        encoding_confidence=decoded.confidence,
        encoding_note=decoded.note,
        problems=tuple(problems),
        warnings=warnings,
    )


def sniff_delimiter(text: str) -> str:
    """Pick the delimiter that splits the first rows into the most, consistent, columns (default ',').

    The rows are read as `parse_csv` reads them, so a stray quote in one of them (which a lenient reader lets
    swallow the rows after it) does not make the right delimiter look inconsistent. When no delimiter gives
    consistent rows (ragged rows: cells added or missing in many), the one that splits the most rows into several
    fields wins: a tab-separated file with a third of its rows ragged was read as one column at ',' (found by the
    long fuzz run).
    """
    sample = text[:65_536]
    best, best_score = ",", 0
    ragged, ragged_score = ",", (0.0, 0)
    for sep in DELIMITERS:
        try:
            rows = parse_csv(sample, sep)[0][:20]
        except csv.Error:
            continue
        rows = [r for r in rows if any(c.strip() for c in r)]
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        consistent = sum(len(r) == width for r in rows) / len(rows)
        score = width if consistent >= 0.8 else 0
        if score > best_score:
            best, best_score = sep, score
        split = (sum(len(r) > 1 for r in rows) / len(rows), width)
        if split[0] >= RAGGED_SPLIT and split > ragged_score:
            ragged, ragged_score = sep, split
    return best if best_score else ragged


def _read_xlsx(path: Path, sheet: str | int | None) -> Grid:
    check_archive(path)
    workbook = _open_workbook(path, data_only=True)
    try:
        names: list[str] = list(workbook.sheetnames)
        tables = [ws.title for ws in workbook.worksheets if hasattr(ws, "iter_rows")]  # chart sheets have no cells
        hidden = tuple(ws.title for ws in workbook.worksheets if ws.title in tables and ws.sheet_state != "visible")
        name = _sheet_name(path, names, [t for t in tables if t not in hidden] or tables, sheet, tables)
        worksheet = workbook[name]
        rows, dimension = read_rows(worksheet, cell_text)
        merged = merged_ranges(worksheet)
        formulas = has_formulas(worksheet)
    finally:
        workbook.close()
    problems = [dimension] if dimension else []
    problems += _formula_problems(path, name, rows) if formulas else []
    where = f"{path} (sheet {name!r})"
    warnings = [f"{where}: {dimension[2]}"] if dimension else []
    if len(problems) > len(warnings):
        warnings.append(
            f"{where}: {len(problems) - len(warnings)} formula cell(s) whose value the file does not store were read "
            "as blank (listed in issues.csv); open the file in Excel or LibreOffice, save it, and rerun"
        )
    return Grid(
        rows=fill_merged(rows, merged),
        sheet=name,
        sheets=tuple(tables),
        merged=merged,
        hidden=hidden,
        problems=tuple(problems),
        warnings=tuple(warnings),
    )


def _open_workbook(path: Path, data_only: bool) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds for corrupt or foreign files
        raise InputError(
            f"{path} is not a readable .xlsx workbook ({type(exc).__name__}); re-export it or save it as CSV."
        ) from exc


def _formula_problems(path: Path, name: str, rows: list[list[str]]) -> list[GridProblem]:
    """Formula cells of the sheet that `rows` (read with the values the file stores) reads as blank."""
    workbook = _open_workbook(path, data_only=False)
    try:
        worksheet = workbook[name]
        worksheet.reset_dimensions()
        formulas = [list(row) for row in worksheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    header = next((row for row in rows if any(row)), [])
    return formula_problems(formulas, rows, header)


def _sheet_name(path: Path, names: list[str], visible: list[str], sheet: str | int | None, tables: list[str]) -> str:
    """The worksheet to read: the one asked for, else the first visible worksheet (chart sheets hold no table)."""
    if not tables:
        raise InputError(f"{path} has no worksheets with cells (only charts?); re-export the responses.")
    if sheet is None:
        return visible[0]
    if isinstance(sheet, str) and sheet not in names and sheet.strip().isdigit():
        sheet = int(sheet.strip())
    if isinstance(sheet, int):
        if not 0 <= sheet < len(names):
            raise InputError(f"{path} has no sheet number {sheet} (0-based); set input.sheet to one of {tables}.")
        sheet = names[sheet]
    if sheet not in names:
        raise InputError(f"{path} has no sheet {sheet!r}; set input.sheet to one of {tables}.")
    if sheet not in tables:
        raise InputError(f"{path}: sheet {sheet!r} is a chart sheet, not a table; set input.sheet to one of {tables}.")
    return sheet


_MERGE_REF = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref=\"([A-Za-z]+[0-9]+:[A-Za-z]+[0-9]+)\"")


def merged_ranges(worksheet: Any) -> tuple[Merged, ...]:
    """Merged cell ranges of a read-only worksheet, read from the sheet's XML (`<mergeCell ref="B2:B5"/>`).

    openpyxl's read-only mode (needed for large exports) does not expose them, so the sheet XML is scanned once
    for the `mergeCells` element that follows the cells.
    """
    from openpyxl.utils.cell import range_boundaries

    opener = getattr(worksheet, "_get_source", None)
    if opener is None:
        return ()
    tail = b""
    with opener() as source:
        while chunk := source.read(1 << 20):
            tail = (tail[-64:] + chunk) if not tail or b"mergeCells" not in tail else tail + chunk
    refs = [m.decode("ascii") for m in _MERGE_REF.findall(tail)]
    out: list[Merged] = []
    for ref in refs:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        out.append(Merged(ref.upper(), min_row, max_row, min_col, max_col))
    return tuple(sorted(out, key=lambda m: (m.first_row, m.first_col)))


def fill_merged(rows: list[list[str]], merged: tuple[Merged, ...]) -> list[list[str]]:
    """Rows with every cell of a merged range holding the value of the range's top-left cell."""
    if not merged:
        return rows
    out = [list(r) for r in rows]
    for m in merged:
        if m.first_row > len(out):
            continue
        top = out[m.first_row - 1]
        value = top[m.first_col - 1] if m.first_col <= len(top) else ""
        for r in range(m.first_row, min(m.last_row, len(out)) + 1):
            row = out[r - 1]
            row.extend([""] * (m.last_col - len(row)))
            for c in range(m.first_col, m.last_col + 1):
                row[c - 1] = value
    return out


def cell_text(value: Any) -> str:
    """Text of one spreadsheet cell: '' for empty, integers without '.0', dates in ISO format."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return plain_text(str(value))
