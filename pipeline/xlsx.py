"""Byte-stable Excel files: fixed workbook metadata and fixed zip timestamps."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

import pandas as pd

FIXED_TIME = datetime(2000, 1, 1)
ZIP_TIME = (2000, 1, 1, 0, 0, 0)
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
    """Serialise a DataFrame to xlsx bytes that are identical for identical frames."""
    from openpyxl import Workbook
    from openpyxl.utils.dataframe import dataframe_to_rows

    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet[:31]
    for row in dataframe_to_rows(frame, index=False, header=True):
        worksheet.append([None if (v is not None and not isinstance(v, str) and pd.isna(v)) else v for v in row])
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    workbook.properties.creator = "Consolidate"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return restamp_zip(buffer.getvalue())
