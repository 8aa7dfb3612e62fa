"""Campaigns: one long text sent by many respondents, exactly or as a template with small edits.

A campaign is a copy group (the statements' `copy_of`: exact copies after normalisation, and near copies of
answers of at least NEAR_MIN_WORDS words, `stages/shared/copies.py`) whose text has at least NEAR_MIN_WORDS words
(a sentence or two: "More funding." sent by thousands is a common view, not a campaign) and whose senders number
at least `min_respondents` (config `campaigns`, auto = max(AUTO_FLOOR, AUTO_SHARE of the question's respondents)).
With `campaigns.separate` the cluster stage groups every statement, then takes campaign statements out of their
themes, so the other answers group as they would with the campaign kept in and a campaign of thousands of copies
never becomes "the top finding"; each campaign is one theme of its own, flagged in `clusters.parquet`'s `campaign`
column.
"""

from __future__ import annotations

import math
import re

import numpy as np

from pipeline.stages.shared.copies import NEAR_MIN_WORDS, answer_keys, near_duplicate_keys

AUTO_FLOOR = 5  # WWCO's coordinated block is six Sector Members; chance copies of a long text are two at most
AUTO_SHARE = 0.001  # in a question of 1,000,000 answers a campaign has at least 1,000 senders
NOT_CAMPAIGN = -1
_WORD = re.compile(r"\w+")


def min_respondents(respondents: int, configured: int | None) -> int:
    """Fewest senders of one text for a campaign: the configured number, else max(AUTO_FLOOR, AUTO_SHARE)."""
    if configured is not None:
        return configured
    return max(AUTO_FLOOR, math.ceil(AUTO_SHARE * respondents))


def campaign_labels(
    answers: list[str], respondents: np.ndarray, least: int, copies: list[str] | None = None
) -> np.ndarray:
    """Campaign number per statement (NOT_CAMPAIGN for the rest), campaigns numbered largest first.

    Args:
        answers: each statement's answer text.
        respondents: each statement's respondent.
        least: fewest distinct respondents of one copy group for a campaign (`min_respondents`).
        copies: each statement's `copy_of` (embed stage); worked out here when None.

    Returns:
        int64 array aligned with the statements; ties in size are ordered by the copy key, so numbers are stable.
    """
    keys = copies if copies is not None else near_duplicate_keys(answer_keys(answers))
    senders: dict[str, set[str]] = {}
    for key, person in zip(keys, respondents.tolist(), strict=True):
        senders.setdefault(key, set()).add(str(person))
    found = [
        key for key, people in senders.items() if len(people) >= least and len(_WORD.findall(key)) >= NEAR_MIN_WORDS
    ]
    found.sort(key=lambda key: (-len(senders[key]), key))
    number = {key: i for i, key in enumerate(found)}
    return np.array([number.get(key, NOT_CAMPAIGN) for key in keys], dtype=np.int64)
