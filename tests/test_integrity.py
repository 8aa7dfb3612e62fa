"""Regression tests of issue 20: nothing lost, every number right (hostile files, interrupted runs, concurrent edits).

Each test pins down one defect found by `../shared/probes/integrity_repro.sh` (I1 ... I13), the race N3 or one of
the minor defects of the issue.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from pipeline.artifacts import RunPaths
from pipeline.config import load_config
from pipeline.sidecar import read_draft
from tests.conftest import THEMES
from tests.hardening_helpers import Project, cli, one_line_error

THEMED = "ID,Comment\n" + "".join(
    f"{n},{variants[k % 3].capitalize()} {theme} number {k}.\n"
    for n, (theme, variants, k) in enumerate(((t, v, k) for t, v in THEMES.items() for k in range(8)), start=1)
)
OPEN = [{"column": "ID", "id": "id", "kind": "ignore"}, {"column": "Comment", "id": "comment", "kind": "open"}]


def _issues(run_dir: Path) -> pd.DataFrame:
    return pd.read_csv(run_dir / "01_ingest" / "issues.csv", dtype=str, keep_default_na=False)


def _counts(run_dir: Path) -> dict[str, int]:
    counts = pd.read_csv(run_dir / "01_ingest" / "counts.csv", dtype={"question_id": str})
    return dict(zip(counts["question_id"], counts["respondents"], strict=True))


@pytest.fixture
def themed(project: Project, fake_model: None) -> Path:
    """A project with a 24-answer open question, run once (the review copy exists)."""
    config = project.config(input={"path": project.csv("themed.csv", THEMED)}, questions=OPEN)
    assert cli("run", config).exit_code == 0
    return config


# --- I1 writes never follow a symbolic link ------------------------------------------------------------------


def _edit_review(project: Project) -> Path:
    copy = project.root / "reviews" / "survey" / "comment.yaml"
    data = yaml.safe_load(copy.read_text(encoding="utf-8"))
    data["findings"][0]["title"] = "Renamed by the reviewer"
    copy.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return copy


def test_a_linked_backup_is_refused_and_its_target_untouched(themed: Path, project: Project, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("SAFE\n", encoding="utf-8")
    copy = _edit_review(project)
    (copy.parent / "comment.yaml.bak").symlink_to(victim)
    error = one_line_error(cli("run", themed))
    assert "comment.yaml.bak is a symbolic link" in error and "delete it" in error
    assert victim.read_text(encoding="utf-8") == "SAFE\n"


def test_the_backup_replaces_a_link_rather_than_following_it(themed: Path, project: Project, tmp_path: Path) -> None:
    from pipeline.steps.draft import _save_review

    victim = tmp_path / "victim.txt"
    victim.write_text("SAFE\n", encoding="utf-8")
    copy = _edit_review(project)
    backup = copy.parent / "comment.yaml.bak"
    backup.symlink_to(victim)  # appeared after the run's check of the folder
    paths = RunPaths(load_config(themed).run_dir)
    draft = read_draft(paths.draft_yaml("comment"))
    assert _save_review(copy, draft, paths.review_record("comment"))
    assert victim.read_text(encoding="utf-8") == "SAFE\n"
    assert not backup.is_symlink() and "Renamed by the reviewer" in backup.read_text(encoding="utf-8")


@pytest.mark.parametrize("folder", ["reviews", "outputs"])
def test_a_linked_run_folder_is_refused(folder: str, project: Project, fake_model: None, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project.root / folder).mkdir(parents=True)
    (project.root / folder / "survey").symlink_to(elsewhere, target_is_directory=True)
    config = project.config(input={"path": project.csv("themed.csv", THEMED)}, questions=OPEN)
    error = one_line_error(cli("run", config))
    assert f"{folder}/survey is a symbolic link" in error
    assert list(elsewhere.iterdir()) == []


def test_a_link_inside_the_run_folder_is_refused(themed: Path, project: Project, tmp_path: Path) -> None:
    stage = project.run_dir() / "02_closed"
    target = tmp_path / "closed_elsewhere"
    stage.rename(target)
    stage.symlink_to(target, target_is_directory=True)
    assert "02_closed is a symbolic link" in one_line_error(cli("run", themed))
