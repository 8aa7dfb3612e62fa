"""The verbatim text of a finding: its one-sentence summary and its quotes."""

from __future__ import annotations

import re

import numpy as np

from pipeline.stages.findings.wording import CLAUSE_NEGATIONS
from pipeline.stages.shared.indexed import Indexed, as_indexed
from pipeline.stages.shared.sidecar import Quote
from pipeline.stages.shared.words import points_back

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


SUMMARY_POOL = 3  # the summary is taken from the most central third of the members (at least SUMMARY_MIN of them)
SUMMARY_MIN = 6
_STEM = re.compile(r"[^\W\d_]{3,}")


def stems(text: str) -> set[str]:
    """Crude stems of a text's words of 3+ letters (their first five letters, lower-cased), function words aside."""
    return set(_content_stems(text))


def _content_stems(text: str) -> list[str]:
    """The crude stems of `stems`, in text order and with repeats."""
    from pipeline.stages.shared.words import FUNCTION_WORDS, META_WORDS

    return [w[:5] for w in (m.lower() for m in _STEM.findall(text)) if w not in FUNCTION_WORDS and w not in META_WORDS]


_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
NEGATION_REACH = 3  # a title word this many words after a negation is negated ("not more funding")


def negates(text: str, title: str) -> bool:
    """Whether a text negates a word of a title that has no negation itself ("Funding gap": "...not more funding")."""
    title_words = [w.lower() for w in _WORD.findall(title)]
    if any(w in CLAUSE_NEGATIONS for w in title_words):
        return False
    wanted = stems(title)
    words = [w.lower() for w in _WORD.findall(text)]
    for i, word in enumerate(words):
        if (
            len(word) >= 3
            and word[:5] in wanted
            and any(w in CLAUSE_NEGATIONS for w in words[max(0, i - NEGATION_REACH) : i])
        ):
            return True
    return False


REPEAT_SHARE = 0.6  # a statement whose distinct content words are fewer than this share of them says little


def repetitive(text: str) -> bool:
    """Whether a statement mostly repeats its own words ("data exchange, data exchange and data exchange").

    Such a text sits at the very centre of its finding (it is the theme's words and nothing else) but makes a poor
    sentence: it tells the reader nothing the title does not.
    """
    words = _content_stems(text)
    return len(words) >= 4 and len(set(words)) < REPEAT_SHARE * len(words)


def summary_index(texts: list[str], order: np.ndarray, title: str = "", eligible: np.ndarray | None = None) -> int:
    """The member whose text is the finding's sentence: central, in the main language, and about the title.

    Among the most central third of the members (at least SUMMARY_MIN) that read as a statement (4+ words, not
    `repetitive`), do not repeat the title and are `eligible` (in the finding's main language), the one using most of
    the title's words wins, the more central on ties: title and sentence then say the same thing ("Fees for services:
    Charge a small fee for publications...", not "...: Sponsorship from companies"). When none of them uses a title
    word, the same among all the eligible statements; without any, the most central eligible statement; else the most
    central member. A statement that negates a title word ("Funding gap": "Prioritisation is the answer, not more
    funding") never gives the sentence when another uses a title word.

    Args:
        texts: the members' texts.
        order: member indices, most central first.
        title: the finding's title.
        eligible: which members may give the sentence (default: all).
    """
    allowed = np.ones(len(texts), dtype=bool) if eligible is None else eligible
    pool = [int(i) for i in order[: max(SUMMARY_MIN, len(order) // SUMMARY_POOL)] if allowed[int(i)]]
    pool = [i for i in pool if _sentence(texts[i]) and norm(texts[i]).rstrip(".!;:") != norm(title)]
    statements = [int(i) for i in order if allowed[int(i)] and _sentence(texts[int(i)])]
    statements = [i for i in statements if norm(texts[i]).rstrip(".!;:") != norm(title)]
    wanted = stems(title)
    for candidates in (pool, statements):  # the central third first, then any member further out
        candidates = [i for i in candidates if not negates(texts[i], title)]  # keeps the title's stance
        if candidates and wanted:
            best = max(candidates, key=lambda i: (len(wanted & stems(texts[i])), -candidates.index(i)))
            if wanted & stems(texts[best]):
                return best
    return pool[0] if pool else statements[0] if statements else int(order[0])


def _sentence(text: str) -> bool:
    """Whether a statement can be a finding's sentence: 4+ words that do not mostly repeat themselves."""
    return len(text.split()) >= 4 and not repetitive(text)


def standalone(text: str) -> bool:
    """Whether a statement can be quoted on its own: 3+ words, not opening on a word that points back."""
    return len(_WORD.findall(text)) >= 3 and not points_back(text)


def quotes(
    texts: list[str],
    people: list[str],
    order: np.ndarray,
    skip: int,
    k: int,
    languages: list[str] | None = None,
    first: np.ndarray | None = None,
    title: str = "",
) -> list[Quote]:
    """Up to k quotes in `order` from distinct respondents with distinct wording (never the summary's text).

    Statements that cannot stand alone (`standalone`: "Travel.", "This is a major achievement that should be
    preserved") and statements that negate a word of the `title` (`negates`: "I am not too worried about catching
    the virus" under "Worried about the virus") come after all the others: they are quoted only when nothing else is
    left.

    With `languages` (one per member), each quote carries its own language. With `first` (which members are in the
    finding's main language), the first quote is the best of those, then the best of each other language present
    (most members first), then the rest in `order`: the quotes show the range of languages.
    """
    alone = np.array([standalone(texts[int(i)]) and not negates(texts[int(i)], title) for i in order], dtype=bool)
    order = np.concatenate([np.asarray(order)[alone], np.asarray(order)[~alone]]).astype(np.int64)
    if first is not None:
        order = _by_language(np.array([i for i in order if norm(texts[int(i)]) != norm(texts[skip])]), first, languages)
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


def _by_language(order: np.ndarray, first: np.ndarray, languages: list[str] | None) -> np.ndarray:
    """`order` with the best main-language member first, then the best member of each other language."""
    from pipeline.languages import UNDETERMINED

    ranked = [int(i) for i in order]
    lead = [i for i in ranked if first[i]][:1]
    others: dict[str, int] = {}
    counts: dict[str, int] = {}
    for i in ranked:
        language = languages[i] if languages is not None else UNDETERMINED
        if not first[i] and language != UNDETERMINED:
            others.setdefault(language, i)
            counts[language] = counts.get(language, 0) + 1
    shown = lead + [others[lang] for lang in sorted(others, key=lambda lang: (-counts[lang], lang))]
    return np.array(shown + [i for i in ranked if i not in shown], dtype=np.int64)


def quote_order(vectors: np.ndarray | Indexed, centre: np.ndarray, summary: int) -> np.ndarray:
    """Members closest to what the finding says: to its centroid and to its summary statement, together."""
    found = as_indexed(vectors)
    target = centre + found.rows(np.array([summary]))[0]
    target = target / (np.linalg.norm(target) or 1.0)
    return np.argsort(-found.times(target), kind="stable")
