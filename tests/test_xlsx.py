import io

import pandas as pd
import pytest

import pipeline.xlsx as xlsx


def test_a_table_longer_than_a_sheet_goes_on_in_more_sheets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx, "SHEET_ROWS", 3)
    frame = pd.DataFrame({"statement_id": [f"s{i}" for i in range(7)], "rank": list(range(7))})
    sheets = pd.read_excel(io.BytesIO(xlsx.deterministic_xlsx(frame, "assignments")), sheet_name=None)
    assert list(sheets) == ["assignments", "assignments (2)", "assignments (3)"]
    pd.testing.assert_frame_equal(pd.concat(sheets.values(), ignore_index=True), frame)  # no row lost
    assert xlsx.deterministic_xlsx(frame, "assignments") == xlsx.deterministic_xlsx(frame, "assignments")


def test_a_long_table_is_streamed_and_reads_back_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx, "STREAM_ROWS", 2)
    monkeypatch.setattr(xlsx, "SHEET_ROWS", 4)
    frame = pd.DataFrame({"title": ["=1+1", "b", None, "d", "e"], "rank": [1, 2, 3, -1, 5]})
    data = xlsx.deterministic_xlsx(frame, "assignments")
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None)
    assert list(sheets) == ["assignments", "assignments (2)"]
    pd.testing.assert_frame_equal(pd.concat(sheets.values(), ignore_index=True), frame)
    assert xlsx.deterministic_xlsx(frame, "assignments") == data  # streamed files are byte-stable too
