"""Encoding detection of CSV exports: UTF-8 first, then the code page whose text reads as plausible text."""

from __future__ import annotations

import pytest

from pipeline.errors import InputError
from pipeline.readers.encoding import decode, plausibility

SAMPLES = [
    ("ID,Comment\n1,Parking costs 5€ per hour\n2,Too expensive at 4€\n3,Café is fine\n", "cp1252"),
    ("¿Por qué? El año pasado la atención fue pésima. ¡Niño!", "cp1252"),
    ("Grüße aus München, schöne Straße; Kaffee kostet 3€", "mac_roman"),
    ("Grüße aus München, Straße", "cp850"),
    ("Zażółć gęślą jaźń; opłaty są zbyt wysokie", "cp1250"),
    ("Привет, как дела? Парковка слишком дорогая.", "cp1251"),
    ("Καλημέρα, η στάθμευση είναι ακριβή", "cp1253"),
]


@pytest.mark.parametrize(("text", "codec"), SAMPLES, ids=[c for _, c in SAMPLES])
def test_code_page_is_recognised(text: str, codec: str) -> None:
    decoded = decode(text.encode(codec))
    assert (decoded.encoding, decoded.text) == (codec, text)
    assert decoded.guessed and decoded.confidence == "high" and codec in decoded.note


def test_utf8_and_byte_order_marks_are_certain() -> None:
    assert decode("Café 5€".encode()).encoding == "utf-8"
    assert decode("\ufeffCafé".encode()).text == "Café"
    assert decode("Café".encode("utf-16")).text == "Café"
    assert not decode(b"plain ascii").guessed


def test_a_tie_is_cp1252_with_low_confidence() -> None:
    decoded = decode("l'été, déjà, où, ça coûte 5 €".encode("cp1252"))
    assert decoded.encoding == "cp1252" and decoded.confidence == "low"


def test_configured_encoding_is_used_and_must_fit() -> None:
    assert decode("Straße".encode("mac_roman"), "mac_roman").text == "Straße"
    assert decode("\ufeffID".encode(), "utf-8").text == "ID"  # the BOM is not part of the first header
    with pytest.raises(InputError, match="not valid utf-8 .*set input.encoding"):
        decode(b"Caf\xe9", "utf-8", "export.csv")


def test_plausibility_prefers_words_of_one_script_and_case() -> None:
    assert plausibility("Café") == (1.0, 1)
    assert plausibility("CafÈ")[0] == 0.0  # an upper-case letter after a lower-case one
    assert plausibility("Cafй")[0] == 0.0  # a Cyrillic letter in a Latin word
    assert plausibility("Stra§e")[0] == 0.0  # a sign inside a word
