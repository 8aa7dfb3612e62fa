"""Reference-only answers ("see attached", "as above") are non-answers, in `run` and in `evaluate` alike."""

from __future__ import annotations

import pytest

from pipeline.detect.noise import NoiseRules
from pipeline.detect.references import reference_only
from pipeline.evaluate import GoldQuestion, pipeline_tables


@pytest.mark.parametrize(
    "text",
    [
        "Please see attached document",
        "See attached.",
        "As above",
        "Same as Q2",
        "See my answer to question 3",
        "Please refer to our written submission.",
        "please find our response attached",
        "Voir pièce jointe",
        "Ver documento adjunto",
        "Siehe Anhang",
    ],
)
def test_answers_that_only_point_elsewhere(text: str) -> None:
    assert reference_only(text)


@pytest.mark.parametrize(
    "text",
    [
        "No further regulation is needed, see attached",
        "Please see the attached PDF, which sets out our position on AI liability",
        "The above is fine",
        "Thank you",
        "Previous experience matters",
        "",
    ],
)
def test_answers_with_content_are_answers(text: str) -> None:
    assert not reference_only(text)


def test_reference_answers_are_non_answers_unless_turned_off() -> None:
    assert NoiseRules.build(frozenset()).answer_kind("Please see attached document") == "reference"
    assert NoiseRules.build(frozenset(), references=False).answer_kind("Please see attached document") is None
    gold = GoldQuestion("q", ["1", "2"], ["See attached.", "Parking is too expensive"], {})
    _, answers = pipeline_tables([gold], NoiseRules.build(frozenset()))
    assert answers["status"].tolist() == ["non_answer", "answer"]
