"""Split open answers into statements (`none`, `bullets`, `sentences`).

A statement is always a verbatim substring of its answer (trimmed of bullet markers and whitespace), so every
quote and summary built from statements can be traced back to the respondent's own words.
"""

from __future__ import annotations

import re

BULLET = re.compile(r"^\s*(?:[-*•·–—]|\(?\d{1,2}[.)]|\(?[a-zA-Z][.)])\s+")
INLINE_NUMBER = re.compile(r"(?:^|\s)\(?\d{1,2}[.)]\s+(?=\S)")
SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[\"'(«¿¡]?[A-ZÀ-ÖØ-Þ0-9])")


def split_answer(text: str, mode: str, min_chars: int = 3) -> list[str]:
    """Split one answer into statements; the answer itself when nothing splits it."""
    if mode == "none":
        return [text.strip()]
    parts = _bullets(text)
    if mode == "sentences":
        parts = [s for part in parts for s in SENTENCE_END.split(part)]
    return _meaningful([BULLET.sub("", p.strip(), count=1) for p in parts], min_chars) or [text.strip()]


def _bullets(text: str) -> list[str]:
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) > 1:
        return [BULLET.sub("", line, count=1) for line in lines]
    marks = list(INLINE_NUMBER.finditer(text))
    if len(marks) >= 2:
        bounds = [m.start() for m in marks] + [len(text)]
        head = text[: bounds[0]]
        items = [text[m.end() : bounds[i + 1]] for i, m in enumerate(marks)]
        return [head, *items] if head.strip() else items
    return [text]


def _meaningful(parts: list[str], min_chars: int) -> list[str]:
    """Keep parts with a letter and at least min_chars characters (a lone "1." or "-" is a marker, not a point).

    The respondent is never lost: when no part qualifies, the caller keeps the whole answer as one statement.
    """
    return [part for part in parts if len(part) >= min_chars and any(c.isalpha() for c in part)]
