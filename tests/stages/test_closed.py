"""Closed-question statistics: hand-computed values on the tables of tests/stages/survey.py."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from pipeline.artifacts import RunPaths, read_json
from pipeline.errors import ConfigError
from pipeline.stages.closed import run_closed, statement_label, threshold_sentence, wilson_interval
from pipeline.stages.closed.model import (
    ClosedResult,
    QuestionStats,
    closed_from_dict,
    closed_to_dict,
    format_pct,
)
from pipeline.steps.closed import step
from tests.stages.survey import (
    SP_BLOCK,
    make_config,
    survey_answers,
    survey_questions,
    survey_respondents,
    write_ingest,
)


def _run(tmp_path: Path, **closed: object) -> ClosedResult:
    cfg = make_config(tmp_path, closed=closed)
    return run_closed(survey_questions(), survey_answers(), survey_respondents(), cfg)


def _shares(stats: QuestionStats) -> dict[str, tuple[int, float | None]]:
    return {o.option: (o.count, o.share) for o in stats.options}


def test_likert_na_excluded_from_base(tmp_path: Path) -> None:
    sp_a = _run(tmp_path).question("sp_a")
    assert (sp_a.respondents, sp_a.answered, sp_a.skipped, sp_a.na, sp_a.base) == (10, 10, 0, 1, 9)
    assert _shares(sp_a) == {
        "Strongly agree": (6, 6 / 9),
        "Somewhat agree": (3, 3 / 9),
        "Do not agree": (0, 0.0),
        "N/A": (1, None),
        "Other": (0, 0.0),  # "Other" is a real option: in the base
    }
    assert sp_a.agree_options == ("Strongly agree", "Somewhat agree")
    assert (sp_a.agree, sp_a.agree_share) == (9, 1.0)


def test_likert_na_included_in_base(tmp_path: Path) -> None:
    sp_a = _run(tmp_path, na_mode="include").question("sp_a")
    assert (sp_a.na, sp_a.base) == (1, 10)
    assert _shares(sp_a)["N/A"] == (1, 0.1)
    assert sp_a.agree_share == pytest.approx(0.9)
    assert (sp_a.agree_low, sp_a.agree_high) == pytest.approx(wilson_interval(9, 10, 0.95))


def test_skipped_respondents_are_not_in_the_base(tmp_path: Path) -> None:
    sp_b = _run(tmp_path).question("sp_b")
    assert (sp_b.answered, sp_b.skipped, sp_b.base, sp_b.agree) == (8, 2, 8, 5)
    assert sp_b.agree_share == 0.625
    assert (sp_b.agree_low, sp_b.agree_high) == pytest.approx((0.30574, 0.86316), abs=1e-5)


def test_statement_nobody_answered(tmp_path: Path) -> None:
    sp_c = _run(tmp_path).question("sp_c")
    assert (sp_c.answered, sp_c.skipped, sp_c.base) == (0, 10, 0)
    assert all(o.share is None and o.count == 0 for o in sp_c.options)
    assert sp_c.agree_share is None and sp_c.agree_low is None and sp_c.agree_high is None
    assert "No one answered this question." in sp_c.notes
    assert format_pct(sp_c.agree_share) == "n/a"


def test_empty_single_question(tmp_path: Path) -> None:
    empty = _run(tmp_path).question("empty")
    assert (empty.answered, empty.skipped, empty.base) == (0, 10, 0)
    assert [(o.option, o.count, o.share) for o in empty.options] == [("Yes", 0, None), ("No", 0, None)]


def test_single_question_shares(tmp_path: Path) -> None:
    fam = _run(tmp_path).question("fam")
    assert (fam.answered, fam.skipped, fam.base) == (9, 1, 9)
    assert _shares(fam) == {"Very familiar": (4, 4 / 9), "Somewhat familiar": (3, 3 / 9), "Not familiar": (2, 2 / 9)}
    assert fam.agree is None


def test_wilson_interval_known_values() -> None:
    # Wilson (1927) score interval; 8/10 at 95% is the textbook example (Agresti & Coull 1998).
    assert wilson_interval(8, 10, 0.95) == pytest.approx((0.49016, 0.94331), abs=1e-5)
    assert wilson_interval(0, 10, 0.95) == pytest.approx((0.0, 0.27753), abs=1e-5)
    assert wilson_interval(10, 10, 0.95) == pytest.approx((0.72247, 1.0), abs=1e-5)
    assert wilson_interval(0, 0, 0.95) is None


def test_multi_select_shares_of_respondents(tmp_path: Path) -> None:
    chan = _run(tmp_path).question("chan")
    # r04 chose only "Other": a real option, so r04 is in the base like everyone who answered.
    assert (chan.answered, chan.skipped, chan.na, chan.base) == (8, 2, 0, 8)
    assert _shares(chan) == {"Email": (5, 5 / 8), "Website": (4, 4 / 8), "Meetings": (2, 2 / 8), "Other": (2, 2 / 8)}
    legacy = _run(tmp_path, na_values=["N/A", "Other"]).question("chan")  # the old default, still configurable
    assert (legacy.na, legacy.base) == (1, 7)
    assert _shares(legacy)["Other"] == (2, None)


def test_threshold_sentence_lists_statements_above(tmp_path: Path) -> None:
    group = next(g for g in _run(tmp_path).groups if g.kind == "likert")
    assert group.chart_id == "sp_a"
    assert group.question_ids == ("sp_a", "sp_b", "sp_c", "sp_d")
    assert group.sentence == "More than 85% of responses agree that the ITU strategic plan can benefit from:"
    assert group.items == (
        "more focus of the activities of the organization (100.0%, 9 of 9)",
        "further simplification and clarity (88.9%, 8 of 9)",
    )


def test_threshold_sentence_when_none_or_nobody(tmp_path: Path) -> None:
    result = _run(tmp_path, threshold=1.0)
    group = next(g for g in result.groups if g.kind == "likert")
    assert group.sentence == (
        "No statement reached more than 100% agreement; the highest was "
        "more focus of the activities of the organization (100.0%, 9 of 9)."
    )
    assert group.items == ()
    sentence, items = threshold_sentence(SP_BLOCK, [result.question("sp_c")], 0.85)
    assert sentence == "No one answered these statements, so no agreement level can be reported."
    assert items == ()


def test_statement_label_strips_the_block_lead_in() -> None:
    assert statement_label(f"{SP_BLOCK} revisiting the enablers", SP_BLOCK) == "revisiting the enablers"
    assert statement_label("... better reflecting needs", None) == "better reflecting needs"
    assert statement_label("Plain statement", "Other block") == "Plain statement"


def test_agree_option_override_per_question(tmp_path: Path) -> None:
    questions = [
        {"column": "c", "id": "sp_b", "kind": "likert", "overrides": {"closed": {"agree": ["Strongly agree"]}}},
    ]
    cfg = make_config(tmp_path, questions=questions)
    result = run_closed(survey_questions(), survey_answers(), survey_respondents(), cfg)
    assert (result.question("sp_b").agree, result.question("sp_b").agree_share) == (3, 3 / 8)
    assert result.question("sp_a").agree == 9  # not in the config: defaults


def test_breakdown_by_meta_attribute(tmp_path: Path) -> None:
    result = _run(tmp_path, breakdowns=["rtype"])
    fam = result.breakdowns[result.breakdowns["question_id"] == "fam"]
    assert list(dict.fromkeys(fam["group"])) == ["Member State", "Sector Member", "(not stated)"]
    member = fam[fam["group"] == "Member State"].set_index("option")
    assert member.loc["Very familiar", "count"] == 4
    assert member.loc["Very familiar", "share"] == pytest.approx(4 / 6)
    not_stated = fam[fam["group"] == "(not stated)"]
    assert (not_stated["answered"] == 0).all() and not_stated["share"].isna().all()
    sp_a = result.breakdowns[
        (result.breakdowns["question_id"] == "sp_a") & (result.breakdowns["group"] == "Sector Member")
    ]
    assert sp_a["agree_share"].iloc[0] == pytest.approx(1.0)


def test_unknown_breakdown_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="closed.breakdowns names \\['region'\\]"):
        _run(tmp_path, breakdowns=["region"])


def test_inputs_are_not_mutated(tmp_path: Path) -> None:
    q, a, r = survey_questions(), survey_answers(), survey_respondents()
    before = (q.copy(deep=True), a.copy(deep=True), r.copy(deep=True))
    run_closed(q, a, r, make_config(tmp_path, closed={"breakdowns": ["rtype"]}))
    for frame, copy in zip((q, a, r), before, strict=True):
        pd.testing.assert_frame_equal(frame, copy)


def test_unreadable_duplicate_and_unlisted_values(tmp_path: Path) -> None:
    extra = pd.DataFrame(
        [
            {
                "respondent_id": "r01",
                "question_id": "fam",
                "value": "Not familiar",
                "status": "answer",
                "source_row": 2,
            },
            {"respondent_id": "r10", "question_id": "fam", "value": "???", "status": "unreadable", "source_row": 11},
            {"respondent_id": "r10", "question_id": "empty", "value": "Maybe", "status": "answer", "source_row": 11},
        ]
    )
    answers = pd.concat([survey_answers(), extra], ignore_index=True)
    result = run_closed(survey_questions(), answers, survey_respondents(), make_config(tmp_path))
    assert _shares(result.question("fam"))["Very familiar"] == (4, 4 / 9)  # first answer of r01 counted
    assert sorted(result.issues["problem"].str.split(";").str[0]) == [
        "several answers to a single-choice question",
        "unreadable cell",
    ]
    empty = result.question("empty")
    assert [(o.option, o.count) for o in empty.options] == [("Yes", 0), ("No", 0), ("Maybe", 1)]
    assert any("Maybe" in note for note in empty.notes)


def test_no_closed_questions(tmp_path: Path) -> None:
    questions = survey_questions()
    questions = questions[questions["kind"] == "open"]
    result = run_closed(questions, survey_answers(), survey_respondents(), make_config(tmp_path))
    assert result.questions == () and result.groups == () and result.respondents == 10
    assert result.breakdowns.empty and result.issues.empty


def test_json_round_trip(tmp_path: Path) -> None:
    result = _run(tmp_path, breakdowns=["rtype"])
    data = json.loads(json.dumps(closed_to_dict(result)))
    back = closed_from_dict(data)
    assert back.questions == result.questions and back.groups == result.groups
    assert len(back.breakdowns) == len(result.breakdowns)


def test_step_writes_json_tables_charts_and_issues(tmp_path: Path) -> None:
    questions = survey_questions()
    questions.loc[questions["question_id"] == "fam", "options"] = pd.Series([["=1+1", "Somewhat familiar"]], index=[1])
    answers = survey_answers()
    answers.loc[(answers["question_id"] == "fam") & (answers["value"] == "Very familiar"), "value"] = "=1+1"
    cfg = make_config(tmp_path, closed={"breakdowns": ["rtype"]})
    paths = RunPaths(cfg.run_dir)
    write_ingest(paths, questions, answers, survey_respondents())
    (paths.charts).mkdir(parents=True)
    (paths.charts / "stale.png").write_bytes(b"old")
    report = step(cfg, paths)
    assert report.facts == {"questions": 7, "charts": 4, "respondents": 10, "warnings": []}
    assert read_json(paths.closed)["respondents"] == 10
    tables = paths.stage_dir("closed") / "tables"
    assert {p.name for p in tables.glob("*.csv")} >= {"summary.csv", "fam.csv", "sp_a.csv", "fam_by_rtype.csv"}
    assert "'=1+1" in (tables / "fam.csv").read_text(encoding="utf-8")
    assert sorted(p.name for p in paths.charts.iterdir()) == sorted(
        f"{c}.{ext}" for c in ("fam", "sp_a", "chan", "empty") for ext in ("png", "svg")
    )
    assert paths.issues("closed").is_file()
