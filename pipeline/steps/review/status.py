"""The review status of a run's questions (`consolidate review status`), read without writing anything."""

from __future__ import annotations

from pipeline.artifacts import RunPaths, review_copy, review_dir
from pipeline.config import PipelineConfig
from pipeline.stages.review import QuestionStatus, question_status
from pipeline.steps.review.orphans import is_review_copy
from pipeline.steps.review.save import reconcile_question
from pipeline.steps.review.sidecar import read_draft


def review_status(cfg: PipelineConfig) -> list[QuestionStatus]:
    """Review status of every question with a generated sidecar or a review copy.

    Pending edits are evaluated against this run's generated sidecar when it exists (nothing is written), so
    the status reflects edits made since the last run; otherwise the review copy is read as it is. YAML files of
    the review folder that are not review copies (notes, another tool's files) are left out.
    """
    paths = RunPaths(cfg.run_dir)
    found = [*paths.stage_dir("draft").glob("*.yaml"), *review_dir(cfg).glob("*.yaml")]
    out: list[QuestionStatus] = []
    for qid in sorted({p.stem for p in found}):
        sidecar = paths.draft_yaml(qid)
        if sidecar.is_file():
            draft = reconcile_question(cfg, read_draft(sidecar), sidecar).draft
        elif is_review_copy(review_copy(cfg, qid)):
            draft = read_draft(review_copy(cfg, qid))
        else:
            continue  # another file kept in the review folder
        out.append(question_status(draft))
    return out
