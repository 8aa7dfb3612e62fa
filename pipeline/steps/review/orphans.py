"""Review copies that no question of the run reads: orphans left by a renamed question id or config, stray files.

Renaming a question's id (or the config file, which names the run and so its review folder) starts a fresh review
copy; the old one, with the reviewer's accepted and rejected findings, is no longer read, and a rejected finding
would come back into the report as a draft without a word. The draft stage therefore warns (console, manifest,
the report's annex) about:

- a review copy in the run's review folder whose question this config no longer has;
- a question whose review copy holds no edit while a copy of the same question (same id or same question text)
  in another run's review folder holds some.

Files of the review folder that are not review copies at all (notes, another tool's YAML) are left alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path

import yaml

from pipeline.artifacts import review_copy, review_dir
from pipeline.config import PipelineConfig
from pipeline.errors import PipelineError
from pipeline.stages.review import edits_of
from pipeline.stages.shared.sidecar import QuestionDraft
from pipeline.steps.review.sidecar import read_draft
from pipeline.yamlsafe import load_yaml


def read_copy(path: Path) -> QuestionDraft | None:
    """A review copy as read, or None when the file is not one (unreadable, another schema)."""
    try:
        return read_draft(path)
    except (PipelineError, OSError):
        return None


def is_review_copy(path: Path) -> bool:
    """Whether a YAML file of a review folder is meant as a review copy (a mapping naming its `question_id`).

    A file that cannot be read as UTF-8 YAML counts as one (a damaged copy: reading it says what to fix); notes or
    another tool's YAML kept in the folder do not.
    """
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError):
        return True
    return isinstance(data, dict) and "question_id" in data


def describe_edits(draft: QuestionDraft) -> str:
    """The reviewer edits a copy holds, counted by kind ('1 rejected, 2 title'), or '' when it holds none."""
    kinds = Counter(
        edit.target if edit.kind == "status" else edit.kind
        for finding in (*draft.findings, *draft.merged, *draft.vanished)
        for edit in edits_of(finding)
    )
    return ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))


def orphan_warnings(
    cfg: PipelineConfig, drafts: Mapping[str, QuestionDraft], shown: Callable[[Path], str]
) -> list[str]:
    """Warnings about review copies this run does not read although they hold the reviewer's edits.

    Args:
        cfg: The config (review folder, run name).
        drafts: This run's open questions: id -> the review copy as the draft stage left it.
        shown: How to show a path in a warning (relative to the project when possible).
    """
    folder = review_dir(cfg)
    out: list[str] = []
    for path in sorted(folder.glob("*.yaml")):
        draft = read_copy(path) if path.stem not in drafts else None
        if draft is not None and (edits := describe_edits(draft)):
            out.append(
                f"{shown(path)} is the review copy of question {draft.question_id!r}, which this config no longer "
                f"has (renamed or removed?): its edits ({edits}) are not applied. Statement ids carry the question "
                f"id: give the question its id {draft.question_id!r} back to keep them, or delete the file"
            )
    unedited = {qid: draft for qid, draft in drafts.items() if not describe_edits(draft)}
    elsewhere = _reviewed_elsewhere(folder) if unedited else []
    for qid, draft in unedited.items():
        for path, other, edits in elsewhere:
            if other.question_id != qid and other.question_text != draft.question_text:
                continue
            out.append(
                f"{qid}: {shown(review_copy(cfg, qid))} holds no edit, but the review copy {shown(path)} of run "
                f"{path.parent.name!r} reviews the same question and holds edits ({edits}) that are not applied "
                f"here; if the config or the question was renamed, set run.name: {path.parent.name} and the "
                f"question's id: {other.question_id} back to keep them (this warning stops once this copy holds an "
                "edit)"
            )
    return out


def _reviewed_elsewhere(folder: Path) -> list[tuple[Path, QuestionDraft, str]]:
    """Review copies holding edits in the other run folders of the review root."""
    found: list[tuple[Path, QuestionDraft, str]] = []
    for path in sorted(folder.parent.glob("*/*.yaml")):
        if path.parent == folder:
            continue
        other = read_copy(path)
        edits = describe_edits(other) if other is not None else ""
        if other is not None and edits:
            found.append((path, other, edits))
    return found
