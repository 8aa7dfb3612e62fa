from pathlib import Path

import pytest

from pipeline.config import ClusterConfig, load_config, parse_config
from pipeline.errors import ConfigError

BASE = {"input": {"path": "export.csv"}}
Q = {"column": "Main strength?", "id": "strength", "kind": "open"}


def test_defaults_and_relative_paths(tmp_path: Path) -> None:
    (tmp_path / "my.yaml").write_text("input:\n  path: data/export.csv\n")
    cfg = load_config(tmp_path / "my.yaml")
    assert cfg.run_name == "my"
    assert cfg.resolve(cfg.input.path) == (tmp_path / "data" / "export.csv").resolve()
    assert cfg.run_dir == (tmp_path.parent / "outputs" / "my").resolve()
    assert cfg.cluster == ClusterConfig()


def test_all_problems_reported_with_yaml_paths(tmp_path: Path) -> None:
    data = {
        "input": {"path": "x.csv", "encoding": "klingon-8"},
        "questions": [{**Q, "kind": "essay"}],
        "cluster": {"min_cluster_size": 0, "smooth_neighbors": -1, "n_components": 1, "typo": 1},
    }
    with pytest.raises(ConfigError) as err:
        parse_config(data, tmp_path, "c.yaml")
    message = str(err.value)
    for path in (
        "input.encoding",
        "questions[0].kind",
        "cluster.min_cluster_size",
        "cluster.smooth_neighbors",
        "cluster.n_components",
        "cluster.typo",
    ):
        assert path in message
    assert "6 problem(s)" in message


def test_per_question_overrides_are_validated_and_merged(tmp_path: Path) -> None:
    ok = {**BASE, "questions": [{**Q, "overrides": {"cluster": {"min_cluster_size": 4}}}]}
    cfg = parse_config(ok, tmp_path)
    assert cfg.for_question("strength", "cluster").min_cluster_size == 4
    assert cfg.for_question("strength", "cluster").reduce == cfg.cluster.reduce
    bad = {**BASE, "questions": [{**Q, "overrides": {"cluster": {"reduce": "tsne"}}}]}
    with pytest.raises(ConfigError, match=r"questions\[0\]\.overrides\.cluster\.reduce"):
        parse_config(bad, tmp_path)


def test_duplicate_ids_and_dangling_other_of(tmp_path: Path) -> None:
    data = {
        **BASE,
        "questions": [Q, {**Q, "column": "b"}, {"column": "c", "id": "c", "kind": "open", "other_of": "zz"}],
    }
    with pytest.raises(ConfigError) as err:
        parse_config(data, tmp_path)
    assert "duplicate ids" in str(err.value) and "other_of" in str(err.value)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("input: [unclosed", "not valid YAML"), ("- a\n- b\n", "must be a YAML mapping"), ("run: {}\n", "input")],
)
def test_bad_files_give_one_line_errors(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert fragment in str(err.value) and "\n" not in str(err.value)


def test_missing_config_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="consolidate init"):
        load_config(tmp_path / "nope.yaml")


def _block(qid: str) -> dict[str, str]:
    return {"column": qid, "id": qid, "kind": "likert", "block": "The plan can benefit from"}


def test_report_parts_are_checked_against_the_questions(tmp_path: Path) -> None:
    questions = [Q, {"column": "Type", "id": "rtype", "kind": "meta"}, _block("sp_a"), _block("sp_b")]
    parts = [
        {"title": "One", "questions": ["strength", "sp_a", "nope"]},
        {"questions": ["strength", "rtype", "sp_b"]},
        {"questions": []},
    ]
    with pytest.raises(ConfigError) as err:
        parse_config({**BASE, "questions": questions, "report": {"parts": parts}}, tmp_path)
    message = str(err.value)
    assert "report.parts[2].questions: List should have at least 1 item" in message
    parts.pop()
    with pytest.raises(ConfigError) as err:
        parse_config({**BASE, "questions": questions, "report": {"parts": parts}}, tmp_path)
    message = str(err.value)
    assert "report.parts[0].questions: 'nope' is not a question id; use some of ['sp_a', 'sp_b', 'strength']" in message
    assert "report.parts[1].questions: 'strength' is already in part 1; list it in one part only" in message
    assert "'rtype' is a meta question, which the results do not show; remove it" in message
    assert "the statements of block 'The plan can benefit from' are in parts [1, 2]" in message
    assert "\n" not in message


def test_report_text_cover_and_pdf_format(tmp_path: Path) -> None:
    report = {"cover": "Second meeting\n\n20 February 2025\n", "purpose": "**Why**", "formats": ["md", "pdf"]}
    cfg = parse_config(
        {**BASE, "questions": [Q], "report": {**report, "parts": [{"questions": ["strength"]}]}}, tmp_path
    )
    assert cfg.report.cover == ["Second meeting", "20 February 2025"]
    assert cfg.report.formats == ["md", "pdf"] and cfg.report.parts[0].title is None
    assert "pdf" not in parse_config(BASE, tmp_path).report.formats  # needs Chromium: never a default
    with pytest.raises(ConfigError, match="list at least one of md, html, docx, pdf"):
        parse_config({**BASE, "report": {"formats": []}}, tmp_path)
