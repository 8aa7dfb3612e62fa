"""Reading a question's vectors: its distinct rows (`03_embed/vectors/<question>.npy`) and each statement's row."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.artifacts import RunPaths, read_array
from pipeline.errors import StageError
from pipeline.stages.shared.indexed import Indexed


def question_vectors(paths: RunPaths, statements: pd.DataFrame, qid: str) -> Indexed:
    """A question's vectors as the embed step wrote them, a row per statement of `statements` (all questions).

    A run folder from before distinct vectors (no `vector_row`) has a row per statement: each is its own.
    """
    table = read_array(paths.vectors(qid))
    if "vector_row" not in statements:
        return Indexed.full(table)
    index = statements.loc[statements["question_id"].astype(str) == qid, "vector_row"].to_numpy(dtype=np.int64)
    if index.size and (index.max() >= len(table) or index.min() < 0):
        raise StageError(
            f"{paths.vectors(qid)}: {len(table)} vectors but a statement of {qid} points at row {int(index.max())}; "
            "rerun `consolidate embed`."
        )
    return Indexed(table, index)
