"""The results in parts: `report.parts` as configured, else one per run of closed questions and the open ones after.

A run is the shape of a questionnaire's page: a few closed questions, then "please explain" or "any suggestions?".

An *item* is what the results show in one place: a closed chart group (a likert block's statements share one) or
an open question. Items keep questionnaire order inside a part. An open "Other, please specify" follow-up goes with
its choice question: it never ends a run, and it joins its question's part unless listed elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from pipeline.config import ReportPart
from pipeline.errors import ConfigError
from pipeline.stages.closed import ChartGroup


@dataclass(frozen=True)
class Item:
    """A closed chart group (key: its chart id) or an open question (key: its id), at its questionnaire position."""

    key: str
    ids: tuple[str, ...]
    closed: bool
    position: int
    block: str | None = None
    follow_up_of: str | None = None


@dataclass(frozen=True)
class Part:
    """A part of the results: its items in questionnaire order, and the configured title and intro, if any."""

    items: tuple[Item, ...]
    title: str | None = None
    intro: str | None = None


def result_items(questions: pd.DataFrame, groups: Sequence[ChartGroup]) -> list[Item]:
    """Every closed chart group and open question of the run, in questionnaire order.

    Args:
        questions: `question_id, kind, block, other_of, position` (01_ingest/questions.parquet).
        groups: the closed stage's chart groups.
    """
    blocks = dict(zip(questions["question_id"].astype(str), questions["block"], strict=True))
    items = [Item(g.chart_id, g.question_ids, True, g.position, _block(g, blocks)) for g in groups]
    for q in questions[questions["kind"] == "open"].to_dict(orient="records"):
        parent = q["other_of"] if isinstance(q["other_of"], str) else None
        items.append(Item(str(q["question_id"]), (str(q["question_id"]),), False, int(q["position"]), None, parent))
    return sorted(items, key=lambda item: item.position)


def _block(group: ChartGroup, blocks: dict[str, object]) -> str | None:
    block = blocks.get(group.question_ids[0])
    return block if group.kind == "likert" and isinstance(block, str) else None


def question_runs(items: Sequence[Item], by_block: bool = False) -> list[list[Item]]:
    """Items cut into runs: a closed item after an open question starts a new run.

    With `by_block`, a run also ends where a likert block starts or ends (the export's own grouping, which
    `consolidate init` proposes as parts).
    """
    runs: list[list[Item]] = []
    for item in items:
        if not runs or _starts_run(runs[-1], item, by_block):
            runs.append([])
        runs[-1].append(item)
    return runs


def _starts_run(run: list[Item], item: Item, by_block: bool) -> bool:
    if not item.closed:
        return False
    if any(not i.closed and i.follow_up_of is None for i in run):
        return True
    closed = [i for i in run if i.closed]
    return by_block and bool(closed) and item.block != closed[-1].block


def plan_parts(items: Sequence[Item], configured: Sequence[ReportPart]) -> list[Part]:
    """The configured parts in their order, then the items they leave out, in runs (all in runs when none).

    Raises:
        ConfigError: a part lists an id that is not a closed or open question of this run.
    """
    missing = sorted({q for part in configured for q in part.questions} - {q for i in items for q in i.ids})
    if missing:
        raise ConfigError(
            f"report.parts lists {missing}, which are not closed or open questions of this export; use the ids "
            "under 'questions' in the config, or remove them."
        )
    where = _part_of(items, configured)
    parts = [
        Part(tuple(i for i in items if where.get(i.key) == n), part.title, part.intro)
        for n, part in enumerate(configured)
    ]
    rest = [i for i in items if i.key not in where]
    return parts + [Part(tuple(run)) for run in question_runs(rest)]


def _part_of(items: Sequence[Item], configured: Sequence[ReportPart]) -> dict[str, int]:
    """Item key -> index of its part: the first part listing one of its ids; an unlisted follow-up, its question's."""
    listed = {q: n for n, part in reversed(list(enumerate(configured))) for q in part.questions}
    where = {i.key: min(listed[q] for q in i.ids if q in listed) for i in items if any(q in listed for q in i.ids)}
    for item in items:
        if item.key not in where and item.follow_up_of is not None:
            parent = next((i.key for i in items if item.follow_up_of in i.ids), None)
            if parent in where:
                where[item.key] = where[parent]
    return where
