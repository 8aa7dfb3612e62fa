"""Closed questions (likert, single, multi) -> option counts and shares, agree rates with intervals, breakdowns.

Definitions used everywhere (and stated in the report's Method section):

- *answered*: respondents with at least one readable answer to the question (N/A included);
- *skipped*: respondents of the survey without such an answer;
- *N/A*: answers whose value is one of `closed.na_values` (non-substantive options such as "No opinion",
  "Don't know", N/A; case, spacing and apostrophes ignored) or that ingest marked `non_answer`; with
  `na_mode: exclude` they are counted but kept out of the base, with `include` they are part of it. "Other" is
  a real option: in the base;
- *base*: the denominator of every share; for multi-select questions shares are of respondents, so they do not
  add up to 100%;
- *agree share* (likert): respondents choosing an agree option (`closed.agree`, default the top two options of
  the scale, or the top one when the scale has fewer than three options) over the base, with a Wilson score
  interval at `closed.confidence`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from statistics import NormalDist
from typing import Any

import pandas as pd

from pipeline.artifacts import ISSUE_COLUMNS
from pipeline.config import CLOSED_KINDS, ClosedConfig, PipelineConfig
from pipeline.detect.scales import label_key
from pipeline.errors import ConfigError
from pipeline.messages import Messages
from pipeline.stages.closed.model import (
    BREAKDOWN_COLUMNS,
    ChartGroup,
    ClosedResult,
    OptionCount,
    QuestionStats,
    format_threshold,
)
from pipeline.stages.shared.mismatch import settle

NOT_STATED = "(not stated)"


@dataclass(frozen=True)
class QuestionSpec:
    """One closed question as the questions table describes it (options in scale order)."""

    question_id: str
    text: str
    kind: str
    options: tuple[str, ...]
    block: str | None
    position: int
    source_column: str


def run_closed(
    questions: pd.DataFrame, answers: pd.DataFrame, respondents: pd.DataFrame, cfg: PipelineConfig
) -> ClosedResult:
    """Compute the statistics of every likert, single and multi question.

    Args:
        questions: `question_id, text, kind, options, block, other_of, source_column, position`.
        answers: long answers `respondent_id, question_id, value, status, source_row`.
        respondents: `respondent_id, source_row` + one column per meta question id.
        cfg: pipeline config; `closed` settings (with per-question overrides) apply.

    Returns:
        ClosedResult with per-question stats, chart groups with threshold sentences, a long breakdown table
        (BREAKDOWN_COLUMNS) and the rows that could not be counted (ISSUE_COLUMNS).
    """
    specs = _specs(questions)
    total = len(respondents)
    by_question = {qid: rows for qid, rows in answers.groupby("question_id", sort=False)}
    empty = answers.iloc[0:0]
    stats: list[QuestionStats] = []
    breakdowns: list[pd.DataFrame] = []
    issues: list[pd.DataFrame] = []
    for spec in specs:
        ccfg = closed_config(cfg, spec.question_id)
        rows = by_question.get(spec.question_id, empty)
        stats.append(question_stats(spec, rows, total, ccfg, chart_id=_chart_id(spec, specs)))
        breakdowns.append(_breakdown(spec, rows, respondents, ccfg))
        issues.append(_issues(spec, rows))
    groups = _groups(specs, stats, cfg)
    result = ClosedResult(
        respondents=total,
        questions=tuple(stats),
        groups=groups,
        breakdowns=_concat(breakdowns, BREAKDOWN_COLUMNS),
        issues=_concat(issues, ISSUE_COLUMNS),
        settings=cfg.closed.model_dump(mode="json"),
    )
    settle(agree_mismatches(result, cfg), cfg)
    return result


def agree_mismatches(result: ClosedResult, cfg: PipelineConfig) -> list[str]:
    """Likert questions lacking an option that `closed.agree` names (their agree share would be understated)."""
    out: list[str] = []
    for stats in result.questions:
        agree = closed_config(cfg, stats.question_id).agree
        scale = [o.option for o in stats.options]
        if stats.kind != "likert" or agree is None or not scale:
            continue
        missing = [a for a in agree if not any(label_key(a) == label_key(o) for o in scale)]
        if missing:
            out.append(
                f"closed.agree names {missing}, which question {stats.question_id} does not have (its options: "
                f"{scale[:8]}); give this question its own agree options under overrides: {{closed: {{agree: [...]}}}}"
            )
    return out


def closed_config(cfg: PipelineConfig, question_id: str) -> ClosedConfig:
    """The `closed` section with this question's overrides (questions absent from the config get the defaults)."""
    if any(q.id == question_id for q in cfg.questions):
        merged: ClosedConfig = cfg.for_question(question_id, "closed")
        return merged
    return cfg.closed


def question_stats(
    spec: QuestionSpec, rows: pd.DataFrame, respondents: int, ccfg: ClosedConfig, chart_id: str | None = None
) -> QuestionStats:
    """Statistics of one question from its answer rows (`respondent_id, value, status`)."""
    picks = _picks(rows, spec.kind, ccfg)
    answered = int(picks["respondent_id"].nunique())
    substantive = int(picks.loc[~picks["na"], "respondent_id"].nunique())
    base = answered if ccfg.na_mode == "include" else substantive
    counts: pd.Series[int] = picks.groupby("value", sort=False)["respondent_id"].nunique()
    na_values = set(picks.loc[picks["na"], "value"])
    order = _option_order(spec.options, counts, na_values)
    options = tuple(
        _option_count(o, int(counts.get(o, 0)), o in na_values or _is_na(o, ccfg), base, ccfg) for o in order
    )
    notes = _notes(spec, counts, answered)
    stats = QuestionStats(
        question_id=spec.question_id,
        text=spec.text,
        label=statement_label(spec.text, spec.block),
        kind=spec.kind,
        block=spec.block,
        chart_id=chart_id or spec.question_id,
        respondents=respondents,
        answered=answered,
        skipped=max(respondents - answered, 0),
        na=answered - substantive,
        base=base,
        options=options,
        notes=notes,
    )
    return _with_agree(stats, picks, ccfg) if spec.kind == "likert" else stats


def wilson_interval(successes: int, n: int, confidence: float) -> tuple[float, float] | None:
    """Wilson score interval of a proportion; None when there is no observation."""
    if n <= 0:
        return None
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def agree_options(options: Sequence[str], ccfg: ClosedConfig) -> tuple[str, ...]:
    """Options counted as agreement: `closed.agree`, else the top two (top one on scales under three options)."""
    if ccfg.agree is not None:  # spelled as the scale spells them
        return tuple(next((o for o in options if label_key(o) == label_key(a)), a) for a in ccfg.agree)
    scale = [o for o in options if not _is_na(o, ccfg)]
    return tuple(scale[: 2 if len(scale) >= 3 else 1])


def statement_label(text: str, block: str | None) -> str:
    """The statement part of a likert question text (the block lead-in and leading dots removed)."""
    label = text.strip()
    if block:
        lead = block.strip().rstrip(".…: ")
        if lead and label.lower().startswith(lead.lower()):
            label = label[len(lead) :]
    stripped = label.lstrip(".…:-–— ").strip()
    return stripped or text.strip()


def threshold_sentence(
    lead_in: str | None, stats: Sequence[QuestionStats], threshold: float, msgs: Messages | None = None
) -> tuple[str, tuple[str, ...]]:
    """The sentence listing statements whose agree share exceeds the threshold, and its items with figures.

    `msgs` gives the words (the report's language, `report.language`); English by default.
    """
    msgs = msgs or Messages()
    answered = [s for s in stats if s.base > 0 and s.agree_share is not None]
    limit = msgs.number(format_threshold(threshold))
    if not answered:
        return msgs("threshold.nobody"), ()
    above = [s for s in answered if s.agree_share is not None and s.agree_share > threshold]
    if not above:
        best = max(answered, key=lambda s: s.agree_share or 0.0)
        return msgs("threshold.none", limit=limit, item=_item(best, msgs)), ()
    key, words = _subject(lead_in, answered[0].agree_options, msgs)
    return msgs(key, limit=limit, **words), tuple(_item(s, msgs) for s in above)


_QUESTION_START = re.compile(
    r"^(in your (opinion|view)|how|what|which|why|when|where|who|whom|whose|to what extent|do|does|did|is|are|was|"
    r"were|should|would|could|can|will|have|has|please (rate|indicate|tell|say)|rate|indicate)\b",
    re.IGNORECASE,
)
_AGREE_WORDS = ("agree", "d'accord", "acuerdo")


def _subject(lead_in: str | None, agree: Sequence[str], msgs: Messages) -> tuple[str, dict[str, str]]:
    """The message of "More than 85% of responses ..." and its words.

    A statement stem reads "agree that <stem>"; a question stem ("In your opinion, how important are ...?") reads
    "agree with"; a scale other than agree/disagree names the options counted.
    """
    agree_scale = bool(agree) and all(any(w in label_key(o) for w in _AGREE_WORDS) for o in agree)
    stem = (lead_in or "").strip().rstrip(".…: ")
    question = stem.endswith("?") or bool(_QUESTION_START.match(stem))
    if agree_scale:
        return ("threshold.lead", {"lead": _lower_first(stem)}) if stem and not question else ("threshold.with", {})
    return "threshold.answered", {"options": msgs("closed.or").join(f"“{o}”" for o in agree)}


def _item(stats: QuestionStats, msgs: Messages) -> str:
    return msgs(
        "threshold.item", label=stats.label, pct=msgs.pct(stats.agree_share), agree=stats.agree, base=stats.base
    )


def _lower_first(text: str) -> str:
    word = text.split(" ", 1)[0]
    return text[0].lower() + text[1:] if word[:1].isupper() and word[1:].islower() else text


def question_spec(questions: pd.DataFrame, question_id: str) -> QuestionSpec | None:
    """One closed question of the questions table (None when the id is not a closed question)."""
    found = [spec for spec in _specs(questions) if spec.question_id == question_id]
    return found[0] if found else None


def _specs(questions: pd.DataFrame) -> list[QuestionSpec]:
    closed = questions[questions["kind"].isin(sorted(CLOSED_KINDS))].sort_values("position", kind="stable")
    return [
        QuestionSpec(
            question_id=str(row["question_id"]),
            text=str(row["text"]),
            kind=str(row["kind"]),
            options=_as_options(row["options"]),
            block=_opt_str(row["block"]),
            position=int(row["position"]),
            source_column=str(row["source_column"]),
        )
        for row in closed.to_dict(orient="records")
    ]


def _as_options(value: Any) -> tuple[str, ...]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ()
    return tuple(str(v) for v in value)


def _opt_str(value: Any) -> str | None:
    return None if value is None or pd.isna(value) or not str(value).strip() else str(value)


def _is_na(value: str, ccfg: ClosedConfig) -> bool:
    return label_key(value) in {label_key(v) for v in ccfg.na_values}


def _picks(rows: pd.DataFrame, kind: str, ccfg: ClosedConfig) -> pd.DataFrame:
    """Readable answers, one row per respondent and value (first value only for likert/single)."""
    usable = rows[rows["status"] != "unreadable"]
    values = usable["value"].astype(str)
    na = (usable["status"] == "non_answer") | values.map(lambda v: _is_na(v, ccfg)).astype(bool)
    picks = pd.DataFrame({"respondent_id": usable["respondent_id"].astype(str), "value": values, "na": na})
    picks = picks.drop_duplicates(["respondent_id", "value"])
    return picks if kind == "multi" else picks.drop_duplicates("respondent_id")


def _option_order(listed: Sequence[str], counts: pd.Series, na_values: set[str]) -> list[str]:
    """Listed scale options first, then unlisted values (most chosen first), N/A-like values last."""
    unlisted = sorted((str(v) for v in counts.index if v not in listed), key=lambda v: (-int(counts[v]), v))
    ordered = [o for o in listed if o not in na_values] + [o for o in unlisted if o not in na_values]
    return ordered + [o for o in listed if o in na_values] + [o for o in unlisted if o in na_values]


def _option_count(option: str, count: int, na: bool, base: int, ccfg: ClosedConfig) -> OptionCount:
    counted = not na or ccfg.na_mode == "include"
    return OptionCount(option=option, count=count, share=count / base if counted and base > 0 else None, na=na)


def _notes(spec: QuestionSpec, counts: pd.Series, answered: int) -> tuple[str, ...]:
    notes: list[str] = []
    if answered == 0:
        notes.append("No one answered this question.")
    unlisted = [str(v) for v in counts.index if spec.options and v not in spec.options]
    if unlisted:
        notes.append(f"Answers not among the listed options were counted as given: {', '.join(sorted(unlisted))}.")
    return tuple(notes)


def _with_agree(stats: QuestionStats, picks: pd.DataFrame, ccfg: ClosedConfig) -> QuestionStats:
    scale = [o.option for o in stats.options]
    chosen = agree_options(scale, ccfg)
    agree = int(picks.loc[~picks["na"] & picks["value"].isin(chosen), "respondent_id"].nunique())
    interval = wilson_interval(agree, stats.base, ccfg.confidence)
    notes = stats.notes
    missing = [o for o in chosen if o not in scale]
    if ccfg.agree is not None and missing:
        notes += (f"Agree options {missing} are not among this question's options.",)
    return replace(
        stats,
        agree_options=chosen,
        agree=agree,
        notes=notes,
        agree_share=agree / stats.base if stats.base else None,
        agree_low=interval[0] if interval else None,
        agree_high=interval[1] if interval else None,
    )


def _chart_id(spec: QuestionSpec, specs: Sequence[QuestionSpec]) -> str:
    """Likert statements of one block share the chart named after the block's first statement."""
    if spec.kind != "likert" or spec.block is None:
        return spec.question_id
    return next(s.question_id for s in specs if s.kind == "likert" and s.block == spec.block)


def _groups(
    specs: Sequence[QuestionSpec], stats: Sequence[QuestionStats], cfg: PipelineConfig
) -> tuple[ChartGroup, ...]:
    members: dict[str, list[int]] = {}
    for i, st in enumerate(stats):
        members.setdefault(st.chart_id, []).append(i)
    groups: list[ChartGroup] = []
    for chart_id, idx in members.items():
        first = specs[idx[0]]
        group = ChartGroup(
            chart_id=chart_id,
            kind=first.kind,
            title=first.block or first.text,
            question_ids=tuple(specs[i].question_id for i in idx),
            position=first.position,
        )
        if first.kind == "likert" and first.block is not None:  # threshold sentences are about a block
            threshold = closed_config(cfg, first.question_id).threshold
            sentence, items = threshold_sentence(first.block, [stats[i] for i in idx], threshold)
            group = replace(group, threshold=threshold, sentence=sentence, items=items)
        groups.append(group)
    return tuple(groups)


def _breakdown(spec: QuestionSpec, rows: pd.DataFrame, respondents: pd.DataFrame, ccfg: ClosedConfig) -> pd.DataFrame:
    """One row per (attribute, group, option): the question's statistics among that group's respondents."""
    missing = [a for a in ccfg.breakdowns if a not in respondents.columns]
    if missing:
        available = [c for c in respondents.columns if c not in ("respondent_id", "source_row")]
        raise ConfigError(f"closed.breakdowns names {missing}, which are not meta questions; use one of {available}.")
    records: list[dict[str, Any]] = []
    for attribute in ccfg.breakdowns:
        groups = respondents[attribute].astype("string").fillna(NOT_STATED).str.strip().replace("", NOT_STATED)
        for group in sorted(set(groups), key=lambda g: (g == NOT_STATED, g)):
            ids = set(respondents.loc[groups == group, "respondent_id"].astype(str))
            sub = rows[rows["respondent_id"].astype(str).isin(ids)]
            st = question_stats(spec, sub, len(ids), ccfg)
            for option in st.options:
                records.append(
                    {
                        "question_id": spec.question_id,
                        "attribute": attribute,
                        "group": group,
                        "respondents": st.respondents,
                        "answered": st.answered,
                        "base": st.base,
                        "option": option.option,
                        "count": option.count,
                        "share": option.share,
                        "agree": st.agree,
                        "agree_share": st.agree_share,
                    }
                )
    return pd.DataFrame(records, columns=BREAKDOWN_COLUMNS)


def _issues(spec: QuestionSpec, rows: pd.DataFrame) -> pd.DataFrame:
    """Unreadable cells, and extra answers to a single-choice question (only the first is counted)."""
    unreadable = rows[rows["status"] == "unreadable"].assign(problem="unreadable cell; not counted")
    extra = rows.iloc[0:0]
    if spec.kind != "multi":
        usable = rows[rows["status"] != "unreadable"]
        extra = usable[usable.duplicated("respondent_id")].assign(
            problem="several answers to a single-choice question; only the first was counted"
        )
    found = pd.concat([unreadable, extra])
    return pd.DataFrame(
        {
            "stage": "closed",
            "question_id": spec.question_id,
            "respondent_id": found["respondent_id"].astype(str),
            "source_row": found["source_row"],
            "column": spec.source_column,
            "problem": found["problem"],
        },
        columns=ISSUE_COLUMNS,
    )


def _concat(frames: Sequence[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    kept = [f for f in frames if not f.empty]
    return pd.concat(kept, ignore_index=True)[columns] if kept else pd.DataFrame(columns=columns)
