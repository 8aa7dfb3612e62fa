"""Statements that only say "no", "none" or "nothing": kept out of the embedding clustering, one group of their own.

The same matching (`nothing_mask`) finds courtesy statements ("Thank you.", "Kind regards", "Saludos",
`cluster.courtesy_replies`): they say nothing about the question and join no finding (in a real city-platform
export, "Saludos" and "Gracias, saludos" were two findings of 61 and 35 respondents).

To "What could be improved?" such replies mean "nothing to improve", a theme human coders report (the largest one in
NHS Friends and Family Test data). In embedding space "No" and "Nothing" are far apart (cosine 0.3 with MiniLM), so
HDBSCAN split them into separate findings, and smoothing pulled a lone "None" into whatever theme was nearest.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

# words that may surround a nothing reply without changing it ("Absolutely nothing", "No, nothing at all, thanks")
NOTHING_FILLERS = (
    "absolutely", "really", "honestly", "at all", "whatsoever", "else", "thanks", "thank you", "many thanks",
    "vraiment", "merci", "realmente", "gracias",
)  # fmt: skip
WORD = re.compile(r"\w+")


def nothing_mask(texts: Sequence[str], replies: Sequence[str]) -> np.ndarray:
    """Which texts consist only of the given replies, with NOTHING_FILLERS around them, in any punctuation.

    "No, nothing at all, thanks." matches the replies "no" and "nothing"; a text of fillers alone ("Thank you")
    does not.
    """
    phrases = {tuple(WORD.findall(reply.casefold())) for reply in replies} - {()}
    fillers = {tuple(WORD.findall(filler)) for filler in NOTHING_FILLERS}
    longest = max(map(len, phrases | fillers), default=0)

    def only_replies(words: list[str]) -> bool:
        # reached[i]: 0 = words[:i] cannot be cut into replies and fillers, 1 = it can (fillers only), 2 = with a reply
        reached = [1] + [0] * len(words)
        for start in range(len(words)):
            if reached[start]:
                for end in range(start + 1, min(len(words), start + longest) + 1):
                    piece = tuple(words[start:end])
                    if piece in phrases:
                        reached[end] = 2
                    elif piece in fillers:
                        reached[end] = max(reached[end], reached[start])
        return reached[-1] == 2

    verdicts: dict[str, bool] = {}  # each distinct text read once (campaigns repeat theirs)
    for text in texts:
        if text not in verdicts:
            verdicts[text] = only_replies(WORD.findall(text.casefold()))
    return np.array([verdicts[text] for text in texts], dtype=bool)


def nothing_group(nothing: np.ndarray, respondents: np.ndarray, grouped_elsewhere: np.ndarray, size: int) -> np.ndarray:
    """Which nothing replies form the nothing group.

    Those of respondents who said nothing else, when at least `size` respondents did (a nothing reply beside other
    statements of the same respondent says nothing of its own).

    Args:
        nothing: the nothing replies (`nothing_mask`).
        respondents: respondent of each statement.
        grouped_elsewhere: the statements that say more than nothing.
        size: the minimum cluster size, in respondents.
    """
    others = set(respondents[grouped_elsewhere].tolist())  # a set: np.isin on strings is quadratic
    alone = nothing & np.array([r not in others for r in respondents.tolist()], dtype=bool)
    return alone if len(set(respondents[alone].tolist())) >= size else np.zeros_like(alone)
