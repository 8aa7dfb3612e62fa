from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.config import StatementsConfig
from pipeline.embedders import CachedEmbedder, EmbeddingCache, TfidfEmbedder
from pipeline.stages.embed import build_statements, open_question_ids, run_embed, with_vector_rows
from tests.conftest import FakeEmbedder


def test_statements_are_ordered_and_identified(open_tables: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    questions, answers = open_tables
    before = answers.copy()
    statements = build_statements(answers, open_question_ids(questions), lambda q: StatementsConfig(split="none"))
    pd.testing.assert_frame_equal(answers, before)
    assert len(statements) == 24  # the non-answer is not a statement
    assert statements["statement_id"].iloc[0] == "R0001:q_open:1"
    assert (statements["text"] == statements["answer_text"]).all()


def test_cache_embeds_each_text_once(tmp_path: Path) -> None:
    inner = FakeEmbedder()
    cached = CachedEmbedder(inner, EmbeddingCache(tmp_path / "cache.sqlite"))
    first = cached.embed(["alpha beta", "gamma delta", "alpha beta"])
    assert cached.computed == 2
    again = CachedEmbedder(FakeEmbedder(), EmbeddingCache(tmp_path / "cache.sqlite"))
    second = again.embed(["gamma delta", "alpha beta"])
    assert again.computed == 0 and again.inner.calls == 0  # type: ignore[attr-defined]
    np.testing.assert_array_equal(second, first[[1, 0]])


def test_run_embed_groups_questions_sharing_an_embedder() -> None:
    statements = pd.DataFrame({"question_id": ["a", "b", "a"], "text": ["one two", "three four", "five six"]})
    embedder = FakeEmbedder()
    out = run_embed(statements, lambda q: embedder)
    assert embedder.calls == 1
    assert out["a"].rows().shape == (2, 64) and out["b"].rows().shape == (1, 64)


def test_tfidf_backend_gives_unit_vectors() -> None:
    vectors = TfidfEmbedder(dimensions=5).embed(
        ["budget cuts hurt", "budget is short", "events are many", "too many events"]
    )
    assert vectors.shape[0] == 4
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)


def test_align_languages_places_foreign_statements_by_their_multilingual_neighbours() -> None:
    import numpy as np

    from pipeline.stages.embed import align_languages

    # first model: English statements on two axes; the foreign one (row 4) has a meaningless first-model vector
    first = np.array([[1, 0, 0], [1, 0.1, 0], [0, 1, 0], [0, 1, 0.1], [0, 0, 1]], dtype=np.float32)
    first /= np.linalg.norm(first, axis=1, keepdims=True)
    second = np.array([[1, 0], [1, 0.05], [0, 1], [0.05, 1], [0.02, 1]], dtype=np.float32)  # multilingual model
    second /= np.linalg.norm(second, axis=1, keepdims=True)
    foreign = np.array([False, False, False, False, True])
    out = align_languages(first, second, foreign, k=2)
    assert np.allclose(out[:4], first[:4])  # covered statements keep their vectors
    assert out[4] @ first[2] > 0.99 and abs(np.linalg.norm(out[4]) - 1) < 1e-5  # placed with its neighbours
    assert np.array_equal(align_languages(first, second, np.zeros(5, dtype=bool)), first)


def test_copies_of_a_text_are_embedded_once_and_reuse_its_vector() -> None:
    from pipeline.stages.embed import distinct_texts, embed_counts

    texts = ["Save the park!", "save  the park", "More buses.", "SAVE THE PARK", "More buses"]
    distinct, rows = distinct_texts(texts)
    assert distinct == ["Save the park!", "More buses."]
    assert rows.tolist() == [0, 0, 1, 0, 1]
    statements = pd.DataFrame({"question_id": ["a", "a", "b", "a", "b"], "text": texts})
    embedder = FakeEmbedder()
    out = run_embed(statements, lambda q: embedder)
    assert embedder.texts == 2  # type: ignore[attr-defined]
    assert out["a"].table.shape == (1, 64) and out["a"].index.tolist() == [0, 0, 0]  # stored once, by index
    assert out["b"].table.shape == (1, 64) and out["b"].index.tolist() == [0, 0]
    np.testing.assert_array_equal(out["a"].rows(), np.repeat(out["a"].table, 3, axis=0))
    np.testing.assert_array_equal(out["b"].rows()[0], embedder.embed(["More buses."])[0])
    rows = with_vector_rows(statements, out)["vector_row"].tolist()
    assert rows == [0, 0, 0, 0, 0]
    assert embed_counts(statements, lambda q: embedder) == (2, 3)
    tfidf = TfidfEmbedder(dimensions=2)
    assert embed_counts(statements, lambda q: tfidf) == (5, 0)  # a corpus-fitted embedder embeds every statement


def test_a_question_stores_its_distinct_vectors_in_first_seen_order() -> None:
    texts = ["Bus lanes.", "More trees.", "bus lanes", "Parks.", "More trees!"]
    statements = pd.DataFrame({"question_id": ["a"] * 5, "text": texts})
    embedder = FakeEmbedder()
    found = run_embed(statements, lambda q: embedder)["a"]
    assert found.index.tolist() == [0, 1, 0, 2, 1]
    np.testing.assert_array_equal(found.table, embedder.embed(["Bus lanes.", "More trees.", "Parks."]))
    assert found.table.dtype == np.float32


def test_a_corpus_fitted_embedder_gives_every_statement_its_row() -> None:
    statements = pd.DataFrame({"question_id": ["a"] * 3, "text": ["one two", "one two", "three four"]})
    found = run_embed(statements, lambda q: TfidfEmbedder(dimensions=2))["a"]
    assert found.index.tolist() == [0, 1, 2] and len(found.table) == 3
