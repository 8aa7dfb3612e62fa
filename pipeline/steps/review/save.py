"""Reconcile a question's review copy with this run's generated draft and save it, never over a reviewer's edit.

The review copy (`<review.dir>/<run>/<question>.yaml`) is created on the first run. On later runs it is
reconciled with the new findings (`pipeline.stages.review.reconcile`): analyst fields are kept verbatim, counts and
members recomputed, unapplied edits listed. It is rewritten only when that changes it, atomically, after copying
the previous version to `<question>.yaml.bak`; the reviewer's `# comments` and key order are kept. A reviewer may
save the copy while the stage reconciles it (seconds on large questions): the copy is rewritten only if it is
still the text that was reconciled (checked under a lock that `review serve` also takes), else it is read and
reconciled again, so their edit is merged, never written over.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from pipeline.artifacts import RunPaths, folder_lock, read_json, review_copy, write_atomic, write_json
from pipeline.config import PipelineConfig
from pipeline.errors import StageError
from pipeline.stages.review import Reconciled, reconcile
from pipeline.stages.shared.sidecar import QuestionDraft
from pipeline.steps.review.sidecar import has_reviewer_comments, read_draft, review_text

log = logging.getLogger(__name__)
SAVE_ATTEMPTS = 3


def display_path(cfg: PipelineConfig, path: Path) -> str:
    """A path as warnings show it: relative to the project (the folder above the config's) when it is inside."""
    try:
        return str(path.relative_to(cfg.base_dir.parent))
    except ValueError:
        return str(path)


def reconcile_question(cfg: PipelineConfig, generated: QuestionDraft, last: Path | None = None) -> Reconciled:
    """Reconcile a question's review copy (if any) with its generated draft; writes nothing.

    Args:
        cfg: the pipeline config (review folder, run name).
        generated: this run's generated draft of the question.
        last: the previous run's generated sidecar, read (if it exists) to interpret old review copies.
    """
    path = review_copy(cfg, generated.question_id)
    previous = read_draft(path) if path.is_file() else None
    legacy = previous is not None and any(f.generated is None and f.members and not f.pinned for f in previous.findings)
    last_generated = read_draft(last) if legacy and last is not None and last.is_file() else None
    return reconcile(previous, generated.model_copy(update={"edit_file": display_path(cfg, path)}), last_generated)


def _save_review(path: Path, draft: QuestionDraft, record: Path) -> bool:
    """Write the review copy when its text changes, backing up the previous one; return whether it was written.

    The reviewer's `# comments` and key order in the previous copy are kept (`pipeline.steps.review.review_text`).
    `record` remembers the checksum of the text last written and whether it held comments, so a copy nobody
    edited since is not searched for comments again (seconds on campaign-sized questions).
    """
    previous = path.read_text(encoding="utf-8") if path.is_file() else None
    known = read_json(record) if record.is_file() and previous is not None else {}
    commented = known.get("commented") if known.get("sha256") == _sha(previous) else None
    if commented is None:
        commented = previous is not None and has_reviewer_comments(previous, draft.question_id)
    text = review_text(draft, previous, commented)
    written = previous != text
    if written:
        if previous is not None:
            write_atomic(path.with_name(path.name + ".bak"), path.read_bytes())  # replaces a link, never follows it
        write_atomic(path, text)
    if written or known.get("sha256") != _sha(text):
        write_json(record, {"sha256": _sha(text), "commented": bool(commented)})
    return written


def reconcile_and_save(cfg: PipelineConfig, paths: RunPaths, generated: QuestionDraft) -> tuple[Reconciled, bool]:
    """Reconcile a question's review copy and save it, never over an edit saved meanwhile (see the module doc).

    Returns:
        The reconciliation and whether the review copy was rewritten.

    Raises:
        StageError: The copy changed during each of SAVE_ATTEMPTS reconciliations; it was left as the reviewer saved it.
    """
    qid = generated.question_id
    path = review_copy(cfg, qid)
    for _ in range(SAVE_ATTEMPTS):
        before = _bytes(path)
        result = reconcile_question(cfg, generated, paths.draft_yaml(qid))
        with folder_lock(path.parent):
            if _bytes(path) == before:
                return result, _save_review(path, result.draft, paths.review_record(qid))
        log.info("%s changed while it was reconciled; reading it again", path)
    raise StageError(
        f"{display_path(cfg, path)} changed on disk during each of {SAVE_ATTEMPTS} reconciliations, so the draft stage "
        "left it as it is (nothing of it was written over); finish editing it, then rerun `consolidate draft` "
        "(or `consolidate run`)."
    )


def _bytes(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


def _sha(text: str | None) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest() if text is not None else ""
