"""Campaigns end to end (fake embedder): campaigns.csv, assignments, draft, report, the review flag, separate off."""

from __future__ import annotations

import csv
import io

import pandas as pd
import yaml

from tests.hardening_helpers import Project, cli
from tests.stages.test_campaigns import LETTER, NAMES

OPEN = [{"column": "ID", "id": "id", "kind": "ignore"}, {"column": "Comment", "id": "comment", "kind": "open"}]
THEMES = ["Funding is insufficient for the mandate", "Poor coordination between bureaux", "Too many events"]


def _export() -> str:
    answers = [f"{THEMES[i % 3]} number {i}." for i in range(36)]
    answers += [LETTER.format(name=f"Signed, {name}.") for name in NAMES]  # a template with names filled in
    answers += ["More funding."] * 12  # a short common answer: a view, not a campaign
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["ID", "Comment"])
    writer.writerows([i, text] for i, text in enumerate(answers, start=1))
    return out.getvalue()


def test_a_campaign_is_reported_once_apart_and_the_review_flag_moves_it(project: Project, fake_model: None) -> None:
    config = project.config(input={"path": project.csv("c.csv", _export())}, questions=OPEN, report={"formats": ["md"]})
    assert cli("run", config).exit_code == 0
    run = project.run_dir()
    campaigns = pd.read_csv(run / "05_findings" / "campaigns.csv", keep_default_na=False)
    assert campaigns["n_respondents"].tolist() == [12] and campaigns["variants"].tolist() == [12]
    assert campaigns["share"].tolist() == [0.2] and campaigns["question_id"].tolist() == ["comment"]
    cid = campaigns["campaign_id"].iloc[0]
    table = pd.read_csv(run / "06_draft" / "assignments.csv", keep_default_na=False)
    assert set(table.loc[table["campaign_id"] == cid, "response_id"].astype(int)) == set(range(37, 49))
    assert (table.loc[table["response_id"].astype(int) < 37, "campaign_id"] == "").all()
    draft = (run / "06_draft" / "comment.md").read_text(encoding="utf-8")
    assert "## Campaigns" in draft and "1 campaign, 12 respondents (20.0%)" in draft
    report = (run / "07_report" / "report.md").read_text(encoding="utf-8")
    assert "1 campaign, 12 respondents (20.0%): " in report and "every percentage is of all 60 who answered" in report

    review = project.root / "reviews" / "survey" / "comment.yaml"
    data = yaml.safe_load(review.read_text(encoding="utf-8"))
    (entry,) = [f for f in data["findings"] if f["id"] == cid]
    entry["campaign"] = False
    review.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert cli("run", config).exit_code == 0
    report = (run / "07_report" / "report.md").read_text(encoding="utf-8")
    assert "campaign, " not in report
    assert "## Campaigns" not in (run / "06_draft" / "comment.md").read_text(encoding="utf-8")
    kept = yaml.safe_load(review.read_text(encoding="utf-8"))
    assert [f["campaign"] for f in kept["findings"] if f["id"] == cid] == [False]
    table = pd.read_csv(run / "06_draft" / "assignments.csv", keep_default_na=False)
    assert (table["campaign_id"] == "").all()


def test_separate_false_keeps_todays_behaviour(project: Project, fake_model: None) -> None:
    config = project.config(
        input={"path": project.csv("c.csv", _export())},
        questions=OPEN,
        report={"formats": ["md"]},
        campaigns={"separate": False},
    )
    assert cli("run", config).exit_code == 0
    run = project.run_dir()
    assert pd.read_csv(run / "05_findings" / "campaigns.csv").empty
    assert (pd.read_parquet(run / "04_cluster" / "clusters.parquet")["campaign"] == -1).all()
    assert "## Campaigns" not in (run / "06_draft" / "comment.md").read_text(encoding="utf-8")
