"""The shipped multilingual example end to end: language detection, automatic model choice, French report frame."""

import json
from pathlib import Path

import pandas as pd
import yaml
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.steps.review import read_draft

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "configs" / "multilingual.yaml"


def _config(tmp: Path) -> Path:
    data = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    data["input"]["path"] = str((CONFIG.parent / data["input"]["path"]).resolve())
    data["run"] = {**data["run"], "name": "ml", "output_dir": str(tmp / "outputs")}
    data["embed"] = {"cache_dir": str(tmp / "cache")}
    data["review"] = {"dir": str(tmp / "reviews")}
    path = tmp / "ml.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def test_multilingual_example_groups_answers_by_meaning_across_languages(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["run", str(_config(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "Note: change_first: 76% of the answers are not in en" in result.output
    run = tmp_path / "outputs" / "ml"
    manifest = json.loads((run / "manifest.json").read_text())
    assert manifest["notices"] and manifest["notices"][0].startswith("change_first:")
    assert manifest["stages"]["ingest"]["facts"]["languages"]["change_first"] == {
        "de": 10,
        "en": 10,
        "es": 10,
        "fr": 10,
        "it": 2,
    }
    assert manifest["model"]["ids"][0].startswith("use-multilingual-v3@")
    assert manifest["torch_imported"] is False  # the multilingual model needs no torch

    answers = pd.read_parquet(run / "01_ingest" / "answers.parquet")
    assert set(answers.loc[answers["question_id"] == "transport", "language"]) == {""}
    statements = pd.read_parquet(run / "03_embed" / "statements.parquet").set_index("statement_id")
    draft = read_draft(run / "06_draft" / "change_first.yaml")
    mixed = [f for f in draft.top if statements.loc[f.members, "language"].nunique() >= 3]
    assert len(mixed) == len(draft.top) == 5  # every top finding gathers answers in at least three languages

    md = (run / "06_draft" / "change_first.md").read_text(encoding="utf-8")
    assert "Languages of the answers: de 10, en 10, es 10, fr 10, it 2." in md
    assert "use-multilingual-v3" in md
    report = (run / "07_report" / "report.md").read_text(encoding="utf-8")
    assert "## Méthode" in report and "## Method" not in report
    assert "modèle multilingue use-multilingual-v3" in report
    assert "| de 10, en 10, es 10, fr 10, it 2 | change_first |" in report


def test_findings_speak_the_reports_language_and_the_provenance_names_the_model(tmp_path: Path) -> None:
    """Issue 28: in the French report every top finding's title and sentence come from French members; in an
    English report from English ones; the provenance names the multilingual model the question was embedded with."""
    config = _config(tmp_path)
    for language in ("fr", "en"):
        data = yaml.safe_load(config.read_text(encoding="utf-8"))
        data["report"]["language"] = language
        config.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        result = CliRunner().invoke(app, ["run", str(config)])
        assert result.exit_code == 0, result.output
        run = tmp_path / "outputs" / "ml"
        statements = pd.read_parquet(run / "03_embed" / "statements.parquet").set_index("statement_id")
        for finding in read_draft(run / "06_draft" / "change_first.yaml").top:
            members = statements.loc[finding.members]
            own = members.loc[members["language"] == language, "text"].tolist()
            assert any(finding.summary in text for text in own), (language, finding.summary)
            assert any(finding.title.casefold() in text.casefold() for text in own), (language, finding.title)
            if any(finding.summary not in text for text in own):  # a member in the language besides the sentence's
                assert finding.quotes[0].language == language
    report = (tmp_path / "outputs" / "ml" / "07_report" / "report.md").read_text(encoding="utf-8")
    assert "- Embedding model: use-multilingual-v3 (sentence-transformers; identity use-multilingual-v3@" in report
