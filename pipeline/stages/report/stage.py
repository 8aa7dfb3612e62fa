"""Reviewed drafts + closed statistics -> the report in Markdown, HTML and Word (bytes; no files touched)."""

from __future__ import annotations

from collections.abc import Callable

from pipeline.config import PipelineConfig
from pipeline.stages.report.build import ReportInputs, build_document
from pipeline.stages.report.model import Document
from pipeline.stages.report.to_docx import render_docx
from pipeline.stages.report.to_html import render_html
from pipeline.stages.report.to_markdown import render_markdown

RENDERERS: dict[str, Callable[[Document], bytes]] = {
    "md": lambda doc: render_markdown(doc).encode("utf-8"),
    "html": lambda doc: render_html(doc).encode("utf-8"),
    "docx": render_docx,
}


def run_report(inputs: ReportInputs, cfg: PipelineConfig) -> dict[str, bytes]:
    """Build the document once and render it in every format of `report.formats`.

    Args:
        inputs: closed statistics, open-question drafts, chart images and run facts (see ReportInputs).
        cfg: pipeline config; `report.title`, `report.date` and `report.formats` apply.

    Returns:
        `{extension: file bytes}` for each requested format, identical for identical inputs.
    """
    doc = build_document(inputs, cfg)
    return {fmt: RENDERERS[fmt](doc) for fmt in dict.fromkeys(cfg.report.formats)}
