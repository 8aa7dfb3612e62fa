"""Rebuild from the browser: rerun findings -> draft -> report and say what the reconciliation did."""

from __future__ import annotations

import time
from typing import Any

from pipeline.artifacts import RunPaths, read_table, review_copy
from pipeline.config import PipelineConfig
from pipeline.stages.shared.sidecar import QuestionDraft
from pipeline.stages.shared.units import question_units
from pipeline.steps.review import read_draft


def rebuild(cfg: PipelineConfig) -> dict[str, Any]:
    """Run the warm stages and summarise each question's reconciled review copy.

    Returns:
        `{"seconds", "report" (whether report.html exists), "questions": [...]}`; per question the counts of
        findings by status, merged, vanished and not grouped (of `answered`, counted in `unit`s: respondents, or
        comments in Polis), what the rerun matched / added / could not apply (`06_draft/<q>.rerun.md`, whose text
        is included) and the edits not applied.
    """
    from pipeline.runner import run_stages

    started = time.perf_counter()
    manifest = run_stages(cfg, ["findings", "draft", "report"])
    paths = RunPaths(cfg.run_dir)
    facts: dict[str, dict[str, Any]] = manifest["stages"]["draft"]["facts"].get("review", {})
    units = question_units(read_table(paths.questions)) if paths.questions.is_file() else {}
    questions = []
    for qid, fact in facts.items():
        copy = review_copy(cfg, qid)
        rerun = paths.rerun_md(qid)
        details = rerun.read_text(encoding="utf-8") if rerun.is_file() else ""
        questions.append({**_summary(read_draft(copy), fact, details), "unit": units.get(qid, "respondent")})
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "report": paths.report("html").is_file(),
        "questions": questions,
    }


def _summary(draft: QuestionDraft, fact: dict[str, Any], details: str) -> dict[str, Any]:
    statuses = [f.status for f in draft.findings]
    lines = details.splitlines()
    return {
        "question": draft.question_id,
        "answered": draft.answered,
        "findings": len(draft.findings),
        "accepted": statuses.count("accepted"),
        "rejected": statuses.count("rejected"),
        "draft": statuses.count("draft"),
        "merged": len(draft.merged),
        "vanished": len(draft.vanished),
        "not_grouped": draft.not_grouped,
        "new": fact.get("new", 0),
        "changed": fact.get("changed", 0),
        "unapplied": list(draft.unapplied),
        "summary": lines[2] if len(lines) > 2 else "",
        "details": details,
    }
