"""What one response to a question is, as ingest records it in `questions.unit`, and so what its counts count.

A survey's respondent answers each question once: findings count respondents. A Polis conversation's comment is a
statement put to the room (its support is the votes, and a moderator often writes most of them): each comment is
one response and findings count comments. Draft, report and the review page read the unit from here.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

Unit = Literal["respondent", "comment"]


def question_units(questions: pd.DataFrame) -> dict[str, Unit]:
    """Question id -> its unit (`questions.parquet`); empty for a table from before `unit` existed (respondents)."""
    if "unit" not in questions.columns:
        return {}
    ids, units = questions["question_id"].astype(str), questions["unit"].astype(str)
    return {q: "comment" if u == "comment" else "respondent" for q, u in zip(ids, units, strict=True)}
