"""What the question page shows, built from a review copy and the run's statements (pure).

The page carries no statement lists: a finding's statements, the not-grouped ones and search results are pages of
`SEARCH_PAGE` rows fetched on demand (`search`), so the page stays light at any size. Each finding carries a
signature of everything it shows, so that after an edit the page swaps only the findings that changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from pipeline.messages import Messages
from pipeline.review_web.store import Row
from pipeline.stages.findings import WhoSaid
from pipeline.stages.report import printed_quotes
from pipeline.stages.shared.sidecar import Finding, MergeHint, QuestionDraft, Quote, SubPoint
from pipeline.stages.shared.units import Unit

SEARCH_PAGE = 50
NOT_GROUPED = "-"


@dataclass(frozen=True)
class HintRow:
    """A suggested merge with the titles of both findings."""

    hint: MergeHint
    finding_title: str
    into_title: str


@dataclass(frozen=True)
class SubPointRow:
    """A sub-point of a finding, whether the reviewer split it out, and the finding the split made (rank, title)."""

    subpoint: SubPoint
    split_out: bool
    made: Finding | None = None


@dataclass(frozen=True)
class QuoteRow:
    """A quote of a finding, its position, and whether the report prints it."""

    quote: Quote
    position: int
    printed: bool
    member: bool


@dataclass(frozen=True)
class FindingRow:
    """A finding as shown: findings merged into it, sub-points, merge hints, quotes, and its signature."""

    finding: Finding
    top: bool
    merged_in: list[Finding]
    subpoints: list[SubPointRow]
    hints: list[HintRow]
    quotes: list[QuoteRow]
    who: list[str] = field(default_factory=list)  # linked closed answer, respondents per group (▲ / ▼ flagged)
    same_title: int | None = None  # rank of another finding with the same title
    merge_target: str = ""  # title of the finding a merge that could not be applied names
    sig: str = ""


@dataclass(frozen=True)
class QuestionPage:
    """Everything the question page renders (statements excepted: see `search`)."""

    draft: QuestionDraft
    findings: list[FindingRow]
    hints: list[HintRow]
    choices: list[tuple[str, str]]
    languages: list[str]
    campaigns: list[FindingRow] = field(default_factory=list)  # one text sent by many, apart from the findings
    unit: Unit = "respondent"  # what the counts count: `comment` in a Polis conversation (`questions.unit`)


@dataclass(frozen=True)
class Results:
    """One page of statements matching a search, with the titles of the findings they are in."""

    rows: list[Row]
    total: int
    page: int
    pages: int
    first: int
    titles: dict[str, str]
    quoted: dict[str, set[tuple[str, str]]]  # finding id -> its quotes (respondent, text)


def who_lines(finding: Finding, who: WhoSaid | None) -> list[str]:
    """How a finding's respondents answered the linked closed question, then who they are per attribute."""
    if who is None:
        return []
    found = [who.language_line(finding), who.linked_line(finding, Messages("en"))]
    return [line for line in found if line] + who.group_lines(finding)


def _quotes(finding: Finding) -> list[QuoteRow]:
    printed = {(q.response_id, q.text) for q in printed_quotes(finding)}
    respondents = {s.rsplit(":", 2)[0] for s in finding.members}
    return [
        QuoteRow(q, i, (q.response_id, q.text) in printed, q.response_id in respondents)
        for i, q in enumerate(finding.quotes)
    ]


def _signature(row: FindingRow, top_n: int) -> str:
    """A digest of everything a finding's block shows (its statement list included, through its members)."""
    f = row.finding
    shown = (
        f.title,
        f.summary,
        f.status,
        f.note,
        f.merge_into,
        f.rank,
        f.n_respondents,
        f.pct,
        f.cohesion,
        f.mixed,
        f.changed,
        f.split_out,
        f.campaign,
        f.generated is None,
        [(q.response_id, q.text, q.language) for q in f.quotes],
        [
            (
                p.subpoint.id,
                p.subpoint.title,
                p.subpoint.n_respondents,
                p.split_out,
                p.made and (p.made.rank, p.made.title),
            )
            for p in row.subpoints
        ],
        [(h.hint.into, h.into_title, h.hint.similarity) for h in row.hints],
        [(m.id, m.title) for m in row.merged_in],
        row.top,
        row.who,
        row.same_title,
        row.merge_target,
        top_n,
        row.quotes,
    )
    digest = hashlib.sha1(repr(shown).encode("utf-8"))
    digest.update("\n".join(f.members).encode("utf-8"))
    return digest.hexdigest()[:16]


WhoLines = Callable[[Finding], list[str]]


def question_page(
    draft: QuestionDraft, languages: list[str] | None = None, who: WhoLines | None = None, unit: Unit = "respondent"
) -> QuestionPage:
    """The page of one question: findings in rank order (statements are fetched on demand).

    Args:
        draft: the review copy.
        languages: the languages of its statements (the search filter).
        who: the lines saying who said a finding (`who_lines`), else None.
        unit: what the question's counts count (`questions.unit`): respondents, or comments (Polis).
    """
    every = (*draft.findings, *draft.merged, *draft.vanished)
    titles = {f.id: f.title for f in every}
    by_id = {f.id: f for f in draft.findings}
    hints = [
        HintRow(h, titles.get(h.finding, h.finding), titles.get(h.into, h.into))
        for h in draft.suggested_merges
        if h.finding in titles and h.into in titles
    ]
    folded: dict[str, list[Finding]] = {}
    for f in draft.findings:
        folded.setdefault(f.title.casefold(), []).append(f)
    top = {f.id for f in draft.top}
    rows = []
    for f in draft.findings:
        same = next((o.rank for o in folded[f.title.casefold()] if o.id != f.id), None)
        row = FindingRow(
            finding=f,
            top=f.id in top,
            merged_in=[m for m in draft.merged if m.merge_into == f.id],
            subpoints=[SubPointRow(p, p.id in f.split_out, by_id.get(p.id)) for p in f.subpoints],
            hints=[h for h in hints if h.hint.finding == f.id],
            quotes=_quotes(f),
            who=who(f) if who else [],
            same_title=same,
            merge_target=titles.get(f.merge_into, f.merge_into) if f.merge_into else "",
        )
        rows.append(replace(row, sig=_signature(row, draft.top_n)))
    return QuestionPage(
        draft=draft,
        findings=[row for row in rows if not row.finding.campaign],
        campaigns=[row for row in rows if row.finding.campaign],
        hints=hints,
        choices=[(f.id, f"#{f.rank} {f.title}") for f in draft.findings],
        languages=sorted({lang for lang in (languages or []) if lang}),
        unit=unit,
    )


def search(
    draft: QuestionDraft, rows: list[Row], text: str = "", language: str = "", finding: str = "", page: int = 1
) -> Results:
    """One page of the question's statements matching every filter given.

    Args:
        draft: the review copy (for the findings' titles and quotes).
        rows: every statement of the question (`ReviewStore.rows`).
        text: words the statement holds (case-insensitive), or a response or statement id (exact).
        language: the statement's language code.
        finding: a finding's id, NOT_GROUPED for the not-grouped statements, '' for all.
        page: page number from 1 (pages of SEARCH_PAGE rows; past the last gives the last).
    """
    needle = " ".join(text.split()).casefold()
    found = [
        r
        for r in rows
        if (not finding or r.finding == ("" if finding == NOT_GROUPED else finding))
        and (not language or r.language == language)
        and (not needle or needle in r.folded or needle == r.respondent.casefold() or needle == r.id.casefold())
    ]
    pages = max(1, -(-len(found) // SEARCH_PAGE))
    page = min(max(1, page), pages)
    first = (page - 1) * SEARCH_PAGE
    return Results(
        rows=found[first : first + SEARCH_PAGE],
        total=len(found),
        page=page,
        pages=pages,
        first=first + 1,
        titles={f.id: f"#{f.rank} {f.title}" for f in draft.findings},
        quoted={f.id: {(q.response_id, q.text) for q in f.quotes} for f in draft.findings},
    )
