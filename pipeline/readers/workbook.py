"""What an XLSX workbook holds, checked against what it says it holds.

- **Size**: a workbook is a zip archive whose XML openpyxl decompresses, the shared strings whole. `check_archive`
  refuses, before anything is parsed, a member that expands more than a hundredfold past 50 MB (a 300 KB file
  holding a 300 MB string: a zip bomb) or that holds a run of over a megabyte of text between two tags (Excel
  cells hold at most 32,767 characters).
- **Dimension**: the `<dimension ref="A1:B5"/>` at the top of a sheet says which cells it holds, and openpyxl's
  read-only mode stops there: `read_rows` reads every row whatever it says, and `dimension_problem` notes a sheet
  that held more.
- **Formulas**: a formula cell whose value the file does not store (a file written by a script and never opened
  in a spreadsheet) reads as blank; `formula_problems` lists each such cell.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl.utils.cell import get_column_letter

from pipeline.errors import InputError

GridProblem = tuple[int | None, str | None, str]  # row of the sheet (None: the whole sheet), column, what happened
MAX_TEXT_RUN = 1 << 20  # bytes between two tags; the check finds every run of twice this
LARGE_MEMBER = 50 << 20  # a member this large ...
MAX_RATIO = 100  # ... may expand at most this many times its compressed size
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")


def check_archive(path: Path) -> None:
    """Refuse a workbook whose XML would expand out of all proportion (see the module docstring).

    Raises:
        InputError: Naming the member and what it would expand to.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return  # openpyxl says the file is not a workbook
    with archive:
        for info in archive.infolist():
            if info.file_size > LARGE_MEMBER and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise InputError(
                    f"{path}: {info.filename} expands from {info.compress_size:,} to {info.file_size:,} bytes, "
                    f"more than {MAX_RATIO} times: this is not a spreadsheet export (a 'zip bomb'?); re-export the "
                    "responses from the survey tool."
                )
            if info.file_size > MAX_TEXT_RUN and info.filename.endswith(".xml"):
                _check_text_runs(path, archive, info)


def _check_text_runs(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse a member holding a megabyte of bytes without a tag (a single cell far beyond Excel's limit)."""
    with archive.open(info) as stream:
        while chunk := stream.read(MAX_TEXT_RUN):
            if len(chunk) == MAX_TEXT_RUN and b"<" not in chunk:
                raise InputError(
                    f"{path}: {info.filename} holds a cell of more than {MAX_TEXT_RUN:,} bytes of text (Excel cells "
                    "hold at most 32,767 characters): the file is damaged or was not written by a spreadsheet; "
                    "re-export the responses."
                )


def read_rows(worksheet: Any, text: Callable[[Any], str]) -> tuple[list[list[str]], GridProblem | None]:
    """Every row of a read-only worksheet as text, whatever its `<dimension>` says, and a note when it said less."""
    declared_rows, declared_cols = worksheet.max_row, worksheet.max_column
    worksheet.reset_dimensions()
    rows = [[text(v) for v in row] for row in worksheet.iter_rows(values_only=True)]
    while rows and not any(rows[-1]):
        rows.pop()
    return rows, dimension_problem(rows, declared_rows, declared_cols)


def dimension_problem(rows: list[list[str]], rows_said: int | None, cols_said: int | None) -> GridProblem | None:
    """A note when a sheet holds cells beyond the range its `<dimension>` declares (they were read all the same)."""
    if rows_said is None or cols_said is None:
        return None
    last_row = len(rows)
    last_col = max((max((i + 1 for i, cell in enumerate(row) if cell), default=0) for row in rows), default=0)
    if last_row <= rows_said and last_col <= cols_said:
        return None
    declared = f"A1:{get_column_letter(max(cols_said, 1))}{rows_said}"
    held = f"A1:{get_column_letter(max(last_col, 1))}{last_row}"
    return (
        None,
        None,
        f"the sheet says it holds {declared} but holds {held}; every row was read (the file was edited by a tool "
        "that did not update its size)",
    )


def has_formulas(worksheet: Any) -> bool:
    """Whether the sheet's XML holds a formula element (`<f>`), scanned without parsing it."""
    opener = getattr(worksheet, "_get_source", None)
    if opener is None:
        return False
    tail = b""
    with opener() as source:
        while chunk := source.read(1 << 20):
            if _FORMULA.search(tail + chunk):
                return True
            tail = chunk[-16:]
    return False


def formula_problems(formulas: list[list[Any]], rows: list[list[str]], header: list[str]) -> list[GridProblem]:
    """Cells holding a formula (`formulas`: the sheet read with formulas) whose value `rows` reads as blank."""
    out: list[GridProblem] = []
    for r, row in enumerate(formulas):
        for c, value in enumerate(row):
            formula = getattr(value, "text", value)  # array formulas are objects holding their text
            if not (isinstance(formula, str) and formula.startswith("=")):
                continue
            if r < len(rows) and c < len(rows[r]) and rows[r][c]:
                continue
            shown = formula if len(formula) <= 60 else formula[:59] + "…"
            column = header[c] if c < len(header) and r > 0 else None
            out.append(
                (
                    r + 1,
                    column or None,
                    f"cell {get_column_letter(c + 1)}{r + 1} holds a formula ({shown}) whose value the file does "
                    "not store: read as blank; open the file in Excel or LibreOffice, save it, and rerun",
                )
            )
    return out
