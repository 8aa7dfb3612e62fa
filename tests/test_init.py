"""`consolidate init`: detected kinds per fixture, commented YAML that loads and runs, the real sample."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import load_config, parse_config
from pipeline.detect.scales import match_scale
from pipeline.errors import InputError
from pipeline.init import detect_questions, draft_config
from pipeline.readers import read_export
from pipeline.runner import run_stages
from pipeline.stages.ingest import run_ingest

ROOT = Path(__file__).resolve().parents[1]
EXPORTS = ROOT / "tests" / "data" / "exports"
SAMPLE = ROOT / "data" / "sample" / "consultation.xlsx"
FORMATS = {
    "msforms.xlsx": "msforms",
    "msforms.csv": "msforms",
    "msforms_cp1252.csv": "msforms",
    "google.csv": "google",
    "qualtrics.csv": "qualtrics",
    "surveymonkey.csv": "surveymonkey",
    "limesurvey.csv": "limesurvey",
    "eusurvey.csv": "eusurvey",
}
QUESTION_KINDS = {
    "respondent_type": "meta",
    "training_useful": "likert",
    "materials_clear": "likert",
    "recommend_course": "single",
    "topics_interest": "multi",
    "improved": "open",
}


def _kinds(name: str) -> dict[str, str]:
    return {q.id: q.kind for q in detect_questions(read_export(EXPORTS / name))}


@pytest.mark.parametrize("name", FORMATS)
def test_detects_the_format_and_question_kinds(name: str) -> None:
    raw = read_export(EXPORTS / name)
    assert raw.format == FORMATS[name]
    detected = detect_questions(raw)
    kinds = {q.id: q.kind for q in detected}
    assert {k: v for k, v in kinds.items() if v not in ("personal", "ignore")} == QUESTION_KINDS
    personal = {q.column for q in detected if q.kind == "personal"}
    email_column = next(c.name for c in raw.columns if "email" in c.name.lower())
    assert email_column in personal
    assert all(q.reason for q in detected)


@pytest.mark.parametrize("name", FORMATS)
def test_draft_loads_and_ingests_like_auto_detection(name: str, tmp_path: Path) -> None:
    config_dir = tmp_path / "configs"
    text = draft_config(EXPORTS / name, config_dir, "auto")
    config_dir.mkdir()
    path = config_dir / "survey.yaml"
    path.write_text(text, encoding="utf-8")
    cfg = load_config(path)
    assert cfg.resolve(cfg.input.path) == (EXPORTS / name).resolve()
    assert cfg.run_dir == (tmp_path / "outputs" / "survey").resolve()
    raw = read_export(cfg.resolve(cfg.input.path), cfg.input)
    drafted = run_ingest(raw, cfg)
    auto = run_ingest(raw, parse_config({"input": {"path": str(EXPORTS / name)}}, tmp_path))
    for table in ("respondents", "questions", "answers", "counts", "issues"):
        pd.testing.assert_frame_equal(getattr(drafted, table), getattr(auto, table))


def test_every_question_entry_has_a_reason_comment(tmp_path: Path) -> None:
    text = draft_config(EXPORTS / "msforms.csv", tmp_path, "auto")
    lines = text.splitlines()
    entries = [i for i, line in enumerate(lines) if line.startswith("  - column:")]
    assert len(entries) == 11
    for i in entries:
        assert re.match(r"  # (open|likert|single|multi|meta|personal|ignore): \S", lines[i - 1]), lines[i - 1]
    assert "# personal: header looks like an email column — never copied to outputs" in text
    assert "# personal: header looks like a name column — never copied to outputs" in text
    assert (
        "# likert: 4 distinct values; statement 1 of 2 of a block on the agree scale "
        "'Strongly agree > ... > Strongly disagree'"
    ) in text
    assert "# open: 5 answers, median" in text


def test_explicit_format_and_unknown_format(tmp_path: Path) -> None:
    text = draft_config(EXPORTS / "generic.csv", tmp_path, "generic")
    assert "format: generic" in text
    with pytest.raises(InputError, match="Unknown export format 'forms'"):
        draft_config(EXPORTS / "generic.csv", tmp_path, "forms")


def test_awkward_headers_round_trip_through_yaml(tmp_path: Path) -> None:
    headers = [
        "yes",
        "1",
        "a: b",
        "#hash",
        "line\nbreak",
        "trailing ",
        "- dash",
        "quote \"x\" 'y'",
        "\x85nel\x9f",
        "@at",
        "null",
        "[list]",
        "{map}",
        "~",
        "Ünïcödé ✓",
    ]
    rows = [headers] + [[f"value {i} {j}" for j in range(len(headers))] for i in range(4)]
    target = tmp_path / "awkward.csv"
    import csv

    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    text = draft_config(target, tmp_path, "auto")
    data = yaml.safe_load(text)
    raw = read_export(target)
    assert [q["column"] for q in data["questions"]] == [c.name for c in raw.columns]
    parse_config(data, tmp_path)


def test_likert_options_follow_the_scale_with_na_last() -> None:
    scale = match_scale(["N/A", "Do not agree", "Strongly agree", "Other", "Somewhat agree"])
    assert scale is not None and scale.family == "agree"
    assert scale.options == ["Strongly agree", "Somewhat agree", "Do not agree", "N/A", "Other"]
    numbered = match_scale(["3", "1 - Not important", "5 - Very important", "4", "Don't know"])
    assert numbered is not None
    assert numbered.options == ["5 - Very important", "4", "3", "1 - Not important", "Don't know"]
    french = match_scale(["Plutôt d’accord", "Tout à fait d'accord", "Pas du tout d'accord"])
    assert french is not None and french.options[0] == "Tout à fait d'accord"
    assert match_scale(["Yes", "No"]) is None


def test_cli_init_then_ingest(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "configs" / "google.yaml"
    result = runner.invoke(app, ["init", str(EXPORTS / "google.csv"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    again = runner.invoke(app, ["init", str(EXPORTS / "google.csv"), "--out", str(out)])
    assert again.exit_code == 1 and "already exists" in again.output
    result = runner.invoke(app, ["ingest", str(out)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "outputs" / "google" / "01_ingest" / "answers.parquet").is_file()
    bad = runner.invoke(app, ["init", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "x.yaml")])
    assert bad.exit_code == 1 and "missing.csv not found" in bad.output


@pytest.mark.skipif(not SAMPLE.is_file(), reason="data/sample/consultation.xlsx not generated yet")
def test_sample_consultation(tmp_path: Path) -> None:
    detected = detect_questions(read_export(SAMPLE))
    kinds = {q.column: q.kind for q in detected}
    assert kinds["Respondent type"] == kinds["Region"] == "meta"
    assert {kinds[c] for c in ("ID", "Start time", "Completion time")} == {"ignore"}
    assert kinds["Email"] == kinds["Name"] == "personal"
    assert [k for c, k in kinds.items() if c.startswith("How familiar")] == ["likert", "likert"]
    blocks = [q.block for q in detected if "can benefit from" in q.column]
    assert all(q.kind == "likert" for q in detected if "can benefit from" in q.column)
    assert blocks == ["The ITU strategic plan can benefit from"] * 8 + ["The ITU financial plan can benefit from"] * 2
    assert [kinds[c] for c in kinds if c.startswith(("Would the", "Could the"))] == ["single"] * 3
    assert [k for c, k in kinds.items() if "select all" in c] == ["multi"]
    assert list(kinds.values()).count("open") == 8
    config_dir = tmp_path / "configs"
    config_dir.mkdir()
    (config_dir / "sample.yaml").write_text(draft_config(SAMPLE, config_dir, "auto"), encoding="utf-8")
    cfg = load_config(config_dir / "sample.yaml")
    manifest = run_stages(cfg, ["ingest"])
    assert manifest["stages"]["ingest"]["facts"]["respondents"] == 67
    blob = b"".join(p.read_bytes() for p in (tmp_path / "outputs").rglob("*") if p.is_file())
    assert b"@example.org" not in blob


@pytest.mark.parametrize("name", [*FORMATS, "polis.csv"])
def test_run_works_on_the_drafted_config(name: str, tmp_path: Path) -> None:
    """init -> run (every stage) on each fixture format, with the fast tfidf backend."""
    config_dir = tmp_path / "configs"
    config_dir.mkdir()
    data = yaml.safe_load(draft_config(EXPORTS / name, config_dir, "auto"))
    data["embed"] = {**data.get("embed", {}), "backend": "tfidf"}
    data["report"] = {"formats": ["md", "html"]}
    path = config_dir / "fixture.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    manifest = run_stages(load_config(path))
    assert set(manifest["stages"]) == {"ingest", "closed", "embed", "cluster", "findings", "draft", "report"}
    report = (tmp_path / "outputs" / "fixture" / "07_report" / "report.md").read_text(encoding="utf-8")
    assert report.startswith("# ")
    open_ids = [q["id"] for q in data["questions"] if q["kind"] == "open"]
    assert open_ids and all((tmp_path / "outputs" / "fixture" / "06_draft" / f"{q}.md").is_file() for q in open_ids)


def test_number_columns_are_not_open_questions(tmp_path: Path) -> None:
    rows = 40
    frame = pd.DataFrame(
        {
            "id": range(rows),
            "text": [f"Comment number {i} about the bike lanes in my street" for i in range(rows)],
            "numVotes": [str(i * 7 % 31) for i in range(rows)],
            "parentId": [str(-1 if i % 3 else 1000 + i) for i in range(rows)],
            "score": [str(i % 5 + 1) for i in range(rows)],  # a 1-5 scale stays a closed question
        }
    )
    frame.to_csv(tmp_path / "comments.csv", index=False)
    kinds = {q.column: q.kind for q in detect_questions(read_export(tmp_path / "comments.csv"))}
    assert kinds["text"] == "open"
    assert kinds["numVotes"] == "ignore" and kinds["parentId"] == "ignore"


def test_parts_proposed_from_the_exports_likert_blocks(tmp_path: Path) -> None:
    config_dir = tmp_path / "configs"
    config_dir.mkdir()
    (config_dir / "sample.yaml").write_text(draft_config(SAMPLE, config_dir, "auto"), encoding="utf-8")
    parts = load_config(config_dir / "sample.yaml").report.parts
    titles = [p.title for p in parts]
    assert titles == [None, "The ITU strategic plan can benefit from", "The ITU financial plan can benefit from", None]
    assert [len(p.questions) for p in parts] == [2, 8, 2, 12]  # the last: 3 single, 1 multi and the 8 open ones


def test_parts_without_blocks_are_proposed_commented_out() -> None:
    from pipeline.init import DetectedQuestion, _parts_lines

    def q(qid: str, kind: str, other_of: str | None = None) -> DetectedQuestion:
        return DetectedQuestion(column=qid, id=qid, kind=kind, reason="", other_of=other_of)  # type: ignore[arg-type]

    runs = [q("rtype", "meta"), q("a", "single"), q("a_other", "open", "a"), q("b", "single"), q("why", "open")]
    lines = _parts_lines([*runs, q("c", "likert"), q("more", "open")])
    assert lines[2:] == ["  # parts:", "  #   - questions: [a, a_other, b, why]", "  #   - questions: [c, more]"]
    assert _parts_lines(runs) == []  # one run: the report's default already, nothing to propose
