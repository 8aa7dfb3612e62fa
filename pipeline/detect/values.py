"""Value-based rules: multi-select splitting, choice options, repeated names, numbers quoted in detection reasons.

Repeated names (places, organisations across many rows) are a respondent attribute even without a header saying so.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Sequence

from pipeline.labels import NON_SUBSTANTIVE, OTHER

MAX_CHOICES = 12
MAX_MULTI_OPTIONS = 20
MAX_CHOICE_WORDS = 8
MAX_NAME_VALUES = 300  # distinct places or organisations a respondent-attribute column may hold
MIN_NAME_ROWS = 100
_NAME_PARTICLES = frozenset(
    "de la le les du des d' am an der die das dem den im in ob bei upon on sur en del di da van von y et and of the "
    "st. st saint sankt".split()
)


def split_multi(cell: str, separator: str, options: Sequence[str] = ()) -> list[str]:
    """Split a multi-select cell into its choices, matching known options first (they may contain the separator).

    Args:
        cell: The cell text, e.g. `Option A;Option C;` (Microsoft Forms) or `A, data and B, C` (Google Forms).
        separator: Separator of the format (`;`, `, `, ...); whitespace around it is ignored.
        options: Known option labels; the longest one that starts at a choice boundary wins.

    Returns:
        The trimmed choices in cell order (empty choices left out).
    """
    text = cell.strip()
    core = separator.strip() or separator
    known = sorted((o for o in options if o), key=len, reverse=True)
    out: list[str] = []
    i = 0
    while i < len(text):
        i = _skip_separators(text, i, core)
        if i >= len(text):
            break
        hit = next((o for o in known if text.startswith(o, i) and _boundary(text, i + len(o), core)), None)
        if hit is None:
            end = text.find(separator, i)
            end = len(text) if end < 0 else end
            hit = text[i:end]
        out.append(hit.strip())
        i += len(hit)
    return [t for t in out if t]


def _skip_separators(text: str, i: int, core: str) -> int:
    while i < len(text):
        if text.startswith(core, i):
            i += len(core)
        elif text[i].isspace():
            i += 1
        else:
            break
    return i


def _boundary(text: str, end: int, core: str) -> bool:
    rest = text[end:].lstrip()
    return not rest or rest.startswith(core)


REPLY_EDGES = " \t\n.,;:!?-_*'\"()"  # spaces and punctuation around a short reply ("(none)", "No.")


def non_answer_key(text: str) -> str:
    """Comparable form of a possible non-answer: case-folded, without surrounding spaces and punctuation."""
    return text.casefold().strip(REPLY_EDGES)


def non_answer_keys(non_answers: Sequence[str]) -> frozenset[str]:
    """Comparable forms of the configured non-answers."""
    return frozenset(non_answer_key(v) for v in non_answers)


def is_non_answer(text: str, keys: frozenset[str]) -> bool:
    """Whether an open-question cell is not an answer: listed in `keys`, or without any letter, digit or emoji.

    Emoji and other pictographic symbols (Unicode category So: 👍, ❤, ✓) are answers: a thumbs-down says
    something; punctuation alone ("-", "...", "?") does not.
    """
    return non_answer_key(text) in keys or not any(c.isalnum() or unicodedata.category(c) == "So" for c in text)


_KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "azertyuiop", "qwertzuiop", "1234567890")
_VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüáíóúãõåæøœ")


def keyboard_mash(text: str) -> bool:
    """Whether an answer is keyboard mash ("Jsjdjdj", "asdfgh"): every word is mash, one with 5+ letters.

    A word is mash when it has 4+ Latin letters and no vowel, or 5+ letters from at most two distinct letters, or
    runs of 4+ neighbouring keys of one keyboard row. Acronyms (all capitals: "NHS") and words of other scripts
    never are.
    """
    words = re.findall(r"[^\W\d_]+", text)
    if not words or any(not _mash_word(w) for w in words):
        return False
    return any(len(w) >= 5 for w in words)


def _mash_word(word: str) -> bool:
    if (word.isupper() and len(word) > 1) or not word.isascii():
        return False
    low = word.lower()
    if len(low) >= 4 and not _VOWELS & set(low):
        return True
    if len(low) >= 5 and len(set(low)) <= 2:
        return True
    return len(low) >= 4 and any(low in row or low in row[::-1] for row in _KEY_ROWS)


def by_frequency(values: Sequence[str]) -> list[str]:
    """Distinct values, most frequent first (ties in order of first appearance)."""
    counts = Counter(values)
    first = {v: i for i, v in reversed(list(enumerate(values)))}
    return sorted(counts, key=lambda v: (-counts[v], first[v]))


def numeric_values(values: Sequence[str]) -> bool:
    """Whether every value is a number ("12", "-1", "3.5", "3,5")."""
    try:
        [float(v.replace(",", ".")) for v in values]
    except ValueError:
        return False
    return True


def choice_options(values: Sequence[str], non_answers: frozenset[str], hint: bool = False) -> list[str] | None:
    """Options of a single-choice column: few, mostly repeated values; None when it is not one.

    Values must be short (a median of at most MAX_CHOICE_WORDS words), unless nearly every value is one that
    several respondents gave word for word (long option labels: "Biometric identification should be banned in
    public spaces"), or the export marks a choice question (`hint`: a Qualtrics "Selected Choice" column, or a
    "please specify" column right after it), where a few repeated values are enough.

    Args:
        values: Non-blank cells.
        non_answers: `non_answer_keys` of the configured non-answers (left out when judging repetition).
        hint: The layout says this is a choice question.
    """
    distinct = by_frequency(values)
    if not distinct or len(distinct) > MAX_CHOICES:
        return None
    substantive = [v for v in values if not is_non_answer(v, non_answers)] or list(values)
    counts = Counter(substantive)
    repeated = sum(n for n in counts.values() if n >= 2) / len(substantive)
    few = len(distinct) <= max(2, len(values) // 2)
    short = few and repeated >= 0.5 and median_words(substantive) <= MAX_CHOICE_WORDS
    long_labels = few and repeated >= 0.9 and len(counts) >= 2
    if not (short or long_labels or (hint and (repeated > 0 or len(values) <= 3))):
        return None
    if numeric_values(distinct):
        return sorted(distinct, key=lambda v: float(v.replace(",", ".")))
    return others_last(distinct)


def others_last(options: Sequence[str]) -> list[str]:
    """Options in the given order, "Other" and non-substantive ones ("Don't know") moved to the end."""
    last = {" ".join(o.split()).casefold() for o in (*OTHER, *NON_SUBSTANTIVE)}
    return [o for o in options if o.casefold() not in last] + [o for o in options if o.casefold() in last]


def multi_options(values: Sequence[str], separator: str) -> list[str] | None:
    """Options of a multi-select column (cells joined by `separator`); None when it is not one.

    It is one when every cell ends with the separator (Microsoft Forms' trailing `;`), or when some cells hold
    several choices, there are no more distinct choices than distinct cells, and some choice is combined with
    different others. With comma separators, choices that always appear together, side by side, are taken as one
    option that contains the separator.
    """
    core = separator.strip() or separator
    trailing = all(v.rstrip().endswith(core) for v in values)
    lists = [split_multi(v, separator) for v in values]
    if "," in separator:
        lists = _merge_adjacent(lists, separator, values)
    tokens = [t for parts in lists for t in parts]
    if not tokens or not (trailing or any(len(parts) >= 2 for parts in lists)):
        return None
    options = by_frequency(tokens)
    if len(options) > MAX_MULTI_OPTIONS or median_words(tokens) > MAX_CHOICE_WORDS:
        return None
    if trailing:
        return others_last(options)
    cells_per_token = Counter(t for cell in set(values) for t in set(split_multi(cell, separator, options)))
    repeated = sum(n for n in Counter(tokens).values() if n >= 2) / len(tokens)
    if len(options) > len(set(values)) or max(cells_per_token.values()) < 2 or repeated < 0.5:
        return None
    return others_last(options)


def _merge_adjacent(lists: list[list[str]], separator: str, cells: Sequence[str]) -> list[list[str]]:
    """Join choices that always occur side by side in the same order (an option that contains the separator)."""
    for _ in range(MAX_MULTI_OPTIONS):
        pair = _always_adjacent(lists)
        if pair is None:
            break
        first, second = pair
        core = re.escape(separator.strip() or separator)
        pattern = re.compile(re.escape(first) + rf"\s*{core}\s*" + re.escape(second))
        found = next((m.group(0) for cell in cells if (m := pattern.search(cell))), f"{first}{separator}{second}")
        lists = [_join_pair(parts, first, second, found) for parts in lists]
    return lists


def _always_adjacent(lists: list[list[str]]) -> tuple[str, str] | None:
    after: dict[str, set[str | None]] = {}
    before: dict[str, set[str | None]] = {}
    for parts in lists:
        for i, token in enumerate(parts):
            after.setdefault(token, set()).add(parts[i + 1] if i + 1 < len(parts) else None)
            before.setdefault(token, set()).add(parts[i - 1] if i > 0 else None)
    for token, nexts in after.items():
        (following,) = nexts if len(nexts) == 1 else (None,)
        if following is not None and following != token and before[following] == {token}:
            return token, following
    return None


def _join_pair(parts: list[str], first: str, second: str, joined: str) -> list[str]:
    out: list[str] = []
    for token in parts:
        if out and out[-1] == first and token == second:
            out[-1] = joined
        else:
            out.append(token)
    return out


def median_words(values: Sequence[str]) -> float:
    """Median number of words per value (0 for none)."""
    return float(statistics.median(len(v.split()) for v in values)) if values else 0.0


def attribute_values(values: Sequence[str]) -> bool:
    """Whether values look like a respondent attribute without a header saying so: names repeated across many rows.

    Conservative on purpose (a short open question must stay open): at least MIN_NAME_ROWS answers, more distinct
    values than a choice question has (MAX_CHOICES) but at most MAX_NAME_VALUES, each given by ten rows on average,
    and 95% of rows a name: at most four words and 40 characters, no digits or sentence punctuation, every word
    capitalised but particles ("Frankfurt am Main", "Saint-Étienne", "Ministry of Health").
    """
    distinct = set(values)
    if len(values) < MIN_NAME_ROWS or not MAX_CHOICES < len(distinct) <= MAX_NAME_VALUES:
        return False
    if len(distinct) * 10 > len(values):
        return False
    names = {v for v in distinct if _name_like(v)}
    return sum(v in names for v in values) >= 0.95 * len(values)


def _name_like(value: str) -> bool:
    words = value.split()
    if not words or len(words) > 4 or len(value) > 40 or any(c.isdigit() or c in '!?;:"' for c in value):
        return False
    if value.endswith("."):
        return False
    return all(w[0].isupper() or not w[0].isalpha() or w.casefold() in _NAME_PARTICLES for w in words)
