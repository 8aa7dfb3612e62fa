"""Ingest's checks of config against data, and the issue rows of what the reader noticed (pure; touches no files).

A config that disagrees with the data gives wrong numbers without failing, so every disagreement is a
`ConfigError` naming the setting to fix, unless `run.on_mismatch: warn`, which turns them into warnings (console,
manifest and report annex) and keeps the rows concerned in `issues.csv`:

- `input.header_rows` reads rows that look like responses as header rows (they would be lost);
- most answers of a likert / single / multi question are not among its configured options (they would all be
  unreadable, and the question would look unanswered).

A `TO FILL IN` placeholder that `consolidate init` left in the config (the report title, a question's text) is a
warning on every run until someone writes the real text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pipeline.config import PipelineConfig, QuestionConfig
from pipeline.detect import TO_FILL_IN
from pipeline.readers import RawExport, one_line
from pipeline.stages.shared.mismatch import settle

__all__ = [
    "data_warnings",
    "encoding_warning",
    "header_mismatch",
    "option_mismatches",
    "placeholder_warnings",
    "reader_issues",
    "settle",
]

Cell = tuple[str, str, str | None]  # value, status, problem (as in ingest)
CHOICE_KINDS = frozenset({"likert", "single", "multi"})


def data_warnings(
    raw: RawExport, cfg: PipelineConfig, questions: Sequence[QuestionConfig], cells: dict[str, list[list[Cell]]]
) -> tuple[str, ...]:
    """Every warning of ingest: a low-confidence encoding, what the reader noticed, and config/data mismatches.

    Raises:
        ConfigError: The config does not match the data and `run.on_mismatch` is `error`.
    """
    mismatches = settle(header_mismatch(raw, cfg) + option_mismatches(questions, cells), cfg)
    return (*encoding_warning(raw), *raw.warnings, *mismatches, *placeholder_warnings(cfg, questions))


def placeholder_warnings(cfg: PipelineConfig, questions: Sequence[QuestionConfig]) -> list[str]:
    """The `TO FILL IN` placeholders `consolidate init` left in the config, one line each."""
    title = cfg.report.title.startswith(TO_FILL_IN)
    return [f"report.title is still {TO_FILL_IN}: write the report's title in the config"] * title + [
        f"question {q.id}: its text is still {TO_FILL_IN}: write the question asked in the config"
        for q in questions
        if (q.text or "").startswith(TO_FILL_IN)
    ]


def option_mismatches(questions: Sequence[QuestionConfig], cells: dict[str, list[list[Cell]]]) -> list[str]:
    """Choice questions whose answers mostly are not among their configured options."""
    out: list[str] = []
    for q in questions:
        if q.kind not in CHOICE_KINDS or not q.options:
            continue
        values = [(value, status) for parts in cells[q.id] for value, status, _ in parts]
        bad = [value for value, status in values if status == "unreadable"]
        if bad and len(bad) * 2 > len(values):
            seen = ", ".join(repr(one_line(v, 30)) for v in dict.fromkeys(bad).keys() if v)
            out.append(
                f"question {q.id}: {len(bad)} of {len(values)} answers are not among its options "
                f"{[one_line(o, 30) for o in q.options][:8]} (found {one_line(seen, 120)}); fix the options of "
                f"{q.id} in the config (`consolidate init` lists the values it finds)"
            )
    return out


def header_mismatch(raw: RawExport, cfg: PipelineConfig) -> list[str]:
    """`input.header_rows` reading responses as header rows."""
    if not raw.header_like_data:
        return []
    rows = ", ".join(str(r) for r in raw.header_like_data)
    return [
        f"input.header_rows: {cfg.input.header_rows} reads row(s) {rows} of {raw.where} as header rows, but they "
        "look like responses; lower input.header_rows (or leave it out to use the format's own)"
    ]


def reader_issues(raw: RawExport, respondent_of: dict[int, str]) -> list[dict[str, Any]]:
    """Issue rows for the encoding guess, extra header rows, ragged rows and merged cells."""
    rows: list[tuple[int | None, str | None, str]] = []
    if raw.encoding_confidence not in (None, "certain"):
        rows.append(
            (
                None,
                None,
                f"encoding: {raw.encoding_note} (confidence {raw.encoding_confidence}); if accented letters look "
                "wrong in the outputs, set input.encoding (e.g. cp1252, mac_roman, cp1250)",
            )
        )
    for row in raw.extra_header_rows:
        like = " but looks like a response" if row in raw.header_like_data else ", not as a response"
        rows.append((row, None, f"read as a header row (input.header_rows){like}"))
    rows += list(raw.problems)
    return [
        {
            "stage": "ingest",
            "question_id": None,
            "respondent_id": respondent_of.get(row) if row is not None else None,
            "source_row": row,
            "column": column,
            "problem": problem,
        }
        for row, column, problem in rows
    ]


def encoding_warning(raw: RawExport) -> list[str]:
    """A console warning when the encoding was guessed with low confidence."""
    if raw.encoding_confidence != "low":
        return []
    return [f"{raw.where}: {raw.encoding_note}; low confidence: check accented letters or set input.encoding"]
