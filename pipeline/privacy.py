"""Contact details inside answers: email addresses and phone numbers replaced by `[email]` and `[phone]`.

Ingest masks every kept cell before anything is written (`input.mask`), so no artifact, draft, review copy or
report quotes them; the manifest counts the masks. Email addresses are also found as people disguise them
(`jane at example dot org`, `jane(at)example.org`, `jane [at] example [dot] org`, `jane @ example.org`, a fullwidth
`＠`). Phone numbers are runs of 9 to 15 digits written as a phone number is (a leading `+`, `0` or `(`, or digits
in groups split by spaces, dots, slashes or any kind of dash, the non-breaking hyphen U+2011 that word processors
put in among them), or 8 digits in two groups of four (`7946 0958`, a local number), so years, amounts
("400,000"), date ranges ("2024-2027") and short references are left alone.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Sequence

_DASHES = "\u2010-\u2015\u2212\ufe63\uff0d"  # hyphens and dashes other than '-' (U+2011: non-breaking hyphen)
_AT = r"(?:\s?[@\uff20\ufe6b]\s?|\s*[(\[{<]\s*at\s*[)\]}>]\s*)"  # @, fullwidth @, (at) [at] {at} <at>
_DOT = r"(?:\.|\s*[(\[{<]\s*dot\s*[)\]}>]\s*|\s+dot\s+)"
EMAIL = re.compile(
    rf"(?<![\w.+-])[\w.+-]+(?:{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}|\s+at\s+[\w-]+(?:\s+dot\s+[\w-]+)*\s+dot\s+)"
    r"[A-Za-z]{2,}(?![\w-])",
    re.IGNORECASE,
)
PHONE = re.compile(rf"(?<![\w+/.{_DASHES}-])(?:\+|00)?\(?\d[\d\s().\-/{_DASHES}]{{6,}}\d(?![\w/{_DASHES}-])")
MASKS = {"email": "[email]", "phone": "[phone]"}
_EMAIL_HINT = re.compile(r"[@\uff20\ufe6b]|[(\[{<]\s*at\s*[)\]}>]|\sdot\s", re.IGNORECASE)
_EIGHT_DIGITS = re.compile(r"(?:\d\D{0,3}){8}")  # a cheap test before the phone pattern
_CANDIDATE = re.compile(r"\d(?:[^\d\x00]{0,3}\d){7}")  # eight digits close together, within one cell
_SEPARATORS = re.compile(rf"[\s().\-/{_DASHES}]+")
_YEAR = re.compile(r"(?:19|20)\d\d")


def _phone_like(candidate: str) -> bool:
    digits = sum(c.isdigit() for c in candidate)
    if not 8 <= digits <= 15 or "\n" in candidate:
        return False
    groups = [g for g in _SEPARATORS.split(candidate.strip("+()")) if g]
    if digits == 8:  # a local number: two groups of four ("7946 0958"), not two years
        return [len(g) for g in groups] == [4, 4] and not all(map(_YEAR.fullmatch, groups))
    if sum(len(g) == 1 for g in groups) > 1:  # "1.2.3.4.5.6.7.8.9": a list, not a number
        return False
    return candidate.startswith(("+", "0", "(")) or len(groups) >= 3


def _mask_phones(text: str) -> tuple[str, int]:
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        if not _phone_like(match.group(0)):
            return match.group(0)
        count += 1
        return MASKS["phone"]

    return PHONE.sub(replace, text), count


def mask_text(text: str, kinds: Sequence[str]) -> tuple[str, Counter[str]]:
    """Text with the configured kinds of contact details masked, and how many of each were masked.

    Args:
        text: One cell.
        kinds: `email` and/or `phone` (`input.mask`).

    Returns:
        The masked text and a count per kind (kinds with no mask are absent).
    """
    counts: Counter[str] = Counter()
    if "email" in kinds and _EMAIL_HINT.search(text):
        text, n = EMAIL.subn(MASKS["email"], text)
        counts["email"] += n
    if "phone" in kinds and _EIGHT_DIGITS.search(text):
        text, n = _mask_phones(text)
        counts["phone"] += n
    return text, +counts


def mask_cells(cells: Sequence[object], kinds: Sequence[str]) -> tuple[list[object], Counter[str]]:
    """Mask every text cell of a column (other cells unchanged); the masks made, per kind.

    The column is scanned once, joined, for what an email address needs (an `@`, `(at)`, ` dot `) or eight digits
    close together; only those cells are masked, so a column of 100,000 answers takes a fraction of a second.
    """
    out = list(cells)
    total: Counter[str] = Counter()
    if not kinds:
        return out, total
    texts = [cell.replace("\x00", " ") if isinstance(cell, str) else "" for cell in out]
    joined = "\x00".join(texts)
    starts = list(itertools.accumulate((len(t) + 1 for t in texts), initial=0))
    found = {bisect.bisect_right(starts, m.start()) - 1 for m in _CANDIDATE.finditer(joined)}
    found |= {bisect.bisect_right(starts, m.start()) - 1 for m in _EMAIL_HINT.finditer(joined)}
    for i in sorted(found):
        out[i], counts = mask_text(texts[i], kinds)
        total.update(counts)
    return out, total
