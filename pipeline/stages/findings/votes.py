"""Polis votes behind findings: a finding's statements -> their comments -> agree / disagree / pass counts.

The ingest votes table (VOTE_COLUMNS) has one row per comment and group ('' = everyone, 'A', 'B', ... = opinion
groups; `passes` <NA> where the export does not say); statements carry their respondent and source row, which name
the comment. Used by the draft and report code; nothing here touches files.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

log = logging.getLogger(__name__)

Comment = tuple[str, int]  # respondent id, source row


@dataclass(frozen=True)
class Tally:
    """Votes on one or more comments; `passes` is None where the export does not say (never shown as 0)."""

    agrees: int = 0
    disagrees: int = 0
    passes: int | None = 0

    @property
    def total(self) -> int:
        """All votes known to be cast (agree and disagree only when passes are unknown)."""
        return self.agrees + self.disagrees + (self.passes or 0)

    @property
    def passes_text(self) -> str:
        """The pass count for a table cell, `–` when unknown."""
        return "–" if self.passes is None else str(self.passes)

    def __add__(self, other: Tally) -> Tally:
        passes = None if self.passes is None or other.passes is None else self.passes + other.passes
        return Tally(self.agrees + other.agrees, self.disagrees + other.disagrees, passes)

    def text(self) -> str:
        """`120 agree (71%), 40 disagree, 8 pass`; `120 agree (75%), 40 disagree; passes not recorded` (unknown)."""
        share = f" ({round(100 * self.agrees / self.total)}%)" if self.total else ""
        passes = "; passes not recorded" if self.passes is None else f", {self.passes} pass"
        return f"{self.agrees} agree{share}, {self.disagrees} disagree{passes}"


@dataclass(frozen=True)
class FindingVotes:
    """The votes on the comments behind one finding, overall and per opinion group."""

    comments: int
    total: Tally
    groups: tuple[tuple[str, Tally], ...] = ()

    def text(self) -> str:
        """One line: `Votes on its 3 comments: 120 agree (71%), ... By opinion group: A 80% agree, B 35% agree.`."""
        noun = "comment" if self.comments == 1 else "comments"
        line = f"Votes on its {self.comments} {noun}: {self.total.text()}."
        shown = [f"{g} {round(100 * t.agrees / t.total)}% agree" for g, t in self.groups if t.total]
        return line + (f" By opinion group: {', '.join(shown)}." if shown else "")


@dataclass(frozen=True)
class CommentVotes:
    """One comment with its votes (for the most-voted list)."""

    comment_id: str
    key: Comment
    text: str
    votes: Tally


class QuestionVotes:
    """The votes of one question's comments, looked up from statement ids."""

    def __init__(self, statements: pd.DataFrame, votes: pd.DataFrame) -> None:
        """Index one question's statements (`statement_id, respondent_id, answer_text, source_row`) and votes."""
        records = statements[["statement_id", "respondent_id", "source_row", "answer_text"]].to_dict(orient="records")
        self._comment: dict[str, Comment] = {
            str(r["statement_id"]): (str(r["respondent_id"]), int(r["source_row"])) for r in records
        }
        self._text = {(str(r["respondent_id"]), int(r["source_row"])): str(r["answer_text"]) for r in records}
        self._tally: dict[Comment, dict[str, Tally]] = {}
        self._ids: dict[Comment, str] = {}
        self._author: dict[Comment, str] = {}
        for rec in votes.to_dict(orient="records"):
            key = (str(rec["respondent_id"]), int(rec["source_row"]))
            tally = Tally(int(rec["agrees"]), int(rec["disagrees"]), _count(rec["passes"]))
            self._tally.setdefault(key, {})[str(rec["group"])] = tally
            self._ids[key] = str(rec["comment_id"])
            self._author[key] = str(rec.get("author_id") or rec["respondent_id"])  # older tables: the respondent

    @property
    def comments(self) -> int:
        """Comments that are answers (non-answers such as keyboard mash left out)."""
        return sum(c in self._text for c in self._tally)

    @property
    def authors(self) -> int:
        """Distinct authors of those comments (participants who wrote one or more)."""
        return len({self._author[c] for c in self._tally if c in self._text})

    def comment_of(self, statement_id: str) -> Comment | None:
        """The comment (respondent id, source row) a statement comes from."""
        return self._comment.get(statement_id)

    def for_members(self, members: Iterable[str]) -> FindingVotes | None:
        """Votes on the distinct comments of a finding's member statements; None when none has votes."""
        comments = sorted({self._comment[m] for m in members if m in self._comment} & set(self._tally))
        if not comments:
            return None
        total = sum((self._tally[c].get("", Tally()) for c in comments), Tally())
        names = sorted({g for c in comments for g in self._tally[c] if g})
        groups = tuple((g, sum((self._tally[c].get(g, Tally()) for c in comments), Tally())) for g in names)
        return FindingVotes(len(comments), total, groups)

    def for_quote(self, response_id: str, text: str, members: Iterable[str]) -> tuple[str, Tally] | None:
        """The comment id and votes of a quote (a member statement of `response_id` holding `text`)."""
        for member in sorted(members):
            comment = self._comment.get(member)
            if comment and comment[0] == response_id and text in self._text.get(comment, "") and comment in self._ids:
                return self._ids[comment], self._tally[comment].get("", Tally())
        return None

    def most_voted(self, limit: int) -> list[CommentVotes]:
        """The comments with the most votes (ties in file order)."""
        written = [c for c in self._tally if c in self._text]  # comments that are answers (not non-answers)
        ranked = sorted(written, key=lambda c: (-self._tally[c].get("", Tally()).total, c[1]))
        return [
            CommentVotes(self._ids[c], c, self._text.get(c, ""), self._tally[c].get("", Tally()))
            for c in ranked[:limit]
        ]


def _count(value: object) -> int | None:
    """A pass count from the votes table: None for <NA> (not known)."""
    return None if value is None or value is pd.NA or value != value else int(float(str(value)))


def question_votes(statements: pd.DataFrame, votes: pd.DataFrame) -> Mapping[str, QuestionVotes]:
    """Question id -> its votes, for every question the votes table names (none for non-Polis exports)."""
    out: dict[str, QuestionVotes] = {}
    if votes.empty:
        return out
    if "source_row" not in statements.columns:
        log.warning("statements have no source_row (made by an older version); rerun `consolidate embed` for votes")
        return out
    for qid, rows in votes.groupby("question_id", sort=True):
        out[str(qid)] = QuestionVotes(statements[statements["question_id"] == qid], rows)
    return out
