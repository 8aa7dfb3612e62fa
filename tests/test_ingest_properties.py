"""Property tests: garbled exports give a clean PipelineError or tables that obey the contracts, never a crash."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pandas as pd
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.config import parse_config
from pipeline.errors import PipelineError
from pipeline.init import draft_config
from pipeline.readers import read_export
from pipeline.stages.ingest import IngestResult, run_ingest
from tests.contracts import check_contracts

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
cell_text = st.one_of(
    st.text(chars, max_size=30),
    st.sampled_from(
        [
            "",
            " ",
            "N/A",
            "-",
            "Yes",
            "No",
            "Strongly agree",
            "Agree",
            "Disagree",
            "A;B;",
            "A, B",
            "=cmd|' /C calc'!A0",
            "+1",
            "@SUM(1)",
            "a@b.org",
            "10/9/2024 11:02",
            "line\r\nbreak",
            "é–“",
        ]
    ),
    st.text(chars, min_size=200, max_size=2000),
    st.just("bin\x00ary"),
)
header_text = st.one_of(
    st.text(chars, max_size=20),
    st.sampled_from(
        [
            "",
            "ID",
            "Email",
            "Name",
            "Start time",
            "Completion time",
            "Timestamp",
            "Region",
            "Respondent type",
            "Q1",
            "Q1",
            "Q.a",
            "Q.b",
            "Q [x]",
            "Other, please specify",
            "=HYPERLINK()",
        ]
    ),
    st.text(chars, min_size=100, max_size=400),
)


@st.composite
def grids(draw: st.DrawFn) -> list[list[str]]:
    width = draw(st.integers(1, 7))
    headers = draw(st.lists(header_text, min_size=width, max_size=width))
    rows = draw(st.lists(st.lists(cell_text, min_size=0, max_size=width + 1), min_size=1, max_size=8))
    return [headers, *rows]


def _to_csv(grid: list[list[str]], delimiter: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(grid)
    return buffer.getvalue().encode("utf-8", errors="surrogatepass")


def _ingest(data: bytes, suffix: str = ".csv") -> IngestResult | None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"export{suffix}"
        path.write_bytes(data)
        cfg = parse_config({"input": {"path": path.name}}, Path(folder))
        try:
            return run_ingest(read_export(path, cfg.input), cfg)
        except PipelineError as exc:
            assert "\n" not in str(exc) and str(path) in str(exc)
            return None


@SETTINGS
@given(grid=grids(), delimiter=st.sampled_from([",", ";", "\t"]))
def test_garbled_csv_gives_valid_tables_or_a_clean_error(grid: list[list[str]], delimiter: str) -> None:
    result = _ingest(_to_csv(grid, delimiter))
    if result is not None:
        check_contracts(result)


@SETTINGS
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".xlsx", ".tsv"]))
def test_binary_bytes_give_valid_tables_or_a_clean_error(data: bytes, suffix: str) -> None:
    result = _ingest(data, suffix)
    if result is not None:
        check_contracts(result)


@SETTINGS
@given(grid=grids())
def test_init_draft_always_loads(grid: list[list[str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        path.write_bytes(_to_csv(grid, ","))
        try:
            text = draft_config(path, Path(folder), "auto")
        except PipelineError as exc:
            assert "\n" not in str(exc)
            return
        cfg = parse_config(yaml.safe_load(text), Path(folder))
        raw = read_export(path, cfg.input)
        assert [q.column for q in cfg.questions] == [c.name for c in raw.columns]
        check_contracts(run_ingest(raw, cfg))


@SETTINGS
@given(
    emails=st.lists(
        st.from_regex(r"[a-z]{3,8}\.[a-z]{3,8}@example\.(org|com)", fullmatch=True), min_size=2, max_size=6, unique=True
    ),
    answers=st.lists(st.text(min_size=1, max_size=40), min_size=6, max_size=6),
)
def test_email_values_never_reach_the_tables(emails: list[str], answers: list[str]) -> None:
    grid = [["Contact", "Your feedback"], *([e, a] for e, a in zip(emails, answers, strict=False))]
    result = _ingest(_to_csv(grid, ","))
    if result is None:
        return
    blob = "\n".join(f.astype(str).to_csv() for f in result.__dict__.values() if isinstance(f, pd.DataFrame))
    for email in emails:
        assert email not in blob or any(email in a for a in answers)
