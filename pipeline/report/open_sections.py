"""Report sections of open questions: the reviewed (or generated) findings, rejected ones left out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pipeline.report.model import Block, FindingItem, FindingList, Section, clean_text, para, plural
from pipeline.sidecar import Finding, QuestionDraft

DraftSource = Literal["review", "generated"]


@dataclass(frozen=True)
class LoadedDraft:
    """A question's draft and where it came from (the reviewer's copy or the generated sidecar)."""

    draft: QuestionDraft
    source: DraftSource


def shown_findings(draft: QuestionDraft) -> list[Finding]:
    """The findings the report shows: the top ones minus those rejected in review (as the draft page shows)."""
    return [f for f in draft.top if f.status != "rejected"]


def open_section(question_id: str, question_text: str, loaded: LoadedDraft | None) -> Section:
    """The section of one open question: heading with "(Top N findings)", base line and finding list.

    Args:
        question_id: the open question's id.
        question_text: its text as asked.
        loaded: its draft, or None when the draft stage has not produced one.

    Returns:
        A level-3 section anchored at `q-<question id>`; a question without a draft says so instead of failing.
    """
    anchor = f"q-{question_id}"
    if loaded is None:
        note = para("No findings draft exists for this question yet; run the draft stage, then the report again.")
        return Section(title=clean_text(question_text), level=3, anchor=anchor, blocks=(note,))
    draft = loaded.draft
    findings = shown_findings(draft)
    title = f"{question_text} (Top {len(findings)} findings)" if findings else question_text
    blocks: list[Block] = [_base_paragraph(draft)]
    if findings:
        blocks.append(FindingList(items=tuple(_item(f) for f in findings)))
    else:
        blocks.append(para(_no_findings(draft)))
    return Section(title=clean_text(title), level=3, anchor=anchor, blocks=tuple(blocks))


def _item(finding: Finding) -> FindingItem:
    return FindingItem(
        title=clean_text(finding.title.strip().rstrip(":").strip()),
        summary=clean_text(finding.summary.strip()),
        n_respondents=finding.n_respondents,
        pct=finding.pct,
        draft=finding.status == "draft",
    )


def _base_paragraph(draft: QuestionDraft) -> Block:
    line = f"{plural(draft.answered, 'respondent')} answered; {plural(draft.non_answers, 'non-answer')}"
    line += f"; {draft.not_grouped} not grouped into any finding." if draft.answered else "."
    return para(line, muted=True)


def _no_findings(draft: QuestionDraft) -> str:
    if draft.answered == 0:
        return "No one answered this question."
    if draft.findings:
        return "All findings of this question were rejected in review; none are shown."
    return "The answers did not form groups of similar statements, so no findings are reported."
