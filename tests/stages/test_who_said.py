"""Who said what (issue 24): findings by respondent group with Fisher / Benjamini-Hochberg flags, and the closed
question an open one explains (`explains`), in the draft and the report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pipeline.config import ClosedConfig, FindingsConfig, parse_config
from pipeline.errors import ConfigError
from pipeline.messages import Messages
from pipeline.stages.draft import render_markdown
from pipeline.stages.findings import (
    NOT_STATED,
    OVER,
    UNDER,
    WhoSaid,
    breakdown_attributes,
    breakdown_table,
    linked_questions,
    linked_sentence,
    question_groups,
)
from pipeline.stages.report.open_sections import LoadedDraft, open_section
from pipeline.stages.report.to_markdown import render_section
from pipeline.stages.shared.sidecar import Finding, QuestionDraft

IDS = [f"r{i:02d}" for i in range(1, 41)]  # r01-r20 Member States, r21-r40 Sector Members
SCALE = ["Agree", "Neutral", "Disagree"]


def _respondents() -> pd.DataFrame:
    kinds = ["Member State"] * 20 + ["Sector Member"] * 20
    regions: list[str | None] = (["Africa", "Europe"] * 19) + [None, None]  # r39, r40 did not say
    many = [f"city {i}" for i in range(40)]  # 40 values: not an attribute to break down by default
    return pd.DataFrame(
        {"respondent_id": IDS, "source_row": range(2, 42), "rtype": kinds, "region": regions, "city": many}
    )


def _questions() -> pd.DataFrame:
    def row(qid: str, kind: str, position: int, options: list[str]) -> dict[str, Any]:
        text = {"support": "Do you support the plan?", "why": "Please explain"}.get(qid, qid)
        return {
            "question_id": qid,
            "text": text,
            "kind": kind,
            "options": options,
            "block": None,
            "other_of": None,
            "source_column": text,
            "position": position,
        }

    return pd.DataFrame([row("support", "likert", 0, SCALE), row("why", "open", 1, [])])


def _answers() -> pd.DataFrame:
    rows = [{"respondent_id": r, "question_id": "why", "value": "text", "status": "answer"} for r in IDS]
    closed = {r: "Disagree" for r in IDS[:15]} | {"r21": "Agree", "r22": "Neutral"}  # r16-r20, r23+ skipped
    rows += [{"respondent_id": r, "question_id": "support", "value": v, "status": "answer"} for r, v in closed.items()]
    return pd.DataFrame(rows).assign(source_row=0)


def _statements() -> pd.DataFrame:
    return pd.DataFrame(
        {"statement_id": [f"{r}:why:0" for r in IDS], "respondent_id": IDS, "question_id": "why", "text": "x"}
    )


def _finding(fid: str, rank: int, respondents: list[str], status: str = "draft") -> Finding:
    members = [f"{r}:why:0" for r in respondents]
    n = len(respondents)
    return Finding(id=fid, rank=rank, title=f"Title {fid}", summary="S.", status=status, n_respondents=n,
                   pct=round(100 * n / 40, 1), members=members)  # fmt: skip


def _draft(*findings: Finding) -> QuestionDraft:
    return QuestionDraft(
        question_id="why", question_text="Please explain", answered=40, non_answers=0, not_grouped=0, top_n=5,
        findings=list(findings),
    )  # fmt: skip


SKEWED = _finding("why-a", 1, IDS[:15] + ["r21"])  # 15 of 20 Member States, 1 of 20 Sector Members
BALANCED = _finding("why-b", 2, IDS[:4] + IDS[20:24])  # 4 and 4


def _groups(**settings: Any) -> Any:
    cfg = FindingsConfig(**settings)
    return question_groups(_answers(), _statements(), _respondents(), lambda q: cfg, ["why"])["why"]


def test_default_attributes_are_meta_columns_with_few_values() -> None:
    assert breakdown_attributes(_respondents(), FindingsConfig()) == ["rtype", "region"]
    assert breakdown_attributes(_respondents(), FindingsConfig(breakdowns=["region"])) == ["region"]
    assert breakdown_attributes(_respondents(), FindingsConfig(breakdowns=[])) == []


def test_counts_add_up_per_finding_and_attribute() -> None:
    table = breakdown_table(_draft(SKEWED, BALANCED), _groups())
    for (fid, _attribute), part in table.groupby(["finding_id", "attribute"]):
        finding = SKEWED if fid == SKEWED.id else BALANCED
        assert part["n_respondents"].sum() == finding.n_respondents
        assert part["group_answered"].sum() == 40
    region = table[(table["finding_id"] == SKEWED.id) & (table["attribute"] == "region")]
    assert region["value"].tolist()[-1] == NOT_STATED  # counted, last, never tested
    assert region.set_index("value").loc[NOT_STATED, "q_value"] != region.set_index("value").loc[NOT_STATED, "q_value"]
    member = table[(table["finding_id"] == SKEWED.id) & (table["value"] == "Member State")].iloc[0]
    assert (member["n_respondents"], member["group_answered"], member["pct_of_group"]) == (15, 20, 75.0)


def test_an_over_represented_group_is_flagged_and_a_balanced_one_is_not() -> None:
    table = breakdown_table(_draft(SKEWED, BALANCED), _groups()).set_index(["finding_id", "value"])
    assert table.loc[(SKEWED.id, "Member State"), "flag"] == OVER
    assert table.loc[(SKEWED.id, "Sector Member"), "flag"] == UNDER
    assert table.loc[(SKEWED.id, "Member State"), "q_value"] <= 0.05
    assert (table.loc[BALANCED.id, "flag"] == "").all()
    assert (table.loc[BALANCED.id, "q_value"].dropna() > 0.5).all()


def test_small_groups_are_never_flagged() -> None:
    table = breakdown_table(_draft(SKEWED), _groups(breakdown_min_group=21))
    assert table["q_value"].isna().all() and (table["flag"] == "").all()


def test_explains_counts_how_a_findings_respondents_answered() -> None:
    linked = linked_questions(_questions(), _answers(), _statements(), {"why": "support"}, lambda q: ClosedConfig())
    stats = linked["why"].among(SKEWED.members)
    assert {o.option: o.count for o in stats.options} == {"Agree": 1, "Neutral": 0, "Disagree": 15}
    assert stats.respondents == 16 and stats.answered == 16
    assert linked_sentence(stats, Messages()) == "Of these 16 respondents: 1 Agree, 15 Disagree."
    balanced = linked["why"].among(BALANCED.members)
    assert linked_sentence(balanced, Messages()) == (
        "Of these 8 respondents: 1 Agree, 1 Neutral, 4 Disagree; 2 did not answer it."
    )


def _who() -> WhoSaid:
    groups = _groups()
    linked = linked_questions(_questions(), _answers(), _statements(), {"why": "support"}, lambda q: ClosedConfig())
    labels = {"rtype": "Type of respondent", "region": "Region"}
    return WhoSaid(breakdown_table(_draft(SKEWED, BALANCED), groups), labels, linked["why"])


def test_the_report_shows_the_groups_table_flags_and_linked_answers() -> None:
    loaded = LoadedDraft(_draft(SKEWED, BALANCED), "generated")
    md = "\n".join(render_section(open_section("why", "Please explain", loaded, who=_who(), mark_drafts=False)))
    assert "This question explains the answers to “Do you support the plan?”" in md
    assert "*Of these 16 respondents: 1 Agree, 15 Disagree.*" in md
    assert "| Type of respondent | Member State | 20 | 75% ▲ | 20% |" in md
    assert "|  | Sector Member | 20 | 5% ▼ | 20% |" in md
    assert "Member State (Type of respondent): 75% said “Title why-a” (15 of 20), against 5% of the other" in md
    assert "(draft, not yet reviewed)" not in md


def test_the_draft_shows_who_said_each_finding() -> None:
    md = render_markdown(_draft(SKEWED, BALANCED), who=_who())
    assert "Type of respondent: Member State 15/20 (75.0%) ▲ · Sector Member 1/20 (5.0%) ▼" in md
    assert "Of these 16 respondents: 1 Agree, 15 Disagree." in md


def test_unreviewed_drafts_are_said_once_per_question() -> None:
    loaded = LoadedDraft(_draft(SKEWED, BALANCED), "generated")
    md = "\n".join(render_section(open_section("why", "Please explain", loaded, mark_drafts=True)))
    assert md.count("not yet reviewed") == 1 and "These findings are drafts, not yet reviewed." in md
    mixed = LoadedDraft(_draft(SKEWED.model_copy(update={"status": "accepted"}), BALANCED), "review")
    md = "\n".join(render_section(open_section("why", "Please explain", mixed, mark_drafts=True)))
    assert md.count("(draft, not yet reviewed)") == 1  # only the unreviewed finding is marked


def _config(tmp_path: Path, why: dict[str, Any], **findings: Any) -> None:
    questions = [
        {"column": "Type", "id": "rtype", "kind": "meta"},
        {"column": "Support", "id": "support", "kind": "likert"},
        {"column": "Why", "id": "why", "kind": "open", **why},
    ]
    data = {"input": {"path": "x.csv"}, "questions": questions, "findings": findings}
    parse_config(data, tmp_path, "c.yaml")


def test_config_checks_explains_and_breakdowns(tmp_path: Path) -> None:
    _config(tmp_path, {"explains": "support"}, breakdowns=["rtype"])
    with pytest.raises(ConfigError, match="'rtype' is not a closed question"):
        _config(tmp_path, {"explains": "rtype"})
    with pytest.raises(ConfigError, match=r"findings.breakdowns: \['support'\] are not meta questions"):
        _config(tmp_path, {}, breakdowns=["support"])
