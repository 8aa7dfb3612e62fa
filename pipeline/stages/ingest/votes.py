"""The votes table of a Polis export: agree / disagree / pass counts per comment (and opinion group).

Passes are a nullable integer: <NA> where the export does not say how many participants passed (an older
`comments.csv` without `passes`, and no `participants-votes.csv` beside it).

Each kept comment row of the Polis open question is linked to its respondent id (the comment's own: each comment
is one response), its author and its source row, so draft and report code can sum the votes of the comments behind a
finding (statement ids carry the respondent, statements the source row) and count the participants who wrote them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from pipeline.artifacts import VOTE_COLUMNS
from pipeline.config import QuestionConfig
from pipeline.detect import clean_cell
from pipeline.readers import RawExport


def polis_votes(
    raw: RawExport,
    open_questions: Sequence[QuestionConfig],
    columns: Mapping[str, str],
    positions: Sequence[int],
    respondent_ids: Sequence[str],
    authors: Sequence[str],
) -> pd.DataFrame:
    """VOTE_COLUMNS for the comments of a Polis export (an empty table for other exports).

    Args:
        raw: The export (its `polis` context holds the votes per comment id).
        open_questions: The open questions kept; the one reading `comment-body` gets the votes.
        columns: Config column name -> export column name.
        positions: Frame rows that are kept responses.
        respondent_ids: Respondent id of each kept row (the comment's).
        authors: Author of each kept row ('' each when the export has no `author-id` column).
    """
    empty = pd.DataFrame(columns=VOTE_COLUMNS).astype(_types())
    body = next((q for q in open_questions if columns[q.column].strip().casefold() == "comment-body"), None)
    if raw.polis is None or raw.id_column is None or body is None or raw.polis.votes.empty:
        return empty
    ids = raw.frame[raw.id_column].tolist()
    rows = pd.DataFrame(
        {
            "respondent_id": list(respondent_ids),
            "question_id": body.id,
            "source_row": [raw.source_rows[i] for i in positions],
            "comment_id": [clean_cell(ids[i]) for i in positions],
            "author_id": list(authors) or [""] * len(positions),
        }
    )
    table = rows.merge(raw.polis.votes, on="comment_id", how="inner")
    table = table[VOTE_COLUMNS].sort_values(["source_row", "group"], kind="stable").reset_index(drop=True)
    return table.astype(_types())


def _types() -> dict[str, str]:
    ints = {"source_row": "int64", "agrees": "int64", "disagrees": "int64", "passes": "Int64"}  # <NA>: not known
    return {c: ints.get(c, "str") for c in VOTE_COLUMNS}
