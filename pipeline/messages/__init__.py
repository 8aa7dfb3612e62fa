"""The report's own words in English, French and Spanish (`report.language`): a small message catalogue.

Every key has a text in every language, with the same `{placeholders}` (tests/test_messages.py checks it). A text
is a string, or a pair (singular, plural) for counts: French treats 0 and 1 as singular, English and Spanish only 1.
Answers, titles, summaries and question texts are never translated: they are the respondents' and reviewers' words.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from pipeline.messages.catalogue import CATALOGUE, LANGUAGES, ReportLanguage, Text

__all__ = ["CATALOGUE", "LANGUAGES", "Messages", "ReportLanguage", "Text"]


class Messages:
    """The catalogue in one language: `msgs("h.method")`, `msgs.count("n.finding", 3)`, `msgs.pct(0.851)`."""

    def __init__(self, language: str = "en") -> None:
        self.language = language if language in LANGUAGES else "en"

    def __call__(self, key: str, **values: object) -> str:
        """The text of `key`, its placeholders filled in (a (singular, plural) entry gives the plural)."""
        text = CATALOGUE[key][self.language]
        return (text if isinstance(text, str) else text[1]).format(**values)

    def count(self, key: str, n: int) -> str:
        """`3 findings`, `1 constat`, `0 constat` (French singular for 0 and 1)."""
        text = CATALOGUE[key][self.language]
        one, other = (text, text) if isinstance(text, str) else text
        singular = n in (0, 1) if self.language == "fr" else n == 1
        return f"{n} {one if singular else other}" if not one.startswith(" ") else f"{n}{one if singular else other}"

    def non_answers(self, total: int, kinds: Mapping[str, int]) -> str:
        """`12 non-answers (5 pointed to another document or answer, 7 answered none, nothing or N/A)`.

        `kinds`: respondents per noise kind (`pipeline.detect.noise`), each with a `noise.<kind>` entry.
        """
        counted = {kind: n for kind, n in kinds.items() if n}
        if len(counted) == 1 and next(iter(counted.values())) == total:  # one kind: "908 answered none, ..."
            return self.count(f"noise.{next(iter(counted))}", total)
        parts = ", ".join(self.count(f"noise.{kind}", n) for kind, n in counted.items())
        return f"{self.count('n.non_answer', total)} ({parts})" if parts else self.count("n.non_answer", total)

    def number(self, text: str) -> str:
        """A formatted number in this language: decimal comma in French and Spanish, a space before % in French."""
        if self.language == "en":
            return text
        table: dict[str, str | int | None] = {",": "\u202f" if self.language == "fr" else ".", ".": ","}
        out = text.translate(str.maketrans(table))
        return out.replace("%", "\u00a0%") if self.language == "fr" else out

    def pct(self, share: float | None, decimals: int = 1) -> str:
        """`85.1%`, `85,1 %` (fr), `85,1%` (es); `n/a` when unknown."""
        if share is None or math.isnan(share):
            return "n/a"
        return self.number(f"{share * 100:.{decimals}f}%")
