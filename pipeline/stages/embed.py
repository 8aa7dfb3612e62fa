"""Open answers -> statements -> embeddings (one array per open question, rows aligned with the statements)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from pipeline.artifacts import STATEMENT_COLUMNS
from pipeline.config import StatementsConfig
from pipeline.embedders import Embedder
from pipeline.stages.statements import split_answer


def open_question_ids(questions: pd.DataFrame) -> list[str]:
    """Ids of open questions (including 'other, please specify' follow-ups), in questionnaire order."""
    open_q = questions[questions["kind"] == "open"].sort_values("position", kind="stable")
    return [str(q) for q in open_q["question_id"]]


def build_statements(
    answers: pd.DataFrame, question_ids: list[str], split_for: Callable[[str], StatementsConfig]
) -> pd.DataFrame:
    """Split the usable answers of open questions into statements.

    Args:
        answers: ingest answers (`respondent_id, question_id, value, status, source_row`).
        question_ids: open questions to include, in order.
        split_for: the statements config of a question (per-question overrides applied).

    Returns:
        One row per statement: `statement_id, respondent_id, question_id, answer_text, text, position,
        source_row`, ordered by question, then source row, then position in the answer. `statement_id` is
        `<respondent>:<question>:<n>`, n counting the respondent's statements to the question (a Polis author's
        second comment goes on from where the first stopped).
    """
    rows: list[dict[str, object]] = []
    usable = answers[(answers["status"] == "answer") & answers["question_id"].isin(question_ids)]
    order = {q: i for i, q in enumerate(question_ids)}
    usable = usable.assign(_q=usable["question_id"].map(order)).sort_values(["_q", "source_row"], kind="stable")
    made: dict[tuple[str, str], int] = {}
    for record in usable.itertuples(index=False):
        rid, qid = str(record.respondent_id), str(record.question_id)
        cfg = split_for(qid)
        for position, text in enumerate(split_answer(str(record.value), cfg.split, cfg.min_chars), start=1):
            n = made[rid, qid] = made.get((rid, qid), 0) + 1
            rows.append(
                {
                    "statement_id": f"{rid}:{qid}:{n}",
                    "respondent_id": rid,
                    "question_id": qid,
                    "answer_text": str(record.value),
                    "text": text,
                    "position": position,
                    "source_row": record.source_row,
                }
            )
    return pd.DataFrame(rows, columns=STATEMENT_COLUMNS).astype({"source_row": "int64"})


def run_embed(statements: pd.DataFrame, embedder_for: Callable[[str], Embedder]) -> dict[str, np.ndarray]:
    """Embed the statements of every question; questions sharing an embedder are embedded in one call.

    Args:
        statements: output of `build_statements`.
        embedder_for: the embedder of a question (the same object for questions with the same settings).

    Returns:
        Question id -> float32 array (n_statements x dim), rows in the statements' order, L2-normalised.
    """
    groups: dict[int, tuple[Embedder, list[str]]] = {}
    for qid in dict.fromkeys(statements["question_id"]):
        embedder = embedder_for(str(qid))
        groups.setdefault(id(embedder), (embedder, []))[1].append(str(qid))
    vectors: dict[str, np.ndarray] = {}
    for embedder, qids in groups.values():
        subset = statements[statements["question_id"].isin(qids)]
        if getattr(embedder, "cacheable", True) is False:  # corpus-fitted backends embed each question alone
            for qid in qids:
                vectors[qid] = embedder.embed(subset.loc[subset["question_id"] == qid, "text"].tolist())
            continue
        matrix = embedder.embed(subset["text"].tolist())
        for qid in qids:
            vectors[qid] = matrix[(subset["question_id"] == qid).to_numpy()]
    return vectors
