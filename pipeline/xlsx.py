"""Byte-stable Excel files: fixed workbook metadata and fixed zip timestamps."""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from datetime import datetime

import pandas as pd

FIXED_TIME = datetime(2000, 1, 1)
ZIP_TIME = (2000, 1, 1, 0, 0, 0)
SHEET_ROWS = 1_048_575  # rows of data a sheet holds under its header
STREAM_ROWS = 100_000  # longer tables are written row by row in XlsxWriter's constant-memory mode
_W3CDTF = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def restamp_zip(data: bytes) -> bytes:
    """Rewrite a zip (xlsx/docx) with fixed entry timestamps and order, so equal content gives equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _W3CDTF.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", content)
            target.writestr(entry, content)
    return out.getvalue()


def deterministic_xlsx(frame: pd.DataFrame, sheet: str = "Sheet1") -> bytes:
    """Serialise a DataFrame to xlsx bytes that are identical for identical frames.

    XlsxWriter writes fixed zip timestamps itself; the creation date is fixed here. Text is always written as text
    (never turned into a formula, URL or number), missing values as empty cells. A table longer than a sheet
    (1,048,575 rows under the header: a million answers' statements) goes on in `<sheet> (2)`, `<sheet> (3)`, ...,
    each with the header, rather than losing the rows Excel cannot hold. Above STREAM_ROWS rows the cells are
    streamed (XlsxWriter's constant-memory mode: strings inline, not in a shared table): a cell in memory each would
    take gigabytes at a million answers.
    """
    import xlsxwriter

    buffer = io.BytesIO()
    large = len(frame) > STREAM_ROWS
    options: dict[str, bool | str] = {"strings_to_formulas": False, "strings_to_urls": False}
    options["strings_to_numbers"] = False
    with tempfile.TemporaryDirectory() as tmp:  # a large table is streamed row by row through temporary files
        options |= {"constant_memory": True, "tmpdir": tmp} if large else {"in_memory": True}
        workbook = xlsxwriter.Workbook(buffer, options)
        workbook.set_properties({"created": FIXED_TIME, "author": "Consolidate"})
        for part, start in enumerate(range(0, max(len(frame), 1), SHEET_ROWS)):  # Excel's rows end at 1,048,576
            name = sheet[:31] if part == 0 else f"{sheet[:25]} ({part + 1})"
            worksheet = workbook.add_worksheet(name)
            worksheet.write_row(0, 0, [str(c) for c in frame.columns])
            rows = frame.iloc[start : start + SHEET_ROWS]
            cells = [_column(rows[column]) for column in frame.columns]  # one type check per column, not per cell
            if large:
                for i, row in enumerate(zip(*cells, strict=True), start=1):
                    worksheet.write_row(i, 0, row)
            else:
                for c, column in enumerate(cells):
                    worksheet.write_column(1, c, column)
        workbook.close()
    return buffer.getvalue()


def _column(values: pd.Series) -> list[object]:
    """Cells XlsxWriter writes as is: None for missing, Python numbers and booleans as such, everything else as text."""
    missing = values.isna().tolist()
    cells = values.tolist()  # numpy scalars become Python ones
    if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
        return [None if gap else v for v, gap in zip(cells, missing, strict=True)]
    return [None if gap else v if isinstance(v, int | float) else str(v) for v, gap in zip(cells, missing, strict=True)]
