"""Assemble the report's document model from closed statistics, open-question drafts and run facts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from pipeline.config import PipelineConfig
from pipeline.report.closed_sections import ChartImages, closed_section
from pipeline.report.method import annex_section, method_section
from pipeline.report.model import Document, Section, clean_text, para, plural, text
from pipeline.report.open_sections import LoadedDraft, open_section
from pipeline.stages.closed_model import ClosedResult


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
    """

    questions: pd.DataFrame
    closed: ClosedResult
    drafts: Mapping[str, LoadedDraft] = field(default_factory=dict)
    charts: Mapping[str, ChartImages] = field(default_factory=dict)
    counts: pd.DataFrame | None = None
    embed_facts: Mapping[str, Any] = field(default_factory=dict)
    manifest: Mapping[str, Any] = field(default_factory=dict)


PURPOSE = (
    "This report presents the responses received. Answers to closed questions were analysed with descriptive "
    "statistics; answers to open questions were consolidated into ranked findings by grouping similar statements "
    "and summarising each group, then reviewed by people. The Method section describes both."
)


def build_document(inputs: ReportInputs, cfg: PipelineConfig) -> Document:
    """The report as a document model: purpose, responses, results in survey order, method and annex.

    Args:
        inputs: statistics, drafts, charts and run facts.
        cfg: pipeline config (report title/date, and the settings the Method section states).

    Returns:
        The document every format is rendered from.
    """
    open_ids = _open_ids(inputs.questions)
    sections = [
        Section(title="Purpose", level=2, anchor="purpose", blocks=(para(PURPOSE),)),
        _responses_section(inputs, len(open_ids)),
        Section(title="Results", level=2, anchor="results"),
        *_result_sections(inputs, cfg),
        method_section(cfg, inputs.drafts, open_ids, inputs.embed_facts, inputs.manifest),
        annex_section(inputs.questions, inputs.counts, inputs.drafts, inputs.closed),
    ]
    subtitle = clean_text(cfg.report.date) if cfg.report.date else None
    return Document(title=clean_text(cfg.report.title), subtitle=subtitle, sections=tuple(sections))


def _open_ids(questions: pd.DataFrame) -> list[str]:
    ordered = questions.sort_values("position", kind="stable")
    return [str(q) for q in ordered.loc[ordered["kind"] == "open", "question_id"]]


def _responses_section(inputs: ReportInputs, n_open: int) -> Section:
    n = inputs.closed.respondents
    n_closed = len(inputs.closed.questions)
    blocks = (
        para(text(str(n), bold=True), f" response{'s' if n != 1 else ''} received."),
        para(
            f"The survey had {plural(n_closed, 'closed question')} (likert statements counted one by one) and "
            f"{plural(n_open, 'open question')}.",
            muted=True,
        ),
    )
    return Section(title="Responses", level=2, anchor="responses", blocks=blocks)


def _result_sections(inputs: ReportInputs, cfg: PipelineConfig) -> list[Section]:
    """Closed chart groups and open questions, interleaved in survey order."""
    confidence = float(inputs.closed.settings.get("confidence", cfg.closed.confidence))
    items: list[tuple[int, Section]] = [
        (group.position, closed_section(group, inputs.closed, inputs.charts, confidence))
        for group in inputs.closed.groups
    ]
    for q in inputs.questions[inputs.questions["kind"] == "open"].to_dict(orient="records"):
        qid = str(q["question_id"])
        items.append((int(q["position"]), open_section(qid, str(q["text"]), inputs.drafts.get(qid))))
    return [section for _, section in sorted(items, key=lambda item: item[0])]
