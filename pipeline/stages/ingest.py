"""Ingest: raw export -> respondents, questions, answers, counts and issues tables (pure; touches no files).

Respondent ids: the export's own response id (`ID` in Microsoft Forms, `ResponseId` in Qualtrics, `Respondent
ID` in SurveyMonkey, `id` in LimeSurvey, `Reference` in EU Survey, `comment-id` in Polis, or `input.id_column`)
when every response has one, they are unique and none looks like an email address, and the column is not
configured as personal; otherwise `R0001`, `R0002`, ... in file order (stable while rows are only appended).

Answers are long: one row per respondent and question, except multi-select questions, which get one row per
chosen option. Blank cells get no row (they are counted in `counts.blank`). Statuses:

- `answer`: a usable value (text trimmed, line endings normalised to LF; choice values matched to their
  configured option ignoring case and spacing are written with the option's spelling);
- `non_answer`: an open-question cell listed in `input.non_answers` (case-insensitive) or without any letter
  or digit (`-`, `...`);
- `unreadable`: a likert/single/multi value that is none of the configured options; it also gets an issue row.

Counts are per cell: a cell is `answers` when it holds at least one answer, else `unreadable`, else
`non_answers`, else `blank`; the four add up to `respondents`. Personal and ignored questions appear nowhere.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from pipeline.artifacts import ANSWER_COLUMNS, COUNT_COLUMNS, ISSUE_COLUMNS, QUESTION_COLUMNS, RESPONDENT_COLUMNS
from pipeline.config import PipelineConfig, QuestionConfig
from pipeline.detect import clean_cell, detect_questions
from pipeline.detect.scales import label_key
from pipeline.detect.values import is_non_answer, non_answer_keys, split_multi
from pipeline.errors import ConfigError
from pipeline.readers import RawExport, one_line, resolve_columns

log = logging.getLogger(__name__)

DROPPED_KINDS = frozenset({"personal", "ignore"})
CHOICE_KINDS = frozenset({"likert", "single", "multi"})
Cell = tuple[str, str, str | None]  # value, status, problem (for issues)


@dataclass(frozen=True)
class IngestResult:
    """The tables of the ingest stage (column contracts in `pipeline.artifacts`).

    Attributes:
        respondents: RESPONDENT_COLUMNS + one column per `meta` question id.
        questions: QUESTION_COLUMNS, one row per kept question (personal and ignored ones left out).
        answers: ANSWER_COLUMNS, long format.
        counts: COUNT_COLUMNS, one row per kept question.
        issues: ISSUE_COLUMNS, one row per cell or export row that could not be used.
    """

    respondents: pd.DataFrame
    questions: pd.DataFrame
    answers: pd.DataFrame
    counts: pd.DataFrame
    issues: pd.DataFrame


@dataclass(frozen=True)
class _Rows:
    """The export rows that are responses: frame positions, respondent ids and file row numbers."""

    positions: list[int]
    ids: list[str]
    source: list[int]


def run_ingest(raw: RawExport, cfg: PipelineConfig) -> IngestResult:
    """Turn a raw export into the ingest tables.

    Args:
        raw: The export as read by `pipeline.readers.read_export`.
        cfg: The config; `questions` says what each column is (detected, as `consolidate init` does, when empty)
            and `input.non_answers` lists the open-answer cells that are not answers.

    Returns:
        Respondents, questions, answers, counts and issues tables.

    Raises:
        InputError: The config names columns that are not in the export (all listed at once).
        ConfigError: A meta question id clashes with a respondents-table column.
    """
    questions = cfg.questions or [d.to_config() for d in detect_questions(raw, cfg.input.non_answers)]
    columns = resolve_columns(raw, list(dict.fromkeys(q.column for q in questions)))
    kept = [q for q in questions if q.kind not in DROPPED_KINDS]
    _check_meta_ids(kept)
    rows = _respondent_rows(raw, columns, questions)
    skip = non_answer_keys(cfg.input.non_answers)
    cells = {q.id: _question_cells(q, raw, columns[q.column], rows, skip) for q in kept}
    answers = [record for q in kept for record in _answer_records(q, cells[q.id], rows)]
    issues = [record for q in kept for record in _issue_records(q, columns[q.column], cells[q.id], rows)]
    counts = [_count_record(q, cells[q.id]) for q in kept]
    return IngestResult(
        respondents=_respondents(raw, rows, kept, columns),
        questions=_frame(
            [_question_record(q, i, raw, columns) for i, q in enumerate(kept, start=1)],
            QUESTION_COLUMNS,
            {"position": "int64"},
        ),
        answers=_frame(answers, ANSWER_COLUMNS, {"source_row": "int64"}),
        counts=_frame(counts, COUNT_COLUMNS, dict.fromkeys(COUNT_COLUMNS[2:], "int64")),
        issues=_frame(_excluded_issues(raw) + issues, ISSUE_COLUMNS, {"source_row": "Int64"}),
    )


def _check_meta_ids(questions: Sequence[QuestionConfig]) -> None:
    clashes = [q.id for q in questions if q.kind == "meta" and q.id in RESPONDENT_COLUMNS]
    if clashes:
        raise ConfigError(f"Meta question id(s) {clashes} clash with respondents-table columns; rename them.")


def _respondent_rows(raw: RawExport, columns: dict[str, str], questions: Sequence[QuestionConfig]) -> _Rows:
    positions = [i for i in range(len(raw.frame)) if i not in raw.excluded]
    source = [raw.source_rows[i] for i in positions]
    personal = {columns[q.column] for q in questions if q.kind == "personal"} | set(raw.personal)
    own = _own_ids(raw, positions, personal)
    width = max(4, len(str(len(positions))))
    ids = own or [f"R{k:0{width}d}" for k in range(1, len(positions) + 1)]
    return _Rows(positions, ids, source)


def _own_ids(raw: RawExport, positions: list[int], personal: set[str]) -> list[str] | None:
    column = raw.id_column
    if column is None or column in personal:
        return None
    cells = raw.frame[column].tolist()
    values = [clean_cell(cells[i]) for i in positions]
    usable = all(values) and len(set(values)) == len(values)
    if not usable or any("@" in v or "\n" in v or len(v) > 64 for v in values):
        log.warning(
            "%s: ids in column %r are blank, repeated or unsuitable; numbering respondents R0001...", raw.where, column
        )
        return None
    return values


def _question_cells(
    q: QuestionConfig, raw: RawExport, column: str, rows: _Rows, skip: frozenset[str]
) -> list[list[Cell]]:
    """Rows of every response's cell of one question."""
    values = raw.frame[column].tolist()
    separator = raw.info(column).separator or raw.separator
    return [_cell(q, values[i], separator, skip) for i in rows.positions]


def _cell(q: QuestionConfig, cell: object, separator: str, skip: frozenset[str]) -> list[Cell]:
    """Rows for one cell: (value, status, problem). An open cell of only spaces is a non-answer, not a blank."""
    text = clean_cell(cell)
    if q.kind == "open" and (text or (isinstance(cell, str) and cell)):
        return [(text, "non_answer" if is_non_answer(text, skip) else "answer", None)]
    if not text:
        return []
    if q.kind == "multi":
        return [_choice(q, part) for part in split_multi(text, separator, q.options)]
    if q.kind in CHOICE_KINDS:
        return [_choice(q, text)]
    return [(text, "answer", None)]


def _choice(q: QuestionConfig, value: str) -> Cell:
    if not q.options or value in q.options:
        return (value, "answer", None)
    key = label_key(value)
    match = next((o for o in q.options if label_key(o) == key), None)
    if match is not None:
        return (match, "answer", None)
    problem = (
        f"value {one_line(value)!r} is not one of the {len(q.options)} options of {q.id}; "
        f"add it to questions[{q.id}].options or correct the cell"
    )
    return (value, "unreadable", problem)


def _answer_records(q: QuestionConfig, cells: list[list[Cell]], rows: _Rows) -> list[dict[str, Any]]:
    return [
        {"respondent_id": rid, "question_id": q.id, "value": value, "status": status, "source_row": src}
        for parts, rid, src in zip(cells, rows.ids, rows.source, strict=True)
        for value, status, _ in parts
    ]


def _issue_records(q: QuestionConfig, column: str, cells: list[list[Cell]], rows: _Rows) -> list[dict[str, Any]]:
    return [
        {
            "stage": "ingest",
            "question_id": q.id,
            "respondent_id": rid,
            "source_row": src,
            "column": column,
            "problem": problem,
        }
        for parts, rid, src in zip(cells, rows.ids, rows.source, strict=True)
        for _, _, problem in parts
        if problem
    ]


def _excluded_issues(raw: RawExport) -> list[dict[str, Any]]:
    return [
        {
            "stage": "ingest",
            "question_id": None,
            "respondent_id": None,
            "source_row": raw.source_rows[i],
            "column": None,
            "problem": reason,
        }
        for i, reason in sorted(raw.excluded.items())
    ]


def _count_record(q: QuestionConfig, cells: list[list[Cell]]) -> dict[str, Any]:
    statuses = [{status for _, status, _ in parts} for parts in cells]
    answered = sum("answer" in s for s in statuses)
    unreadable = sum("unreadable" in s and "answer" not in s for s in statuses)
    non_answers = sum(s == {"non_answer"} for s in statuses)
    return {
        "question_id": q.id,
        "kind": q.kind,
        "respondents": len(cells),
        "answers": answered,
        "non_answers": non_answers,
        "blank": sum(not s for s in statuses),
        "unreadable": unreadable,
    }


def _question_record(q: QuestionConfig, position: int, raw: RawExport, columns: dict[str, str]) -> dict[str, Any]:
    column = columns[q.column]
    return {
        "question_id": q.id,
        "text": q.text or raw.info(column).header,
        "kind": q.kind,
        "options": list(q.options),
        "block": q.block,
        "other_of": q.other_of,
        "source_column": column,
        "position": position,
    }


def _respondents(
    raw: RawExport, rows: _Rows, questions: Sequence[QuestionConfig], columns: dict[str, str]
) -> pd.DataFrame:
    data: dict[str, Any] = {
        "respondent_id": pd.Series(rows.ids, dtype="str"),
        "source_row": pd.Series(rows.source, dtype="int64"),
    }
    for q in questions:
        if q.kind == "meta":
            cells = raw.frame[columns[q.column]].tolist()
            values = [clean_cell(cells[i]) or None for i in rows.positions]
            data[q.id] = pd.Series(values, dtype="str")
    return pd.DataFrame(data)


def _frame(records: list[dict[str, Any]], columns: list[str], dtypes: dict[str, str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=columns) if records else pd.DataFrame(columns=columns)
    types = {c: dtypes.get(c, "object" if c == "options" else "str") for c in columns}
    return frame.astype(types)
