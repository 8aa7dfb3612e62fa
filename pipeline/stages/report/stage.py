"""Reviewed drafts + closed statistics -> the report in Markdown, HTML and Word (bytes; no files touched).

A PDF is printed from HTML by a browser, which a pure stage cannot run: when `report.formats` asks for pdf, the
stage gives the page to print under `PRINT_PAGE`, and the step (`pipeline.steps.report`) prints it.
"""

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
PRINT_PAGE = "print.html"  # the HTML page the PDF is printed from (PNG charts)


def run_report(inputs: ReportInputs, cfg: PipelineConfig) -> dict[str, bytes]:
    """Build the document once and render it in every format of `report.formats`.

    Args:
        inputs: closed statistics, open-question drafts, chart images and run facts (see ReportInputs).
        cfg: pipeline config; the `report` section applies.

    Returns:
        `{extension: file bytes}` for each requested format but pdf, plus `{PRINT_PAGE: HTML bytes}` when pdf is
        requested; identical for identical inputs.
    """
    doc = build_document(inputs, cfg)
    formats: dict[str, None] = dict.fromkeys(cfg.report.formats)
    outputs: dict[str, bytes] = {fmt: RENDERERS[fmt](doc) for fmt in formats if fmt in RENDERERS}
    if "pdf" in formats:
        outputs[PRINT_PAGE] = render_html(doc, print_page=True).encode("utf-8")
    return outputs
