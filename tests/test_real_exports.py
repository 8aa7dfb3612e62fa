"""Issue 13: real exports end to end, each trap reproduced by a fixture in tests/data/exports/real/.

Question detection (init), the config schema (multi-column multi-select, likert block), Polis (per author, prompt,
votes, moderation), personal data (attachments, masked contacts) and the run on every fixture.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest
import yaml

from pipeline.config import load_config, parse_config
from pipeline.detect import DetectedQuestion, detect_questions
from pipeline.detect.scales import match_scale
from pipeline.detect.values import keyboard_mash
from pipeline.errors import ConfigError
from pipeline.init import draft_config, proposed_title
from pipeline.privacy import mask_text
from pipeline.readers import read_export
from pipeline.runner import run_stages
from pipeline.stages.closed import run_closed
from pipeline.stages.ingest import IngestResult, run_ingest
from tests.contracts import check_contracts

REAL = Path(__file__).resolve().parent / "data" / "exports" / "real"
EU, QUALTRICS, COMPLAINTS, POLIS = (
    REAL / "eusurvey_ai.csv",
    REAL / "qualtrics_workshop.csv",
    REAL / "complaints.csv",
    REAL / "polis" / "comments.csv",
)


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_real_fixtures", REAL.parent / "make_real_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FIXTURES = _generator()


def _detected(path: Path) -> dict[str, DetectedQuestion]:
    return {q.id: q for q in detect_questions(read_export(path))}


def _ingest(path: Path, **inputs: object) -> IngestResult:
    cfg = parse_config({"input": {"path": str(path), **inputs}}, path.parent)
    result = run_ingest(read_export(path, cfg.input), cfg)
    check_contracts(result)
    return result


def test_fixture_files_match_their_generator() -> None:
    for name, data in FIXTURES.fixtures().items():
        assert (REAL / name).read_bytes() == data, f"{name} is stale; run make_real_fixtures.py"


def test_eusurvey_choice_questions_follow_ups_block_and_upload() -> None:
    q = _detected(EU)
    trust, bio = q["opinion_best_way_ensure"], q["opinion_use_remote_biometric"]
    assert (trust.kind, len(trust.options)) == ("single", 6)  # six long options: charted, not clustered
    assert (bio.kind, len(bio.options)) == ("single", 6)
    assert trust.options[-1] == "Other"
    follow_ups = {k: v for k, v in q.items() if v.other_of}
    assert {v.other_of for v in follow_ups.values()} == {trust.id, bio.id, "main_concern_ai"}
    texts = [v.text or v.column for v in follow_ups.values()]
    assert len(set(texts)) == 3 and all(t.endswith("(other, please specify)") for t in texts)
    block = [v for v in q.values() if v.block and "mandatory requirements" in v.block]
    assert len(block) == 6 and {v.kind for v in block} == {"likert"}
    assert block[0].options[:2] == ("5 - Very important", "4 - Important")
    assert block[0].options[-1] == "No opinion"
    assert q["upload_document_here"].kind == "attachment"
    assert q["reference"].kind == "ignore" and "response id" in q["reference"].reason


def test_no_opinion_is_out_of_the_base_and_other_is_an_answer(tmp_path: Path) -> None:
    result = _ingest(EU)
    cfg = parse_config({"input": {"path": str(EU)}}, tmp_path)
    closed = run_closed(result.questions, result.answers, result.respondents, cfg)
    quality = closed.question("quality_training_data_sets")
    no_opinion = next(o for o in quality.options if o.option == "No opinion")
    assert (quality.answered, quality.na, quality.base) == (10, 2, 8)
    assert no_opinion.na and no_opinion.share is None
    assert quality.agree_share == 1.0  # 8 of 8, not 8 of 10
    concern = closed.question("main_concern_ai")
    other = next(o for o in concern.options if o.option == "Other")
    assert (concern.base, other.count, other.share, other.na) == (10, 5, 0.5, False)
    group = next(g for g in closed.groups if g.chart_id == "quality_training_data_sets")
    assert group.sentence == "More than 85% of responses answered “5 - Very important” or “4 - Important” for:"
    assert [item.split(" (")[0] for item in group.items] == ["The quality of training data sets", "Human oversight"]


def test_qualtrics_select_all_columns_workshop_and_scale() -> None:
    q = _detected(QUALTRICS)
    role, grade = q["role_select_all_apply"], q["grade_levels_teach"]
    assert role.kind == "multi" and len(role.columns) == 5 and role.options[0] == "Teacher"
    assert q["role_select_all_other"].other_of == role.id
    assert grade.kind == "multi" and len(grade.columns) == 13  # one question, not 13 charts at 100%
    assert q["workshop_attend"].kind == "single" and len(q["workshop_attend"].options) == 3
    well = q["well_workshop_meet_needs"]
    assert well.kind == "likert"
    assert well.options == ("Very well", "Fairly well", "Neither well nor poorly", "Fairly poorly", "Very poorly")
    result = _ingest(QUALTRICS)
    assert result.respondents["respondent_id"].iloc[0] == "R_01wKsHp"
    roles = result.answers[
        (result.answers["question_id"] == role.id) & (result.answers["respondent_id"] == "R_01wKsHp")
    ]
    assert roles["value"].tolist() == ["Teacher", "School counsellor"]
    grades = result.answers[result.answers["question_id"] == grade.id]
    assert grades.groupby("respondent_id").size().max() > 1  # several grades per respondent


def test_unique_id_column_attachments_and_keyboard_mash() -> None:
    result = _ingest(COMPLAINTS)
    assert result.respondents["respondent_id"].tolist()[:2] == ["C-2024100", "C-2024101"]
    counts = result.counts.set_index("question_id")
    assert counts.loc["attachment", ["kind", "answers", "blank"]].tolist() == ["attachment", 4, 4]
    assert not (result.answers["question_id"] == "attachment").any()  # file names are never written
    complaints = result.answers[result.answers["question_id"] == "complaint"]
    assert complaints.loc[complaints["status"] == "non_answer", "value"].tolist() == ["Jsjdjdj", "asdfgh"]
    kept = _ingest(COMPLAINTS, keyboard_mash=False)
    assert (kept.answers["status"] == "non_answer").sum() == 0


def test_contacts_are_masked_and_counted_unless_turned_off() -> None:
    result = _ingest(EU)
    assert result.masked == {"email": 1, "phone": 2}
    comments = result.answers.loc[result.answers["question_id"] == "further_comments", "value"].tolist()
    assert "Please contact me at [email] for follow-up." in comments
    assert "Our helpline is [phone] (weekdays)." in comments
    plain = _ingest(EU, mask=[])
    assert plain.masked == {}
    assert "Our helpline is 020 7946 0958 (weekdays)." in plain.answers["value"].tolist()


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Mail jane.doe@example.org today", "Mail [email] today"),
        ("Call +44 20 7946 0958 or (555) 123-4567.", "Call [phone] or [phone]."),
        ("Budget 400,000 in 2024-2027 (ISO 27001), ref 123456789", None),
        ("Steps 1.2.3.4.5.6.7.8.9", None),
    ],
)
def test_mask_text(text: str, masked: str | None) -> None:
    assert mask_text(text, ["email", "phone"])[0] == (masked or text)


def test_keyboard_mash_and_scales_read_from_their_words() -> None:
    assert [keyboard_mash(t) for t in ("Jsjdjdj", "asdfgh", "hhhhhh")] == [True, True, True]
    assert [keyboard_mash(t) for t in ("NHS", "Rhythm", "Hmm ok", "Orange orange juice juice")] == [False] * 4
    scale = match_scale(["Rather not important", "Very important", "Not important at all", "Rather important"])
    assert scale is not None
    assert scale.options == ["Very important", "Rather important", "Rather not important", "Not important at all"]
    assert match_scale(["Yes", "No", "Maybe"]) is None


def test_polis_comments_authors_prompt_votes_and_moderation() -> None:
    q = _detected(POLIS)
    body = q["town_library_change_opening"]
    assert body.kind == "open" and body.text == "How should the town library change its opening hours?"
    assert {v.kind for k, v in q.items() if k != body.id} == {"ignore"}  # is-seed, is-meta, passes, consensus...
    result = _ingest(POLIS)
    assert len(result.respondents) == 10  # each comment one response (comment ids), not its author
    assert result.questions["unit"].tolist() == ["comment"]
    answers = result.answers
    assert len(answers) == 10 and answers["respondent_id"].is_unique
    authors = result.votes.drop_duplicates("comment_id").set_index("comment_id")["author_id"]
    assert authors.nunique() == 7 and authors.loc["0"] == authors.loc["1"] == "1"  # author 1 wrote two: kept
    assert answers.loc[answers["status"] == "non_answer", "value"].tolist() == ["Jsjdjdj"]
    problems = result.issues["problem"].tolist()
    assert [p.split(" (")[0] for p in problems] == [
        "comment never moderated in Polis",
        "comment moderated out in Polis",
        "Polis meta statement",
    ]
    votes = result.votes
    assert set(votes["group"]) == {"", "A", "B"}
    first = votes[(votes["comment_id"] == "0")].set_index("group")
    assert first.loc["", ["agrees", "disagrees", "passes"]].tolist() == [30, 4, 2]
    assert first.loc["A", "agrees"] == 6


def test_config_declares_a_multi_column_multi_select_and_a_likert_block(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "resp": ["a", "b", "c"],
            "role_t": ["1", "", "1"],
            "role_p": ["", "1", "1"],
            "q_speed": ["Agree", "Disagree", "Agree"],
            "q_price": ["Strongly agree", "Agree", "Disagree"],
        }
    )
    frame.to_csv(tmp_path / "export.csv", index=False)
    scale = ["Strongly agree", "Agree", "Disagree"]
    data = {
        "input": {"path": "export.csv", "id_column": "resp"},
        "questions": [
            {"column": "resp", "id": "resp", "kind": "ignore"},
            {"columns": ["role_t", "role_p"], "id": "role", "kind": "multi", "options": ["Teacher", "Principal"]},
            {"column": "q_speed", "id": "speed", "kind": "likert", "block": "Rate us", "options": scale},
            {"column": "q_price", "id": "price", "kind": "likert", "block": "Rate us", "options": scale},
        ],
    }
    cfg = parse_config(data, tmp_path)
    result = run_ingest(read_export(tmp_path / "export.csv", cfg.input), cfg)
    roles = result.answers[result.answers["question_id"] == "role"]
    assert roles.groupby("respondent_id")["value"].apply(list).to_dict() == {
        "a": ["Teacher"],
        "b": ["Principal"],
        "c": ["Teacher", "Principal"],
    }
    closed = run_closed(result.questions, result.answers, result.respondents, cfg)
    assert [g.question_ids for g in closed.groups if g.kind == "likert"] == [("speed", "price")]
    bad = {**data, "questions": [{"columns": ["role_t"], "id": "role", "kind": "single"}]}
    with pytest.raises(ConfigError, match="kind multi only"):
        parse_config(bad, tmp_path)
    short = {**data, "questions": [{"columns": ["role_t", "role_p"], "id": "role", "kind": "multi", "options": ["T"]}]}
    with pytest.raises(ConfigError, match="one option per column"):
        parse_config(short, tmp_path)


def test_init_proposes_a_title_and_writes_columns(tmp_path: Path) -> None:
    assert proposed_title(Path("AI_whitepaper-export_v2.xlsx")) == "AI whitepaper"
    text = draft_config(QUALTRICS, tmp_path, "auto")
    assert 'title: "TO FILL IN: the report\'s title"' in text  # a file name is no title (issue 24)
    assert '(its file name suggests\n  # "Qualtrics workshop")' in text
    assert '  - columns: ["Q2_1", "Q2_2", "Q2_3", "Q2_4", "Q2_5"]' in text
    polis = draft_config(POLIS, tmp_path, "auto")
    assert 'title: "Polis conversation: Library opening hours"' in polis
    assert "each comment is one response" in polis and "shares are of comments" in polis


@pytest.mark.parametrize("export", [EU, QUALTRICS, COMPLAINTS, POLIS])
def test_init_then_run_writes_no_personal_data(export: Path, tmp_path: Path) -> None:
    config_dir = tmp_path / "configs"
    config_dir.mkdir()
    data = yaml.safe_load(draft_config(export, config_dir, "auto"))
    data["embed"] = {**data["embed"], "backend": "tfidf"}
    data["cluster"] = {"min_cluster_size": 2}
    data["report"] = {**data["report"], "formats": ["md", "html"]}
    (config_dir / "real.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    manifest = run_stages(load_config(config_dir / "real.yaml"))
    assert manifest["stages"]["ingest"]["facts"]["masked"].keys() == {"email", "phone"}
    written = [p for p in tmp_path.rglob("*") if p.is_file() and "configs" not in p.parts]  # outputs and reviews
    blob = b"".join(p.read_bytes() for p in written)
    secrets = ["claire.moreau@example.org", "7946 0958", "Contribution_Moreau", "photo_1.jpg", "tom.baker@example"]
    secrets += ["Lindqvist", "07700 900123", "Orange orange juice"]
    assert not [s for s in secrets if s.encode() in blob]
