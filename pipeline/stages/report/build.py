"""Assemble the report's document model from closed statistics, open-question drafts and run facts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from pipeline.config import PipelineConfig, ReportConfig
from pipeline.detect.rules import other_header
from pipeline.messages import Messages
from pipeline.stages.closed import ClosedResult
from pipeline.stages.findings import QuestionVotes, WhoSaid
from pipeline.stages.report.closed_sections import ChartImages, closed_section
from pipeline.stages.report.method import annex_section, method_section, provenance_section
from pipeline.stages.report.model import (
    Block,
    BulletList,
    Document,
    Paragraph,
    Section,
    clean_text,
    markdown_paragraphs,
    markdown_runs,
    para,
    text,
)
from pipeline.stages.report.open_sections import LoadedDraft, open_section, shown_findings
from pipeline.stages.report.parts import Item, plan_parts, result_items
from pipeline.stages.shared.units import question_units


@dataclass(frozen=True, eq=False)
class ReportInputs:
    """Everything the report is built from (read by the step, so building touches no files).

    Attributes:
        questions: `question_id, text, kind, options, block, other_of, source_column, position, unit` (`unit`:
            `comment` for a Polis conversation's open question, whose counts say comments; absent in older runs).
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
    msgs = Messages(cfg.report.language, cfg.resolve(cfg.report.catalogues) if cfg.report.catalogues else None)
    open_ids = _open_ids(inputs.questions)
    comments = "comment" in question_units(inputs.questions).values()  # a Polis conversation: comments are counted
    sections = [
        *_purpose_sections(cfg.report, inputs.drafts, msgs),
        _responses_section(inputs, len(open_ids), msgs),
        *distinct_titles(_result_sections(inputs, cfg, msgs)),
        method_section(cfg, inputs.drafts, open_ids, inputs.embed_facts, msgs, inputs.unusable, comments),
        annex_section(inputs.questions, inputs.counts, inputs.drafts, inputs.closed, inputs.languages, msgs, comments),
        *_warnings_section(inputs.warnings, msgs),
        provenance_section(cfg, inputs.embed_facts, inputs.manifest, msgs, inputs.drafts),
    ]
    lines = [line for line in (cfg.report.subtitle, cfg.report.date) if line]
    subtitle = clean_text(" · ".join(lines)) if lines else None
    return Document(
        title=clean_text(cfg.report.title),
        subtitle=subtitle,
        sections=tuple(sections),
        language=msgs.language.replace("_", "-"),
        right_to_left=msgs.right_to_left,
        contents_title=msgs("h.contents"),
        cover=tuple(Paragraph(markdown_runs(line)) for line in cfg.report.cover),
    )


def _purpose_sections(report: ReportConfig, drafts: Mapping[str, LoadedDraft], msgs: Messages) -> list[Section]:
    """Purpose (the configured text, else the generated one) and, when configured, Action required.

    The review state is said after a configured purpose too: the secretariat's text cannot know it.
    """
    review = review_sentence(drafts, msgs)
    if report.purpose:
        blocks = (*markdown_paragraphs(report.purpose), *((para(review.strip(), muted=True),) if review else ()))
    else:
        blocks = (para(msgs("purpose") + review + msgs("purpose.method")),)
    sections = [Section(title=msgs("h.purpose"), level=2, anchor="purpose", blocks=blocks)]
    if report.action_required:
        action = markdown_paragraphs(report.action_required)
        sections.append(Section(title=msgs("h.action_required"), level=2, anchor="action-required", blocks=action))
    return sections


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
    comments = "comment" in question_units(inputs.questions).values()
    blocks: list[Block] = [
        _received(msgs, n, "n.comment_received" if comments else "n.response_received"),
        para(msgs("survey_had", **counts), muted=True),
    ]
    blocks += [para(line, muted=True) for line in [*_polis_lines(inputs, msgs), *_attachment_lines(inputs, msgs)]]
    return Section(title=msgs("h.responses"), level=2, anchor="responses", blocks=tuple(blocks))


def _received(msgs: Messages, n: int, key: str = "n.response_received") -> Paragraph:
    """`**1,234** responses received.` (`**50** comments received.` in Polis): the number in bold, wherever it goes."""
    before, number, after = msgs.count_parts(key, n)
    return para(*(part for part in (before, text(number, bold=True), after) if part))


def _polis_lines(inputs: ReportInputs, msgs: Messages) -> list[str]:
    """Who wrote a Polis conversation's comments (participants) and what its findings count (comments)."""
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
    """The results in parts (level 2), each showing its closed chart groups and open questions in survey order."""
    parts = plan_parts(result_items(inputs.questions, inputs.closed.groups), cfg.report.parts)
    if len(parts) <= 1 and not cfg.report.parts:  # one run of questions: a plain "Results" heading
        items = parts[0].items if parts else ()
        return [Section(title=msgs("h.results"), level=2, anchor="results"), *_item_sections(inputs, cfg, items, msgs)]
    sections: list[Section] = []
    for n, part in enumerate(parts, start=1):
        title = msgs("h.part", n=n, title=part.title) if part.title else msgs("h.part_untitled", n=n)
        intro = markdown_paragraphs(part.intro) if part.intro else ()
        sections.append(Section(title=clean_text(title), level=2, anchor=f"part-{n}", blocks=intro))
        sections += _item_sections(inputs, cfg, part.items, msgs)
    return sections


def _item_sections(inputs: ReportInputs, cfg: PipelineConfig, items: Sequence[Item], msgs: Messages) -> list[Section]:
    """The level-3 section of each closed chart group and open question of a part."""
    confidence = float(inputs.closed.settings.get("confidence", cfg.closed.confidence))
    groups = {g.chart_id: g for g in inputs.closed.groups}
    texts = dict(zip(inputs.questions["question_id"].astype(str), inputs.questions["text"].astype(str), strict=True))
    mark_drafts = _any_accepted(inputs.drafts)  # none reviewed: the Purpose section says so once
    units = question_units(inputs.questions)
    sections = []
    for item in items:
        if item.closed:
            sections.append(closed_section(groups[item.key], inputs.closed, inputs.charts, confidence, msgs))
            continue
        qid = item.key
        heading = _open_heading(texts[qid], texts.get(item.follow_up_of) if item.follow_up_of else None)
        loaded, votes, who = inputs.drafts.get(qid), inputs.votes.get(qid), inputs.who.get(qid)
        unit = units.get(qid, "respondent")
        sections.append(open_section(qid, heading, loaded, votes, msgs, who, mark_drafts, unit))
    return sections


def _any_accepted(drafts: Mapping[str, LoadedDraft]) -> bool:
    return any(f.status == "accepted" for loaded in drafts.values() for f in shown_findings(loaded.draft))


def _open_heading(question_text: str, parent_text: str | None) -> str:
    """A follow-up titled only "Other, please specify" is named after its choice question."""
    if parent_text and other_header(question_text) and parent_text.casefold() not in question_text.casefold():
        return f"{parent_text.strip().rstrip(':')}: {question_text.strip()}"
    return question_text
