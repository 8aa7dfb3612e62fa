"""The writer stage's pure parts: prompts (central first, masked), reply parsing and the grounding checks."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.config import WriterConfig, parse_config
from pipeline.messages import Messages
from pipeline.stages.report import LoadedDraft
from pipeline.stages.report.method import method_section, provenance_section
from pipeline.stages.shared.sidecar import Finding, QuestionDraft
from pipeline.stages.writer import (
    NoReply,
    Outcome,
    Reply,
    Request,
    apply_outcomes,
    build_requests,
    check_reply,
    parse_reply,
    write_one,
)

IDS = ("R1:q:1", "R2:q:1", "R3:q:1")


def _request(language: str = "en") -> Request:
    return Request("q", "q-abc", ({"role": "user", "content": "x"},), IDS, language)


def _statements() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "statement_id": ["R1:q:1", "R2:q:1", "R3:q:1", "R4:q:1"],
            "respondent_id": ["R1", "R2", "R3", "R4"],
            "question_id": ["q", "q", "q", "q"],
            "text": [
                "Buses are late every morning.",
                "The buses never come on time, mail me at bob@example.com.",
                "Late buses and missed trains.",
                "Parking is too expensive.",
            ],
            "language": ["en", "en", "en", "en"],
            "source_row": [2, 3, 4, 5],
        }
    )


def _draft() -> QuestionDraft:
    finding = Finding(id="q-abc", title="Late buses", summary="Buses are late every morning.", members=list(IDS))
    return QuestionDraft(
        question_id="q",
        question_text="What should change?",
        answered=4,
        non_answers=0,
        not_grouped=1,
        top_n=5,
        findings=[finding],
    )


def test_reply_in_a_code_fence_with_text_around_it_is_read() -> None:
    text = (
        'Here you go:\n```json\n{"title": "Late buses.", "summary": "Buses are late.", "quote_ids": ["[R1:q:1]"]}\n```'
    )
    assert parse_reply(text) == Reply("Late buses", "Buses are late.", ("R1:q:1",))


def test_a_reasoning_models_thinking_is_left_out() -> None:
    text = '<think>Maybe {"title": "Draft idea"}?</think>{"title": "Late buses", "summary": "S.", "quote_ids": [1]}'
    assert parse_reply(text) == Reply("Late buses", "S.", ("1",))


def test_reply_without_a_json_object_says_so() -> None:
    assert parse_reply("The theme is late buses.") == "the reply is not JSON"
    assert parse_reply('{"name": "x"}') == "the reply holds no JSON object with a title"
    assert parse_reply('{"title": "Late buses", broken') == "the reply holds no JSON object with a title"


def test_grounded_reply_passes() -> None:
    reply = Reply("Buses run late", "Respondents said the buses are late every morning.", ("R1:q:1", "R3:q:1"))
    assert check_reply(reply, _request()) == []


def test_each_check_names_its_problem() -> None:
    long_title = Reply("One", "Two sentences here. And another one here.", ("R9:q:1",))
    problems = check_reply(long_title, _request())
    assert problems[0] == "the title has 1 words, not 2 to 8"
    assert problems[1].startswith("the summary is 2 sentences")
    assert problems[2] == "quote ids R9:q:1 are not among the answers sent"
    assert check_reply(Reply("Buses run late", "The buses are late.", ()), _request()) == ["no quote ids"]


def test_reply_in_another_language_than_the_members_fails() -> None:
    french = Reply(
        "Les bus sont en retard", "Les répondants disent que les bus arrivent toujours en retard le matin.", ("R1:q:1",)
    )
    assert check_reply(french, _request("en")) == ["it is written in French, not in English"]
    assert check_reply(french, _request("fr")) == []


def test_request_sends_members_central_first_masked_and_nothing_else() -> None:
    vectors = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0], [0.0, 1.0]], dtype=np.float32)
    (request,) = build_requests({"q": _draft()}, _statements(), {"q": vectors}, WriterConfig())
    user = request.messages[1]["content"]
    assert user.index("[R2:q:1]") < user.index("[R1:q:1]") < user.index("[R3:q:1]")  # nearest the mean first
    assert "bob@example.com" not in user and "[email]" in user
    assert "Parking" not in user and "source_row" not in user and "What should change?" in user
    assert request.sent == ("R2:q:1", "R1:q:1", "R3:q:1") and request.language == "en" and "English" in user


def test_retry_then_fallback_and_outcomes_applied() -> None:
    replies = iter(["not json", '{"title": "Buses run late", "summary": "Buses are late.", "quote_ids": ["R3:q:1"]}'])
    outcome, asked = write_one(_request(), lambda r: next(replies))
    assert asked == 2 and outcome.reply == Reply("Buses run late", "Buses are late.", ("R3:q:1",))
    drafts = apply_outcomes({"q": _draft()}, {"q-abc": outcome}, "m1", _statements())
    finding = drafts["q"].findings[0]
    assert (finding.title, finding.summary, finding.model_title) == ("Buses run late", "Buses are late.", True)
    assert finding.written is not None and finding.written.extractive_title == "Late buses"
    assert [q.response_id for q in finding.written.cited] == ["R3"]
    down, asked = write_one(_request(), lambda r: NoReply("cannot reach it"))
    assert (down.fallback, down.no_reply, asked) == ("cannot reach it", True, 1)
    kept = apply_outcomes({"q": _draft()}, {"q-abc": down}, "m1", _statements())["q"].findings[0]
    assert kept.title == "Late buses" and kept.written is not None and kept.written.fallback == "cannot reach it"
    assert not kept.model_title


def test_request_checksum_is_stable_and_changes_with_the_prompt() -> None:
    one, two = _request(), _request()
    assert one.checksum == two.checksum
    other = Request("q", "q-abc", ({"role": "user", "content": "y"},), IDS, "en")
    assert other.checksum != one.checksum
    assert json.loads(json.dumps(one.messages)) == list(one.messages)


def test_a_title_repeating_a_higher_ranked_one_keeps_the_extractive_text() -> None:
    second = Finding(id="q-def", title="Parking costs", summary="Parking is too expensive.", members=["R4:q:1"])
    draft = _draft().model_copy(update={"findings": [*_draft().findings, second]})
    same = Outcome(Reply("Buses run late", "Buses are late.", ("R1:q:1",)))
    drafts = apply_outcomes({"q": draft}, {"q-abc": same, "q-def": same}, "m1", _statements())
    first, kept = drafts["q"].findings
    assert first.title == "Buses run late" and kept.title == "Parking costs"
    assert kept.written is not None and "repeats the title of a higher-ranked finding" in (kept.written.fallback or "")


def test_method_note_and_provenance_name_the_model_in_the_report_language(tmp_path: Path) -> None:
    cfg = parse_config(
        {"input": {"path": "x.csv"}, "writer": {"backend": "openai", "base_url": "http://h:1/v1", "model": "m1"}},
        tmp_path,
        "c.yaml",
    )
    good = Outcome(Reply("Buses run late", "Buses are late.", ("R1:q:1",)))
    draft = apply_outcomes({"q": _draft()}, {"q-abc": good}, "m1", _statements())["q"]
    loaded = {"q": LoadedDraft(draft, "generated")}
    method = str(method_section(cfg, loaded, ["q"], {}, Messages("fr")))
    assert "1 des 1 constats ont été rédigés par le modèle de langage m1 (http://h:1/v1)" in method
    assert "jusqu'à 20" in method and "Pour les" not in method
    annex = str(provenance_section(cfg, {}, {}, Messages("es"), loaded))
    assert "Modelo de lenguaje (títulos y resúmenes): m1 (http://h:1/v1)" in annex
    extractive = str(method_section(cfg, {"q": LoadedDraft(_draft(), "generated")}, ["q"], {}, Messages("en")))
    assert "language model" not in extractive
