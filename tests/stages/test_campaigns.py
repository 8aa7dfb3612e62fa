"""Campaigns: one long text sent by many, found (exact, near, a template with names), kept apart, reviewed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline.config import ClusterConfig, FindingsConfig, parse_config
from pipeline.messages import Messages
from pipeline.stages.cluster import NOISE, Statements, cluster_question
from pipeline.stages.cluster.campaigns import NOT_CAMPAIGN, campaign_labels, min_respondents
from pipeline.stages.draft import assignments, render_markdown
from pipeline.stages.findings import QuestionInput, campaign_table, question_findings
from pipeline.stages.report.method import method_section
from pipeline.stages.report.open_sections import LoadedDraft, open_section
from pipeline.stages.review import reconcile
from pipeline.stages.shared.sidecar import Finding, QuestionDraft
from tests.conftest import SHARED_DATA, FakeEmbedder

LETTER = (
    "Dear Secretariat, we the undersigned members ask you to stop marketing commercial services to private "
    "companies and to keep the organisation's data free and open for every country and every citizen. {name}"
)
OTHER_LETTER = (
    "To whom it may concern: the regional offices must stay open, because the people who live far from the "
    "capital depend on them for forecasts, training and advice every single season of the year. {name}"
)
NAMES = ["Ana", "Bo", "Chen", "Dita", "Emil", "Fay", "Gus", "Hana", "Ivo", "Jon", "Kim", "Lea"]


def _labels(answers: list[str], least: int = 5) -> np.ndarray:
    return campaign_labels(answers, np.array([f"R{i}" for i in range(len(answers))]), least)


def test_exact_copies_of_a_long_text_are_one_campaign() -> None:
    answers = [LETTER.format(name="")] * 6 + ["The budget is too small.", "Fewer workshops please."]
    labels = _labels(answers)
    assert labels[:6].tolist() == [0] * 6 and labels[6:].tolist() == [NOT_CAMPAIGN] * 2


def test_near_identical_copies_and_a_filled_in_template_are_one_campaign() -> None:
    edited = [
        LETTER.format(name=f"Signed, {name}.")
        for name in NAMES[:8]  # a name filled in
    ] + [
        "Hello. " + LETTER.format(name="").upper(),  # a salutation added, other case
        LETTER.format(name="").replace("keep the organisation's data", "keep all of our data"),  # a changed phrase
    ]
    labels = _labels(edited)
    assert set(labels.tolist()) == {0}


def test_two_campaigns_are_not_merged_and_are_numbered_largest_first() -> None:
    answers = [OTHER_LETTER.format(name=n) for n in NAMES[:5]] + [LETTER.format(name=n) for n in NAMES]
    labels = _labels(answers)
    assert labels[:5].tolist() == [1] * 5 and labels[5:].tolist() == [0] * len(NAMES)


def test_short_common_answers_are_never_a_campaign() -> None:
    answers = ["More funding."] * 40 + ["more funding"] * 10
    assert (_labels(answers) == NOT_CAMPAIGN).all()


def test_fewer_senders_than_the_minimum_is_not_a_campaign_and_one_sender_counts_once() -> None:
    answers = [LETTER.format(name="")] * 6
    assert (campaign_labels(answers, np.array(["R1"] * 3 + ["R2", "R3", "R4"]), 5) == NOT_CAMPAIGN).all()


def test_min_respondents_scales_with_the_question() -> None:
    assert min_respondents(142, None) == 5
    assert min_respondents(20_000, None) == 20
    assert min_respondents(1_000_000, None) == 1000
    assert min_respondents(1_000_000, 7) == 7


def _statements(answers: list[str]) -> Statements:
    n = len(answers)
    vectors = FakeEmbedder().embed(answers).astype(np.float64)
    people = np.array([f"R{i:03d}" for i in range(n)])
    return Statements(vectors, answers, answers, np.ones(n, dtype=np.int64), people, people)


def _question_answers() -> list[str]:
    themes = ["Funding is insufficient for the mandate", "Poor coordination between bureaux", "Too many events"]
    ordinary = [f"{themes[i % 3]} number {i}." for i in range(30)]
    return ordinary + [LETTER.format(name=f"Signed, {n}.") for n in NAMES]


def test_cluster_stage_sets_a_campaign_apart_as_one_theme() -> None:
    answers = _question_answers()
    noise = np.zeros(len(answers), dtype=bool)
    found = cluster_question(_statements(answers), noise, ClusterConfig(), 0, campaign_least=5)
    assert found.campaigns is not None
    assert found.campaigns[30:].tolist() == [0] * len(NAMES) and (found.campaigns[:30] == NOT_CAMPAIGN).all()
    campaign_theme = set(found.themes[30:].tolist())
    assert len(campaign_theme) == 1 and NOISE not in campaign_theme
    assert campaign_theme.isdisjoint(found.themes[:30].tolist())  # no ordinary answer joins the campaign


def test_setting_a_campaign_apart_never_regroups_the_other_answers() -> None:
    """The other answers are grouped as with the campaign kept in; only the campaign's own theme loses members."""
    answers = _question_answers()
    noise = np.zeros(len(answers), dtype=bool)
    kept = cluster_question(_statements(answers), noise, ClusterConfig(), 0)
    apart = cluster_question(_statements(answers), noise, ClusterConfig(), 0, campaign_least=5)
    assert set(kept.themes[:30].tolist()) - {NOISE}  # ordinary themes exist
    assert apart.themes[:30].tolist() == kept.themes[:30].tolist()  # the same labels, not only the same partition
    assert apart.fine[:30].tolist() == kept.fine[:30].tolist()
    assert set(apart.themes[30:].tolist()).isdisjoint(kept.themes[:30].tolist())


def test_separate_off_keeps_campaigns_among_the_answers() -> None:
    answers = _question_answers()
    found = cluster_question(_statements(answers), np.zeros(len(answers), dtype=bool), ClusterConfig(), 0)
    assert found.campaigns is not None and (found.campaigns == NOT_CAMPAIGN).all()


def _finding(fid: str, people: range, campaign: bool = False, title: str = "") -> Finding:
    members = [f"R{i:03d}:q:1" for i in people]
    return Finding(
        id=fid,
        title=title or fid,
        summary=f"Summary of {fid}.",
        n_respondents=len(members),
        pct=round(100 * len(members) / 1000, 1),
        members=members,
        campaign=campaign,
    )


def _draft() -> QuestionDraft:
    findings = [
        _finding("q-aaa", range(0, 300), title="Funding"),
        _finding("q-bbb", range(300, 400), title="Coordination"),
        _finding("q-ccc", range(400, 750), campaign=True, title="Stop commercial services"),
        _finding("q-ddd", range(750, 810), campaign=True, title="Keep regional offices"),
    ]
    return QuestionDraft(
        question_id="q",
        question_text="What should change?",
        answered=1000,
        non_answers=0,
        not_grouped=190,
        top_n=5,
        findings=findings,
    )


def test_campaigns_are_not_top_findings_and_are_counted() -> None:
    draft = _draft()
    assert [f.id for f in draft.top] == ["q-aaa", "q-bbb"]
    assert [f.id for f in draft.campaigns] == ["q-ccc", "q-ddd"] and draft.campaign_respondents == 410


def test_report_says_the_campaigns_line_and_summarises_each_once() -> None:
    section = open_section("q", "What should change?", LoadedDraft(_draft(), "generated"), msgs=Messages("en"))
    texts = [getattr(b, "text", "") for b in section.blocks]
    assert "Campaigns" in texts
    line = next(t for t in texts if t.startswith("2 campaigns"))
    assert line.startswith("2 campaigns, 410 respondents (41.0%): ")
    assert "every percentage is of all 1,000 who answered" in line
    lists = [b for b in section.blocks if hasattr(b, "items")]
    assert [i.title for i in lists[-1].items] == ["Stop commercial services", "Keep regional offices"]
    assert "(Top 2 findings)" in section.title
    french = open_section("q", "Q?", LoadedDraft(_draft(), "generated"), msgs=Messages("fr"))
    assert any(getattr(b, "text", "").startswith("2 campagnes, 410 répondants (41,0\u00a0%)") for b in french.blocks)


def test_method_says_how_campaigns_are_told_apart_only_when_a_question_has_one(tmp_path: Path) -> None:
    cfg = parse_config({"input": {"path": "x.csv"}}, tmp_path, "c.yaml")
    with_campaigns = str(method_section(cfg, {"q": LoadedDraft(_draft(), "generated")}, ["q"], {}, Messages("ru")))
    assert "Кампании (один текст длиной не менее 15 слов" in with_campaigns
    plain = _draft().model_copy(update={"findings": [f for f in _draft().findings if not f.campaign]})
    without = str(method_section(cfg, {"q": LoadedDraft(plain, "generated")}, ["q"], {}, Messages("en")))
    assert "Campaigns (one text" not in without


def test_draft_markdown_has_a_campaigns_part() -> None:
    markdown = render_markdown(_draft())
    top, campaigns = markdown.split("## Campaigns")
    assert "Stop commercial services" not in top and "Stop commercial services" in campaigns
    assert "2 campaigns, 410 respondents (41.0%)" in campaigns and "`campaign: false`" in campaigns


def test_assignments_carry_the_campaign_id_on_every_campaign_row() -> None:
    table = assignments([_draft()], {})
    campaign = table[table["finding_id"].isin(["q-ccc", "q-ddd"])]
    assert (campaign["campaign_id"] == campaign["finding_id"]).all() and len(campaign) == 410
    assert (table.loc[~table.index.isin(campaign.index), "campaign_id"] == "").all()


def test_campaigns_table_gives_count_share_text_and_variants() -> None:
    draft = _draft()
    statements = pd.DataFrame(
        {
            "statement_id": [f"R{i:03d}:q:1" for i in range(400, 750)],
            "respondent_id": [f"R{i:03d}" for i in range(400, 750)],
            "answer_text": [LETTER.format(name="") if i % 7 else LETTER.format(name="Ana") for i in range(350)],
        }
    )
    table = campaign_table([draft], statements)
    first = table.iloc[0].to_dict()
    assert first["campaign_id"] == "q-ccc" and first["n_respondents"] == 350 and first["share"] == 0.35
    assert first["text"] == LETTER.format(name="") and first["variants"] == 2
    assert table["campaign_id"].tolist() == ["q-ccc", "q-ddd"]


def test_review_marks_a_campaign_as_not_one_and_a_finding_as_one_and_keeps_it_over_reruns() -> None:
    generated = _draft()
    first = reconcile(None, generated).draft
    edited = first.model_copy(
        update={
            "findings": [
                f.model_copy(update={"campaign": {"q-ccc": False, "q-bbb": True}.get(f.id, f.campaign)})
                for f in first.findings
            ]
        }
    )
    again = reconcile(edited, generated).draft
    by_id = {f.id: f for f in again.findings}
    assert by_id["q-ccc"].campaign is False and by_id["q-bbb"].campaign is True
    assert [f.id for f in again.top] == ["q-ccc", "q-aaa"]  # ranked by respondents among the findings
    assert {f.id for f in again.campaigns} == {"q-bbb", "q-ddd"}
    third = reconcile(again, generated).draft  # the generated flags did not change: the edits stay
    assert {f.id for f in third.campaigns} == {"q-bbb", "q-ddd"}
    assert by_id["q-ccc"].generated is not None and by_id["q-ccc"].generated.campaign is True


@pytest.mark.skipif(not (SHARED_DATA / "consultation_wwco").is_dir(), reason="needs ../shared/data")
def test_wwco_coordinated_block_is_one_campaign_and_nothing_else_is() -> None:
    gold = pd.read_csv(SHARED_DATA / "consultation_wwco" / "gold.csv", dtype=str, keep_default_na=False)
    for question, rows in gold.groupby("question"):
        labels = campaign_labels(rows["text"].tolist(), rows["id"].to_numpy(), min_respondents(len(rows), None))
        found = sorted(rows["id"].to_numpy()[labels != NOT_CAMPAIGN].tolist(), key=int)
        block = ["114", "115", "116", "117", "118", "125"] if question.endswith("stop doing?") else []
        assert found == block, question


def test_a_campaign_is_titled_from_its_first_sentence() -> None:
    """WWCO: titled from every sentence of its letter (all shared alike), a campaign was headed "Public services"."""
    sentences = [
        "Stop marketing commercial weather services to private companies.",
        "The role of an intergovernmental body is to set standards for everyone.",
        "Public services and public data belong to every country and every citizen.",
    ]
    rows = [(f"R{i}", p, s) for i in range(8) for p, s in enumerate(sentences, start=1)]
    statements = pd.DataFrame(
        {
            "statement_id": [f"{r}:q:{p}" for r, p, _ in rows],
            "respondent_id": [r for r, _, _ in rows],
            "text": [s for _, _, s in rows],
            "position": [p for _, p, _ in rows],
        }
    )
    vectors = FakeEmbedder().embed(statements["text"].tolist())
    labels = np.zeros(len(rows), dtype=np.int64)
    campaigns = np.zeros(len(rows), dtype=np.int64)
    q = QuestionInput("q", "What should stop?", statements, vectors, labels, 8, 0, campaigns=campaigns)
    title = question_findings(q, FindingsConfig()).findings[0].title
    assert title.lower() in sentences[0].lower() and "public" not in title.lower()
