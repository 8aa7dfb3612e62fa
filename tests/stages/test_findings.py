"""Findings: verbatim quotes and summaries, counts in distinct respondents, stable ranking."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.config import ClusterConfig, FindingsConfig, StatementsConfig
from pipeline.sidecar import QuestionDraft
from pipeline.stages.cluster import NOISE, run_cluster
from pipeline.stages.embed import build_statements, run_embed
from pipeline.stages.findings import QuestionInput, question_findings, run_findings, trim_summary
from tests.conftest import FakeEmbedder


def pipeline_drafts(
    questions: pd.DataFrame, answers: pd.DataFrame, split: str = "sentences"
) -> tuple[pd.DataFrame, dict[str, QuestionDraft]]:
    statements = build_statements(answers, ["q_open"], lambda q: StatementsConfig(split=split))
    embedder = FakeEmbedder()
    vectors = run_embed(statements, lambda q: embedder)
    clusters = run_cluster(statements, vectors, lambda q: ClusterConfig(), seed=0)
    return statements, run_findings(questions, answers, statements, clusters, vectors, lambda q: FindingsConfig())


def test_themes_become_ranked_findings(open_tables: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    questions, answers = open_tables
    _, drafts = pipeline_drafts(questions, answers)
    draft = drafts["q_open"]
    assert draft.answered == 24 and draft.non_answers == 1
    assert len(draft.findings) >= 3
    counts = [f.n_respondents for f in draft.findings]
    assert counts == sorted(counts, reverse=True)
    assert [f.rank for f in draft.findings] == list(range(1, len(draft.findings) + 1))
    assert len({f.id for f in draft.findings}) == len(draft.findings)


def test_quotes_and_summaries_are_verbatim_and_counts_distinct(open_tables: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    questions, answers = open_tables
    statements, drafts = pipeline_drafts(questions, answers)
    by_id = statements.set_index("statement_id")
    answer_of = dict(zip(answers["respondent_id"], answers["value"], strict=True))
    for finding in drafts["q_open"].findings:
        members = by_id.loc[finding.members]
        assert finding.n_respondents == members["respondent_id"].nunique()
        assert any(finding.summary in text for text in members["text"])
        for quote in finding.quotes:
            assert quote.text in answer_of[quote.response_id]
            assert quote.response_id in set(members["respondent_id"])
        words = set(" ".join(members["text"]).lower().split())
        assert all(w.strip(".,") in " ".join(words) for w in finding.title.lower().split())


def test_one_respondent_counts_once_even_with_many_statements() -> None:
    statements = pd.DataFrame(
        {
            "statement_id": ["A:q:1", "A:q:2", "B:q:1"],
            "respondent_id": ["A", "A", "B"],
            "text": ["x one", "x two", "x three"],
        }
    )
    q = QuestionInput(
        "q", "Q?", statements, np.eye(3, dtype=np.float32), np.array([0, 0, 0]), answered=2, non_answers=0
    )
    draft = question_findings(q, FindingsConfig())
    assert draft.findings[0].n_respondents == 2
    assert draft.findings[0].pct == 100.0


def test_trim_summary_keeps_whole_sentences_and_is_a_prefix() -> None:
    text = "Short first sentence. A much longer second sentence that will not fit in the limit at all."
    assert trim_summary(text, 40) == "Short first sentence."
    long_one = "word " * 100
    cut = trim_summary(long_one, 50)
    assert long_one.startswith(cut) and len(cut) <= 50


@settings(max_examples=40, deadline=None)
@given(
    labels=st.lists(st.integers(min_value=-1, max_value=8), min_size=1, max_size=40),
    top_n=st.integers(min_value=1, max_value=6),
)
def test_ranking_properties(labels: list[int], top_n: int) -> None:
    n = len(labels)
    rng = np.random.default_rng(n)
    vectors = rng.normal(size=(n, 8)).astype(np.float32)
    statements = pd.DataFrame(
        {
            "statement_id": [f"R{i % 7}:q:{i}" for i in range(n)],
            "respondent_id": [f"R{i % 7}" for i in range(n)],
            "text": [f"answer about topic {label} number {i}" for i, label in enumerate(labels)],
        }
    )
    q = QuestionInput("q", "Q?", statements, vectors, np.array(labels), answered=7, non_answers=0)
    draft = question_findings(q, FindingsConfig(top_n=top_n))
    assert len(draft.top) <= top_n
    keys = [(-f.n_respondents, -len(f.members)) for f in draft.findings]
    assert keys == sorted(keys)
    members = [m for f in draft.findings for m in f.members] + draft.not_grouped_members
    assert sorted(members) == sorted(statements["statement_id"])
    assert draft.not_grouped <= 7
    assert len(draft.findings) == len(set(labels) - {NOISE})
