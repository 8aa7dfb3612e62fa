"""File -> grid of text cells: CSV (encoding and delimiter detection) and XLSX (one sheet).

Every failure is an `InputError` whose one-line message names the file and says what to do.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import InputError

log = logging.getLogger(__name__)

CSV_EXTENSIONS = frozenset({".csv", ".tsv", ".txt"})
XLSX_EXTENSIONS = frozenset({".xlsx", ".xlsm"})
DELIMITERS = (",", ";", "\t", "|")
_WESTERN = frozenset({"cp1252", "latin_1", "iso8859_15", "cp1250", "iso8859_2", "mac_roman", "cp850", "ascii"})
_MAGIC = {
    b"PK\x03\x04": "an Excel workbook (zip) renamed to .csv; rename it to .xlsx",
    b"\xd0\xcf\x11\xe0": "a legacy Excel (.xls) file; open it in Excel and save it as .xlsx or CSV",
    b"%PDF": "a PDF document, not a survey export; download the responses as .xlsx or .csv",
}


@dataclass(frozen=True)
class Grid:
    """Raw cells of one table, header rows included, every cell a str ('' when blank)."""

    rows: list[list[str]]
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None


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
    text, used = _decode(path, data, encoding)
    if "\x00" in text:
        raise InputError(f"{path} looks like a binary file, not CSV text; export the responses as .xlsx or .csv.")
    sep = delimiter or sniff_delimiter(text)
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        rows = [[cell for cell in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=sep)]
    except csv.Error as exc:
        raise InputError(f"{path} is not valid CSV ({exc}); check input.delimiter or re-export the file.") from exc
    return Grid(rows=rows, encoding=used, delimiter=sep)


def _decode(path: Path, data: bytes, encoding: str) -> tuple[str, str]:
    if encoding != "auto":
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{path} is not valid {encoding} (byte 0x{data[exc.start]:02x} at position {exc.start}); "
                "set input.encoding to auto or cp1252."
            ) from exc
    for bom, codec in ((b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), codec
    try:
        return data.decode("utf-8-sig"), "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    except UnicodeDecodeError:
        pass
    codec = _guess_codec(data)
    log.info("%s: not UTF-8, decoded as %s", path, codec)
    return data.decode(codec, errors="replace"), codec


def _guess_codec(data: bytes) -> str:
    """Best guess for non-UTF-8 bytes: charset-normalizer, preferring cp1252 among Western single-byte codecs."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    guess = best.encoding if best is not None else None
    if guess is None or guess in _WESTERN:
        try:
            data.decode("cp1252")
            return "cp1252"
        except UnicodeDecodeError:
            return guess or "latin_1"
    return guess


def sniff_delimiter(text: str) -> str:
    """Pick the delimiter that splits the first rows into the most, consistent, columns (default ',')."""
    sample = text[:65_536]
    best, best_score = ",", 0
    for sep in DELIMITERS:
        try:
            reader = csv.reader(io.StringIO(sample, newline=""), delimiter=sep)
            rows = [r for _, r in zip(range(20), reader, strict=False)]
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
    return best


def _read_xlsx(path: Path, sheet: str | int | None) -> Grid:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for corrupt or foreign files
        raise InputError(
            f"{path} is not a readable .xlsx workbook ({type(exc).__name__}); re-export it or save it as CSV."
        ) from exc
    try:
        names: list[str] = list(workbook.sheetnames)
        name = _sheet_name(path, names, sheet)
        rows = [[cell_text(v) for v in row] for row in workbook[name].iter_rows(values_only=True)]
    finally:
        workbook.close()
    return Grid(rows=rows, sheet=name)


def _sheet_name(path: Path, names: list[str], sheet: str | int | None) -> str:
    if not names:
        raise InputError(f"{path} has no worksheets; re-export the responses.")
    if sheet is None:
        return names[0]
    if isinstance(sheet, int):
        if 0 <= sheet < len(names):
            return names[sheet]
        raise InputError(f"{path} has no sheet number {sheet} (0-based); available sheets: {names}.")
    if sheet in names:
        return sheet
    raise InputError(f"{path} has no sheet {sheet!r}; set input.sheet to one of {names}.")


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
    return str(value)
