"""A rerun with nothing changed does no work; draft and report run again when a review file changes."""

from __future__ import annotations

from pathlib import Path

from pipeline.config import load_config
from pipeline.runner import run_stages
from tests.test_dask_engine import small_question


def skipped(manifest: dict[str, object]) -> dict[str, bool]:
    stages = manifest["stages"]
    assert isinstance(stages, dict)
    return {stage: bool(info.get("skipped")) for stage, info in stages.items()}


def test_a_rerun_with_nothing_changed_skips_every_stage_until_a_review_copy_changes(tmp_path: Path) -> None:
    cfg = load_config(small_question(tmp_path, "warm", backend="tfidf"))
    first = run_stages(cfg)
    assert not any(skipped(first).values())
    again = run_stages(cfg)
    assert all(skipped(again).values())
    copy = tmp_path / "reviews" / "warm" / "q.yaml"
    copy.write_text(copy.read_text() + "# a reviewer's note\n")
    edited = skipped(run_stages(cfg))
    assert edited["findings"] and not edited["draft"] and not edited["report"]
    assert all(skipped(run_stages(cfg)).values())
