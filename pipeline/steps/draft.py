"""Draft step: findings.json -> per-question Markdown + generated sidecar, reconciled review copies, assignments.

The review copy (`<review.dir>/<run>/<question>.yaml`) is created on the first run. On later runs it is
reconciled with the new findings (`pipeline.stages.review.reconcile`): analyst fields are kept verbatim, counts and
members recomputed, unapplied edits listed. It is rewritten only when that changes it, atomically, after copying
the previous version to `<question>.yaml.bak`; the reviewer's `# comments` and key order are kept. A reviewer may
save the copy while the stage reconciles it (seconds on large questions): the copy is rewritten only if it is
still the text that was reconciled (checked under a lock that `review serve` also takes), else it is read and
reconciled again, so their edit is merged, never written over. Review copies that no question of the run reads
although they hold edits (a question or config renamed) are warnings (`pipeline.review_files`). The Markdown
draft and the assignments table show the reconciled findings and depend only on the input, the config and the
review copy (never on run history); `06_draft/<question>.rerun.md` reports what the rerun matched, added, lost and
could not apply.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from pipeline.artifacts import (
    RunPaths,
    folder_lock,
    read_json,
    read_table,
    review_copy,
    review_dir,
    write_atomic,
    write_csv,
    write_json,
    write_xlsx,
)
from pipeline.config import PipelineConfig
from pipeline.errors import StageError
from pipeline.review_files import is_review_copy, orphan_warnings
from pipeline.runner import StageReport
from pipeline.sidecar import QuestionDraft, has_reviewer_comments, read_draft, review_text, write_draft
from pipeline.stages.draft.stage import assignments, render_markdown
from pipeline.stages.findings.votes import question_votes
from pipeline.stages.review.model import Reconciled
from pipeline.stages.review.report import QuestionStatus, question_status, render_rerun
from pipeline.stages.review.stage import reconcile

log = logging.getLogger(__name__)
SAVE_ATTEMPTS = 3


def _display(cfg: PipelineConfig, path: Path) -> str:
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
    return reconcile(previous, generated.model_copy(update={"edit_file": _display(cfg, path)}), last_generated)


def _save_review(path: Path, draft: QuestionDraft, record: Path) -> bool:
    """Write the review copy when its text changes, backing up the previous one; return whether it was written.

    The reviewer's `# comments` and key order in the previous copy are kept (`pipeline.sidecar.review_text`).
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
        f"{_display(cfg, path)} changed on disk during each of {SAVE_ATTEMPTS} reconciliations, so the draft stage "
        "left it as it is (nothing of it was written over); finish editing it, then rerun `consolidate draft` "
        "(or `consolidate run`)."
    )


def _bytes(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


def _sha(text: str | None) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest() if text is not None else ""


def _language_facts(paths: RunPaths, question_id: str) -> tuple[dict[str, int], list[str]]:
    """Language counts of a question's answers (ingest) and the model notice and warning (embed), if recorded."""
    stamps = {stage: paths.stage_stamp(stage) for stage in ("ingest", "embed")}
    facts = {stage: read_json(path).get("facts", {}) if path.is_file() else {} for stage, path in stamps.items()}
    languages = facts["ingest"].get("languages", {}).get(question_id, {})
    choice = facts["embed"].get("questions", {}).get(question_id, {})
    return dict(languages), [str(choice[k]) for k in ("notice", "warning") if choice.get(k)]


def step(cfg: PipelineConfig, paths: RunPaths) -> StageReport:
    """Write drafts, sidecars, reconciled review copies, rerun reports and the assignments table."""
    data = read_json(paths.findings)
    statements = read_table(paths.statements)
    respondent_of = dict(
        zip(statements["statement_id"].astype(str), statements["respondent_id"].astype(str), strict=True)
    )
    votes = question_votes(statements, read_table(paths.votes)) if paths.votes.is_file() else {}
    shown: list[QuestionDraft] = []
    facts: dict[str, dict[str, object]] = {}
    for qid, raw in data.items():
        generated = QuestionDraft.model_validate(raw)
        result, rewritten = reconcile_and_save(cfg, paths, generated)
        write_draft(paths.draft_yaml(qid), generated)
        write_atomic(paths.rerun_md(qid), render_rerun(result.report))
        languages, notes = _language_facts(paths, qid)
        markdown = render_markdown(result.draft, votes=votes.get(qid), languages=languages, notes=notes)
        write_atomic(paths.draft_md(qid), markdown)
        shown.append(result.draft)
        facts[qid] = {
            "review_copy_updated": rewritten,
            "new": len(result.report.new),
            "vanished": len(result.report.vanished),
            "changed": len(result.report.changed),
            "unapplied_edits": len(result.report.unapplied),
        }
    table = assignments(shown, respondent_of)
    write_csv(paths.assignments_csv, table)
    write_xlsx(paths.assignments_xlsx, table, "assignments")
    warnings = orphan_warnings(cfg, {d.question_id: d for d in shown}, lambda path: _display(cfg, path))
    return StageReport(facts={"drafts": len(shown), "review": facts, "warnings": warnings})


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
