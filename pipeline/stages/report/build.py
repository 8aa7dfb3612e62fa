"""Assemble the report's document model from closed statistics, open-question drafts and run facts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from pipeline.config import PipelineConfig
from pipeline.detect.rules import other_header
from pipeline.messages import Messages
from pipeline.stages.closed import ClosedResult
from pipeline.stages.findings import QuestionVotes, WhoSaid
from pipeline.stages.report.closed_sections import ChartImages, closed_section
from pipeline.stages.report.method import annex_section, method_section, provenance_section
from pipeline.stages.report.model import Block, BulletList, Document, Section, clean_text, para, text
from pipeline.stages.report.open_sections import LoadedDraft, open_section, shown_findings


@dataclass(frozen=True, eq=False)
class ReportInputs:
    """Everything the report is built from (read by the step, so building touches no files).

    Attributes:
        questions: `question_id, text, kind, options, block, other_of, source_column, position`.
        closed: closed-question statistics (closed.json).
        drafts: open question id -> its draft; questions without a draft are absent.
        charts: chart id -> (PNG bytes, SVG bytes or None).
        counts: counts.csv (`question_id, kind, respondents, answers, non_answers, blank, unreadable`) or None.
        embed_facts: the embed stage's facts (its stamp), e.g. the model id.
        manifest: the run manifest of the previous run, if any (input checksum, version).
        votes: open question id -> the Polis votes of its comments (absent for other exports).
        warnings: what the stages warned about (config that does not match the data with `run.on_mismatch:
            warn`, guessed encodings, ragged rows, merged cells), listed in an annex.
        languages: open question id -> language counts of its answers (the ingest stage's facts).
        unusable: rows of the export ingest left out (each listed in `01_ingest/issues.csv`).
        who: open question id -> who said each of its findings (respondent groups, the linked closed question).
    """

    questions: pd.DataFrame
    closed: ClosedResult
    drafts: Mapping[str, LoadedDraft] = field(default_factory=dict)
    charts: Mapping[str, ChartImages] = field(default_factory=dict)
    counts: pd.DataFrame | None = None
    embed_facts: Mapping[str, Any] = field(default_factory=dict)
    manifest: Mapping[str, Any] = field(default_factory=dict)
    votes: Mapping[str, QuestionVotes] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    languages: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    unusable: int = 0
    who: Mapping[str, WhoSaid] = field(default_factory=dict)


PURPOSE = Messages()("purpose")


def review_sentence(drafts: Mapping[str, LoadedDraft], msgs: Messages | None = None) -> str:
    """What the findings' review state allows the report to say (it never claims a review that did not happen)."""
    msgs = msgs or Messages()
    shown = [f for loaded in drafts.values() for f in shown_findings(loaded.draft)]
    accepted = sum(f.status == "accepted" for f in shown)
    if not shown:
        return ""
    if accepted == len(shown):
        return msgs("review.all", n=len(shown))
    if accepted == 0:
        return msgs("review.none", findings=msgs.count("n.finding", len(shown)))
    return msgs("review.some", accepted=accepted, n=len(shown))


def build_document(inputs: ReportInputs, cfg: PipelineConfig) -> Document:
    """The report as a document model: purpose, responses, results in survey order, method and annex.

    Args:
        inputs: statistics, drafts, charts and run facts.
        cfg: pipeline config (report title/date, and the settings the Method section states).

    Returns:
        The document every format is rendered from.
    """
    msgs = Messages(cfg.report.language)
    open_ids = _open_ids(inputs.questions)
    purpose = msgs("purpose") + review_sentence(inputs.drafts, msgs) + msgs("purpose.method")
    sections = [
        Section(title=msgs("h.purpose"), level=2, anchor="purpose", blocks=(para(purpose),)),
        _responses_section(inputs, len(open_ids), msgs),
        Section(title=msgs("h.results"), level=2, anchor="results"),
        *distinct_titles(_result_sections(inputs, cfg, msgs)),
        method_section(cfg, inputs.drafts, open_ids, inputs.embed_facts, msgs, inputs.unusable),
        annex_section(inputs.questions, inputs.counts, inputs.drafts, inputs.closed, inputs.languages, msgs),
        *_warnings_section(inputs.warnings, msgs),
        provenance_section(cfg, inputs.embed_facts, inputs.manifest, msgs),
    ]
    lines = [line for line in (cfg.report.subtitle, cfg.report.date) if line]
    subtitle = clean_text(" · ".join(lines)) if lines else None
    return Document(
        title=clean_text(cfg.report.title),
        subtitle=subtitle,
        sections=tuple(sections),
        language=msgs.language,
        contents_title=msgs("h.contents"),
    )


def distinct_titles(sections: list[Section]) -> list[Section]:
    """Sections whose headings repeat an earlier one get its number: `Other, please specify (2)`."""
    seen: dict[str, int] = {}
    out: list[Section] = []
    for section in sections:
        key = " ".join(section.title.split()).casefold()
        seen[key] = seen.get(key, 0) + 1
        out.append(section if seen[key] == 1 else replace(section, title=f"{section.title} ({seen[key]})"))
    return out


def _warnings_section(warnings: tuple[str, ...], msgs: Messages) -> list[Section]:
    """An annex listing the warnings of the run (none: no section)."""
    if not warnings:
        return []
    lead = para(msgs("warnings.lead"), muted=True)
    items = BulletList(items=tuple(para(w) for w in warnings))
    return [Section(title=msgs("h.warnings"), level=2, anchor="warnings", blocks=(lead, items))]


def _open_ids(questions: pd.DataFrame) -> list[str]:
    ordered = questions.sort_values("position", kind="stable")
    return [str(q) for q in ordered.loc[ordered["kind"] == "open", "question_id"]]


def _responses_section(inputs: ReportInputs, n_open: int, msgs: Messages) -> Section:
    n = inputs.closed.respondents
    n_closed = len(inputs.closed.questions)
    counts = {"closed": msgs.count("n.closed_question", n_closed), "open": msgs.count("n.open_question", n_open)}
    blocks: list[Block] = [
        para(text(str(n), bold=True), msgs.count("n.response_received", n).removeprefix(str(n))),
        para(msgs("survey_had", **counts), muted=True),
    ]
    blocks += [para(line, muted=True) for line in [*_polis_lines(inputs, msgs), *_attachment_lines(inputs, msgs)]]
    return Section(title=msgs("h.responses"), level=2, anchor="responses", blocks=tuple(blocks))


def _polis_lines(inputs: ReportInputs, msgs: Messages) -> list[str]:
    """Who the responses of a Polis conversation are: participants, counted once however many comments they wrote."""
    return [
        msgs(
            "polis.line",
            participants=msgs.count("n.polis_participant", votes.authors),
            comments=msgs.count("n.comment", votes.comments),
        )
        for votes in inputs.votes.values()
    ]


def _attachment_lines(inputs: ReportInputs, msgs: Messages) -> list[str]:
    """One line per attachment question: how many respondents attached a document (file names never shown)."""
    if inputs.counts is None:
        return []
    texts = dict(zip(inputs.questions["question_id"].astype(str), inputs.questions["text"].astype(str), strict=True))
    rows = inputs.counts[inputs.counts["kind"] == "attachment"].to_dict(orient="records")
    return [
        msgs(
            "attachment.line",
            respondents=msgs.count("n.respondent", int(r["answers"])),
            question=texts.get(str(r["question_id"]), ""),
        )
        for r in rows
    ]


def _result_sections(inputs: ReportInputs, cfg: PipelineConfig, msgs: Messages) -> list[Section]:
    """Closed chart groups and open questions, interleaved in survey order."""
    confidence = float(inputs.closed.settings.get("confidence", cfg.closed.confidence))
    items: list[tuple[int, Section]] = [
        (group.position, closed_section(group, inputs.closed, inputs.charts, confidence, msgs))
        for group in inputs.closed.groups
    ]
    texts = dict(zip(inputs.questions["question_id"].astype(str), inputs.questions["text"].astype(str), strict=True))
    mark_drafts = _any_accepted(inputs.drafts)  # none reviewed: the Purpose section says so once
    for q in inputs.questions[inputs.questions["kind"] == "open"].to_dict(orient="records"):
        qid = str(q["question_id"])
        parent = q["other_of"] if isinstance(q["other_of"], str) else None
        heading = _open_heading(str(q["text"]), texts.get(parent) if parent else None)
        section = open_section(
            qid, heading, inputs.drafts.get(qid), inputs.votes.get(qid), msgs, inputs.who.get(qid), mark_drafts
        )
        items.append((int(q["position"]), section))
    return [section for _, section in sorted(items, key=lambda item: item[0])]


def _any_accepted(drafts: Mapping[str, LoadedDraft]) -> bool:
    return any(f.status == "accepted" for loaded in drafts.values() for f in shown_findings(loaded.draft))


def _open_heading(question_text: str, parent_text: str | None) -> str:
    """A follow-up titled only "Other, please specify" is named after its choice question."""
    if parent_text and other_header(question_text) and parent_text.casefold() not in question_text.casefold():
        return f"{parent_text.strip().rstrip(':')}: {question_text.strip()}"
    return question_text
