"""End-to-end runs on the shipped sample: drafts for every open question, determinism, privacy, caching."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from pipeline.config import load_config
from pipeline.runner import run_stages
from pipeline.steps.review import read_draft
from pipeline.tune import tune
from tests.conftest import REPO

SAMPLE_CONFIG = REPO / "configs" / "sample.yaml"


def sample_config(tmp: Path, name: str = "sample", file: str = "", **sections: dict[str, Any]) -> Path:
    """A copy of configs/sample.yaml writing everything under tmp (optionally with changed sections)."""
    data = yaml.safe_load(SAMPLE_CONFIG.read_text())
    data["input"]["path"] = str((SAMPLE_CONFIG.parent / data["input"]["path"]).resolve())
    data["run"] = {**data.get("run", {}), "name": name, "output_dir": str(tmp / "outputs")}
    data["embed"] = {**data.get("embed", {}), "cache_dir": str(tmp / "cache")}
    data["review"] = {"dir": str(tmp / "reviews")}
    data["report"] = {**data.get("report", {}), "formats": ["md", "html", "docx"]}  # the PDF: tests/test_report_pdf.py
    for key, value in sections.items():
        data[key] = {**data.get(key, {}), **value}
    path = tmp / f"{file or name}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def open_ids(config: Path) -> list[str]:
    return [q.id for q in load_config(config).questions if q.kind == "open"]


def generated_files(run_dir: Path) -> dict[str, bytes]:
    """Drafts, sidecars and assignments of a run (the files a reviewer reads), by name."""
    folder = run_dir / "06_draft"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix in {".md", ".yaml", ".csv", ".xlsx"}}


def all_text(path: Path) -> str:
    """Text of a file, with zipped documents (docx, xlsx) unpacked."""
    data = path.read_bytes()
    if path.suffix in {".docx", ".xlsx"}:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return " ".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    if path.suffix == ".parquet":
        return pd.read_parquet(path).to_csv()
    return data.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def tfidf_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes], Path]:
    """Two runs of the same config from scratch (tfidf backend: fast, no torch); the first run's drafts are kept."""
    tmp = tmp_path_factory.mktemp("e2e")
    config = sample_config(tmp, embed={"backend": "tfidf"})
    run_stages(load_config(config))
    first = generated_files(tmp / "outputs" / "sample")
    for folder in ("outputs", "reviews", "cache"):
        shutil.rmtree(tmp / folder, ignore_errors=True)
    run_stages(load_config(config))
    return tmp / "outputs" / "sample", first, config


def test_every_open_question_gets_a_draft(tfidf_runs: tuple[Path, dict[str, bytes], Path]) -> None:
    run_dir, _, config = tfidf_runs
    for qid in open_ids(config):
        draft = read_draft(run_dir / "06_draft" / f"{qid}.yaml")
        assert draft.findings, qid
        assert "**" in (run_dir / "06_draft" / f"{qid}.md").read_text()
    assignments = pd.read_csv(run_dir / "06_draft" / "assignments.csv")
    assert set(assignments["question_id"]) == set(open_ids(config))


def test_same_input_same_config_gives_identical_drafts(tfidf_runs: tuple[Path, dict[str, bytes], Path]) -> None:
    run_dir, a, _ = tfidf_runs
    b = generated_files(run_dir)
    assert a.keys() == b.keys() and len(a) > 10
    assert [name for name in a if a[name] != b[name]] == []


def test_findings_trace_back_to_member_answers(tfidf_runs: tuple[Path, dict[str, bytes], Path]) -> None:
    """Every summary and quote is verbatim text of a member answer; every count is distinct member respondents."""
    run_dir, _, config = tfidf_runs
    statements = pd.read_parquet(run_dir / "03_embed" / "statements.parquet").set_index("statement_id")
    checked = 0
    for qid in open_ids(config):
        for finding in read_draft(run_dir / "06_draft" / f"{qid}.yaml").findings:
            members = statements.loc[finding.members]
            assert finding.n_respondents == members["respondent_id"].nunique()
            assert any(finding.summary in answer for answer in members["answer_text"])
            for quote in finding.quotes:
                own = members.loc[members["respondent_id"] == quote.response_id, "answer_text"]
                assert any(quote.text in answer for answer in own)
            checked += 1
    assert checked >= 20


def test_personal_columns_never_reach_any_output(tfidf_runs: tuple[Path, dict[str, bytes], Path]) -> None:
    run_dir, _, _ = tfidf_runs
    cfg = load_config(tfidf_runs[2])
    export = pd.read_excel(cfg.resolve(cfg.input.path), dtype=str)
    secrets = {v for col in ("Email", "Name") for v in export[col].dropna() if v != "anonymous"}
    assert secrets
    leaks = [(p.name, s) for p in run_dir.rglob("*") if p.is_file() for s in secrets if s in all_text(p)]
    assert leaks == []


def test_manifest_records_inputs_config_versions_and_seed(tfidf_runs: tuple[Path, dict[str, bytes], Path]) -> None:
    manifest = json.loads((tfidf_runs[0] / "manifest.json").read_text())
    assert len(manifest["input"]["sha256"]) == 64
    assert manifest["seed"] == manifest["config"]["run"]["seed"]
    assert manifest["packages"]["hdbscan"] != "not installed"
    assert set(manifest["stages"]) == {"ingest", "closed", "embed", "cluster", "findings", "draft", "report"}


@pytest.mark.model
def test_real_model_run_and_warm_rerun_without_torch(tmp_path: Path) -> None:
    """The bundled MiniLM model end to end; a rerun with a changed clustering parameter imports no torch."""
    config = sample_config(tmp_path)
    manifest = run_stages(load_config(config))
    model_ids = manifest["model"]["ids"]
    assert model_ids and model_ids[0].startswith("all-MiniLM-L6-v2@")
    assert manifest["stages"]["embed"]["facts"]["computed"] > 100
    cold = generated_files(tmp_path / "outputs" / "sample")

    warm_config = sample_config(tmp_path, file="warm", cluster={"min_cluster_size": 6})
    code = "import sys; from pipeline.cli import app; sys.argv = ['consolidate', 'run', sys.argv[1]]; app()"
    subprocess.run([sys.executable, "-c", code, str(warm_config)], check=True, capture_output=True, cwd=REPO)
    warm = json.loads((tmp_path / "outputs" / "sample" / "manifest.json").read_text())
    assert warm["torch_imported"] is False
    assert warm["stages"]["embed"]["skipped"] is True
    assert warm["stages"]["cluster"]["skipped"] is False
    assert generated_files(tmp_path / "outputs" / "sample").keys() == cold.keys()

    for state in ("reviews", "outputs"):  # same review state as the first run (reviews carry edits across runs)
        shutil.rmtree(tmp_path / state)
    run_stages(load_config(config))  # back to the first settings: embeddings now come from the cache
    assert generated_files(tmp_path / "outputs" / "sample") == cold

    found = json.loads((tmp_path / "outputs" / "sample" / "05_findings" / "findings.json").read_text())
    for qid in open_ids(config):  # `tune`'s current setting titles its findings as the run does (embedded phrases)
        current = tune(load_config(config), qid, with_stability=False)[0]
        assert (
            current.current and current.titles == [f["title"] for f in found[qid]["findings"] if not f["campaign"]][:5]
        )


def test_who_said_each_finding_is_written_and_reported(tfidf_runs: tuple[Path, dict[str, bytes], Path]) -> None:
    """Issue 24: breakdowns.csv of every finding by the sample's meta questions, and the table in the report."""
    run_dir, _, config = tfidf_runs
    table = pd.read_csv(run_dir / "05_findings" / "breakdowns.csv", keep_default_na=False)
    assert set(table["question_id"]) == set(open_ids(config))
    assert set(table["attribute"]) == {"respondent_type", "region"}
    for qid in open_ids(config):
        findings = {f.id: f for f in read_draft(run_dir / "06_draft" / f"{qid}.yaml").findings}
        for (fid, _), part in table[table["question_id"] == qid].groupby(["finding_id", "attribute"]):
            assert part["n_respondents"].sum() == findings[fid].n_respondents
    report = (run_dir / "07_report" / "report.md").read_text()
    assert report.count("| Attribute | Group | Answered |") == len(open_ids(config))
