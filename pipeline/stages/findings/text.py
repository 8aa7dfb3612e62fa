"""The verbatim text of a finding: its one-sentence summary and its quotes."""

from __future__ import annotations

import re

import numpy as np

from pipeline.sidecar import Quote

SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")
CLAUSE_BREAK = re.compile(r"[;:,]\s+|\s+[-–—]\s+")


def trim_summary(text: str, limit: int) -> str:
    """The leading whole sentences of `text` that fit in `limit` characters (a verbatim prefix).

    When even the first sentence is longer, it is cut at the last clause break, else word break, before the limit.
    """
    text = text.strip()
    if len(text) <= limit:
        return text
    kept = ""
    for match in SENTENCE_BREAK.finditer(text):
        if match.start() > limit:
            break
        kept = text[: match.start()]
    if kept:
        return kept
    head = text[:limit]
    breaks = [m.start() for m in CLAUSE_BREAK.finditer(head)]
    cut = breaks[-1] if breaks and breaks[-1] > limit // 3 else head.rfind(" ")
    return head[: cut if cut > 0 else limit].rstrip(" ,;:-–—")


LEAD_IN = re.compile(r"^\s*([^:.!?]{1,60}):\s+(?=\S)")
LEAD_IN_WORDS = 6


def without_lead_in(text: str) -> str:
    """The statement without a short lead-in ending with a colon (a verbatim substring).

    "From our perspective: Fewer events, more substance." -> "Fewer events, more substance.", when at least three
    words follow; otherwise the statement itself.
    """
    match = LEAD_IN.match(text)
    if match and len(match.group(1).split()) <= LEAD_IN_WORDS and len(text[match.end() :].split()) >= 3:
        return text[match.end() :]
    return text


def norm(text: str) -> str:
    """Lower-cased text with spacing collapsed (for comparisons)."""
    return " ".join(text.lower().split())


def summary_index(texts: list[str], order: np.ndarray, title: str = "") -> int:
    """Most central member that reads as a statement (4+ words) and does not repeat the title, else the most central."""
    for index in order[:10]:
        if len(texts[index].split()) >= 4 and norm(texts[index]).rstrip(".!;:") != norm(title):
            return int(index)
    return int(order[0])


def quotes(
    texts: list[str], people: list[str], order: np.ndarray, skip: int, k: int, languages: list[str] | None = None
) -> list[Quote]:
    """Up to k quotes in `order` from distinct respondents with distinct wording (never the summary's text).

    With `languages` (one per member), each quote carries its own language.
    """
    found: list[Quote] = []
    seen_people: set[str] = set()
    seen_texts = {norm(texts[skip])}
    for index in order:
        if len(found) >= k:
            break
        person, text = people[int(index)], texts[int(index)]
        if person in seen_people or norm(text) in seen_texts:
            continue
        seen_people.add(person)
        seen_texts.add(norm(text))
        language = languages[int(index)] if languages is not None else None
        found.append(Quote(response_id=person, text=text, language=language))
    return found


def quote_order(vectors: np.ndarray, centre: np.ndarray, summary: int) -> np.ndarray:
    """Members closest to what the finding says: to its centroid and to its summary statement, together."""
    target = centre + vectors[summary]
    target = target / (np.linalg.norm(target) or 1.0)
    return np.argsort(-(vectors @ target), kind="stable")
