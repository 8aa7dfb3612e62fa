"""Data model of the closed stage's result: plain dataclasses, their JSON form and their CSV tables."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from pipeline.artifacts import ISSUE_COLUMNS

BREAKDOWN_COLUMNS = [
    "question_id",
    "attribute",
    "group",
    "respondents",
    "answered",
    "base",
    "option",
    "count",
    "share",
    "agree",
    "agree_share",
]


@dataclass(frozen=True)
class OptionCount:
    """Respondents choosing one option; `share` is None when the option is kept out of the base or base is 0."""

    option: str
    count: int
    share: float | None
    na: bool = False


@dataclass(frozen=True)
class QuestionStats:
    """Statistics of one closed question (or one likert statement)."""

    question_id: str
    text: str
    label: str
    kind: str
    block: str | None
    chart_id: str
    respondents: int
    answered: int
    skipped: int
    na: int
    base: int
    options: tuple[OptionCount, ...]
    agree_options: tuple[str, ...] = ()
    agree: int | None = None
    agree_share: float | None = None
    agree_low: float | None = None
    agree_high: float | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChartGroup:
    """Questions drawn in one chart: a likert block (one bar per statement) or one single/multi question."""

    chart_id: str
    kind: str
    title: str
    question_ids: tuple[str, ...]
    position: int
    threshold: float | None = None
    sentence: str | None = None
    items: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class ClosedResult:
    """Everything the closed stage computes; `closed_to_dict` makes it JSON-able."""

    respondents: int
    questions: tuple[QuestionStats, ...]
    groups: tuple[ChartGroup, ...]
    breakdowns: pd.DataFrame
    issues: pd.DataFrame
    settings: dict[str, Any] = field(default_factory=dict)

    def question(self, question_id: str) -> QuestionStats:
        """Statistics of one question by id."""
        for stats in self.questions:
            if stats.question_id == question_id:
                return stats
        raise KeyError(question_id)


def format_pct(share: float | None, decimals: int = 1) -> str:
    """`0.8512` -> `85.1%`; None -> `n/a`."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "n/a"
    return f"{share * 100:.{decimals}f}%"


def format_threshold(share: float) -> str:
    """`0.85` -> `85%`, `0.875` -> `87.5%` (no trailing zeros)."""
    return f"{share * 100:.2f}".rstrip("0").rstrip(".") + "%"


def option_table(stats: QuestionStats) -> pd.DataFrame:
    """Columns `option, count, share, na` of one question, in scale order."""
    return pd.DataFrame([asdict(o) for o in stats.options], columns=["option", "count", "share", "na"])


def summary_table(result: ClosedResult) -> pd.DataFrame:
    """One row per question: base figures and (likert) agree share with its interval."""
    columns = [
        "question_id",
        "kind",
        "chart_id",
        "text",
        "respondents",
        "answered",
        "skipped",
        "na",
        "base",
        "agree",
        "agree_share",
        "agree_low",
        "agree_high",
    ]
    return pd.DataFrame([{c: asdict(s)[c] for c in columns} for s in result.questions], columns=columns)


def closed_to_dict(result: ClosedResult) -> dict[str, Any]:
    """JSON-able dict of a result (issues are written separately as CSV)."""
    breakdowns = result.breakdowns.astype(object).where(result.breakdowns.notna(), None)
    return {
        "respondents": result.respondents,
        "settings": result.settings,
        "questions": [asdict(s) for s in result.questions],
        "groups": [asdict(g) for g in result.groups],
        "breakdowns": breakdowns.to_dict(orient="records"),
    }


def closed_from_dict(data: dict[str, Any]) -> ClosedResult:
    """Rebuild a ClosedResult from `closed_to_dict` output (e.g. closed.json)."""
    questions = tuple(
        QuestionStats(
            **{
                **q,
                "options": tuple(OptionCount(**o) for o in q["options"]),
                "agree_options": tuple(q["agree_options"]),
                "notes": tuple(q["notes"]),
            }
        )
        for q in data["questions"]
    )
    groups = tuple(
        ChartGroup(**{**g, "question_ids": tuple(g["question_ids"]), "items": tuple(g["items"])})
        for g in data["groups"]
    )
    return ClosedResult(
        respondents=int(data["respondents"]),
        questions=questions,
        groups=groups,
        breakdowns=pd.DataFrame(data.get("breakdowns", []), columns=BREAKDOWN_COLUMNS),
        issues=pd.DataFrame(columns=ISSUE_COLUMNS),
        settings=dict(data.get("settings", {})),
    )
