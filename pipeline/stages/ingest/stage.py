"""Ingest: raw export -> respondents, questions, answers, counts and issues tables (pure; touches no files).

Respondent ids: the export's own response id (`ID` in Microsoft Forms, `ResponseId` in Qualtrics, `Respondent
ID` in SurveyMonkey, `id` in LimeSurvey, `Reference` in EU Survey, `comment-id` in Polis, or `input.id_column`)
when every response has one, they are unique and none looks like an email address, and the column is not
configured as personal; otherwise `R0001`, `R0002`, ... in file order (stable while rows are only appended).

Polis exports have one row per comment, and each comment is one response (its id the comment id): a comment is a
statement put to the room, not its author's voice (a moderator often seeds most of them), so every count of the
open question is of comments, and `questions.unit` says so (`comment`; `respondent` for every other export). The
comment's author (`author-id`) is kept in the votes table, with its votes per comment (and per opinion group).

Answers are long: one row per respondent and question (per comment in Polis), except multi-select questions,
which get one row per chosen option (a select-all exported one column per option, `questions[].columns`, gets one
row per ticked column). Blank cells get no row (they are counted in `counts.blank`). Statuses:

- `answer`: a usable value (text trimmed, line endings normalised to LF; choice values matched to their
  configured option ignoring case and spacing are written with the option's spelling);
- `non_answer`: an open-question cell that says nothing about the question (`pipeline.detect.noise`): listed in
  `input.non_answers` (case-insensitive), without any letter or digit (`-`, `...`), a non-answer in words ("None
  at this time", "Rien à ajouter"), a pointer elsewhere ("See our written submission"), a bare link, courtesy
  or keyboard mash ("Jsjdjdj", `input.keyboard_mash`); its kind is in the `noise` column;
- `unreadable`: a likert/single/multi value that is none of the configured options; it also gets an issue row.

Email addresses and phone numbers in every kept cell are masked (`[email]`, `[phone]`, `input.mask`) before
anything else, and counted. Counts are per respondent: one is `answers` when they gave at least one answer, else
`unreadable`, else `non_answers`, else `blank`; the four add up to `respondents`. Personal and ignored questions
appear nowhere; attachment questions (uploads) only in the questions and counts tables: their cells (file names)
are never written.

`language` is the ISO 639-1 code of an open answer, detected from its text (`und` when it is too short or
ambiguous to tell; see `pipeline.languages`), and '' for other rows. `noise` is the kind of an open non-answer
(`reference`, `link`, `non_answer`, `mash`, `courtesy`), and '' for other rows.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from pipeline.artifacts import ANSWER_COLUMNS, COUNT_COLUMNS, ISSUE_COLUMNS, QUESTION_COLUMNS, RESPONDENT_COLUMNS
from pipeline.config import PipelineConfig, QuestionConfig
from pipeline.detect import clean_cell, detect_questions
from pipeline.detect.groups import option_label, ticked
from pipeline.detect.noise import NoiseRules, rules_from_config
from pipeline.detect.scales import label_key
from pipeline.detect.values import split_multi
from pipeline.errors import ConfigError
from pipeline.languages import detect_languages
from pipeline.privacy import mask_cells
from pipeline.readers import RawExport, one_line, resolve_columns
from pipeline.stages.ingest.checks import data_warnings, reader_issues
from pipeline.stages.ingest.votes import polis_votes

log = logging.getLogger(__name__)

DROPPED_KINDS = frozenset({"personal", "ignore"})
UNWRITTEN_KINDS = frozenset({"attachment"})  # counted only
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
        issues: ISSUE_COLUMNS, one row per cell or export row that could not be used, or that the reader changed.
        votes: VOTE_COLUMNS (Polis votes per comment and opinion group); empty for other exports.
        masked: Masks applied per kind (`email`, `phone`).
        warnings: One line per problem the user should see (console, manifest, report annex).
    """

    respondents: pd.DataFrame
    questions: pd.DataFrame
    answers: pd.DataFrame
    counts: pd.DataFrame
    issues: pd.DataFrame
    votes: pd.DataFrame
    masked: dict[str, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Rows:
    """The export rows that are responses: frame positions, respondent ids and file row numbers.

    `authors` is each row's author where rows are comments (Polis), else empty.
    """

    positions: list[int]
    ids: list[str]
    source: list[int]
    authors: list[str] = field(default_factory=list)


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
        ConfigError: A meta id clashes with a respondents-table column, or config and data disagree (ingest_checks).
    """
    questions = cfg.questions or [
        d.to_config() for d in detect_questions(raw, cfg.input.non_answers, cfg.report.language)
    ]
    names = [name for q in questions for name in (q.columns or [q.column])]
    columns = resolve_columns(raw, list(dict.fromkeys(names)))
    kept = [q for q in questions if q.kind not in DROPPED_KINDS]
    _check_meta_ids(kept)
    raw, masked = _masked(raw, {columns[n] for q in kept for n in (q.columns or [q.column])}, cfg.input.mask)
    rows = _respondent_rows(raw, columns, questions)
    noise = rules_from_config(cfg)
    cells = {q.id: _question_cells(q, raw, columns, rows, noise) for q in kept}
    written = [q for q in kept if q.kind not in UNWRITTEN_KINDS]
    records = [r for q in written for r in _answer_records(q, cells[q.id], rows)]
    answers = _with_noise(_with_languages(records, written), written, noise)
    issues = [record for q in written for record in _issue_records(q, columns[q.column], cells[q.id], rows)]
    counts = [_count_record(q, cells[q.id], rows) for q in kept]
    records = [_question_record(q, i, raw, columns) for i, q in enumerate(kept, start=1)]
    return IngestResult(
        respondents=_respondents(raw, rows, kept, columns),
        questions=_frame(records, QUESTION_COLUMNS, {"position": "int64"}),
        answers=_frame(answers, ANSWER_COLUMNS, {"source_row": "int64"}),
        counts=_frame(counts, COUNT_COLUMNS, dict.fromkeys(COUNT_COLUMNS[2:], "int64")),
        issues=_issue_table(raw, rows, issues),
        votes=polis_votes(raw, [q for q in kept if q.kind == "open"], columns, rows.positions, rows.ids, rows.authors),
        masked=masked,
        warnings=data_warnings(raw, cfg, kept, cells),
    )


def _masked(raw: RawExport, names: set[str], kinds: Sequence[str]) -> tuple[RawExport, dict[str, int]]:
    """The export with contact details masked in the given columns (a copy), and the masks per kind."""
    if not kinds:
        return raw, {}
    frame = raw.frame.copy()
    total: Counter[str] = Counter()
    for name in sorted(names):
        cells, counts = mask_cells(frame[name].tolist(), kinds)
        frame[name] = pd.Series(cells, index=frame.index, dtype=frame[name].dtype)
        total.update(counts)
    return replace(raw, frame=frame), {kind: total[kind] for kind in kinds}


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
    return _Rows(positions, ids, source, _authors(raw, positions))


def _authors(raw: RawExport, positions: list[int]) -> list[str]:
    """Each kept row's author where rows are comments (Polis `author-id`; blank: `row<N>`), else []."""
    if raw.author_column is None:
        return []
    cells = raw.frame[raw.author_column].tolist()
    return [clean_cell(cells[i]) or f"row{raw.source_rows[i]}" for i in positions]


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
    q: QuestionConfig, raw: RawExport, columns: dict[str, str], rows: _Rows, text: NoiseRules
) -> list[list[Cell]]:
    """Rows of every response's cell of one question."""
    if q.columns:
        return _ticked_cells(q, raw, [columns[c] for c in q.columns], rows)
    values = raw.frame[columns[q.column]].tolist()
    return [_cell(q, values[i], raw.separator, text) for i in rows.positions]


def _ticked_cells(q: QuestionConfig, raw: RawExport, names: list[str], rows: _Rows) -> list[list[Cell]]:
    """A select-all exported one column per option: each ticked column is one chosen option."""
    labels = list(q.options) or [option_label(raw.info(n)) for n in names]
    cells = [raw.frame[n].tolist() for n in names]
    return [
        [(label, "answer", None) for label, column in zip(labels, cells, strict=True) if ticked(str(column[i] or ""))]
        for i in rows.positions
    ]


def _cell(q: QuestionConfig, cell: object, separator: str, rules: NoiseRules) -> list[Cell]:
    """Rows for one cell: (value, status, problem). An open cell of only spaces is a non-answer, not a blank."""
    text = clean_cell(cell)
    if q.kind == "open" and (text or (isinstance(cell, str) and cell)):
        return [(text, "non_answer" if rules.answer_kind(text) else "answer", None)]
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


def _with_languages(records: list[dict[str, Any]], questions: Sequence[QuestionConfig]) -> list[dict[str, Any]]:
    """Answer records with `language`: detected for open answers (`und` when unsure), '' for the others."""
    open_ids = {q.id for q in questions if q.kind == "open"}
    is_open = [r["question_id"] in open_ids and r["status"] == "answer" for r in records]
    found = iter(detect_languages(str(r["value"]) for r, o in zip(records, is_open, strict=True) if o))
    return [{**r, "language": next(found) if o else ""} for r, o in zip(records, is_open, strict=True)]


def _with_noise(
    records: list[dict[str, Any]], questions: Sequence[QuestionConfig], rules: NoiseRules
) -> list[dict[str, Any]]:
    """Answer records with `noise`: the kind of an open non-answer (`detect.noise`), '' for the others."""
    open_ids = {q.id for q in questions if q.kind == "open"}

    def kind(record: dict[str, Any]) -> str:
        if record["status"] != "non_answer" or record["question_id"] not in open_ids:
            return ""
        return rules.answer_kind(str(record["value"])) or "non_answer"  # whitespace only: a non-answer

    return [{**r, "noise": kind(r)} for r in records]


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


def _count_record(q: QuestionConfig, cells: list[list[Cell]], rows: _Rows) -> dict[str, Any]:
    by_respondent: dict[str, set[str]] = {}
    for parts, rid in zip(cells, rows.ids, strict=True):
        by_respondent.setdefault(rid, set()).update(status for _, status, _ in parts)
    statuses = list(by_respondent.values())
    answered = sum("answer" in s for s in statuses)
    unreadable = sum("unreadable" in s and "answer" not in s for s in statuses)
    non_answers = sum(s == {"non_answer"} for s in statuses)
    return {
        "question_id": q.id,
        "kind": q.kind,
        "respondents": len(statuses),
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
        "unit": raw.unit if q.kind == "open" else "respondent",
    }


def _respondents(
    raw: RawExport, rows: _Rows, questions: Sequence[QuestionConfig], columns: dict[str, str]
) -> pd.DataFrame:
    seen: dict[str, int] = {}
    for k, rid in enumerate(rows.ids):
        seen.setdefault(rid, k)  # a respondent owning several rows is listed at their first
    first = list(seen.values())
    data: dict[str, Any] = {
        "respondent_id": pd.Series([rows.ids[k] for k in first], dtype="str"),
        "source_row": pd.Series([rows.source[k] for k in first], dtype="int64"),
    }
    for q in questions:
        if q.kind == "meta":
            cells = raw.frame[columns[q.column]].tolist()
            values = [clean_cell(cells[rows.positions[k]]) or None for k in first]
            data[q.id] = pd.Series(values, dtype="str")
    return pd.DataFrame(data)


def _issue_table(raw: RawExport, rows: _Rows, cells: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows left out (Polis moderation), what the reader noticed (encoding, ragged rows, ...), unusable cells."""
    noticed = reader_issues(raw, dict(zip(rows.source, rows.ids, strict=True)))
    return _frame(_excluded_issues(raw) + noticed + cells, ISSUE_COLUMNS, {"source_row": "Int64"})


def _frame(records: list[dict[str, Any]], columns: list[str], dtypes: dict[str, str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=columns) if records else pd.DataFrame(columns=columns)
    types = {c: dtypes.get(c, "object" if c == "options" else "str") for c in columns}
    return frame.astype(types)
