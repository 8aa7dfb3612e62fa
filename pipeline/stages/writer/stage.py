"""Model replies -> findings: a grounded reply's title and sentence replace the extractive ones, else they stay."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from pipeline.stages.shared.sidecar import Finding, QuestionDraft, Quote, Written
from pipeline.stages.writer.prompt import Request, masked, retry_request
from pipeline.stages.writer.reply import Reply, check_reply, parse_reply


@dataclass(frozen=True)
class Outcome:
    """What the writer got for one finding: a grounded reply, or why the extractive text stays."""

    reply: Reply | None
    fallback: str | None = None
    no_reply: bool = False  # no reply came (the endpoint failed), as opposed to replies that failed the checks


@dataclass(frozen=True)
class NoReply:
    """Why no reply came (endpoint down, timeout, ...), in one line."""

    reason: str


Ask = Callable[[Request], "str | NoReply"]  # the reply's text (from the cache or the endpoint), or why none came


def write_one(request: Request, ask: Ask) -> tuple[Outcome, int]:
    """Ask for one finding's text, retry once with what was wrong, and the outcome; also the requests made.

    `ask` returns the reply's content (from the cache or the endpoint), or why no reply came.
    """
    first = ask(request)
    if isinstance(first, NoReply):
        return Outcome(None, first.reason, no_reply=True), 1
    problems = _problems(first, request)
    if not problems:
        return Outcome(_reply(first)), 1
    second = ask(retry_request(request, first, problems))
    if isinstance(second, NoReply):
        return Outcome(None, f"{'; '.join(problems)} (retry: {second.reason})"), 2
    again = _problems(second, request)
    return (Outcome(None, f"{'; '.join(again)} (also on the retry)"), 2) if again else (Outcome(_reply(second)), 2)


def _problems(text: str, request: Request) -> list[str]:
    reply = parse_reply(text)
    return [reply] if isinstance(reply, str) else check_reply(reply, request)


def _reply(text: str) -> Reply:
    reply = parse_reply(text)
    assert not isinstance(reply, str)
    return reply


def apply_outcomes(
    drafts: Mapping[str, QuestionDraft], outcomes: Mapping[str, Outcome], model: str, statements: pd.DataFrame
) -> dict[str, QuestionDraft]:
    """The drafts with each written finding's title and sentence from the model, and a `written` record.

    Args:
        drafts: the findings stage's drafts (not modified).
        outcomes: finding id -> outcome; findings without one are left as they are.
        model: the model's name, recorded on every finding it was asked about.
        statements: embed statements (`statement_id, respondent_id, text[, language]`), for the cited quotes.

    Returns:
        New drafts; a finding whose reply failed (or whose title repeats that of a higher-ranked finding of its
        question) keeps its extractive text and records why (`written.fallback`).
    """
    rows = statements.set_index(statements["statement_id"].astype(str))
    out: dict[str, QuestionDraft] = {}
    for qid, draft in drafts.items():
        findings: list[Finding] = []
        for finding in draft.findings:
            outcome = _unrepeated(outcomes.get(finding.id), {f.title.casefold() for f in findings})
            findings.append(_apply(finding, outcome, model, rows))
        out[qid] = draft.model_copy(update={"findings": findings})
    return out


def _unrepeated(outcome: Outcome | None, taken: set[str]) -> Outcome | None:
    """The outcome, or a fallback when its title repeats the title of a higher-ranked finding of the question."""
    if outcome is None or outcome.reply is None or outcome.reply.title.casefold() not in taken:
        return outcome
    return Outcome(None, f"its title {outcome.reply.title!r} repeats the title of a higher-ranked finding")


def _apply(finding: Finding, outcome: Outcome | None, model: str, rows: pd.DataFrame) -> Finding:
    if outcome is None:
        return finding
    base = {"model": model, "extractive_title": finding.title, "extractive_summary": finding.summary}
    if outcome.reply is None:
        return finding.model_copy(update={"written": Written(**base, fallback=outcome.fallback)})
    reply = outcome.reply
    cited = [_quote(sid, rows) for sid in dict.fromkeys(reply.quote_ids) if sid in rows.index]
    written = Written(**base, title=reply.title, summary=reply.summary, cited=cited)
    return finding.model_copy(update={"title": reply.title, "summary": reply.summary, "written": written})


def _quote(statement_id: str, rows: pd.DataFrame) -> Quote:
    row = rows.loc[statement_id]
    language = str(row["language"]) if "language" in rows.columns else None
    return Quote(response_id=str(row["respondent_id"]), text=masked(str(row["text"])), language=language)
