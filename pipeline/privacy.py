"""Contact details inside answers: email addresses and phone numbers replaced by `[email]` and `[phone]`.

Ingest masks every kept cell before anything is written (`input.mask`), so no artifact, draft, review copy or
report quotes them; the manifest counts the masks. Phone numbers are runs of 9 to 15 digits written as a phone
number is (a leading `+`, `0` or `(`, or digits in groups split by spaces, dots, dashes or slashes), so years,
amounts ("400,000"), date ranges ("2024-2027") and short references are left alone.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Sequence

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")
PHONE = re.compile(r"(?<![\w+/.-])(?:\+|00)?\(?\d[\d\s().\-/]{6,}\d(?![\w/-])")
MASKS = {"email": "[email]", "phone": "[phone]"}
_NINE_DIGITS = re.compile(r"(?:\d\D{0,3}){9}")  # a cheap test before the phone pattern
_CANDIDATE = re.compile(r"\d(?:[^\d\x00]{0,3}\d){8}")  # nine digits close together, within one cell


def _phone_like(candidate: str) -> bool:
    digits = sum(c.isdigit() for c in candidate)
    if not 9 <= digits <= 15 or "\n" in candidate:
        return False
    groups = [g for g in re.split(r"[\s().\-/]+", candidate.strip("+()")) if g]
    if re.fullmatch(r"\d{4}\s*[-/]\s*\d{4}", candidate.strip()):  # a range of years
        return False
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
    if "email" in kinds and "@" in text:
        text, n = EMAIL.subn(MASKS["email"], text)
        counts["email"] += n
    if "phone" in kinds and _NINE_DIGITS.search(text):
        text, n = _mask_phones(text)
        counts["phone"] += n
    return text, +counts


def mask_cells(cells: Sequence[object], kinds: Sequence[str]) -> tuple[list[object], Counter[str]]:
    """Mask every text cell of a column (other cells unchanged); the masks made, per kind.

    The column is scanned once, joined, for an `@` or nine digits close together; only those cells are masked, so
    a column of 100,000 answers takes a fraction of a second.
    """
    out = list(cells)
    total: Counter[str] = Counter()
    if not kinds:
        return out, total
    texts = [cell.replace("\x00", " ") if isinstance(cell, str) else "" for cell in out]
    joined = "\x00".join(texts)
    starts = list(itertools.accumulate((len(t) + 1 for t in texts), initial=0))
    found = {bisect.bisect_right(starts, m.start()) - 1 for m in _CANDIDATE.finditer(joined)}
    found |= {bisect.bisect_right(starts, m.start()) - 1 for m in re.finditer("@", joined)}
    for i in sorted(found):
        out[i], counts = mask_text(texts[i], kinds)
        total.update(counts)
    return out, total
