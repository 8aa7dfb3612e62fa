"""Report stage: closed statistics + reviewed drafts + run facts -> the report in Markdown, HTML, Word and PDF.

Takes `ReportInputs` (the `ClosedResult`, each open question's review copy or generated draft as a `LoadedDraft`,
chart images, Polis votes, warnings and provenance) and the config. Gives `{format: bytes}` for every format of
`report.formats` (`run_report`), identical for identical inputs; for pdf, the HTML page to print (`PRINT_PAGE`),
which `pipeline.steps.report` prints with Chromium (`pipeline.steps.pdf`). Touches no files (the step reads the
inputs and writes `07_report/`).

One document model (`model`) is built once (`build`, from `parts`, `closed_sections`, `open_sections` and
`method`) and rendered by `to_markdown`, `to_html` and `to_docx`. `parts` groups the results into parts
(`report.parts`, else runs of closed questions and the open ones after them); `consolidate init` proposes parts
with its `question_runs`.
"""

from pipeline.stages.report.build import ReportInputs, build_document
from pipeline.stages.report.closed_sections import ChartImages
from pipeline.stages.report.model import Document
from pipeline.stages.report.open_sections import LoadedDraft, printed_quotes
from pipeline.stages.report.parts import Item, question_runs
from pipeline.stages.report.stage import PRINT_PAGE, RENDERERS, run_report

__all__ = [
    "PRINT_PAGE",
    "RENDERERS",
    "ChartImages",
    "Document",
    "Item",
    "LoadedDraft",
    "ReportInputs",
    "build_document",
    "printed_quotes",
    "question_runs",
    "run_report",
]
