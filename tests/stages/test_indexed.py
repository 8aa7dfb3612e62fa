"""Vectors stored once per distinct row (`shared.indexed`): the same bytes as a vector per statement, less memory."""

import numpy as np
import pandas as pd
import pytest

from pipeline.config import CampaignsConfig, ClusterConfig
from pipeline.embedders import normalise
from pipeline.stages.cluster import run_cluster
from pipeline.stages.cluster.vectors import answer_context, indexed_context
from pipeline.stages.shared.indexed import CHUNK, Indexed


def _indexed(rows: int, distinct: int, seed: int = 0) -> Indexed:
    rng = np.random.default_rng(seed)
    return Indexed(rng.standard_normal((distinct, 384)), rng.integers(0, distinct, rows))


@pytest.mark.parametrize("rows", [50, 3 * CHUNK + 17])
def test_means_and_products_are_the_bytes_of_the_full_matrix(rows: int) -> None:
    found = _indexed(rows, 40)
    full = found.table[found.index]
    mask = np.random.default_rng(1).random(rows) < 0.6
    assert np.array_equal(found.mean(mask), full[mask].mean(axis=0))
    assert np.array_equal(found.mean(np.flatnonzero(mask)), full[mask].mean(axis=0))
    centre = full[0]
    assert np.array_equal(found.times(centre), np.concatenate([b @ centre for _, b in found.chunks()]))
    np.testing.assert_allclose(found.times(centre), full @ centre, rtol=1e-12)
    assert np.array_equal(found.rows(mask), full[mask])
    assert np.array_equal(found.subset(mask).rows(), full[mask])


@pytest.mark.parametrize("block", [8192, 7])
def test_answer_context_of_shared_rows_is_the_same_bytes(block: int, monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.stages.cluster.vectors as vectors

    monkeypatch.setattr(vectors, "CONTEXT_ROWS", block)  # computed a block at a time, or at once: the same bytes
    found = _indexed(600, 25, seed=3)
    answers = np.array([f"a{i // 3}" if i < 300 else f"b{i % 40}" for i in range(600)], dtype=object)
    expected = answer_context(normalise(found.rows(), np.float64), answers, 1.0)
    context = indexed_context(found, answers, 1.0)
    assert np.array_equal(context.rows(), expected)
    assert len(context.table) < 600  # statements of the same row in answers of the same rows share one
    assert np.array_equal(indexed_context(found, answers, 0.0).rows(), normalise(found.rows(), np.float64))


def _question(copies: int) -> tuple[pd.DataFrame, Indexed]:
    """Three themes of varied statements, one campaign of two sentences sent `copies` times, a row per text."""
    rng = np.random.default_rng(5)
    centres = np.eye(32)[:3] * 3
    own = np.vstack([c + rng.normal(scale=0.2, size=(40, 32)) for c in centres])
    table = normalise(np.vstack([own, np.eye(32)[[10, 11]] * 3 + 0.05]))
    texts = [f"statement {i} " + "words " * 12 for i in range(120)]
    campaign = ["We all ask the board to keep the park open for every family in town.", "Sign it and share it."]
    rows: list[dict[str, object]] = []
    index: list[int] = []
    for i in range(120):
        rows.append({"respondent_id": f"r{i}", "answer_text": texts[i], "text": texts[i], "position": 1})
        index.append(i)
    for c in range(copies):
        for position, sentence in enumerate(campaign, start=1):
            answer = " ".join(campaign)
            rows.append({"respondent_id": f"c{c}", "answer_text": answer, "text": sentence, "position": position})
            index.append(120 + position - 1)
    frame = pd.DataFrame(rows).assign(question_id="q", source_row=range(len(rows)))
    frame = frame.assign(statement_id=[f"s{i}" for i in range(len(frame))], noise="")
    return frame, Indexed(table, np.array(index, dtype=np.int64))


@pytest.mark.parametrize("campaigns", [None, CampaignsConfig()])
def test_copies_reusing_a_vector_cluster_as_a_vector_each(campaigns: CampaignsConfig | None) -> None:
    statements, found = _question(copies=60)
    settings = lambda q: ClusterConfig(answer_context=1.0)  # noqa: E731
    shared = run_cluster(statements, {"q": found}, settings, seed=3, campaigns=campaigns)
    each = run_cluster(statements, {"q": found.rows()}, settings, seed=3, campaigns=campaigns)
    pd.testing.assert_frame_equal(shared, each)
    assert shared["cluster"].nunique() >= 3


def test_a_sampled_question_assigns_copies_by_index_as_it_would_one_each(monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.stages.cluster.sample as sample
    import pipeline.stages.cluster.stage as stage

    monkeypatch.setattr(stage, "SAMPLE_ABOVE", 150)
    monkeypatch.setattr(sample, "SAMPLE_SIZE", 120)
    statements, found = _question(copies=200)
    shared = run_cluster(statements, {"q": found}, lambda q: ClusterConfig(), seed=3)
    each = run_cluster(statements, {"q": found.rows()}, lambda q: ClusterConfig(), seed=3)
    pd.testing.assert_frame_equal(shared, each)
    campaign = shared["cluster"].iloc[120:].to_numpy()
    assert len(set(campaign.tolist())) == 1 and campaign[0] != -1  # every copy in one theme, sampled or not
