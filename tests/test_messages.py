import re
import string

import pytest

from pipeline.messages import CATALOGUE, LANGUAGES, Messages


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_message_exists_in_every_language_with_the_same_placeholders(key: str) -> None:
    entry = CATALOGUE[key]
    assert set(entry) == set(LANGUAGES)
    forms = {lang: (text,) if isinstance(text, str) else text for lang, text in entry.items()}
    assert len({len(f) for f in forms.values()}) == 1  # all plain strings or all (singular, plural)
    english = [_fields(t) for t in forms["en"]]
    for lang, texts in forms.items():
        assert [_fields(t) for t in texts] == english, lang
        assert all(t.strip() for t in texts), lang


def test_translations_differ_from_english() -> None:
    same = [k for k, e in CATALOGUE.items() if e["fr"] == e["en"] and re.search("[a-z]{4}", str(e["en"]))]
    assert same == ["open.count", "m.dims"]  # "{respondents} ({pct})" and "{n} dimensions" are the same in French


def test_counts_and_numbers_follow_the_language() -> None:
    assert Messages("en").count("n.finding", 1) == "1 finding"
    assert Messages("en").count("n.finding", 0) == "0 findings"
    assert Messages("fr").count("n.finding", 0) == "0 constat"
    assert Messages("es").count("n.finding", 2) == "2 hallazgos"
    assert Messages("en").pct(0.8512) == "85.1%"
    assert Messages("fr").pct(0.8512) == "85,1\u00a0%"
    assert Messages("es").number("1,000.5") == "1.000,5"
    assert Messages("de").language == "en"  # unknown languages fall back to English
