"""Who said each finding, read from a run's tables: respondent groups and linked closed questions per open question.

Used by the findings, draft and report steps and by the review page (`pipeline.stages.findings.breakdowns`,
`pipeline.stages.findings.linked`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from pipeline.artifacts import FINDING_BREAKDOWN_COLUMNS, RunPaths, read_table
from pipeline.config import PipelineConfig
from pipeline.stages.closed import closed_config
from pipeline.stages.embed import open_question_ids
from pipeline.stages.findings import (
    LinkedQuestion,
    QuestionGroups,
    WhoSaid,
    breakdown_table,
    linked_questions,
    question_groups,
)
from pipeline.stages.shared.sidecar import QuestionDraft


@dataclass(frozen=True, eq=False)
class Who:
    """Per open question: its respondents' groups (absent without attributes) and the closed question it explains."""

    groups: dict[str, QuestionGroups] = field(default_factory=dict)
    linked: dict[str, LinkedQuestion] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # attribute (meta question id) -> its text
    language_of: dict[str, str] = field(default_factory=dict)  # statement id -> its language

    def table(self, drafts: list[QuestionDraft]) -> pd.DataFrame:
        """FINDING_BREAKDOWN_COLUMNS of these drafts (questions without groups add no rows)."""
        frames = [breakdown_table(d, self.groups[d.question_id]) for d in drafts if d.question_id in self.groups]
        kept = [f for f in frames if not f.empty]
        return pd.concat(kept, ignore_index=True) if kept else pd.DataFrame(columns=FINDING_BREAKDOWN_COLUMNS)

    def said(self, draft: QuestionDraft) -> WhoSaid:
        """Who said each finding of this draft (as its membership stands)."""
        groups = self.groups.get(draft.question_id)
        linked = self.linked.get(draft.question_id)
        if groups is None:
            return WhoSaid(labels=self.labels, linked=linked, language_of=self.language_of)
        table = breakdown_table(draft, groups)
        return WhoSaid(table, self.labels, linked, groups.q_max, groups.min_group, self.language_of)


def read_who(cfg: PipelineConfig, paths: RunPaths) -> Who:
    """The groups and linked questions of a run (empty before ingest and embed wrote their tables)."""
    needed = (paths.questions, paths.answers, paths.respondents, paths.statements)
    if not all(p.is_file() for p in needed):
        return Who()
    questions = read_table(paths.questions)
    answers = read_table(paths.answers)
    statements = read_table(paths.statements, ["statement_id", "respondent_id", "question_id", "language"])
    respondents = read_table(paths.respondents)
    open_ids = open_question_ids(questions)
    known = {q.id for q in cfg.questions}
    groups = question_groups(
        answers,
        statements,
        respondents,
        lambda q: cfg.for_question(q, "findings") if q in known else cfg.findings,
        open_ids,
    )
    explains = {q.id: q.explains for q in cfg.questions if q.explains and q.id in open_ids}
    linked = linked_questions(questions, answers, statements, explains, lambda q: closed_config(cfg, q))
    labels = dict(zip(questions["question_id"].astype(str), questions["text"].astype(str), strict=True))
    language_of = (
        dict(zip(statements["statement_id"].astype(str), statements["language"].astype(str), strict=True))
        if "language" in statements
        else {}
    )
    return Who(groups, linked, labels, language_of)
