"""The report's own words in `report.language`, from gettext catalogues, with Babel's numbers and plural rules.

The English texts are in `texts.py` (one entry per key); each other language has a catalogue
`locale/<lang>/LC_MESSAGES/consolidate.po`, compiled to `.mo` (`make messages`, `tool.py`). A count's form follows
the language's plural rule (CLDR, via the catalogue's Plural-Forms: Russian 1 респондент, 2 респондента,
5 респондентов; Arabic six forms; Chinese one), and numbers, percents and the list separator follow the locale
(Babel): `85.1%`, `85,1 %` (fr), `85,1 %` (ru), `1 234` (fr). Answers, titles, summaries and question texts are
never translated: they are the respondents' and reviewers' words.
"""

from __future__ import annotations

import copy
import gettext
import io
import math
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from pipeline.config.report_language import (
    BUILT_IN,
    DOMAIN,
    PACKAGE_CATALOGUES,
    SOURCE_LANGUAGE,
    catalogue_file,
    check_report_language,
    normalise_language,
)
from pipeline.messages.texts import TEXTS, Source

__all__ = ["BUILT_IN", "DOMAIN", "PACKAGE_CATALOGUES", "TEXTS", "Messages", "Source", "load_translations"]

RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur", "ps", "dv", "yi", "ckb", "sd", "ug"})
FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"


@lru_cache(maxsize=32)
def load_translations(language: str, extra: Path | None = None) -> gettext.NullTranslations:
    """The catalogue of `language` (English: none, the texts are the source); a `.po` alone is compiled in memory."""
    check_report_language(language, extra)
    path = catalogue_file(language, extra)
    if path is None:
        return gettext.NullTranslations()
    if path.suffix == ".mo":
        with path.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


class Messages:
    """The report's words in one language: `msgs("h.method")`, `msgs.count("n.finding", 3)`, `msgs.pct(0.851)`."""

    def __init__(self, language: str = SOURCE_LANGUAGE, catalogues: Path | None = None) -> None:
        self.language = normalise_language(language)
        self._gettext = load_translations(self.language, catalogues)
        self.locale = Locale.parse(self.language)

    @property
    def right_to_left(self) -> bool:
        """Whether the language is written right to left (Arabic): the HTML gets `dir="rtl"`, Word bidi."""
        return self.locale.language in RIGHT_TO_LEFT

    def __call__(self, key: str, **values: object) -> str:
        """The text of `key` with its placeholders filled in (whole numbers formatted for the language)."""
        source = TEXTS[key]
        if source.plural is not None:
            return self.count(key, int(str(values.pop("n", 2))), **values)
        return self._fill(self.raw(key), values)

    def raw(self, key: str) -> str:
        """The translation of `key` as the catalogue has it, placeholders unfilled (the English text when none)."""
        return self._gettext.pgettext(key, TEXTS[key].text)

    def count(self, key: str, n: int, **values: object) -> str:
        """`3 findings`, `1 constat`, `0 constat` (French), `21 респондент` (Russian): the language's plural form."""
        source = TEXTS[key]
        plural = source.plural if source.plural is not None else source.text
        return self._fill(self._gettext.npgettext(key, source.text, plural, n), {**values, "n": n})

    def count_parts(self, key: str, n: int) -> tuple[str, str, str]:
        """A count split around its number (before, number, after), to set the number apart (bold)."""
        source = TEXTS[key]
        plural = source.plural if source.plural is not None else source.text
        before, _, after = self._gettext.npgettext(key, source.text, plural, n).partition("{n}")
        return before, self.integer(n), after

    def non_answers(self, total: int, kinds: Mapping[str, int]) -> str:
        """`12 non-answers (5 pointed to another document or answer, 7 answered none, nothing or N/A)`.

        `kinds`: respondents per noise kind (`pipeline.detect.noise`), each with a `noise.<kind>` entry.
        """
        counted = {kind: n for kind, n in kinds.items() if n}
        if len(counted) == 1 and next(iter(counted.values())) == total:  # one kind: "908 answered none, ..."
            return self.count(f"noise.{next(iter(counted))}", total)
        parts = self.join(self.count(f"noise.{kind}", n) for kind, n in counted.items())
        return (
            self("p.parenthesis", text=self.count("n.non_answer", total), inner=parts)
            if parts
            else (self.count("n.non_answer", total))
        )

    def join(self, items: object) -> str:
        """Items joined with the language's list separator (`, `, `، `, `、`)."""
        return self("p.list").join(str(item) for item in items)  # type: ignore[attr-defined]

    def quote(self, text: str) -> str:
        """`text` in the language's quotation marks (“…”, « … », «…», „…“, 「…」)."""
        return self("p.quote", text=text)

    def isolate(self, text: str) -> str:
        """In a right-to-left language, `text` as a bidi isolate (FSI ... PDI); unchanged in other languages.

        An isolate keeps its own direction inside the sentence and does not decide the paragraph's.
        """
        return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}" if self.right_to_left and text else text

    def integer(self, n: int) -> str:
        """A whole number with the language's digit grouping: `1,234`, `1 234` (fr), `1.234` (es)."""
        return self._decimal(Decimal(n))

    def number(self, text: str) -> str:
        """A number written in English (`0.5`, `95`, `87.5%`) in this language, keeping its decimals."""
        percent = text.endswith("%")
        value = Decimal(text.removesuffix("%").replace(",", ""))
        decimals = max(0, -int(value.as_tuple().exponent))
        return self._percent(value / 100, decimals) if percent else self._decimal(value, decimals)

    def pct(self, share: float | None, decimals: int = 1) -> str:
        """`85.1%`, `85,1 %` (fr), `85,1 %` (es, ru), `٪`-free `85.1%` (ar, zh); `n/a` when unknown."""
        if share is None or math.isnan(share):
            return self("p.not_available")
        rounded = Decimal(f"{share * 100:.{decimals}f}")  # Python's rounding, as the tables and charts use
        return self._percent(rounded / 100, decimals)

    def _percent(self, share: Decimal, decimals: int) -> str:
        pattern = copy.copy(self.locale.percent_formats[None])
        pattern.frac_prec = (decimals, decimals)
        # isolated in right-to-left text, so that "25.5%" stays whole (CLDR marks the Arabic percent sign with LRMs
        # for this, which would also make a sentence that holds a percent read left to right)
        return self.isolate(str(pattern.apply(share, self.locale)))

    def _decimal(self, value: Decimal, decimals: int = 0) -> str:
        pattern = copy.copy(self.locale.decimal_formats[None])
        pattern.frac_prec = (decimals, decimals)
        return str(pattern.apply(value, self.locale))

    def _fill(self, text: str, values: Mapping[str, object]) -> str:
        """Placeholders filled: whole numbers formatted; in a right-to-left language, isolated left-to-right values.

        A value with left-to-right letters (a question, an option, a model name) is isolated, so that an English
        question mark stays at its end.
        """
        return text.format(**{key: self._value(value) for key, value in values.items()})

    def _value(self, value: object) -> object:
        if isinstance(value, int) and not isinstance(value, bool):
            return self.integer(value)
        if isinstance(value, str) and self.right_to_left and _has_left_to_right(value):
            return self.isolate(value)
        return value


def _has_left_to_right(text: str) -> bool:
    """Whether `text` has a left-to-right letter (digits, signs and marks do not count)."""
    return any(unicodedata.bidirectional(char) == "L" and unicodedata.category(char).startswith("L") for char in text)
