"""Reading and writing the review copies of one run for the browser, and rebuilding the run.

Every write is checked against the version (SHA-256 of the file's bytes) the page was built from: if the file
changed on disk since (a text editor, another browser tab, `consolidate run`), the write is refused and nothing
is lost. An edit is applied to the copy, reconciled with the run's generated findings (members, counts and ranks
recomputed, exactly as `consolidate draft` would), and written atomically with the reviewer's comments kept.
Undo puts back the file's previous bytes.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.artifacts import (
    RunPaths,
    check_no_links,
    folder_lock,
    read_table,
    review_copy,
    review_dir,
    write_atomic,
)
from pipeline.config import PipelineConfig, load_config
from pipeline.errors import PipelineError
from pipeline.review_web.edits import Edit, EditError, apply_edit
from pipeline.stages.findings import WhoSaid
from pipeline.stages.review import reconcile
from pipeline.stages.shared.sidecar import QuestionDraft
from pipeline.steps.review import parse_draft, read_draft, review_text
from pipeline.steps.who import Who, read_who


class StaleError(PipelineError):
    """The review copy changed on disk since the page was loaded; the write was refused."""


@dataclass(frozen=True)
class Loaded:
    """A review copy as read (or written) and the version a later write must name."""

    draft: QuestionDraft
    version: str


@dataclass(frozen=True)
class Statement:
    """What the page shows of one statement."""

    text: str
    respondent: str
    language: str = ""


def version_of(text: str) -> str:
    """Version of a file's text: the SHA-256 of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class ReviewStore:
    """The review copies of the run a config describes; safe to use from several request threads."""

    config_path: Path
    cfg: PipelineConfig = field(init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    _undo: dict[str, list[tuple[str, str]]] = field(default_factory=dict, init=False)
    _statements: tuple[float, dict[str, Statement]] | None = field(default=None, init=False)
    _who: tuple[tuple[float, ...], Who] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.cfg = load_config(self.config_path)

    @property
    def paths(self) -> RunPaths:
        """The run folder's file names."""
        return RunPaths(self.cfg.run_dir)

    def question_ids(self) -> list[str]:
        """Questions with a review copy, in the order of the questionnaire when it is known."""
        found = {p.stem for p in review_dir(self.cfg).glob("*.yaml")}
        order: list[str] = []
        if self.paths.questions.is_file():
            order = [str(q) for q in read_table(self.paths.questions)["question_id"]]
        return [q for q in order if q in found] + sorted(found - set(order))

    def path(self, qid: str) -> Path:
        """The review copy of a question of this run (only names listed by `question_ids` are accepted)."""
        if qid not in self.question_ids():
            raise EditError(f"There is no review copy for question {qid!r} in {review_dir(self.cfg)}.")
        return review_copy(self.cfg, qid)

    def load(self, qid: str) -> Loaded:
        """Read and validate a question's review copy."""
        path = self.path(qid)
        text = path.read_text(encoding="utf-8")
        return Loaded(parse_draft(text, path), version_of(text))

    def can_undo(self, qid: str) -> bool:
        """Whether this server wrote an edit of the question that can still be undone."""
        return bool(self._undo.get(qid))

    def edit(self, qid: str, edit: Edit, version: str) -> Loaded:
        """Apply an edit to the review copy read at `version`, reconcile, and write it atomically.

        The folder lock the draft stage also takes is held from the version check to the write, so a run that
        reconciles the copy meanwhile either sees this edit or makes this write stale (refused, nothing lost).
        """
        path = self.path(qid)
        with self._lock, folder_lock(path.parent):
            text = self._current(path, version, f"your edit ({edit.kind}) was not written")
            changed = self._reconciled(apply_edit(parse_draft(text, path), edit))
            out = review_text(changed, text)
            write_atomic(path, out)
            self._undo.setdefault(qid, []).append((text, out))
            return Loaded(changed, version_of(out))

    def undo(self, qid: str, version: str) -> Loaded:
        """Put back the review copy as it was before this server's last edit of it."""
        path = self.path(qid)
        with self._lock, folder_lock(path.parent):
            text = self._current(path, version, "nothing was undone")
            stack = self._undo.get(qid) or []
            if not stack or stack[-1][1] != text:
                self._undo.pop(qid, None)
                raise EditError("Nothing to undo: no edit of this page since the file was last changed elsewhere.")
            before, _after = stack.pop()
            write_atomic(path, before)
            return Loaded(parse_draft(before, path), version_of(before))

    def _current(self, path: Path, version: str, refused: str) -> str:
        check_no_links(path.parent)
        text = path.read_text(encoding="utf-8")
        if version_of(text) != version:
            raise StaleError(
                f"{path} changed on disk since this page was loaded (another window, a text editor or a run); "
                f"{refused}. The page now shows the file as it is: make the edit again."
            )
        return text

    def _reconciled(self, draft: QuestionDraft) -> QuestionDraft:
        """The edited copy reconciled with this run's generated sidecar (as the draft stage would)."""
        sidecar = self.paths.draft_yaml(draft.question_id)
        if not sidecar.is_file():
            return draft
        generated = read_draft(sidecar)
        return reconcile(draft, generated.model_copy(update={"edit_file": draft.edit_file}), generated).draft

    def statements(self) -> dict[str, Statement]:
        """Text, respondent and (when recorded) language of every statement of the run, by statement id."""
        path = self.paths.statements
        stamp = path.stat().st_mtime if path.is_file() else -1.0
        if self._statements is None or self._statements[0] != stamp:
            table = read_table(path) if path.is_file() else pd.DataFrame()
            self._statements = (stamp, _statement_index(table))
        return self._statements[1]

    def who(self, draft: QuestionDraft) -> WhoSaid:
        """Who said each finding of this draft (respondent groups, the linked closed question); tables cached."""
        paths = self.paths
        stamp = tuple(p.stat().st_mtime if p.is_file() else -1.0 for p in (paths.answers, paths.statements))
        if self._who is None or self._who[0] != stamp:
            self._who = (stamp, read_who(self.cfg, paths))
        return self._who[1].said(draft)

    def rebuild(self) -> dict[str, Any]:
        """Rerun findings -> draft -> report with the config as it is now; return what changed, per question."""
        from pipeline.review_web.rebuild import rebuild

        with self._lock:
            before = {q: self.path(q).read_bytes() for q in self.question_ids()}
            self.cfg = load_config(self.config_path)
            result = rebuild(self.cfg)
            for qid, data in before.items():
                if review_copy(self.cfg, qid).read_bytes() != data:
                    self._undo.pop(qid, None)
            return result


def _statement_index(table: pd.DataFrame) -> dict[str, Statement]:
    if table.empty:
        return {}
    language = table["language"].astype(str) if "language" in table else pd.Series([""] * len(table))
    return {
        str(sid): Statement(str(text), str(rid), "" if lang in ("None", "nan") else lang)
        for sid, text, rid, lang in zip(
            table["statement_id"], table["text"], table["respondent_id"], language, strict=True
        )
    }
