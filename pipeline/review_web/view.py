"""What the question page shows, built from a review copy and the run's statements (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.messages import Messages
from pipeline.review_web.store import Statement
from pipeline.stages.findings import WhoSaid
from pipeline.stages.shared.sidecar import Finding, MergeHint, QuestionDraft, SubPoint


@dataclass(frozen=True)
class StatementRow:
    """One statement: id, text, respondent, language, and whether a reviewer pinned it where it is shown."""

    id: str
    text: str
    respondent: str
    language: str
    pinned: bool = False


@dataclass(frozen=True)
class HintRow:
    """A suggested merge with the titles of both findings."""

    hint: MergeHint
    finding_title: str
    into_title: str


@dataclass(frozen=True)
class SubPointRow:
    """A sub-point of a finding and whether the reviewer asked to split it out."""

    subpoint: SubPoint
    split_out: bool


@dataclass(frozen=True)
class FindingRow:
    """A finding as shown: its statements, the findings merged into it, its sub-points and merge hints."""

    finding: Finding
    top: bool
    statements: list[StatementRow]
    merged_in: list[Finding]
    subpoints: list[SubPointRow]
    hints: list[HintRow]
    who: list[str] = field(default_factory=list)  # linked closed answer, respondents per group (▲ / ▼ flagged)


@dataclass(frozen=True)
class QuestionPage:
    """Everything the question page renders."""

    draft: QuestionDraft
    findings: list[FindingRow]
    not_grouped: list[StatementRow]
    hints: list[HintRow]
    choices: list[tuple[str, str]]
    has_language: bool
    linked_lead: str = ""
    campaigns: list[FindingRow] = field(default_factory=list)  # one text sent by many, apart from the findings


def statement_rows(ids: list[str], statements: dict[str, Statement], pinned: list[str]) -> list[StatementRow]:
    """Rows of the given statement ids (text unknown when the run has no such statement)."""
    rows = []
    for sid in ids:
        known = statements.get(sid, Statement("(statement not found in this run's statements table)", ""))
        respondent = known.respondent or sid.rsplit(":", 2)[0]
        rows.append(StatementRow(sid, known.text, respondent, known.language, sid in pinned))
    return rows


def who_lines(finding: Finding, who: WhoSaid | None) -> list[str]:
    """How a finding's respondents answered the linked closed question, then who they are per attribute."""
    if who is None:
        return []
    found = [who.language_line(finding), who.linked_line(finding, Messages("en"))]
    return [line for line in found if line] + who.group_lines(finding)


def question_page(draft: QuestionDraft, statements: dict[str, Statement], who: WhoSaid | None = None) -> QuestionPage:
    """The page of one question: findings in rank order with their statements, then the not-grouped rest."""
    titles = {f.id: f.title for f in (*draft.findings, *draft.merged, *draft.vanished)}
    hints = [
        HintRow(h, titles.get(h.finding, h.finding), titles.get(h.into, h.into))
        for h in draft.suggested_merges
        if h.finding in titles and h.into in titles
    ]
    top = {f.id for f in draft.top}
    rows = [
        FindingRow(
            finding=f,
            top=f.id in top,
            statements=statement_rows(f.members, statements, f.pinned),
            merged_in=[m for m in draft.merged if m.merge_into == f.id],
            subpoints=[SubPointRow(p, p.id in f.split_out) for p in f.subpoints],
            hints=[h for h in hints if h.hint.finding == f.id],
            who=who_lines(f, who),
        )
        for f in draft.findings
    ]
    return QuestionPage(
        draft=draft,
        findings=[row for row in rows if not row.finding.campaign],
        campaigns=[row for row in rows if row.finding.campaign],
        not_grouped=statement_rows(draft.not_grouped_members, statements, []),
        hints=hints,
        choices=[(f.id, f"#{f.rank} {f.title}") for f in draft.findings],
        has_language=any(s.language for s in statements.values()),
        linked_lead=(who.linked_lead(Messages("en")) or "") if who else "",
    )
