"""Report sections of open questions: the reviewed (or generated) findings, rejected ones left out, and campaigns.

A question's campaigns (one text sent by many) follow its findings, each summarised once. Each finding shows one
short verbatim quote with its response id (the first of its quotes that fits in QUOTE_CHARS, else the shortest cut
at a word); when a reviewer chose its quotes, every chosen quote of a respondent still in the finding, in the
reviewer's order (each cut at a word past QUOTE_CHARS). For Polis conversations (`unit` `comment`) every count is of
comments ("13 comments (26.0%)", "50 comments submitted"), each quote names its comment and its votes, each finding
also shows the votes on its comments, and the question ends with its most-voted comments.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from pipeline.messages import Messages
from pipeline.stages.findings import MARKS, NOT_STATED, QuestionVotes, WhoSaid, flagged
from pipeline.stages.report.model import (
    Block,
    BulletList,
    FindingItem,
    FindingList,
    Run,
    Section,
    Table,
    clean_text,
    para,
)
from pipeline.stages.shared.sidecar import Finding, QuestionDraft, Quote
from pipeline.stages.shared.units import Unit

DraftSource = Literal["review", "generated"]
NOUNS: dict[str, str] = {"respondent": "n.respondent", "comment": "n.comment"}  # the counted noun of each unit
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
    question_id: str,
    question_text: str,
    loaded: LoadedDraft | None,
    votes: QuestionVotes | None = None,
    msgs: Messages | None = None,
    who: WhoSaid | None = None,
    mark_drafts: bool = True,
    unit: Unit = "respondent",
) -> Section:
    """The section of one open question: heading with "(Top N findings)", base line and finding list.

    Args:
        question_id: the open question's id.
        question_text: its text as asked.
        loaded: its draft, or None when the draft stage has not produced one.
        votes: Polis votes of its comments, else None.
        msgs: the report's words (`report.language`); English by default.
        who: who said each finding (groups table and flagged groups after the list, the linked closed answer under
            each finding), else None.
        mark_drafts: say which findings are unreviewed drafts (False when the report says once that all are):
            once under the list when all of the question's are, else on each draft finding.
        unit: what one response is (`questions.unit`): `comment` in a Polis conversation, whose counts then say
            comments.

    Returns:
        A level-3 section anchored at `q-<question id>`; a question without a draft says so instead of failing.
    """
    msgs = msgs or Messages()
    anchor = f"q-{question_id}"
    if loaded is None:
        note = para(msgs("open.no_draft"))
        return Section(title=clean_text(question_text), level=3, anchor=anchor, blocks=(note,))
    draft = loaded.draft
    findings = shown_findings(draft)
    title = msgs("h.top_findings", question=question_text, n=len(findings)) if findings else question_text
    blocks: list[Block] = [_base_paragraph(draft, msgs, unit)]
    lead = who.linked_lead(msgs) if who and findings else None
    blocks += [para(lead, muted=True)] if lead else []
    if findings:
        all_drafts = all(f.status == "draft" for f in findings)
        each = mark_drafts and not all_drafts
        blocks.append(FindingList(items=tuple(_item(f, votes, msgs, who, each, unit) for f in findings)))
        if mark_drafts and all_drafts:
            blocks.append(para(msgs("open.draft_note"), muted=True))
        blocks += _group_blocks(findings, who, msgs)
    else:
        blocks.append(para(_no_findings(draft, msgs)))
    blocks += campaign_blocks(draft, votes, msgs, unit)
    if votes is not None:
        blocks += _most_voted(votes, draft, msgs)
    return Section(title=clean_text(title), level=3, anchor=anchor, blocks=tuple(blocks))


def shown_campaigns(draft: QuestionDraft) -> list[Finding]:
    """The campaigns the report shows (rejected ones left out, as for findings)."""
    return [f for f in draft.campaigns if f.status != "rejected"]


def campaign_blocks(
    draft: QuestionDraft, votes: QuestionVotes | None, msgs: Messages, unit: Unit = "respondent"
) -> list[Block]:
    """The question's Campaigns part: a bold heading, the campaigns' line and each campaign summarised once.

    The line says how many campaigns and respondents, their share of the question's respondents, and that the
    findings are the other respondents' with every percentage of all who answered ("3 campaigns, 412,310
    respondents (41.0%): ...").
    """
    shown = shown_campaigns(draft)
    if not shown:
        return []
    people = draft.campaign_respondents
    line = msgs(
        "campaigns.line",
        campaigns=msgs.count("n.campaign", len(shown)),
        respondents=msgs.count(NOUNS[unit], people).replace(str(people), msgs.number(f"{people:,}"), 1),
        pct=msgs.pct(people / draft.answered if draft.answered else None),
        answered=msgs.number(f"{draft.answered:,}"),
    )
    heading = para(Run(msgs("campaigns.heading"), bold=True))
    items = tuple(_item(f, votes, msgs, None, False, unit) for f in shown)
    return [heading, para(clean_text(line), muted=True), FindingList(items=items)]


def _item(
    finding: Finding,
    votes: QuestionVotes | None,
    msgs: Messages,
    who: WhoSaid | None,
    mark_draft: bool,
    unit: Unit = "respondent",
) -> FindingItem:
    chosen = printed_quotes(finding)
    quote = chosen[0] if chosen else None
    source = msgs.isolate(_source(quote, finding, votes, msgs, unit)) if quote is not None else None
    more = tuple(
        f"“{clean_text(_shortened(q.text))}” ({msgs.isolate(clean_text(_source(q, finding, votes, msgs, unit)))})"
        for q in chosen[1:]
    )
    tally = votes.for_members(finding.members) if votes else None
    linked = who.linked_line(finding, msgs) if who else None
    details = tuple(clean_text(line) for line in (tally.text() if tally else None, linked) if line)
    count = msgs.count(NOUNS[unit], finding.n_respondents)
    return FindingItem(
        title=clean_text(finding.title.strip().rstrip(":").strip()),
        summary=clean_text(finding.summary.strip()),
        n_respondents=finding.n_respondents,
        pct=finding.pct,
        draft=mark_draft and finding.status == "draft",
        quote=clean_text(_shortened(quote.text)) if quote else None,
        quote_source=clean_text(source) if source else None,
        more_quotes=more,
        details=details,
        count_label=msgs.isolate(msgs("open.count", respondents=count, pct=msgs.pct(finding.pct / 100))),
        draft_label=msgs.isolate(msgs("open.draft_mark")),
    )


def _group_blocks(findings: list[Finding], who: WhoSaid | None, msgs: Messages) -> list[Block]:
    """Who said what: a table of groups x findings (share of each group in each finding), then the flagged cells."""
    if who is None or who.breakdowns.empty:
        return []
    shown = who.breakdowns[who.breakdowns["finding_id"].isin([f.id for f in findings])]
    if shown.empty:
        return []
    header = (*msgs("open.groups_header").split("|"), *(clean_text(f.title) for f in findings))
    rows = []
    first = shown[shown["finding_id"] == findings[0].id]
    for attribute, part in first.groupby("attribute", sort=False):
        for i, record in enumerate(part.to_dict(orient="records")):
            cells = [_group_cell(shown, f.id, str(attribute), str(record["value"]), msgs) for f in findings]
            label = clean_text(who.label(str(attribute))) if i == 0 else ""
            rows.append((label, _value(str(record["value"]), msgs), str(record["group_answered"]), *cells))
    key = "open.groups_caption" if not flagged(shown).empty else "open.groups_caption_none"
    caption = msgs(key, q=msgs.number(f"{who.q_max:g}"), min=who.min_group)
    table = Table(header=header, rows=tuple(rows), caption=caption, numeric=tuple(range(2, len(header))))
    return [para(msgs("open.groups_lead"), muted=True), table, *_flag_lines(shown, findings, who, msgs)]


def _value(value: str, msgs: Messages) -> str:
    return clean_text(value) if value != NOT_STATED else msgs("open.not_stated")


def _group_cell(table: pd.DataFrame, finding_id: str, attribute: str, value: str, msgs: Messages) -> str:
    row = table[(table["finding_id"] == finding_id) & (table["attribute"] == attribute) & (table["value"] == value)]
    if row.empty:
        return "–"
    record = row.iloc[0]
    mark = MARKS[str(record["flag"])]
    return msgs.pct(float(record["pct_of_group"]) / 100, 0) + (f" {mark}" if mark else "")


def _flag_lines(shown: pd.DataFrame, findings: list[Finding], who: WhoSaid, msgs: Messages) -> list[Block]:
    """One sentence per flagged group: its share in the finding against the other respondents' share."""
    titles = {f.id: f.title.strip().rstrip(":").strip() for f in findings}
    found = flagged(shown)
    lines = []
    for record in found.to_dict(orient="records"):
        finding_rows = shown[
            (shown["finding_id"] == record["finding_id"]) & (shown["attribute"] == record["attribute"])
        ]
        total = int(finding_rows["group_answered"].sum())
        inside = int(finding_rows["n_respondents"].sum())
        rest_n, rest_size = inside - int(record["n_respondents"]), total - int(record["group_answered"])
        lines.append(
            msgs(
                "open.group_flag",
                group=clean_text(str(record["value"])),
                attribute=clean_text(who.label(str(record["attribute"]))),
                pct=msgs.pct(float(record["pct_of_group"]) / 100, 0),
                title=clean_text(titles[str(record["finding_id"])]),
                n=int(record["n_respondents"]),
                size=int(record["group_answered"]),
                rest=msgs.pct(rest_n / rest_size if rest_size else None, 0),
            )
        )
    return [BulletList(items=tuple(para(line) for line in lines))] if lines else []


def _source(
    quote: Quote, finding: Finding, votes: QuestionVotes | None, msgs: Messages, unit: Unit = "respondent"
) -> str:
    """`response 154; comment 47: 34 agree ...`; where each comment is one response, `comment 47: 34 agree ...`."""
    found = votes.for_quote(quote.response_id, quote.text, finding.members) if votes else None
    if unit == "comment":
        if found:
            return msgs("open.comment_votes", n=found[0], votes=found[1].text())
        return msgs("open.comment_source", n=quote.response_id)
    source = msgs("open.response", id=quote.response_id)
    return source + (msgs("open.comment", n=found[0], votes=found[1].text()) if found else "")


def printed_quotes(finding: Finding) -> list[Quote]:
    """The quotes the report prints for a finding.

    The reviewer's chosen ones (of respondents still members) in their order; else the one `short_quote` picks
    from the generated ones.
    """
    if finding.quotes_chosen:
        respondents = {s.rsplit(":", 2)[0] for s in finding.members}
        return [q for q in finding.quotes if q.response_id in respondents]
    quote = short_quote(finding.quotes)
    return [quote] if quote is not None else []


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


def _most_voted(votes: QuestionVotes, draft: QuestionDraft, msgs: Messages) -> list[Block]:
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
            c.votes.passes_text,
        )
        for c in comments
    )
    lead = para(msgs("open.most_voted", comments=msgs.count("n.comment", len(comments))), muted=True)
    table = Table(header=tuple(msgs("open.votes_header").split("|")), rows=rows, numeric=(2, 3, 4))
    return [lead, table]


def _base_paragraph(draft: QuestionDraft, msgs: Messages, unit: Unit = "respondent") -> Block:
    """`11 respondents answered; 0 non-answers; 1 not grouped ...`, or `50 comments submitted; 2 non-answers; ...`.

    A comment is one response with one status, so the comments submitted are those that answered and the
    non-answers together.
    """
    non_answers = msgs.non_answers(draft.non_answers, draft.set_apart)
    if unit == "comment":
        submitted = draft.answered + draft.non_answers
        line = msgs.count("open.base_comments", submitted, non_answers=non_answers)
    else:
        respondents = msgs.count("n.respondent", draft.answered)
        line = msgs("open.base", respondents=respondents, non_answers=non_answers)
    line += msgs("open.not_grouped", n=draft.not_grouped) if draft.answered else "."
    return para(line, muted=True)


def _no_findings(draft: QuestionDraft, msgs: Messages) -> str:
    if draft.answered == 0:
        return msgs("open.nobody")
    if draft.top:
        return msgs("open.all_rejected")
    return msgs("open.no_groups")
