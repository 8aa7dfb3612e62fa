"""Quantity scales: how much of something, from all to none, ordered from the quantifier that opens each label.

"All of the information > Most of the information > Some of the information > A little of the information > None
of the information" (Qualtrics), "A great deal > A lot > A moderate amount > A little > None at all", "Toutes les
informations > La plupart des informations > ... > Aucune information", "Alle > Die meisten > Einige > Keine". A
label is a quantifier (English, French, Spanish or German), optionally followed by what it counts; the labels are a
scale when every one opens with a quantifier, they all count the same thing (articles, "of", "de" and a plural
ending aside) and they hold at least three different amounts. Ranks follow `scales` (1 = all, 5 = none).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

QUANTIFIERS: dict[str, float] = {
    # English
    "all": 1,
    "everything": 1,
    "a great deal": 1,
    "a very great deal": 1,
    "almost all": 1.5,
    "nearly all": 1.5,
    "a lot": 1.5,
    "quite a lot": 2,
    "a good deal": 2,
    "most": 2,
    "much": 2,
    "a fair amount": 2.5,
    "a moderate amount": 3,
    "about half": 3,
    "half": 3,
    "some": 3,
    "a small amount": 4,
    "a little": 4,
    "a few": 4,
    "not much": 4,
    "not a lot": 4,
    "little": 4.5,
    "very little": 4.5,
    "few": 4.5,
    "very few": 4.5,
    "hardly any": 4.5,
    "almost none": 4.5,
    "none": 5,
    "none at all": 5,
    "nothing": 5,
    "nothing at all": 5,
    # French
    "tout": 1,
    "toute": 1,
    "tous": 1,
    "toutes": 1,
    "la totalité": 1,
    "énormément": 1,
    "beaucoup": 1.5,
    "presque tout": 1.5,
    "la plupart": 2,
    "la majorité": 2,
    "une bonne partie": 2,
    "une partie": 3,
    "certaines": 3,
    "certains": 3,
    "moyennement": 3,
    "un peu": 4,
    "quelques": 4,
    "peu": 4.5,
    "très peu": 4.5,
    "aucun": 5,
    "aucune": 5,
    "rien": 5,
    # Spanish
    "todo": 1,
    "toda": 1,
    "todos": 1,
    "todas": 1,
    "la totalidad": 1,
    "muchísimo": 1,
    "mucho": 1.5,
    "mucha": 1.5,
    "casi todo": 1.5,
    "la mayoría": 2,
    "la mayor parte": 2,
    "bastante": 2,
    "algo": 3,
    "una parte": 3,
    "parte": 3,
    "algunos": 3,
    "algunas": 3,
    "un poco": 4,
    "poco": 4.5,
    "poca": 4.5,
    "muy poco": 4.5,
    "muy poca": 4.5,
    "nada": 5,
    "ninguno": 5,
    "ninguna": 5,
    # German
    "alle": 1,
    "alles": 1,
    "sehr viel": 1,
    "sehr viele": 1,
    "fast alle": 1.5,
    "fast alles": 1.5,
    "viel": 1.5,
    "viele": 1.5,
    "die meisten": 2,
    "das meiste": 2,
    "einige": 3,
    "einiges": 3,
    "manche": 3,
    "etwas": 3,
    "ein wenig": 4,
    "ein bisschen": 4,
    "wenig": 4.5,
    "wenige": 4.5,
    "sehr wenig": 4.5,
    "sehr wenige": 4.5,
    "kein": 5,
    "keine": 5,
    "keiner": 5,
    "nichts": 5,
    "gar nichts": 5,
}
_LONGEST_FIRST = sorted(QUANTIFIERS, key=len, reverse=True)
# Words between the quantifier and what it counts ("of the", "de la", "des", "der"), left out when comparing.
_LINKS = frozenset("of the de des du d la le les l del los las el lo der die das den von".split())
_WORD = re.compile(r"[^\W\d_]+|\d+")


def quantity_ranks(keys: Sequence[str]) -> dict[str, float] | None:
    """Ranks of distinct label keys (`scales.label_key`) read as one quantity scale; None when they are not one."""
    parsed = {key: _parse(key) for key in keys}
    if len(keys) < 3 or any(p is None for p in parsed.values()):
        return None
    ranks = {key: p[0] for key, p in parsed.items() if p is not None}
    counted = {p[1] for p in parsed.values() if p is not None}
    return ranks if len(counted) == 1 and len(set(ranks.values())) >= 3 else None


def _parse(key: str) -> tuple[float, str] | None:
    """(rank of the quantifier that opens the label, what it counts), or None."""
    for quantifier in _LONGEST_FIRST:
        if key == quantifier or (key.startswith(quantifier) and key[len(quantifier)] in " '"):
            return QUANTIFIERS[quantifier], _counted(key[len(quantifier) :])
    return None


def _counted(rest: str) -> str:
    """What a quantifier counts, comparable across labels: links left out, a plural `s` / `en` dropped."""
    words = _WORD.findall(rest)
    while words and words[0] in _LINKS:
        words = words[1:]
    return " ".join(re.sub(r"(?<=\w\w\w)(s|en)$", "", w) for w in words)
