"""Ordered answer scales (agree, importance, frequency, ...) recognised as likert questions.

Each scale maps a label to a rank: 1 is the most positive end, higher is more negative. Labels that mean
"no opinion" (N/A, don't know) and "Other" (as in Microsoft Forms likert exports) fit every scale and are
listed last. Scales no table lists are read from the words of their labels: quantities ("All of the information >
Most of the information > ... > None of the information", `quantity`) and bipolar scales ("Very well > Fairly well >
Neither well nor poorly > Fairly poorly", `polar`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pipeline.detect.polar import polar_ranks
from pipeline.detect.quantity import quantity_ranks
from pipeline.labels import NON_SUBSTANTIVE, OTHER

NA_RANK = 1_000.0

NA_LABELS = frozenset(" ".join(label.split()).casefold().rstrip(".") for label in NON_SUBSTANTIVE + OTHER)
OTHER_LABELS = frozenset(label.casefold() for label in OTHER)

SCALES: dict[str, dict[str, float]] = {
    "agree": {
        "strongly agree": 1,
        "totally agree": 1,
        "completely agree": 1,
        "fully agree": 1,
        "agree": 2,
        "somewhat agree": 2.5,
        "tend to agree": 2.5,
        "mostly agree": 2.5,
        "partially agree": 2.8,
        "partly agree": 2.8,
        "neither agree nor disagree": 3,
        "neutral": 3,
        "undecided": 3,
        "somewhat disagree": 3.5,
        "tend to disagree": 3.5,
        "mostly disagree": 3.5,
        "disagree": 4,
        "do not agree": 4,
        "don't agree": 4,
        "strongly disagree": 5,
        "totally disagree": 5,
        "completely disagree": 5,
        "tout à fait d'accord": 1,
        "plutôt d'accord": 2,
        "d'accord": 2,
        "ni d'accord ni pas d'accord": 3,
        "plutôt pas d'accord": 4,
        "pas d'accord": 4.5,
        "pas du tout d'accord": 5,
        "totalmente de acuerdo": 1,
        "muy de acuerdo": 1,
        "de acuerdo": 2,
        "ni de acuerdo ni en desacuerdo": 3,
        "en desacuerdo": 4,
        "totalmente en desacuerdo": 5,
        "muy en desacuerdo": 5,
    },
    "importance": {
        "extremely important": 1,
        "very important": 1.5,
        "important": 2,
        "fairly important": 2.5,
        "moderately important": 3,
        "somewhat important": 3,
        "slightly important": 4,
        "of little importance": 4,
        "low importance": 4,
        "not very important": 4,
        "not important": 5,
        "not at all important": 5,
        "unimportant": 5,
        "très important": 1.5,
        "assez important": 2.5,
        "peu important": 4,
        "pas important": 5,
        "pas du tout important": 5,
        "muy importante": 1.5,
        "importante": 2,
        "poco importante": 4,
        "nada importante": 5,
        "no importante": 5,
    },
    "frequency": {
        "always": 1,
        "very often": 1.5,
        "often": 2,
        "frequently": 2,
        "sometimes": 3,
        "occasionally": 3,
        "rarely": 4,
        "seldom": 4,
        "never": 5,
        "toujours": 1,
        "souvent": 2,
        "parfois": 3,
        "rarement": 4,
        "jamais": 5,
        "siempre": 1,
        "a menudo": 2,
        "frecuentemente": 2,
        "a veces": 3,
        "raramente": 4,
        "casi nunca": 4,
        "nunca": 5,
    },
    "familiarity": {
        "extremely familiar": 1,
        "very familiar": 1.5,
        "familiar": 2,
        "moderately familiar": 3,
        "somewhat familiar": 3,
        "slightly familiar": 4,
        "not very familiar": 4,
        "not familiar": 5,
        "not at all familiar": 5,
        "unfamiliar": 5,
        "très familier": 1.5,
        "familier": 2,
        "peu familier": 4,
        "pas familier": 5,
        "muy familiarizado": 1.5,
        "familiarizado": 2,
        "poco familiarizado": 4,
        "nada familiarizado": 5,
    },
    "satisfaction": {
        "extremely satisfied": 1,
        "very satisfied": 1.5,
        "satisfied": 2,
        "somewhat satisfied": 2.5,
        "neither satisfied nor dissatisfied": 3,
        "neutral": 3,
        "somewhat dissatisfied": 3.5,
        "dissatisfied": 4,
        "very dissatisfied": 5,
        "extremely dissatisfied": 5,
        "très satisfait": 1.5,
        "satisfait": 2,
        "insatisfait": 4,
        "très insatisfait": 5,
        "muy satisfecho": 1.5,
        "satisfecho": 2,
        "insatisfecho": 4,
        "muy insatisfecho": 5,
    },
    "likelihood": {
        "extremely likely": 1,
        "very likely": 1.5,
        "likely": 2,
        "somewhat likely": 2.5,
        "neither likely nor unlikely": 3,
        "somewhat unlikely": 3.5,
        "unlikely": 4,
        "very unlikely": 5,
        "extremely unlikely": 5,
    },
    "quality": {
        "excellent": 1,
        "very good": 1.5,
        "good": 2,
        "fair": 3,
        "average": 3,
        "poor": 4,
        "very poor": 5,
    },
    "usefulness": {
        "extremely useful": 1,
        "very useful": 1.5,
        "useful": 2,
        "somewhat useful": 3,
        "moderately useful": 3,
        "slightly useful": 4,
        "not very useful": 4,
        "not useful": 5,
        "not at all useful": 5,
    },
    "extent": {
        "to a great extent": 1,
        "to a large extent": 1,
        "to a moderate extent": 2,
        "to some extent": 2,
        "to a small extent": 3,
        "to a little extent": 3,
        "not at all": 4,
    },
}
_NUMBERED = re.compile(r"^(?P<n>\d{1,2})(?:\s*[-–—.:)=]\s*(?P<label>\S.*))?$", re.DOTALL)


@dataclass(frozen=True)
class ScaleMatch:
    """Observed values recognised as one ordered scale.

    Attributes:
        family: Scale name (`agree`, `importance`, ..., `quantity`, `numbered`, or a bipolar scale's quoted stem).
        ranks: Observed value -> rank (1 = most positive; N/A-like values get NA_RANK).
    """

    family: str
    ranks: Mapping[str, float]

    @property
    def options(self) -> list[str]:
        """Observed values in scale order, most positive first, N/A-like values last."""
        return ordered(self.ranks)

    def describe(self) -> str:
        """Short description for config comments, e.g. `agree scale 'Strongly agree > ... > Disagree'`."""
        scale = [o for o in self.options if self.ranks[o] < NA_RANK]
        ends = f"{scale[0]} > {scale[-1]}" if len(scale) == 2 else f"{scale[0]} > ... > {scale[-1]}"
        return f"{self.family} scale '{ends}'"


def ordered(ranks: Mapping[str, float]) -> list[str]:
    """Labels sorted by rank (stable for equal ranks)."""
    return sorted(ranks, key=lambda label: ranks[label])


def label_key(label: str) -> str:
    """Comparable form of a label: NFC, case-folded, single-spaced, straight apostrophes, no final period."""
    text = unicodedata.normalize("NFC", label).replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split()).casefold().rstrip(".")


def is_na_label(label: str) -> bool:
    """Whether a label means "no opinion" (N/A, don't know, ...)."""
    return label_key(label) in NA_LABELS


def na_rank(label: str, order: int) -> float:
    """Rank of an N/A-like label: after the scale, "Other" after the rest, then in order of appearance."""
    return NA_RANK + (100.0 if label_key(label) in OTHER_LABELS else 0.0) + order


def match_scale(values: Iterable[str]) -> ScaleMatch | None:
    """Recognise the distinct non-blank values of a column as one ordered scale, or return None."""
    distinct = list(dict.fromkeys(v for v in values if v))
    rest = [v for v in distinct if not is_na_label(v)]
    if not rest:
        return None
    na = {v: na_rank(v, i) for i, v in enumerate(v for v in distinct if is_na_label(v))}
    numbered = _numbered(rest)
    if numbered is not None:
        return ScaleMatch("numbered", {**numbered, **na})
    for family, table in SCALES.items():
        if all(label_key(v) in table for v in rest):
            return ScaleMatch(family, {**{v: table[label_key(v)] for v in rest}, **na})
    keys = {v: label_key(v) for v in rest}
    quantity = quantity_ranks(list(dict.fromkeys(keys.values())))
    if quantity is not None:
        return ScaleMatch("quantity", {**{v: quantity[k] for v, k in keys.items()}, **na})
    polar = polar_ranks(list(dict.fromkeys(keys.values())))
    if polar is not None:
        stem, ranks = polar
        return ScaleMatch(f"'{stem}'", {**{v: ranks[k] for v, k in keys.items()}, **na})
    return None


def _numbered(values: Sequence[str]) -> dict[str, float] | None:
    """`5 - Very important` style labels: higher number = more positive unless the labels say otherwise."""
    matches = [_NUMBERED.match(v.strip()) for v in values]
    if len(values) < 2 or any(m is None for m in matches) or not any(m and m["label"] for m in matches):
        return None
    numbers = {v: float(m["n"]) for v, m in zip(values, matches, strict=True) if m}
    labels = {v: m["label"] for v, m in zip(values, matches, strict=True) if m and m["label"]}
    sign = -1.0 if _higher_is_better(labels, numbers) else 1.0
    return {v: sign * n for v, n in numbers.items()}


def _higher_is_better(labels: Mapping[str, str], numbers: Mapping[str, float]) -> bool:
    for table in SCALES.values():
        known = {v: table[label_key(t)] for v, t in labels.items() if label_key(t) in table}
        if len(known) >= 2:
            low = min(known, key=lambda v: numbers[v])
            high = max(known, key=lambda v: numbers[v])
            return known[high] <= known[low]
    return True
