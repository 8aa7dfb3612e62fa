"""Themes of fragments (short statements sharing no word) are no finding; short replies saying one thing stay."""

from __future__ import annotations

import numpy as np

from pipeline.stages.cluster.fragments import dissolve_fragments, fragment_themes
from pipeline.stages.cluster.vectors import NOISE

FRAGMENTS = ["Apoyado.", "Étera.", "Com.", "Lo siento.", "En fin.", "Etc.", "Huele muy mal.", "¿Injusto?", "Ni aquí."]
PRAISE = ["Excellent.", "Excellent staff.", "Excellent care", "Staff excellent", "All excellent.", "Very good."]


def test_a_theme_of_short_statements_sharing_no_word_is_dissolved() -> None:
    texts = FRAGMENTS + PRAISE
    themes = np.array([0] * len(FRAGMENTS) + [1] * len(PRAISE))
    assert fragment_themes(texts, texts, themes) == {0}
    out = dissolve_fragments(texts, texts, themes)
    assert (out[: len(FRAGMENTS)] == NOISE).all() and (out[len(FRAGMENTS) :] == 1).all()


def test_short_sentences_of_one_letter_share_their_answer_and_stay() -> None:
    """A campaign letter of short sentences: the statements differ, their answer is one text."""
    letter = "Vote for it. Share it. Write to us. Join now."
    texts = ["Vote for it.", "Share it.", "Write to us.", "Join now."] * 5
    themes = np.zeros(len(texts), dtype=np.int64)
    assert fragment_themes(texts, [letter] * len(texts), themes) == set()


def test_long_statements_are_never_fragments() -> None:
    texts = [
        "The budget should show the cost of each programme.",
        "Publish the travel costs of the secretariat every year.",
        "A dashboard of spending would help member states follow it.",
    ]
    assert fragment_themes(texts, texts, np.zeros(3, dtype=np.int64)) == set()
