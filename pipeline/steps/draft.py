"""Draft step: findings.json -> per-question Markdown + generated sidecar, review copies, assignments table.

Review copies (`<review.dir>/<run>/<question>.yaml`) are created when missing and never overwritten. When the
clustering has changed since a review copy was made (its members differ from the new findings), the draft shows
the new findings and says so in its header; the review copy stays as the reviewer left it.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.artifacts import RunPaths, read_json, read_table, write_atomic, write_csv, write_xlsx
from pipeline.config import PipelineConfig
from pipeline.runner import StageReport
from pipeline.sidecar import QuestionDraft, read_draft, write_draft
from pipeline.stages.draft import assignments, render_markdown


def review_path(cfg: PipelineConfig, question_id: str) -> Path:
    """The reviewer's editable copy of a question's sidecar."""
    return cfg.resolve(cfg.review.dir) / cfg.run_name / f"{question_id}.yaml"


def _membership(draft: QuestionDraft) -> list[tuple[str, tuple[str, ...]]]:
    return [(f.id, tuple(f.members)) for f in draft.findings]


def _choose(cfg: PipelineConfig, generated: QuestionDraft) -> tuple[QuestionDraft, str]:
    """The draft to show (review copy when it matches the clustering) and a header notice."""
    path = review_path(cfg, generated.question_id)
    shown_path = _display(cfg, path)
    generated = generated.model_copy(update={"edit_file": shown_path})
    if not path.is_file():
        write_draft(path, generated)
        return generated, ""
    reviewed = read_draft(path)
    if _membership(reviewed) == _membership(generated):
        return reviewed.model_copy(update={"edit_file": shown_path}), ""
    notice = (
        f"the findings changed since the review copy {shown_path} was made (different clustering or answers). "
        "It was kept unchanged; this draft shows the new findings."
    )
    return generated, notice


def _display(cfg: PipelineConfig, path: Path) -> str:
    try:
        return str(path.relative_to(cfg.base_dir.parent))
    except ValueError:
        return str(path)


def step(cfg: PipelineConfig, paths: RunPaths) -> StageReport:
    """Write drafts, sidecars and the assignments table."""
    data = read_json(paths.findings)
    statements = read_table(paths.statements)
    respondent_of = dict(
        zip(statements["statement_id"].astype(str), statements["respondent_id"].astype(str), strict=True)
    )
    shown: list[QuestionDraft] = []
    stale: list[str] = []
    for qid, raw in data.items():
        generated = QuestionDraft.model_validate(raw)
        draft, notice = _choose(cfg, generated)
        write_draft(paths.draft_yaml(qid), generated)
        write_atomic(paths.draft_md(qid), render_markdown(draft, notice))
        shown.append(draft)
        if notice:
            stale.append(qid)
    table = assignments(shown, respondent_of)
    write_csv(paths.assignments_csv, table)
    write_xlsx(paths.assignments_xlsx, table, "assignments")
    return StageReport(facts={"drafts": len(shown), "stale_review_copies": stale})
