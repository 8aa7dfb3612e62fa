"""Candidate phrases of a question, embedded by the embed stage and ranked as titles by the findings stage.

`candidate_phrases` lists the headline-shaped spans (1 to MAX_CANDIDATE_WORDS word keys, `shared.words`)
that two or more statements use; the embed stage embeds them (`03_embed/phrases.parquet`, `phrase_vectors/`), and
`PhraseVectors` carries them to the findings stage, which ranks them by meaning as title candidates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from pipeline.stages.shared.words import phrase_is_valid, segments, word_key

MAX_CANDIDATE_WORDS = 6  # longest phrase embedded as a title candidate
PHRASE_LIMIT = 4000  # candidate phrases embedded per question (the most frequent)
NEGATIONS = frozenset("no not non without never nor".split())


@dataclass(frozen=True)
class PhraseVectors:
    """Embedded candidate phrases of one question (lower-cased word keys) and their unit vectors."""

    phrases: list[str]
    vectors: np.ndarray

    @cached_property
    def row(self) -> dict[str, int]:
        """Phrase -> row."""
        return {p: i for i, p in enumerate(self.phrases)}


def candidate_phrases(
    texts: Sequence[str], limit: int = PHRASE_LIMIT, other: frozenset[str] = frozenset()
) -> list[str]:
    """Headline-shaped phrases (1..MAX_CANDIDATE_WORDS word keys) used by 2+ statements, the most frequent first.

    A phrase after a negation is also a candidate with it ("no further regulation"). Ties keep alphabetical order,
    so the list is deterministic. `other`: function words of the question's other languages (never at an end).
    """
    counts: Counter[str] = Counter()
    for text, copies in Counter(texts).items():  # a campaign's sentence sent 100,000 times is read once
        for phrase in {p for run in segments(text) for p in phrase_spans([word_key(w) for w in run], other)}:
            counts[phrase] += copies
    frequent = [(p, k) for p, k in counts.items() if k >= 2]
    frequent.sort(key=lambda item: (-item[1], item[0]))
    return [p for p, _ in frequent[:limit]]


def phrase_spans(keys: list[str], other: frozenset[str]) -> Iterator[str]:
    """Headline-shaped spans of one run of word keys, each also with the negation before it (`candidate_phrases`)."""
    for start in range(len(keys)):
        for end in range(start + 1, min(len(keys), start + MAX_CANDIDATE_WORDS) + 1):
            phrase = " ".join(keys[start:end])
            if phrase_is_valid(phrase, frozenset(), other):
                yield phrase
                if start > 0 and keys[start - 1] in NEGATIONS:
                    yield f"{keys[start - 1]} {phrase}"
