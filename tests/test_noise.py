"""Noise is never a finding: pointers, non-answers, links, courtesy and mash are set apart, counted by kind."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.config import ClusterConfig, StatementsConfig
from pipeline.detect.noise import NoiseRules
from pipeline.detect.values import non_answer_keys
from pipeline.evaluate import GoldQuestion, pipeline_tables
from pipeline.messages import Messages
from pipeline.stages.embed import build_statements
from pipeline.stages.findings.stage import set_apart_counts

RULES = NoiseRules.build(
    non_answer_keys(["n/a", "-"]),
    ClusterConfig().nothing_replies,
    ClusterConfig().courtesy_replies,
)


@pytest.mark.parametrize(
    "text",
    [
        # pointers to another document or answer, in French, Spanish and German first
        "Voir notre contribution écrite.",
        "Veuillez vous référer au document de position du Groupe africain.",
        "Merci de vous référer à notre lettre du 3 novembre.",
        "Véase el documento adjunto de nuestro ministerio.",
        "Por favor, consulte nuestra contribución escrita.",
        "Siehe unsere Stellungnahme vom 3. März.",
        "Bitte siehe Anhang.",
        "Please refer to the joint position paper of our regional group, circulated as an INF document.",
        "See our written submission sent to the Secretariat on 12 October.",
        "Same as my previous answer.",
        "See our answer to question 2.",
        "as above",
    ],
)
def test_pointers_elsewhere_are_references(text: str) -> None:
    assert RULES.answer_kind(text) == "reference"


@pytest.mark.parametrize(
    "text",
    [
        "N/A",
        "None at this time.",
        "Nothing to add at this stage.",
        "No comment",
        "No idea",
        "no suggestions",
        "I don't know",
        "Rien à ajouter.",
        "Pas de commentaire",
        "Sin comentarios por ahora",
        "Nada que añadir",
        "Keine Angabe",
        "Nessun commento",
        "No, nothing at all, thanks.",
        "Nothing to add. Thank you.",
        "Nothing that was done could of been any better",
    ],
)
def test_non_answers_in_words_are_non_answers(text: str) -> None:
    assert RULES.answer_kind(text) == "non_answer"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("https://example.org/position.pdf", "link"),
        ("More info at www.example.org/plan", "link"),
        ("Thank you for the opportunity to comment.", "courtesy"),
        ("Saludos", "courtesy"),
        ("Jsjdjdj", "mash"),
        ("See attached. Thank you.", "reference"),  # named by its most telling kind
    ],
)
def test_links_courtesy_and_mash(text: str, kind: str) -> None:
    assert RULES.answer_kind(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "No more events.",
        "Nothing - all current programmes are needed, especially for Africa.",
        "Not enough funding",
        "Don't cut the budget",
        "Please see the attached PDF, which sets out our position on AI liability",
        "See attached: we oppose the fee.",
        "See the need for more data sharing between countries",
        "Thank you for listening to the smaller members",
        "Regional offices, see https://example.org for the list",
    ],
)
def test_answers_with_content_are_kept(text: str) -> None:
    assert RULES.answer_kind(text) is None


def test_a_noise_sentence_inside_an_answer_is_set_apart_alone() -> None:
    assert RULES.answer_kind("See attached. We oppose the fee.") is None
    answers = pd.DataFrame(
        {
            "respondent_id": ["R1"],
            "question_id": "q",
            "value": ["See attached. We oppose the fee. Thank you."],
            "status": "answer",
            "source_row": 2,
            "language": "en",
        }
    )
    statements = build_statements(answers, ["q"], lambda q: StatementsConfig(), RULES)
    assert statements["noise"].tolist() == ["reference", "", "courtesy"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(["no", "Nothing", "None", "nil"]), min_size=1, max_size=3),
    st.lists(st.sampled_from(["really", "at all", "thanks", "to add"]), max_size=2),
    st.sampled_from([", ", ". ", " ", "! "]),
    st.sampled_from(["", "food", "staff parking", "more events"]),
)
def test_a_non_answer_needs_only_its_own_words(replies: list[str], fillers: list[str], glue: str, extra: str) -> None:
    text = glue.join(replies[:1] + fillers + replies[1:] + ([extra] if extra else []))
    assert (RULES.statement_kind(text) == "non_answer") == (extra == "")


def test_set_apart_answers_are_counted_by_kind_and_named_in_the_base_line() -> None:
    gold = GoldQuestion(
        "q",
        ["1", "2", "3", "4", "5"],
        ["See our written submission.", "As above", "N/A", "Parking is too expensive", "https://example.org"],
        {},
    )
    _, answers = pipeline_tables([gold], RULES)
    assert answers["status"].tolist() == ["non_answer"] * 3 + ["answer", "non_answer"]
    counts = set_apart_counts(answers)
    assert counts == {"reference": 2, "link": 1, "non_answer": 1}
    line = Messages("en").non_answers(4, counts)
    assert (
        line == "4 non-answers (2 pointed to another document or answer, 1 only gave a link, 1 answered none, "
        "nothing or N/A)"
    )
    assert "renvoyaient" in Messages("fr").non_answers(4, counts)
    assert Messages("en").non_answers(3, {"reference": 3}) == "3 pointed to another document or answer"


def test_references_can_be_kept_as_answers() -> None:
    keep = NoiseRules.build(frozenset(), references=False)
    assert keep.answer_kind("Please see attached document") is None
    assert RULES.answer_kind("Please see attached document") == "reference"
