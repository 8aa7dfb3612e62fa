"""Closed stage: the answers of likert, single and multi questions -> statistics and charts (`02_closed/`).

Takes the ingest tables (respondents, questions, answers) and the config. Gives a `ClosedResult` (per question:
option counts and shares, agree rate with its Wilson interval, breakdowns by meta questions, chart groups) and the
chart images (PNG and SVG bytes, `render_charts`). Touches no files (`pipeline.steps.closed` writes them).

Modules: `stage` (run_closed and the statistics), `model` (the result's dataclasses, JSON form and CSV tables),
`charts` (deterministic matplotlib charts).
"""

from pipeline.stages.closed.charts import chart_data, render_chart, render_charts
from pipeline.stages.closed.model import (
    ChartGroup,
    ClosedResult,
    QuestionStats,
    closed_from_dict,
    closed_to_dict,
    format_threshold,
    option_table,
    summary_table,
)
from pipeline.stages.closed.stage import (
    QuestionSpec,
    agree_mismatches,
    closed_config,
    question_spec,
    question_stats,
    run_closed,
    statement_label,
    threshold_sentence,
    wilson_interval,
)

__all__ = [
    "ChartGroup",
    "ClosedResult",
    "QuestionSpec",
    "QuestionStats",
    "agree_mismatches",
    "chart_data",
    "closed_config",
    "closed_from_dict",
    "closed_to_dict",
    "format_threshold",
    "option_table",
    "question_spec",
    "question_stats",
    "render_chart",
    "render_charts",
    "run_closed",
    "statement_label",
    "summary_table",
    "threshold_sentence",
    "wilson_interval",
]
