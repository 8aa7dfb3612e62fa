"""Themes of fragments (short statements sharing no word) are no finding; short replies saying one thing stay."""

from __future__ import annotations

import numpy as np

from pipeline.stages.cluster.fragments import dissolve_fragments, fragment_themes
from pipeline.stages.cluster.vectors import NOISE

FRAGMENTS = ["Apoyado.", "Étera.", "Com.", "Lo siento.", "En fin.", "Etc.", "Huele muy mal.", "¿Injusto?", "Ni aquí."]
PRAISE = ["Excellent.", "Excellent staff.", "Excellent care", "Staff excellent", "All excellent.", "Very good."]


def test_a_large_theme_of_short_statements_sharing_no_word_is_dissolved() -> None:
    fragments, praise = FRAGMENTS * 4, PRAISE * 6
    texts = fragments + praise
    themes = np.array([0] * len(fragments) + [1] * len(praise))
    assert fragment_themes(texts, texts, themes) == {0}
    out = dissolve_fragments(texts, texts, themes)
    assert (out[: len(fragments)] == NOISE).all() and (out[len(fragments) :] == 1).all()


def test_a_small_theme_of_synonyms_stays() -> None:
    """Ten short answers saying 'funding' in other words share no word, yet say one thing."""
    texts = ["lack of funds", "money", "Funding, funding, funding.", "Financial crisis.", "Insufficient resources."]
    texts += ["Donor fatigue", "Budget cuts.", "The main threat is financial.", "Arrears.", "No cash."]
    assert fragment_themes(texts, texts, np.zeros(len(texts), dtype=np.int64)) == set()


def test_short_sentences_of_one_letter_share_their_answer_and_stay() -> None:
    """A campaign letter of short sentences: the statements differ, their answer is one text."""
    letter = "Vote for it. Share it. Write to us. Join now."
    texts = ["Vote for it.", "Share it.", "Write to us.", "Join now."] * 10
    themes = np.zeros(len(texts), dtype=np.int64)
    assert fragment_themes(texts, [letter] * len(texts), themes) == set()


def test_long_statements_are_never_fragments() -> None:
    texts = [
        "The budget should show the cost of each programme.",
        "Publish the travel costs of the secretariat every year.",
        "A dashboard of spending would help member states follow it.",
    ]
    assert fragment_themes(texts, texts, np.zeros(3, dtype=np.int64)) == set()
