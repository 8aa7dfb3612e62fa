"""Polis end to end: comments counted per author, the prompt as the question, votes per finding and per comment.

The CI test runs the shipped excerpt `data/polis_sample` (CC BY 4.0, see its README); the optional one runs a whole
conversation of `../shared/data/polis` and skips where that folder is absent.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from pipeline.artifacts import RunPaths, read_table
from pipeline.config import PipelineConfig, load_config
from pipeline.init import draft_config
from pipeline.runner import run_stages
from pipeline.stages.findings.votes import QuestionVotes
from tests.conftest import SHARED_DATA

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "polis_sample" / "comments.csv"
SEATTLE = SHARED_DATA / "polis" / "15-per-hour-seattle" / "comments.csv"


def _run(export: Path, root: Path, backend: str = "tfidf") -> tuple[PipelineConfig, RunPaths]:
    config_dir = root / "configs"
    config_dir.mkdir(parents=True)
    data = yaml.safe_load(draft_config(export, config_dir, "auto"))
    data["embed"] = {**data["embed"], "backend": backend}
    data["report"] = {**data["report"], "formats": ["md", "html"]}
    path = config_dir / "polis.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    cfg = load_config(path)
    run_stages(cfg)
    return cfg, RunPaths(cfg.run_dir)


def _kept(export: Path) -> list[dict[str, str]]:
    with export.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    accepted = any(r["moderated"] == "1" for r in rows)
    return [r for r in rows if r["moderated"] == "1" or (r["moderated"] == "0" and not accepted)]


def _check_run(export: Path, prompt: str, paths: RunPaths) -> None:
    kept = _kept(export)
    respondents = read_table(paths.respondents)
    assert len(respondents) == len({r["author-id"] for r in kept}) < len(kept)  # per author, not per comment
    questions = read_table(paths.questions)
    assert questions.loc[questions["kind"] == "open", "text"].tolist() == [prompt]
    qid = str(questions.loc[questions["kind"] == "open", "question_id"].iloc[0])
    draft = paths.draft_md(qid).read_text(encoding="utf-8")
    report = paths.report("md").read_text(encoding="utf-8")
    assert draft.startswith("<!--") and f"# {prompt}" in draft
    assert re.search(r"Votes on its \d+ comments?: \d+ agree", draft)
    assert re.search(r"\(response [^;, ]+(, \w+)?; comment \d+: \d+ agree", draft)  # per comment, on every quote
    assert f"### {prompt}" in report.replace("\\", "")
    assert re.search(r"\*Votes on its \d+ comments?: \d+ agree", report)
    assert "comments with the most votes" in report
    assert f"{len(respondents)} Polis participants wrote {len(kept)} comments" in report


def test_polis_sample_end_to_end(tmp_path: Path) -> None:
    prompt = "What is the best way to engage more young people in local scrutiny of policing?"
    _, paths = _run(SAMPLE, tmp_path)
    _check_run(SAMPLE, prompt, paths)
    votes = read_table(paths.votes)
    assert len(votes) == 36 and set(votes["group"]) == {""}  # no participants-votes.csv: no groups


def test_votes_of_a_finding_sum_its_distinct_comments() -> None:
    statements = pd.DataFrame(
        {
            "statement_id": ["7:q:1", "7:q:2", "7:q:3", "9:q:1"],
            "respondent_id": ["7", "7", "7", "9"],
            "answer_text": ["Open on Sundays. Longer hours.", "Open on Sundays. Longer hours.", "Fund it", "Yes"],
            "source_row": [2, 2, 3, 4],
            "question_id": "q",
        }
    )
    votes = pd.DataFrame(
        {
            "respondent_id": ["7", "7", "7", "9"],
            "question_id": "q",
            "source_row": [2, 2, 3, 4],
            "comment_id": ["10", "10", "11", "12"],
            "group": ["", "A", "", ""],
            "agrees": [5, 4, 1, 2],
            "disagrees": [1, 0, 3, 0],
            "passes": [0, 0, 1, 0],
        }
    )
    found = QuestionVotes(statements, votes).for_members(["7:q:1", "7:q:2", "7:q:3"])
    assert found is not None
    assert found.comments == 2  # two sentences of comment 10 count once
    assert found.text() == "Votes on its 2 comments: 6 agree (55%), 4 disagree, 1 pass. By opinion group: A 100% agree."
    quote = QuestionVotes(statements, votes).for_quote("7", "Longer hours.", ["7:q:2"])
    assert quote is not None and quote[0] == "10"


@pytest.mark.skipif(not SEATTLE.is_file(), reason="../shared/data/polis is not available")
def test_shared_polis_conversation_end_to_end(tmp_path: Path) -> None:
    prompt = "How do you think the new minimum wage law will affect Seattle?"  # summary.csv description
    _, paths = _run(SEATTLE, tmp_path)
    _check_run(SEATTLE, prompt, paths)
