"""Reading and writing the review copies of one run for the browser, and rebuilding the run.

Every write is checked against the version (SHA-256 of the file's bytes) the page was built from: if the file
changed on disk since (a text editor, another browser tab, `consolidate run`), the write is refused and nothing
is lost. An edit is applied to the copy, reconciled with the run's generated findings (members, counts and ranks
recomputed, exactly as `consolidate draft` would), and written atomically with the reviewer's comments kept.
Undo puts back the file's previous bytes.
"""

from __future__ import annotations

import hashlib
import re
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
from pipeline.stages.shared.sidecar import QuestionDraft, Quote
from pipeline.stages.shared.units import Unit, question_units
from pipeline.steps.review import parse_draft, read_draft, review_text
from pipeline.steps.who import Who, read_who

SAME_MEMBERS = frozenset(
    {"title", "summary", "note", "status", "quote", "unquote", "quote_up", "quote_down", "quotes_reset", "quotes_set"}
)


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
    _parsed: dict[str, Loaded] = field(default_factory=dict, init=False)  # last read or written, by question
    _generated: dict[str, tuple[tuple[int, int], QuestionDraft]] = field(default_factory=dict, init=False)
    _rows: dict[str, tuple[str, list[Row]]] = field(default_factory=dict, init=False)
    _natural: tuple[dict[str, Statement], dict[str, int]] | None = field(default=None, init=False)

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
        """Read and validate a question's review copy (parsed again only when its bytes changed)."""
        path = self.path(qid)
        text = path.read_text(encoding="utf-8")
        return self._parse(qid, text, path)

    def _parse(self, qid: str, text: str, path: Path) -> Loaded:
        version = version_of(text)
        cached = self._parsed.get(qid)
        if cached is None or cached.version != version:
            cached = Loaded(parse_draft(text, path), version)
            self._parsed[qid] = cached
        return cached

    def rows(self, qid: str, loaded: Loaded) -> list[Row]:
        """Every statement of a question as the search lists it (cached per version of the review copy)."""
        cached = self._rows.get(qid)
        if cached is None or cached[0] != loaded.version:
            cached = (loaded.version, statement_rows_of(loaded.draft, self.statements(), self._order()))
            self._rows[qid] = cached
        return cached[1]

    def _order(self) -> dict[str, int]:
        """Position of every statement id of the run in natural order (numbers as numbers), computed once."""
        table = self.statements()
        if self._natural is None or self._natural[0] is not table:
            ordered = sorted(table, key=natural_key)
            self._natural = (table, {sid: i for i, sid in enumerate(ordered)})
        return self._natural[1]

    def unit(self, qid: str) -> Unit:
        """What a question's counts count (`questions.unit`): `respondent`, or `comment` in a Polis conversation."""
        if not self.paths.questions.is_file():
            return "respondent"
        return question_units(read_table(self.paths.questions)).get(qid, "respondent")

    def languages(self, qid: str, loaded: Loaded) -> list[str]:
        """The languages of a question's statements (for the search filter)."""
        return sorted({r.language for r in self.rows(qid, loaded) if r.language})

    def quote_of(self, sid: str) -> Quote:
        """The verbatim quote a statement gives (its text, respondent and language)."""
        known = self.statements().get(sid)
        if known is None:
            raise EditError(f"There is no statement {sid!r} in this run's statements table; reload the page.")
        return Quote(response_id=known.respondent, text=known.text, language=known.language or None)

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
            changed = apply_edit(self._parse(qid, text, path).draft, edit, self.quote_of)
            if edit.kind not in SAME_MEMBERS:  # counts, members and ranks change: reconcile as `consolidate run` would
                changed = self._reconciled(changed)
            out = review_text(changed, text)
            write_atomic(path, out)
            self._undo.setdefault(qid, []).append((text, out))
            self._parsed[qid] = Loaded(changed, version_of(out))
            return self._parsed[qid]

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
            return self._parse(qid, before, path)

    def _current(self, path: Path, version: str, refused: str) -> str:
        check_no_links(path.parent)
        text = path.read_text(encoding="utf-8")
        if version_of(text) != version:
            raise StaleError(
                f"{path} changed on disk since this page was loaded (another window, a text editor or a run); "
                f"{refused}. The page now shows the file as it is: make the edit again."
            )
        return text

    def generated(self, qid: str) -> QuestionDraft | None:
        """This run's generated sidecar of a question (read again only when the file changed), None without one."""
        sidecar = self.paths.draft_yaml(qid)
        if not sidecar.is_file():
            return None
        stat = sidecar.stat()
        cached = self._generated.get(qid)
        if cached is None or cached[0] != (stat.st_mtime_ns, stat.st_size):
            cached = ((stat.st_mtime_ns, stat.st_size), read_draft(sidecar))
            self._generated[qid] = cached
        return cached[1]

    def warm(self, qid: str) -> None:
        """Read what an edit needs (the generated sidecar, the reconciliation's modules), so the first edit is quick."""
        loaded = self.load(qid)
        self._reconciled(loaded.draft)

    def _reconciled(self, draft: QuestionDraft) -> QuestionDraft:
        """The edited copy reconciled with this run's generated sidecar (as the draft stage would)."""
        generated = self.generated(draft.question_id)
        if generated is None:
            return draft
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


@dataclass(frozen=True)
class Row:
    """One statement of a question as the search sees it: where it is (a finding's id, "" not grouped)."""

    id: str
    finding: str
    text: str
    respondent: str
    language: str
    folded: str  # text, lower-cased, for search


def natural_key(sid: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key of a statement id that orders its numbers as numbers (`2:q:1` before `10:q:1`)."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in _PARTS.findall(sid))


_PARTS = re.compile(r"\d+|\D+")


def statement_rows_of(draft: QuestionDraft, statements: dict[str, Statement], order: dict[str, int]) -> list[Row]:
    """Every statement of a question (findings' members, then the not-grouped), each list in natural order.

    `order` gives each statement id's position in natural order (`natural_key`); ids it lacks come last.
    """
    out: list[Row] = []
    missing = Statement("(statement not found in this run's statements table)", "")
    last = len(order)
    for fid, ids in [*((f.id, f.members) for f in draft.findings), ("", draft.not_grouped_members)]:
        for sid in sorted(ids, key=lambda s: (order.get(s, last), natural_key(s) if s not in order else ())):
            known = statements.get(sid, missing)
            respondent = known.respondent or sid.rsplit(":", 2)[0]
            out.append(Row(sid, fid, known.text, respondent, known.language, known.text.casefold()))
    return out


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
