"""Report sections of open questions: the reviewed (or generated) findings, rejected ones left out.

Each finding shows one short verbatim quote with its response id (the first of its quotes that fits in
QUOTE_CHARS, else the shortest cut at a word), and, for Polis conversations, the votes on its comments; the
question ends with its most-voted comments.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pipeline.report.model import Block, FindingItem, FindingList, Section, Table, clean_text, para, plural
from pipeline.sidecar import Finding, QuestionDraft, Quote
from pipeline.stages.votes import QuestionVotes

DraftSource = Literal["review", "generated"]
QUOTE_CHARS = 200
MOST_VOTED = 10


@dataclass(frozen=True)
class LoadedDraft:
    """A question's draft and where it came from (the reviewer's copy or the generated sidecar)."""

    draft: QuestionDraft
    source: DraftSource


def shown_findings(draft: QuestionDraft) -> list[Finding]:
    """The findings the report shows: the top ones minus those rejected in review (as the draft page shows)."""
    return [f for f in draft.top if f.status != "rejected"]


def open_section(
    question_id: str, question_text: str, loaded: LoadedDraft | None, votes: QuestionVotes | None = None
) -> Section:
    """The section of one open question: heading with "(Top N findings)", base line and finding list.

    Args:
        question_id: the open question's id.
        question_text: its text as asked.
        loaded: its draft, or None when the draft stage has not produced one.
        votes: Polis votes of its comments, else None.

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
        blocks.append(FindingList(items=tuple(_item(f, votes) for f in findings)))
    else:
        blocks.append(para(_no_findings(draft)))
    if votes is not None:
        blocks += _most_voted(votes, draft)
    return Section(title=clean_text(title), level=3, anchor=anchor, blocks=tuple(blocks))


def _item(finding: Finding, votes: QuestionVotes | None) -> FindingItem:
    quote = short_quote(finding.quotes)
    source = None
    if quote is not None:
        source = f"response {quote.response_id}"
        found = votes.for_quote(quote.response_id, quote.text, finding.members) if votes else None
        source += f"; comment {found[0]}: {found[1].text()}" if found else ""
    tally = votes.for_members(finding.members) if votes else None
    return FindingItem(
        title=clean_text(finding.title.strip().rstrip(":").strip()),
        summary=clean_text(finding.summary.strip()),
        n_respondents=finding.n_respondents,
        pct=finding.pct,
        draft=finding.status == "draft",
        quote=clean_text(_shortened(quote.text)) if quote else None,
        quote_source=clean_text(source) if source else None,
        votes=clean_text(tally.text()) if tally else None,
    )


def short_quote(quotes: list[Quote]) -> Quote | None:
    """The quote a report shows: the first that fits in QUOTE_CHARS, else the shortest; None without quotes."""
    if not quotes:
        return None
    fitting = [q for q in quotes if len(" ".join(q.text.split())) <= QUOTE_CHARS]
    return fitting[0] if fitting else min(quotes, key=lambda q: len(q.text))


def _shortened(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) <= QUOTE_CHARS:
        return flat
    cut = flat[: QUOTE_CHARS - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–—")
    return cut + "…"


def _most_voted(votes: QuestionVotes, draft: QuestionDraft) -> list[Block]:
    """The most-voted comments with their votes and the finding each belongs to."""
    comments = votes.most_voted(MOST_VOTED)
    if not comments:
        return []
    kept = [f for f in draft.findings if f.status != "rejected"]
    finding_of = {votes.comment_of(m): f.title for f in reversed(kept) for m in f.members}
    rows = tuple(
        (
            clean_text(_shortened(c.text)),
            clean_text(finding_of.get(c.key, "–")),
            str(c.votes.agrees),
            str(c.votes.disagrees),
            str(c.votes.passes),
        )
        for c in comments
    )
    lead = para(f"The {plural(len(comments), 'comment')} with the most votes:", muted=True)
    table = Table(header=("Comment", "Finding", "Agree", "Disagree", "Pass"), rows=rows, numeric=(2, 3, 4))
    return [lead, table]


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
