"""The linked closed answer: how a finding's respondents answered the closed question its open question explains.

An open question with `explains: <closed question id>` ("Do you agree ...?" followed by "Please explain") gets,
for each finding, the closed question's statistics among the finding's respondents, computed exactly as the closed
stage computes them for everyone (`pipeline.stages.closed.question_stats`: options in scale order, N/A apart).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from pipeline.config import ClosedConfig
from pipeline.messages import Messages
from pipeline.stages.closed import QuestionSpec, QuestionStats, question_spec, question_stats, statement_label


@dataclass(frozen=True)
class LinkedQuestion:
    """The closed question an open question explains, with its answer rows and the authors of the open statements."""

    spec: QuestionSpec
    rows: pd.DataFrame
    respondent_of: Mapping[str, str]
    settings: ClosedConfig

    def among(self, members: Iterable[str]) -> QuestionStats:
        """The closed question's statistics among the respondents of these statements."""
        ids = sorted({self.respondent_of[m] for m in members if m in self.respondent_of})
        rows = self.rows[self.rows["respondent_id"].astype(str).isin(ids)]
        return question_stats(self.spec, rows, len(ids), self.settings)


def linked_questions(
    questions: pd.DataFrame,
    answers: pd.DataFrame,
    statements: pd.DataFrame,
    explains: Mapping[str, str],
    closed_for: Callable[[str], ClosedConfig],
) -> dict[str, LinkedQuestion]:
    """Open question id -> the closed question it explains (`explains` maps open ids to closed ids)."""
    out: dict[str, LinkedQuestion] = {}
    for open_id, closed_id in explains.items():
        spec = question_spec(questions, closed_id)
        if spec is None:
            continue
        mine = statements[statements["question_id"] == open_id]
        respondent_of = dict(zip(mine["statement_id"].astype(str), mine["respondent_id"].astype(str), strict=True))
        rows = answers[answers["question_id"] == closed_id]
        out[open_id] = LinkedQuestion(spec, rows, respondent_of, closed_for(closed_id))
    return out


def answer_counts(stats: QuestionStats, most: int = 6) -> list[tuple[str, int]]:
    """The options chosen, with their counts: scale order for likert and single, most chosen first for multi."""
    chosen = [(o.option, o.count) for o in stats.options if o.count > 0]
    if stats.kind == "multi":
        chosen.sort(key=lambda pair: -pair[1])
    return chosen[:most]


def closed_label(spec: QuestionSpec) -> str:
    """The closed question as asked: a likert statement with its block's lead-in, others by their text."""
    if not spec.block:
        return " ".join(spec.text.split())
    lead = spec.block.strip().rstrip(".…: ")
    return f"{lead} {statement_label(spec.text, spec.block)}"


def linked_sentence(stats: QuestionStats, msgs: Messages) -> str:
    """The sentence `Of these 14 respondents: 6 Strongly agree, 3 Somewhat agree; 1 did not answer it.`."""
    chosen = ", ".join(f"{msgs.number(str(count))} {option}" for option, count in answer_counts(stats))
    line = msgs(
        "open.linked",
        respondents=msgs.count("n.respondent", stats.respondents),
        answers=chosen or msgs("open.linked_none"),
    )
    missing = stats.respondents - stats.answered
    return line + (msgs("open.linked_missing", n=missing) if missing > 0 else "") + "."
