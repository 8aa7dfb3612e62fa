"""Split open answers into statements (`none`, `bullets`, `sentences`).

A statement is always a verbatim substring of its answer (trimmed of bullet markers and whitespace), so every
quote and summary built from statements can be traced back to the respondent's own words.

Sentence ends, in every script:

- Chinese and Japanese full-width marks (`。！？`, and `．` `；`) end a sentence wherever they stand: these
  scripts put no space between sentences. Closing quotes and brackets after the mark stay with its sentence.
  Half-width `.!?;` typed between two Chinese or Japanese characters do the same.
- `.` `!` `?` `;`, the Arabic `؟` `؛` `۔`, the Devanagari `।` `॥`, the Armenian `։`, the Ethiopic `።` and the
  Myanmar `။` end a sentence when whitespace follows and the next sentence starts with a capital letter (Latin,
  Greek, Cyrillic, ...), a digit, or a letter of a script without case (Arabic, Hebrew, Chinese, Devanagari, ...);
  an opening quote or bracket may come first. A lower-case letter after the mark ("e.g. the plan") does not split.
"""

from __future__ import annotations

import re

BULLET = re.compile(r"^\s*(?:[-*•·–—]|\(?\d{1,2}[.)]|\(?[a-zA-Z][.)])\s+")
INLINE_NUMBER = re.compile(r"(?:^|\s)\(?\d{1,2}[.)]\s+(?=\S)")
# a full-width end mark, the closing quotes/brackets after it, then any spaces: the next sentence starts after them
CJK_END = re.compile(r"[。！？．；]+[」』）】〉》〕”’\"')\]]*\s*")
# half-width marks typed between two Chinese or Japanese characters ("好吗?我很好")
HALF_WIDTH_CJK_END = re.compile(r"(?<=[\u3040-\u9fff])[.!?;]+\s*(?=[\u3040-\u9fff])")
# a spaced end mark, the closing quotes/brackets after it, whitespace, and the opening quote/bracket before a sentence
SPACED_END = re.compile(r"[.!?;؟؛۔।॥։።။]+[”’\"')\]»]*\s+[\"'(«¿¡“‘„「『（]?")


def split_answer(text: str, mode: str, min_chars: int = 3) -> list[str]:
    """Split one answer into statements; the answer itself when nothing splits it."""
    if mode == "none":
        return [text.strip()]
    parts = _bullets(text)
    if mode == "sentences":
        parts = [s for part in parts for s in split_sentences(part)]
    return _meaningful([BULLET.sub("", p.strip(), count=1) for p in parts], min_chars) or [text.strip()]


def split_sentences(text: str) -> list[str]:
    """Split a text at sentence ends (see the module docstring); the pieces keep their end marks."""
    cuts = [m.end() for pattern in (CJK_END, HALF_WIDTH_CJK_END) for m in pattern.finditer(text) if m.end() < len(text)]
    cuts += [m.end() - len(_opening(m.group())) for m in SPACED_END.finditer(text) if _starts_sentence(text, m)]
    bounds = [0, *sorted(set(cuts)), len(text)]
    return [text[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False) if text[a:b].strip()]


def _opening(match: str) -> str:
    """The opening quote or bracket a SPACED_END match ends with ('' when none)."""
    return match[-1] if match and not match[-1].isspace() else ""


def _starts_sentence(text: str, match: re.Match[str]) -> bool:
    """Whether the character after a spaced end mark (and an opening quote) starts a new sentence."""
    if match.end() >= len(text):
        return False
    first = text[match.end()]
    caseless_letter = first.isalpha() and not first.islower() and not first.isupper()
    return first.isupper() or first.isdigit() or caseless_letter


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

    CJK text packs a word into one or two characters, so a part in those scripts needs only two characters.
    The respondent is never lost: when no part qualifies, the caller keeps the whole answer as one statement.
    """
    return [part for part in parts if len(part) >= _min_length(part, min_chars) and any(c.isalpha() for c in part)]


def _min_length(part: str, min_chars: int) -> int:
    dense = any("\u3040" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af" for c in part)
    return min(min_chars, 2) if dense else min_chars
