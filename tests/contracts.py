"""Column contracts of the ingest tables, checked by the ingest unit and property tests alike."""

from __future__ import annotations

from pipeline.artifacts import (
    ANSWER_COLUMNS,
    ANSWER_STATUSES,
    COUNT_COLUMNS,
    ISSUE_COLUMNS,
    QUESTION_COLUMNS,
    RESPONDENT_COLUMNS,
)
from pipeline.stages.ingest import IngestResult


def check_contracts(result: IngestResult) -> None:
    """Assert the ingest tables follow the contracts in pipeline/artifacts.py and their counts add up."""
    assert list(result.respondents.columns[:2]) == RESPONDENT_COLUMNS
    assert list(result.questions.columns) == QUESTION_COLUMNS
    assert list(result.answers.columns) == ANSWER_COLUMNS
    assert list(result.counts.columns) == COUNT_COLUMNS
    assert list(result.issues.columns) == ISSUE_COLUMNS
    assert result.respondents["respondent_id"].is_unique
    assert result.questions["question_id"].is_unique
    assert set(result.answers["status"]) <= set(ANSWER_STATUSES)
    assert set(result.answers["respondent_id"]) <= set(result.respondents["respondent_id"])
    assert set(result.answers["question_id"]) <= set(result.questions["question_id"])
    assert not set(result.questions["kind"]) & {"personal", "ignore"}
    assert result.answers["value"].notna().all()
    parts = result.counts[["answers", "non_answers", "blank", "unreadable"]].sum(axis=1)
    assert (parts == result.counts["respondents"]).all()
    assert (result.counts["respondents"] == len(result.respondents)).all()
