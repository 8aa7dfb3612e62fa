"""Bipolar answer scales that no table in `scales` lists, ordered from the words of their labels.

A label is read as an intensity, an optional negation and a stem: "Very well", "Fairly poorly", "Neither well nor
poorly", "Rather not important", "Not important at all", "Very dissatisfied". The negative side is a "not", an
antonym ("poorly" for "well") or a negative prefix ("un-", "dis-", ...) of a stem used elsewhere in the scale. The
labels are a scale when every label that is not neutral has the same stem and both sides occur. Ranks follow
`scales` (1 = most positive, 3 = neutral, 5 = most negative).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

STRONG = ("very much", "a lot", "very", "extremely", "completely", "totally", "strongly", "highly", "fully")
STRONG_MORE = ("entirely", "absolutely", "much", "significantly", "really", "definitely")
WEAK = ("a little", "a bit", "fairly", "quite", "rather", "somewhat", "moderately", "mostly", "slightly", "partly")
WEAK_MORE = ("partially", "reasonably", "largely", "mainly", "generally", "probably", "sort of", "kind of")
MODIFIERS: tuple[tuple[str, str], ...] = tuple(
    sorted(
        [(m, "strong") for m in (*STRONG, *STRONG_MORE)] + [(m, "weak") for m in (*WEAK, *WEAK_MORE)],
        key=lambda pair: -len(pair[0]),
    )
)
NEUTRAL = frozenset({"neutral", "neither", "no difference", "about the same", "the same", "in between", "mixed"})
ANTONYMS = {
    "poorly": "well",
    "badly": "well",
    "bad": "good",
    "poor": "good",
    "difficult": "easy",
    "hard": "easy",
    "negative": "positive",
    "negatively": "positively",
    "worse": "better",
    "less": "more",
    "decreased": "increased",
    "decrease": "increase",
    "low": "high",
    "weak": "strong",
    "useless": "useful",
    "oppose": "support",
    "against": "in favour",
    "worried": "confident",
}
PREFIXES = ("un", "dis", "in", "im", "ir", "il")
RANKS = {(False, "strong"): 1.0, (False, ""): 2.0, (False, "weak"): 2.5}
RANKS |= {(True, "weak"): 3.5, (True, ""): 4.0, (True, "strong"): 5.0}


@dataclass(frozen=True)
class _Label:
    stem: str
    negative: bool
    strength: str  # "strong", "weak" or ""


def polar_ranks(keys: Sequence[str]) -> tuple[str, dict[str, float]] | None:
    """Ranks of distinct label keys (`scales.label_key`) read as one bipolar scale, with its stem; else None."""
    if len(keys) < 3:
        return None
    neutral = [k for k in keys if _neutral(k)]
    parsed = {k: _parse(k) for k in keys if k not in neutral}
    stems = {p.stem for p in parsed.values()}
    parsed = {k: _unprefixed(p, stems) for k, p in parsed.items()}
    stems = {p.stem for p in parsed.values()}
    sides = {p.negative for p in parsed.values()}
    if len(stems) != 1 or sides != {True, False} or not all(stems):
        return None
    ranks = {k: RANKS[(p.negative, p.strength)] for k, p in parsed.items()}
    return stems.pop(), {**ranks, **dict.fromkeys(neutral, 3.0)}


def _neutral(key: str) -> bool:
    words = key.split()
    return key in NEUTRAL or (len(words) >= 4 and words[0] == "neither" and "nor" in words[2:])


def _parse(key: str) -> _Label:
    words = key.replace(",", " ").split()
    strength, negative = "", False
    if words[-2:] == ["at", "all"]:
        words, strength = words[:-2], "strong"
    words, found = _modifier(words)
    strength = strength or found
    if words[:1] == ["not"]:
        negative, words = True, words[1:]
        if words[:2] == ["at", "all"]:
            words, strength = words[2:], "strong"
        words, after = _modifier(words)
        strength = "weak" if after == "strong" and not strength else strength or after
    stem = " ".join(words)
    if stem in ANTONYMS:
        stem, negative = ANTONYMS[stem], not negative
    return _Label(stem, negative, strength)


def _modifier(words: list[str]) -> tuple[list[str], str]:
    text = " ".join(words)
    for phrase, strength in MODIFIERS:
        if text.startswith(phrase + " "):
            return words[len(phrase.split()) :], strength
    return words, ""


def _unprefixed(label: _Label, stems: set[str]) -> _Label:
    """A stem with a negative prefix ("dissatisfied") whose bare form is another label's stem ("satisfied")."""
    for prefix in PREFIXES:
        bare = label.stem.removeprefix(prefix)
        if bare != label.stem and bare in stems:
            return _Label(bare, not label.negative, label.strength)
    return label
