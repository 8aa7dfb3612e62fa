"""Findings -> reviewable drafts: a Markdown page per open question and the assignments audit table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from pipeline.artifacts import ASSIGNMENT_COLUMNS
from pipeline.languages import UNDETERMINED, format_counts
from pipeline.mdtext import code, comment, escape_md
from pipeline.messages import Messages
from pipeline.stages.findings import QuestionVotes, WhoSaid
from pipeline.stages.shared.sidecar import Finding, QuestionDraft, Quote

NOT_GROUPED = "Other / not grouped"


def _pct(n: int, base: int) -> str:
    return f"{100.0 * n / base:.1f}%" if base else "n/a"


def _respondents(n: int, unit: str = "respondent") -> str:
    """The count with its noun: "1 respondent", "2 respondents"; "2 comments" in Polis (drafts are in English)."""
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def _quote_line(quote: Quote, finding: Finding, votes: QuestionVotes | None, unit: str = "respondent") -> str:
    """`> "text" (response 12, en; comment 4: 30 agree ...)`; `(comment 4, en: 30 agree ...)` where comments count."""
    found = votes.for_quote(quote.response_id, quote.text, finding.members) if votes else None
    language = f", {escape_md(quote.language)}" if quote.language else ""
    if unit == "comment":
        comment_id = escape_md(found[0] if found else quote.response_id)
        voted = f": {escape_md(found[1].text())}" if found else ""
        return f'    > "{escape_md(quote.text)}" (comment {comment_id}{language}{voted})'
    voted = f"; comment {escape_md(found[0])}: {escape_md(found[1].text())}" if found else ""
    return f'    > "{escape_md(quote.text)}" (response {escape_md(quote.response_id)}{language}{voted})'


def _finding_lines(
    finding: Finding,
    answered: int,
    detailed: bool,
    votes: QuestionVotes | None = None,
    who: WhoSaid | None = None,
    unit: str = "respondent",
) -> list[str]:
    status = "" if finding.status == "accepted" else f" _({finding.status})_"
    lines = [f"- **{escape_md(finding.title)}:** {escape_md(finding.summary)}{status}"]
    facts = f"{_respondents(finding.n_respondents, unit)} ({_pct(finding.n_respondents, answered)})"
    mixed = " · **mixed: consider splitting**" if finding.mixed else ""
    lines.append(f"  - {facts} · coherence {finding.cohesion:.2f}{mixed} · id {code(finding.id)}")
    lines += _written_lines(finding)
    if finding.note:
        lines.append(f"  - Reviewer note: {escape_md(finding.note)}")
    if finding.changed:
        lines.append(f"  - **Check again:** {escape_md(finding.changed)}")
    tally = votes.for_members(finding.members) if votes else None
    if tally is not None:
        lines.append(f"  - {escape_md(tally.text())}")
    lines += _who_lines(finding, who)
    if detailed:
        lines.extend(_quote_line(q, finding, votes, unit) for q in finding.quotes)
        lines.extend(_subpoint_lines(finding, answered, unit))
    return lines


def _written_lines(finding: Finding) -> list[str]:
    """Which text a language model wrote and the member statements it cited, or why its text was not used."""
    written = finding.written
    if written is None:
        return []
    model = escape_md(written.model)
    if written.fallback is not None:
        why = escape_md(written.fallback)
        return [f"  - **Extractive text kept:** the language model {model} was asked, but {why}."]
    parts = [name for name, own in (("title", finding.model_title), ("sentence", finding.model_summary)) if own]
    if not parts:
        return [f"  - The language model {model} also wrote a title and sentence; the reviewer's text replaces them."]
    lines = [
        f"  - **Written by the language model {model}** ({' and '.join(parts)}); check it against the quotes it cited:"
    ]
    return lines + [f'    > "{escape_md(q.text)}" (response {escape_md(q.response_id)})' for q in written.cited]


def _who_lines(finding: Finding, who: WhoSaid | None) -> list[str]:
    """How the finding's respondents answered the linked closed question, and who they are per attribute."""
    if who is None:
        return []
    found = [who.language_line(finding), who.linked_line(finding, Messages("en"))]
    lines = [f"  - {escape_md(line)}" for line in found if line]
    return lines + [f"  - {escape_md(line)}" for line in who.group_lines(finding)]


def _subpoint_lines(finding: Finding, answered: int, unit: str = "respondent") -> list[str]:
    """The finer groups merged into a finding, each with the edit that splits it back out."""
    if not finding.subpoints:
        return []
    lines = [f"  - Merged from {len(finding.subpoints)} groups (split one out: add its id to `split_out`):"]
    for point in finding.subpoints:
        share = _pct(point.n_respondents, answered)
        lines.append(
            f"    - {escape_md(point.title)}: {_respondents(point.n_respondents, unit)} ({share}) · {code(point.id)}"
        )
    return lines


def _campaign_lines(
    draft: QuestionDraft, votes: QuestionVotes | None, who: WhoSaid | None, unit: str = "respondent"
) -> list[str]:
    """The question's Campaigns part: how many and who, then each campaign's text summarised once."""
    shown = [f for f in draft.campaigns if f.status != "rejected"]
    if not shown:
        return []
    people = draft.campaign_respondents
    campaigns = f"{len(shown)} campaign{'s' if len(shown) != 1 else ''}"
    line = f"{campaigns}, {people:,} {unit}s ({_pct(people, draft.answered)}): each is one text, or near copies "
    line += "of it, sent by many, summarised once below. The findings above are those of the other respondents; "
    line += f"every percentage is of all {draft.answered:,} who answered. Not a campaign: set {code('campaign: false')}"
    line += f" in it (and {code('campaign: true')} in a finding to report it as one)."
    lines = ["", "## Campaigns", "", line, ""]
    for finding in shown:
        lines += _finding_lines(finding, draft.answered, True, votes, who, unit)
    return lines


def _merge_hint_lines(draft: QuestionDraft) -> list[str]:
    """Pairs of findings that probably say the same thing, with the one-line edit that merges them."""
    if not draft.suggested_merges:
        return []
    titles = {f.id: f.title for f in draft.findings}
    lines = ["", "## Suggested merges", ""]
    for hint in draft.suggested_merges:
        if hint.finding in titles and hint.into in titles:
            lines.append(
                f"- {escape_md(titles[hint.finding])} ({code(hint.finding)}) may say the same as "
                f"{escape_md(titles[hint.into])} (similarity {hint.similarity:.2f}): in {code(hint.finding)}, "
                f"set {code(hint.edit)}"
            )
    return lines if len(lines) > 3 else []


def render_markdown(
    draft: QuestionDraft,
    notice: str = "",
    votes: QuestionVotes | None = None,
    languages: Mapping[str, int] | None = None,
    notes: Sequence[str] = (),
    who: WhoSaid | None = None,
    unit: str = "respondent",
) -> str:
    """The Markdown draft of one question, in the example report's `**Title:** summary` style.

    The draft depends only on the findings given (input, config and review copy), never on run history: what a
    rerun matched or lost goes to `<question>.rerun.md`. Every text from answers or reviewers is escaped, so it
    cannot become HTML, a link or markup.

    Args:
        draft: the question's findings (review copy or generated).
        notice: extra header text, e.g. that the review copy is out of date.
        votes: Polis votes of the question's comments: each finding gets the votes on its comments, each quote
            its comment's votes.
        languages: language counts of the question's answers (ISO 639-1, `und` = undetermined), if known.
        notes: further header notes, e.g. the embedding model chosen for the answers' languages.
        who: who said each finding (respondent groups, the linked closed question), if known; groups marked ▲ / ▼
            are over- / under-represented.
        unit: what one response is (`questions.unit`): `comment` in a Polis conversation, whose counts then say
            comments and whose quotes name their comment.
    """
    lines = _head(draft, notice, unit) + _language_lines(languages, notes)
    lead = who.linked_lead(Messages("en")) if who else None
    lines += ["", escape_md(lead)] if lead else []
    shown = [f for f in draft.top if f.status != "rejected"]
    lines += ["", f"## Top {len(shown)} findings", ""]
    for finding in shown:
        lines += _finding_lines(finding, draft.answered, True, votes, who, unit)
    if draft.others:
        lines += ["", "## Other groups", ""]
        for finding in draft.others:
            lines += _finding_lines(finding, draft.answered, False, votes, who, unit)
    lines += _campaign_lines(draft, votes, who, unit)
    lines += _merge_hint_lines(draft)
    rejected = [f for f in (*draft.top, *draft.campaigns) if f.status == "rejected"]
    if rejected:
        lines += ["", "## Rejected by the reviewer", ""]
        lines += [f"- ~~{escape_md(f.title)}~~ ({code(f.id)})" for f in rejected]
    lines += _review_lines(draft)
    lines += [
        "",
        f"## {NOT_GROUPED}",
        "",
        f"{_respondents(draft.not_grouped, unit)} ({_pct(draft.not_grouped, draft.answered)}) "
        f"{'joined' if unit == 'comment' else 'gave answers that joined'} no group "
        f"({len(draft.not_grouped_members)} statements); they are listed in the assignments table.",
        "",
    ]
    return "\n".join(lines)


def _head(draft: QuestionDraft, notice: str, unit: str = "respondent") -> list[str]:
    edit = draft.edit_file or "the sidecar YAML next to this file"
    set_apart = Messages("en").non_answers(draft.non_answers, draft.set_apart)
    lines = [
        f"<!-- Generated by consolidate; do not edit this file. Edit {comment(edit)} (titles, summaries, status, "
        "merges, pins, exclusions, notes, campaign flags). -->",
        f"# {escape_md(draft.question_text)}",
        "",
        _base_line(draft, set_apart, unit),
    ]
    return lines + (["", f"> **Note:** {escape_md(notice)}"] if notice else [])


def _base_line(draft: QuestionDraft, set_apart: str, unit: str) -> str:
    """`11 respondents answered; 2 non-answers not counted.`, or `50 comments submitted; ...` (Polis).

    A comment has one status: those answering and the non-answers add up to those submitted.
    """
    if unit == "comment":
        return f"{_respondents(draft.answered + draft.non_answers, unit)} submitted; {set_apart} not counted."
    return f"{_respondents(draft.answered)} answered; {set_apart} not counted."


def _language_lines(languages: Mapping[str, int] | None, notes: Sequence[str]) -> list[str]:
    """The languages of the answers and the notes about the embedding model chosen for them."""
    lines: list[str] = []
    if languages:
        undetermined = f" ({UNDETERMINED}: too short or mixed to tell)" if UNDETERMINED in languages else ""
        lines += ["", f"Languages of the answers: {format_counts(dict(languages))}{undetermined}."]
    return lines + [text for note in notes if note for text in ("", f"> **Note:** {escape_md(note)}")]


def _review_lines(draft: QuestionDraft) -> list[str]:
    """Merged and vanished findings and the edits that could not be applied."""
    lines: list[str] = []
    if draft.merged:
        lines += ["", "## Merged by the reviewer", ""]
        lines += [f"- {escape_md(f.title)} ({code(f.id)}) -> {code(f.merge_into or '')}" for f in draft.merged]
    if draft.vanished:
        lines += ["", "## Reviewed findings with no matching group in this run", ""]
        lines += [f"- {escape_md(f.title)} ({code(f.id)}, {f.status})" for f in draft.vanished]
    if draft.unapplied:
        lines += ["", "## Reviewer edits not applied", ""] + [f"- {escape_md(line)}" for line in draft.unapplied]
    return lines


def assignments(drafts: list[QuestionDraft], respondent_of: dict[str, str]) -> pd.DataFrame:
    """Audit table: one row per statement with the finding it belongs to (rank -1 = not grouped).

    Args:
        drafts: the drafts shown to reviewers.
        respondent_of: statement id -> respondent id.

    Returns:
        `response_id, question_id, statement_id, finding_id, rank, title, campaign_id`, sorted by question then
        statement; `campaign_id` is the campaign's (finding) id on every row of a campaign respondent, else ''.
    """
    columns: dict[str, list[object]] = {name: [] for name in ASSIGNMENT_COLUMNS}  # lists, not a dict per row

    def add(draft: QuestionDraft, members: list[str], finding: Finding | None = None, campaign: str = "") -> None:
        for statement in members:
            for name, value in _row(draft, statement, respondent_of, finding, campaign).items():
                columns[name].append(value)

    for draft in drafts:
        for finding in draft.findings:
            add(draft, finding.members, finding, finding.id if finding.campaign else "")
        add(draft, draft.not_grouped_members)
    frame = pd.DataFrame(columns, columns=ASSIGNMENT_COLUMNS)
    return frame.sort_values(["question_id", "statement_id"], kind="stable").reset_index(drop=True)


def _row(
    draft: QuestionDraft,
    statement: str,
    respondent_of: dict[str, str],
    finding: Finding | None = None,
    campaign: str = "",
) -> dict[str, object]:
    """One assignments row: a statement and its finding (None: not grouped) and campaign."""
    return {
        "response_id": respondent_of.get(statement, statement.split(":")[0]),
        "question_id": draft.question_id,
        "statement_id": statement,
        "finding_id": finding.id if finding else "",
        "rank": finding.rank if finding else -1,
        "title": finding.title if finding else NOT_GROUPED,
        "campaign_id": campaign,
    }
