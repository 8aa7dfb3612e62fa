"""The campaigns table (`05_findings/campaigns.csv`): one row per campaign finding of every question.

A campaign (`stages/cluster/campaigns.py`) is one finding flagged `campaign`; its id is the campaign id. The table
gives how many respondents sent it, their share of the question's respondents, the text most of them sent (the
representative text) and how many distinct texts (after normalisation: case, spacing, end punctuation) its
senders' answers were (its variants: a template with names filled in has one per name).
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from pipeline.artifacts import CAMPAIGN_COLUMNS
from pipeline.stages.shared.copies import answer_key
from pipeline.stages.shared.sidecar import QuestionDraft


def campaign_table(drafts: list[QuestionDraft], statements: pd.DataFrame) -> pd.DataFrame:
    """Every campaign of the drafts, in question order then campaign rank.

    Args:
        drafts: the questions' findings (generated or reviewed).
        statements: embed statements (`statement_id, respondent_id, answer_text`).

    Returns:
        CAMPAIGN_COLUMNS: `question_id, campaign_id, n_respondents, share` (of the question's respondents, 0-1),
        `text` (the answer most of its senders sent, verbatim) and `variants` (distinct texts among its answers).
    """
    answer_of = dict(
        zip(
            statements["statement_id"].astype(str),
            zip(statements["respondent_id"].astype(str), statements["answer_text"].astype(str), strict=True),
            strict=True,
        )
    )
    rows = []
    for draft in drafts:
        for finding in draft.campaigns:
            sent = dict(answer_of[s] for s in finding.members if s in answer_of)  # respondent -> answer text
            counts = Counter(sent.values())
            text = min(counts, key=lambda t: (-counts[t], t)) if counts else finding.summary
            rows.append(
                {
                    "question_id": draft.question_id,
                    "campaign_id": finding.id,
                    "n_respondents": finding.n_respondents,
                    "share": round(finding.n_respondents / draft.answered, 4) if draft.answered else 0.0,
                    "text": text,
                    "variants": len({answer_key(t) for t in counts}),
                }
            )
    return pd.DataFrame(rows, columns=CAMPAIGN_COLUMNS)
