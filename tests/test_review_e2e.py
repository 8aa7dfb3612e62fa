"""Review loop end to end on the shipped sample: analyst edits survive a rerun with a changed clustering."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import load_config
from pipeline.runner import run_stages
from pipeline.steps.review import read_draft, write_draft
from tests.conftest import REPO

SAMPLE_CONFIG = REPO / "configs" / "sample.yaml"
QUESTION = "strength"

pytestmark = pytest.mark.skipif(not SAMPLE_CONFIG.is_file(), reason="configs/sample.yaml not shipped yet")


def write_config(tmp: Path, name: str, **sections: dict[str, Any]) -> Path:
    """configs/sample.yaml with absolute paths under tmp, the fast tfidf embedder and the given section changes."""
    data = yaml.safe_load(SAMPLE_CONFIG.read_text(encoding="utf-8"))
    data["input"]["path"] = str((SAMPLE_CONFIG.parent / data["input"]["path"]).resolve())
    data["run"] = {**data.get("run", {}), "name": "sample", "output_dir": str(tmp / "outputs")}
    data["embed"] = {**data.get("embed", {}), "backend": "tfidf", "cache_dir": str(tmp / "cache")}
    data["review"] = {"dir": str(tmp / "reviews")}
    data["report"] = {**data.get("report", {}), "formats": ["md", "html", "docx"]}  # the PDF: tests/test_report_pdf.py
    for key, value in sections.items():
        data[key] = {**data.get(key, {}), **value}
    path = tmp / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def rerun(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Run, edit the review copy like an analyst, change min_cluster_size, rerun."""
    tmp = tmp_path_factory.mktemp("review_e2e")
    run_stages(load_config(write_config(tmp, "first")))
    review = tmp / "reviews" / "sample" / f"{QUESTION}.yaml"
    before = read_draft(review)
    f = list(before.findings)
    assert len(f) >= 5, "the sample question should have at least five findings"
    f[0] = f[0].model_copy(update={"title": "Analyst: neutral convener", "status": "accepted"})
    f[1] = f[1].model_copy(update={"title": "Analyst: technical expertise", "status": "accepted"})
    f[3] = f[3].model_copy(update={"merge_into": f[2].id})
    write_draft(review, before.model_copy(update={"findings": f}))
    shutil.copytree(tmp / "outputs" / "sample", tmp / "run_a")
    second = write_config(tmp, "second", cluster={"min_cluster_size": 4})
    run_stages(load_config(second))
    run_dir = tmp / "outputs" / "sample"
    return {"tmp": tmp, "edited": f, "review": review, "run_dir": run_dir, "config": second}


def test_report_and_draft_show_analyst_titles_and_the_merge(rerun: dict[str, Any]) -> None:
    run_dir: Path = rerun["run_dir"]
    report = (run_dir / "07_report" / "report.md").read_text(encoding="utf-8")
    draft_md = (run_dir / "06_draft" / f"{QUESTION}.md").read_text(encoding="utf-8")
    for text in ("Analyst: neutral convener", "Analyst: technical expertise"):
        assert text in report and text in draft_md
    edited = rerun["edited"]
    assert "## Merged by the reviewer" in draft_md and f"`{edited[3].id}`) -> `{edited[2].id}`" in draft_md
    # Run history goes to the rerun report only: the draft is a function of input, config and review copy.
    assert "Rerun:" not in draft_md
    assert "Rerun:" in (run_dir / "06_draft" / f"{QUESTION}.rerun.md").read_text(encoding="utf-8")


def test_review_copy_is_reconciled_with_a_backup(rerun: dict[str, Any]) -> None:
    review: Path = rerun["review"]
    edited = rerun["edited"]
    draft = read_draft(review)
    by_id = {f.id: f for f in draft.findings}
    assert by_id[edited[0].id].title == "Analyst: neutral convener" and by_id[edited[0].id].status == "accepted"
    assert [m.id for m in draft.merged] == [edited[3].id]
    target = by_id[edited[2].id]
    assert set(edited[3].members) <= set(target.members)
    assert target.n_respondents == len({s.rsplit(":", 2)[0] for s in target.members})
    assert review.with_name(review.name + ".bak").is_file()
    assert edited[3].id not in (rerun["run_dir"] / "07_report" / "report.md").read_text(encoding="utf-8")


def test_rerun_report_lists_what_moved(rerun: dict[str, Any]) -> None:
    text = (rerun["run_dir"] / "06_draft" / f"{QUESTION}.rerun.md").read_text(encoding="utf-8")
    edited = rerun["edited"]
    assert f"`{edited[0].id}` -> " in text
    assert "## Vanished (no matching group)" in text and f"`{edited[4].id}`" in text
    assert "0 not applied" in text


def test_review_status_and_diff_commands(rerun: dict[str, Any]) -> None:
    runner = CliRunner()
    status = runner.invoke(app, ["review", "status", str(rerun["config"])])
    assert status.exit_code == 0, status.output
    assert f"{QUESTION}: 2 accepted, 0 rejected" in status.output
    diff = runner.invoke(app, ["diff", str(rerun["tmp"] / "run_a"), str(rerun["run_dir"])])
    assert diff.exit_code == 0, diff.output
    line = next(x for x in diff.output.splitlines() if x.startswith(QUESTION + " "))
    assert "100.0%" not in line  # min_cluster_size changed the grouping
    missing = runner.invoke(app, ["diff", str(rerun["tmp"] / "nope"), str(rerun["run_dir"])])
    assert missing.exit_code == 1 and "assignments.csv not found" in missing.output


def test_unchanged_rerun_leaves_the_review_copy_alone(rerun: dict[str, Any]) -> None:
    review: Path = rerun["review"]
    backup = review.with_name(review.name + ".bak")
    before, backup_before = review.read_bytes(), backup.read_bytes()
    run_stages(load_config(rerun["config"]))
    assert review.read_bytes() == before and backup.read_bytes() == backup_before
