"""Polis end to end: each comment one response (counted as a comment, its author kept), the prompt as the question,
votes per finding and per comment.

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
    from pipeline.readers.polis import describes_participant

    accepted = any(r["moderated"] == "1" for r in rows)
    shown = [r for r in rows if r["moderated"] == "1" or (r["moderated"] == "0" and not accepted)]
    if rows and "is-meta" not in rows[0]:  # no flag: comments describing their participant are set apart
        shown = [r for r in shown if not describes_participant(r["comment-body"])]
    return shown


def _check_run(export: Path, prompt: str, paths: RunPaths) -> None:
    kept = _kept(export)
    respondents = read_table(paths.respondents)
    assert respondents["respondent_id"].tolist() == [r["comment-id"] for r in kept]  # one response per comment
    authors = {r["author-id"] for r in kept}
    assert len(authors) < len(kept)
    votes = read_table(paths.votes)
    assert set(votes["author_id"]) == authors  # the author is kept beside each comment
    questions = read_table(paths.questions)
    assert questions.loc[questions["kind"] == "open", "text"].tolist() == [prompt]
    assert questions.loc[questions["kind"] == "open", "unit"].tolist() == ["comment"]
    qid = str(questions.loc[questions["kind"] == "open", "question_id"].iloc[0])
    draft = paths.draft_md(qid).read_text(encoding="utf-8")
    report = paths.report("md").read_text(encoding="utf-8")
    assert draft.startswith("<!--") and f"# {prompt}" in draft
    assert re.search(r"Votes on its \d+ comments?: \d+ agree", draft)
    assert re.search(r"\(comment \d+(, \w+)?: \d+ agree", draft)  # per comment, on every quote
    assert "(response " not in draft and f"{len(kept)} comments submitted" in draft
    assert f"### {prompt}" in report.replace("\\", "")
    assert re.search(r"\*Votes on its \d+ comments?: \d+ agree", report)
    assert "comments with the most votes" in report
    assert f"{len(authors)} Polis participants wrote {len(kept)} comments" in report
    assert f"*{len(kept)} comments submitted;" in report and f"**{len(kept)}** comments received." in report
    assert re.search(r"— \d+ comments? \(\d+\.\d%\)", report) and not re.search(r"\d respondents?\b", report)
    assert re.search(r"\(comment \d+: \d+ agree", report) and "(response " not in report
    assert report.count("In this Polis conversation each comment is one response") == 2  # method and annex


def test_polis_sample_end_to_end(tmp_path: Path) -> None:
    prompt = "What is the best way to engage more young people in local scrutiny of policing?"
    _, paths = _run(SAMPLE, tmp_path)
    _check_run(SAMPLE, prompt, paths)
    votes = read_table(paths.votes)
    assert len(votes) == 26 and set(votes["group"]) == {""}  # no participants-votes.csv: no groups
    # 36 shown comments, of which 10 only describe their participant ("I am between 20 and 25 years old")
    assert votes["passes"].isna().all()  # comments.csv has no `passes` and nothing else says: unknown, not 0
    qid = str(votes["question_id"].iloc[0])
    for text in (paths.draft_md(qid).read_text(encoding="utf-8"), paths.report("md").read_text(encoding="utf-8")):
        assert "passes not recorded" in text and not re.search(r"\d+ pass\b", text)


POLIS_COMMENTS = (
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    "1,a,0,1,3,1,1,Open the library on Sundays.\n"
    "2,b,1,2,1,2,1,Keep the evening hours.\n"
    "3,c,2,3,0,0,1,A later comment nobody voted on yet.\n"
)
# participants 10-13: 0 = pass, blank = not voted; participant 13 has no opinion group but still voted
PARTICIPANT_VOTES = (
    "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n"
    "10,0,1,2,1,0,1,0\n"
    "11,0,1,2,1,1,0,-1\n"
    "12,1,1,1,0,0,0,\n"
    "13,,0,2,1,1,-1,0\n"
)


def _polis_context(folder: Path, with_participants: bool) -> pd.DataFrame:
    from pipeline.readers.polis import read_context

    folder.mkdir()
    (folder / "comments.csv").write_text(POLIS_COMMENTS, encoding="utf-8")
    if with_participants:
        (folder / "participants-votes.csv").write_text(PARTICIPANT_VOTES, encoding="utf-8")
    frame = pd.read_csv(folder / "comments.csv", dtype=str, keep_default_na=False)
    votes = read_context(folder / "comments.csv", frame).votes
    return votes[votes["group"] == ""].set_index("comment_id")


def test_passes_are_counted_from_participants_votes_when_comments_csv_has_none(tmp_path: Path) -> None:
    overall = _polis_context(tmp_path / "with", with_participants=True)
    assert overall.loc["0", ["agrees", "disagrees"]].tolist() == [3, 1]  # agrees and disagrees: comments.csv
    assert overall.loc["0", "passes"] == 2 and overall.loc["1", "passes"] == 2  # 0 cells, group or not
    assert pd.isna(overall.loc["2", "passes"])  # no column for comment 2: unknown, not 0
    unknown = _polis_context(tmp_path / "without", with_participants=False)
    assert unknown["passes"].isna().all() and str(unknown["passes"].dtype) == "Int64"


def test_a_vote_line_without_known_passes_prints_no_pass_count() -> None:
    from pipeline.stages.findings.votes import Tally

    known = Tally(6, 4, 1) + Tally(3, 1, 0)
    assert known.text() == "9 agree (60%), 5 disagree, 1 pass" and known.passes_text == "1"
    unknown = Tally(6, 4, None) + Tally(3, 1, None)
    assert unknown.text() == "9 agree (64%), 5 disagree; passes not recorded" and unknown.passes_text == "–"
    assert (Tally(1, 0, 0) + Tally(1, 0, None)).passes is None  # one unknown makes the sum unknown


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


THEMES = {  # three themes of eight comments each; the moderator (author 0) wrote 18 of the 24
    "library": [
        "Open the public library on Sundays",
        "The public library should open on Sundays too",
        "Sunday opening hours for the public library",
        "Keep the public library open later and on Sundays",
        "A public library open on Sundays helps families",
        "Students need the public library open on Sundays",
        "Longer public library hours, Sundays included",
        "The public library closes too early on Sundays",
    ],
    "bikes": [
        "Build protected bike lanes downtown",
        "Protected bike lanes on every main street downtown",
        "More protected bike lanes so cycling downtown is safe",
        "Downtown needs protected bike lanes",
        "Separate protected bike lanes from car traffic downtown",
        "Protected bike lanes would get me cycling downtown",
        "Paint is not enough: protected bike lanes downtown",
        "Connect the protected bike lanes across downtown",
    ],
    "parks": [
        "Clean the city parks more often",
        "City parks need cleaning every week",
        "Litter in the city parks: clean them more often",
        "More bins and cleaning in the city parks",
        "The city parks are dirty, clean them",
        "Cleaning crews for the city parks at weekends",
        "Keep the city parks clean for children",
        "Regular cleaning of the city parks please",
    ],
}


def _moderated_conversation(folder: Path) -> Path:
    """24 comments in three themes; author 0 (the moderator) wrote 18, six participants one each."""
    folder.mkdir(parents=True)
    rows = [["timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated", "comment-body"]]
    texts = [t for theme in THEMES.values() for t in theme]
    for i, text in enumerate(texts):
        author = str(i // 3 + 1) if i % 3 == 2 and i < 18 else "0"  # comments 2, 5, ..., 17: six participants
        rows.append([str(i), f"d{i}", str(i), author, str(10 + i), str(i % 4), "1", text])
    path = folder / "comments.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_a_conversation_seeded_by_its_moderator_counts_comments_not_authors(tmp_path: Path) -> None:
    """One author wrote 18 of 24 comments: findings count comments, their shares are of comments, in English and
    French; the author of each comment is kept in the votes table."""
    export = _moderated_conversation(tmp_path / "conversation")
    cfg, paths = _run(export, tmp_path)
    votes = read_table(paths.votes)
    assert (votes["author_id"] == "0").sum() == 18 and votes["author_id"].nunique() == 7
    findings = yaml.safe_load(next(paths.findings.parent.glob("findings.json")).read_text(encoding="utf-8"))
    (draft,) = findings.values()
    assert draft["answered"] == 24
    top = draft["findings"][:3]
    assert len(top) == 3
    for finding in top:
        comments = {m.rsplit(":", 2)[0] for m in finding["members"]}
        assert finding["n_respondents"] == len(comments) >= 6  # by authors, a theme would be 2-3 "respondents"
        assert finding["pct"] == pytest.approx(100 * len(comments) / 24, abs=0.05)
    report = paths.report("md").read_text(encoding="utf-8")
    assert "7 Polis participants wrote 24 comments" in report and "*24 comments submitted; 0 non-answers" in report
    for finding in top:
        assert f"— {finding['n_respondents']} comments ({finding['pct']:.1f}%)" in report
    assert not re.search(r"\d respondents?\b", report)
    _check_review_page(tmp_path / "configs" / "polis.yaml", top)

    path = tmp_path / "configs" / "polis.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["report"] = {**data["report"], "language": "fr"}
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    run_stages(load_config(path))
    french = paths.report("md").read_text(encoding="utf-8")
    assert "7 participants Polis ont écrit 24 commentaires" in french
    assert "*24 commentaires soumis ; 0 non-réponse" in french
    assert re.search(r"— \d+ commentaires \(\d+,\d", french) and not re.search(r"\d répondants?\b", french)
    assert QuestionVotes(read_table(paths.statements), votes).authors == 7


def _check_review_page(config: Path, top: list[dict[str, object]]) -> None:
    """The review page of a Polis conversation counts comments too."""
    from starlette.testclient import TestClient

    from pipeline.review_web.app import Guard, create_app
    from pipeline.review_web.store import ReviewStore

    store = ReviewStore(config)
    (qid,) = store.question_ids()
    guard = Guard("tok3n", "csrf-secret", frozenset({"testserver"}))
    with TestClient(create_app(store, guard)) as client:
        page = client.get(f"/tok3n/q/{qid}").text
    assert "24 comments submitted" in page and "respondent" not in page
    for finding in top:
        assert f"<strong>{finding['n_respondents']} comments</strong>" in page


def test_without_is_meta_a_comment_that_only_describes_its_participant_is_set_apart() -> None:
    """Older exports have no is-meta: 'I live in a rural area' is a question about participants, not a view."""
    from pipeline.readers.polis import describes_participant, excluded_comments

    frame = pd.DataFrame(
        {
            "comment-body": [
                "I live in a rural area",
                "I am 55 years of age or older",
                "My household income is less than $50,000",
                "I am worried about security issues with online voting.",
                "I live in a rural area and the bus never comes, but nobody listens.",
                "Lower taxes would help small businesses.",
            ],
            "moderated": ["1"] * 6,
        },
        dtype=str,
    )
    excluded = excluded_comments(frame, "auto")
    assert sorted(excluded) == [0, 1, 2] and all("Polis meta statement" in r for r in excluded.values())
    assert not describes_participant("I am and will always be pro choice. It's fundamental to gender equality.")
    flagged = frame.assign(**{"is-meta": ["false"] * 6})
    assert excluded_comments(flagged, "auto") == {}  # the export's own flag decides where it exists
