"""Groups of fragments: short statements that share no word are no theme, however close their vectors.

Very short statements ("Apoyado.", "Étera.", "Com.", "Lo siento.", "En fin.") have vectors that sit together near the
model's centre of short text, so HDBSCAN can gather hundreds of them into one group that says nothing (Decide Madrid: a
group of 496 respondents, 8.9% of the question, titled "Pues"). A theme of at least MIN_STATEMENTS statements in which
most statements are FRAGMENT_WORDS words or fewer, and no content word is used by SHARED_SHARE of the answers they come
from, is dissolved: its statements join no finding and are counted as not grouped, like any other unplaced statement.
Short replies that do say one thing share their word and stay ("Excellent", "Very good service", "Staff very friendly":
NHS), and so do the short sentences of a campaign letter (its answers are one text). A small theme may say one thing in
synonyms without sharing a word (WWCO's threats: "money", "lack of funds", "Funding, funding, funding.", "Financial
crisis.", "Donor fatigue": 10 statements, 7 short, no word in 3 of them) and stays; among 30 or more short statements
that say one thing, people repeat its few words.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from pipeline.stages.cluster.vectors import NOISE
from pipeline.stages.shared.words import FUNCTION_WORDS, segments, word_key

MIN_STATEMENTS = 30  # a smaller theme is never dissolved as fragments
FRAGMENT_WORDS = 3  # a statement of this many words or fewer is short
SHORT_SHARE = 0.5  # a theme is of fragments when more than this share of its statements are short...
SHARED_SHARE = 0.25  # ...and no content word is used by this share of them


def _content_words(text: str) -> tuple[int, set[str]]:
    """Number of words of a text and its content words (lower-cased, function words aside)."""
    words = [word_key(w) for run in segments(text) for w in run]
    return len(words), {w for w in words if w not in FUNCTION_WORDS and len(w) > 1}


def fragment_themes(texts: list[str], answers: list[str], themes: np.ndarray) -> set[int]:
    """The themes made of fragments (module docstring); `answers` holds each statement's answer text."""
    out: set[int] = set()
    for theme in sorted(set(themes.tolist()) - {NOISE}):
        rows = np.flatnonzero(themes == theme)
        if len(rows) < MIN_STATEMENTS:
            continue
        short = sum(1 for i in rows if _content_words(texts[int(i)])[0] <= FRAGMENT_WORDS)
        if short <= SHORT_SHARE * len(rows):
            continue
        used = Counter(w for i in rows for w in _content_words(answers[int(i)])[1])
        top = used.most_common(1)[0][1] if used else 0
        if top < SHARED_SHARE * len(rows):
            out.add(theme)
    return out


def dissolve_fragments(texts: list[str], answers: list[str], themes: np.ndarray) -> np.ndarray:
    """`themes` with every theme of fragments set to NOISE (not grouped)."""
    gone = fragment_themes(texts, answers, themes)
    if not gone:
        return themes
    return np.where(np.isin(themes, sorted(gone)), NOISE, themes)
