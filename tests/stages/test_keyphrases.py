"""Key phrases: headline-shaped n-grams of the cluster's own words, deterministic."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.config import FindingsConfig
from pipeline.stages.findings.keyphrases import cluster_keyphrases, phrase_sample
from pipeline.stages.shared.words import (
    CLAUSE_WORDS,
    END_WORDS,
    FUNCTION_WORDS,
    compound,
    headline_words,
    segments,
    word_key,
)

# other clusters: they give the IDF something to compare with
BACKGROUND = [
    "Too many meetings in Geneva.",
    "Travel costs are high.",
    "Reports are published late.",
    "The website is hard to navigate.",
    "Regional offices lack staff.",
    "Membership fees keep rising.",
]


def phrases_of(cluster: list[str], title_words: int = 4) -> list[str]:
    texts = cluster + BACKGROUND
    labels = np.array([0] * len(cluster) + list(range(1, len(BACKGROUND) + 1)))
    return cluster_keyphrases(texts, labels, FindingsConfig(title_words=title_words))[0]


def occurs_in_run(phrase: str, texts: list[str]) -> bool:
    """The phrase's words, contiguous and in order, inside one run of words (no punctuation between)."""
    target = phrase.split()
    for text in texts:
        for run in segments(text):
            keys = [word_key(w) for w in run]
            if any(keys[s : s + len(target)] == target for s in range(len(keys))):
                return True
    return False


def test_phrase_never_ends_on_a_modal_or_dangling_verb() -> None:
    cluster = [
        "Highlighting the five most important indicators would make the report much more usable.",
        "Highlighting the five most important indicators would make the report much more usable.",
        "Important indicators would make reading easier.",
        "A summary of important indicators would make sense.",
    ]
    phrases = phrases_of(cluster)
    assert phrases
    for phrase in phrases:
        words = phrase.split()
        assert words[-1] not in FUNCTION_WORDS | END_WORDS, phrase
        assert not set(words) & CLAUSE_WORDS, phrase
    assert phrases[0] != "important indicators would make"


def test_phrase_cut_mid_noun_phrase_loses_to_the_whole_one() -> None:
    cluster = [
        "Stop spending money on large promotional events.",
        "Stop spending money on large promotional events.",
        "Large promotional events are a waste.",
        "No more large promotional events please.",
    ]
    phrases = phrases_of(cluster)
    assert phrases[0] == "large promotional events"
    assert "money on large promotional" not in phrases


def test_phrases_do_not_cross_punctuation() -> None:
    cluster = [
        "Rapid developments in AI, satellites and cloud computing.",
        "Rapid developments in AI, satellites and cloud computing.",
        "AI, satellites and cloud computing outpace us.",
    ]
    for phrase in phrases_of(cluster):
        assert occurs_in_run(phrase, cluster), phrase
        assert not phrase.startswith("ai satellites"), phrase


def test_supported_phrase_preferred_over_a_lone_word() -> None:
    cluster = [
        "Deep expertise accumulated over more than 150 years.",
        "Deep expertise in spectrum matters.",
        "Deep expertise of the secretariat.",
        "Deep technical knowledge.",
        "Deep roots in the sector.",
    ]
    assert phrases_of(cluster)[0] == "deep expertise"


def test_frequent_extension_of_the_best_word_leads() -> None:
    cluster = [f"Excellent care on ward {w}." for w in "abcd"] + [
        f"The care was {w}." for w in ("fine", "good", "ok", "great", "calm", "kind", "warm", "quick")
    ]
    assert phrases_of(cluster)[0] == "excellent care"


def test_question_and_meta_words_never_make_a_phrase_alone() -> None:
    cluster = ["Our main suggestion is the following.", "Our main suggestion is the following.", "Thank you."]
    texts = cluster + BACKGROUND
    labels = np.array([0] * len(cluster) + list(range(1, len(BACKGROUND) + 1)))
    phrases = cluster_keyphrases(texts, labels, FindingsConfig(), frozenset({"suggestions"}))[0]
    assert "main suggestion" not in phrases and "thank" not in phrases


def test_masks_and_typographic_apostrophes() -> None:
    cluster = ["XXXX was lovely and kind.", "Nurse XXXX was kind.", "I didn’t wait long, kind staff.", "Kind staff."]
    phrases = phrases_of(cluster)
    assert all("xxxx" not in p.split() for p in phrases)
    assert all(p.split()[-1] != "didn't" for p in phrases)
    assert word_key("Didn’t") == "didn't"


def test_french_phrases_keep_headline_shape() -> None:
    cluster = [
        "Le secrétariat doit réduire les frais de voyage.",
        "Réduire les frais de voyage des délégués.",
        "Les frais de voyage sont trop élevés.",
    ]
    phrases = phrases_of(cluster)
    assert phrases[0] == "frais de voyage"
    for phrase in phrases:
        assert phrase.split()[-1] not in FUNCTION_WORDS and "doit" not in phrase.split()


def test_compound_gives_a_lone_word_its_modifiers() -> None:
    texts = ["We could look for other forums.", "Offer certification and Conformity Assessment services for a fee."]
    assert compound("services", texts, 4) == "Conformity Assessment services"
    assert compound("forums", texts, 4) is None  # "other" is a function word: nothing to take
    assert compound("fee", texts, 4) is None
    assert compound("specifically", ["Addiction counselors specifically"], 4) is None  # adverbs take none
    assert compound("family", ["More support for the extended family"], 4) == "extended family"  # a noun in -ly
    assert compound("costs", ["Spent on staff versus non-staff costs"], 2) == "non-staff costs"  # max_words


def test_headline_words() -> None:
    assert headline_words("Reduce business-class travel.".split())
    assert headline_words("Felt looked after".split())
    assert not headline_words("ITU could learn from them.".split())
    assert not headline_words("Thank you".split())
    assert not headline_words("Dominated by any single".split())
    assert not headline_words("Compared to its mandate".split())


def test_same_input_same_phrases() -> None:
    cluster = ["Joint initiatives with industry.", "Joint initiatives with industry.", "Initiatives with partners."]
    assert phrases_of(cluster) == phrases_of(list(cluster))


WORDS = ["staff", "kind", "care", "the", "was", "would", "make", "of", "AI", "ward", "very", "good", "and"]


@settings(max_examples=40, deadline=None)
@given(
    texts=st.lists(
        st.lists(st.sampled_from([*WORDS, ",", "."]), min_size=1, max_size=8).map(" ".join), min_size=2, max_size=12
    ),
    seed=st.integers(min_value=0, max_value=3),
)
def test_phrases_are_headlines_of_the_clusters_own_words(texts: list[str], seed: int) -> None:
    labels = np.random.default_rng(seed).integers(-1, 2, size=len(texts))
    result = cluster_keyphrases(texts, labels, FindingsConfig())
    assert result == cluster_keyphrases(texts, labels, FindingsConfig())
    for label, phrases in result.items():
        members = [t for t, lab in zip(texts, labels, strict=True) if lab == label]
        for phrase in phrases:
            words = phrase.split()
            assert occurs_in_run(phrase, members), (phrase, members)
            assert words[0] not in FUNCTION_WORDS and words[-1] not in FUNCTION_WORDS | END_WORDS
            assert not set(words) & CLAUSE_WORDS


def test_phrase_sample_keeps_every_statement_up_to_the_limit() -> None:
    labels = np.array([0, 0, 1, -1, 1])
    assert phrase_sample(labels, 5).tolist() == [0, 1, 2, 3, 4]


def test_phrase_sample_is_even_proportional_and_keeps_small_clusters() -> None:
    """Above the limit each cluster keeps its share (at least 20 or all), evenly spread, the same every time."""
    labels = np.array([0] * 6000 + [1] * 3000 + [2] * 10 + [-1] * 1000)
    sample = phrase_sample(labels, 1000)
    kept = {k: int((labels[sample] == k).sum()) for k in (0, 1, 2, -1)}
    assert kept == {0: 599, 1: 300, 2: 10, -1: 100}
    zeros = sample[labels[sample] == 0]
    assert zeros[0] == 0 and zeros[-1] == 5999 and np.ptp(np.diff(zeros)) <= 1
    assert sample.tolist() == phrase_sample(labels, 1000).tolist() and sorted(set(sample.tolist())) == sample.tolist()
