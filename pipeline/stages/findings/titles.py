"""Finding titles: a short heading in the members' own words that says what most of them say.

Candidates are spans of the members' text (so a title is always traceable to the answers):

- the finding's best key phrases (`keyphrases.cluster_keyphrases`: frequent in the finding, rare elsewhere, shaped as
  a headline);
- its short members that read as a headline on their own ("Reduce business-class travel");
- a reply more than half the members give word for word ("Nothing"), which wins outright.

When the embed stage embedded the question's candidate phrases (`candidate_phrases`, written as
`03_embed/phrases.parquet`), candidates are ranked by meaning: cosine to the finding's centroid (what the members say
on average) plus a bonus for the share of members using the candidate's words, so "Rapid technological change" wins
over a phrase a few central members happen to repeat. Without phrase vectors the key-phrase order is kept.

Titles never repeat within a question (a later finding takes its next candidate), are never a lone question word, a
file extension or a survey word, and keep the members' stance: when most members write the phrase after a negation
("no further regulation is needed"), the title keeps it ("No further regulation").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import islice

import numpy as np

from pipeline.languages import PREFERRED_SHARE, UNDETERMINED, finding_language, in_main_language, main_language
from pipeline.stages.findings.wording import (
    LOST_STANCE,
    Runs,
    _capitalise,
    _casing,
    _ends_cleanly,
    _leading_words,
    _negated,
    _noun_end,
    _occurrences,
    _starts,
    _tokens,
    lemmas,
    majority_reply,
    without_determiner,
    without_nothing,
)
from pipeline.stages.shared.indexed import Indexed, as_indexed
from pipeline.stages.shared.phrases import PhraseVectors, phrase_spans
from pipeline.stages.shared.words import (
    CLAUSE_WORDS,
    END_WORDS,
    FUNCTION_WORDS,
    META_WORDS,
    STANCE_WORDS,
    SUBJECT_WORDS,
    VAGUE_WORDS,
    clause_like,
    compound,
    headline_words,
    opens_heading,
    points_back,
    segments,
    word_key,
)

NAMING_NOTHING = FUNCTION_WORDS | END_WORDS | VAGUE_WORDS  # words that name no theme on their own ("every way")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")  # scripts that write a heading without spaces
FALLBACK_MEMBERS = 8  # central members whose spans a fallback title is taken from
STEM = 5  # letters a word is compared on when counting the members that use it
COMPOUND_MEMBERS = 5  # central members (main language) a lone key word takes its modifiers from
COVERAGE_WEIGHT = 0.3  # bonus per share of members using the candidate's content words
STANCE_BONUS = 0.05  # bonus of a candidate that says how members judge its subject (`_says_how`)
LONE_WORD_COVERAGE = 0.5  # a one-word title must be used by this share of members
MIN_COVERAGE = 0.15  # share of members (mean over its content words) a title's words must reach
FILE_WORDS = frozenset("pdf doc docx xls xlsx ppt pptx odt ods txt csv rtf jpg jpeg png zip".split())
PHRASE_SHARE = 0.1  # a title phrase of 2+ words is used by at least this share of the members read
HEADLINE_MEMBERS = 50  # most central members read for a headline-shaped member title
READ_MEMBERS = 300  # members read for a title (the most central): coverage, casing and stance
CASING_TEXTS = 20_000  # statements read for how the question capitalises a word (`TitleContext.casing`)
TITLE_CHOICES = 6  # best candidates shaped as titles (the first one not used by a higher-ranked finding wins)


@dataclass(frozen=True)
class TitleContext:
    """What titles of one question are chosen from."""

    texts: list[str]  # the question's statements
    vectors: np.ndarray | Indexed  # their unit vectors (rows aligned; an `Indexed`: a row per distinct vector)
    avoid: frozenset[str]  # words of the question: never a title on their own
    max_words: int
    phrases: PhraseVectors | None = None
    other: frozenset[str] = frozenset()  # function words of the question's other languages
    languages: np.ndarray | None = None  # language of each statement (ISO 639-1 or "und")
    preferred: str | None = None  # the report's language (`languages.finding_language`)
    share: float = PREFERRED_SHARE
    follows: np.ndarray | None = None  # whether each statement follows an earlier one of its answer (None: unknown)

    @cached_property
    def casing(self) -> dict[tuple[str, str], tuple[int, int]]:
        """(previous word, word), lower-cased, -> times the word is written in lower case and with a capital after it.

        Inside sentences only (not a first word), with ("", word) for the word after any other. Read from
        CASING_TEXTS statements at most, evenly spread (0.4 s; all of 1M statements would take 18 s).
        """
        counts: dict[tuple[str, str], list[int]] = {}
        for text in self.texts[:: max(1, len(self.texts) // CASING_TEXTS)]:
            for run in segments(text):
                for before, word in zip(run, run[1:], strict=False):
                    if word.isalpha() and (word.islower() or (word[:1].isupper() and word[1:].islower())):
                        for key in ((before.lower(), word.lower()), ("", word.lower())):
                            counts.setdefault(key, [0, 0])[0 if word.islower() else 1] += 1
        return {key: (n[0], n[1]) for key, n in counts.items()}

    @cached_property
    def asked(self) -> frozenset[str]:
        """Lemmas of the question's words (`wording.lemmas`)."""
        return frozenset(lemma for word in self.avoid for lemma in lemmas(word))

    @cached_property
    def english(self) -> bool:
        """Whether most of the question's statements are in English (or no language is known)."""
        return self.languages is None or main_language(self.languages.tolist())[0] in ("en", UNDETERMINED)


def choose_titles(
    ctx: TitleContext, members: list[np.ndarray], keyphrases: list[list[str]], centres: np.ndarray
) -> list[str]:
    """One distinct title per finding, in the given (rank) order.

    Args:
        ctx: the question's statements, vectors and embedded phrases.
        members: statement indices of each finding.
        keyphrases: each finding's key phrases (lower-cased), best first.
        centres: unit centroid of each finding (rows aligned with `members`).
    """
    used: set[tuple[str, ...]] = set()
    titles: list[str] = []
    for index, (rows, phrases) in enumerate(zip(members, keyphrases, strict=True)):
        ranked = _ranked(ctx, rows, phrases, centres[index]) if len(rows) else []
        fit = [t for t in map(without_nothing, ranked) if _opens_well(without_determiner(t))]
        title = next((t for t in fit if not _repeats(_content(t), used)), None)
        title = title or next((t for t in fit if _content(t) not in used), None)
        if title is None:
            fallback = _fallback(ctx, rows, centres[index], used)
            plain = without_nothing(fallback)
            title = plain if _content(plain) not in used else fallback
        used.add(_content(title))
        titles.append(_capitalise(_as_written(without_determiner(title), ctx)))
    return titles


def _as_written(title: str, ctx: TitleContext) -> str:
    """The title with each word after the first capitalised only where the question's members mostly capitalise it.

    NHS Trust B's members wrote "Nurses very Good" (rows with a garbled capital: "EverythIng was very Good"), while
    the question's 3,257 answers write "good" in lower case nearly everywhere else. Names keep their capital
    ("Tories on Brexit"), and so do words of a name the question writes with capitals after the same word
    ("Approved Programme and Budget", though "budget" alone is mostly lower case); acronyms stay ("Good UBI").
    """
    words = title.split(" ")
    for i, word in enumerate(words[1:], start=1):
        if word.isalpha() and word[:1].isupper() and word[1:].islower():
            after = (words[i - 1].lower(), word.lower())  # how it is written after the same word, where seen
            lower, upper = ctx.casing.get(after) or ctx.casing.get(("", word.lower()), (0, 0))
            if lower > 2 * upper:
                words[i] = word.lower()
    return " ".join(words)


def _ranked(ctx: TitleContext, rows: np.ndarray, phrases: list[str], centre: np.ndarray) -> list[str]:
    """Candidate titles of one finding, best first (module docstring); the first TITLE_CHOICES only."""
    order = np.argsort(-as_indexed(ctx.vectors).times(centre, rows), kind="stable")
    rows = _saying_something(ctx, rows[order[:READ_MEMBERS]])  # the most central members, most central first
    texts = [ctx.texts[i] for i in rows]
    shared = majority_reply(texts, ctx.max_words)
    if shared and len(shared.split()) > 1:
        return [shared]
    runs = [_tokens(t) for t in texts]
    own = _in_main_language(ctx, rows)
    keyed = [
        (p, ctx.phrases.row.get(p) if ctx.phrases else None)
        for p in phrases
        if _allowed(p, ctx) and _mostly_in(p.split(), runs, own) and _shared_enough(p.split(), runs)
    ]
    statements = _headline_members(ctx, rows[own])
    own_texts = [texts[i] for i in np.flatnonzero(own)]
    starts = _starts(runs)
    keyed = [(p, r) for p, r in keyed if _ends_cleanly(p.split(), starts)]
    if ctx.phrases is None:
        shaped = [_display(p, own_texts, runs, ctx) for p, _ in keyed[:TITLE_CHOICES]]
        return [t for t in shaped if _heading(t)] + [_spelled(text, "member", runs) for text, _ in statements]
    words = [{_stem(key) for _, keys in r for key in keys} for r in runs]
    central = [runs[i] for i in np.flatnonzero(own)[:HEADLINE_MEMBERS]]
    added = _member_phrases(ctx, central, {p for p, _ in keyed})
    keyed += [(p, r) for p, r in added if _ends_cleanly(p.split(), starts)]
    english = _main_language(ctx, rows) in ("en", UNDETERMINED)
    scored: list[tuple[float, str, str]] = []  # (score, candidate, kind: phrase, compound or member)
    for phrase, row in keyed:
        vector = ctx.phrases.vectors[row] if row is not None else _context_vector(phrase.split(), runs, ctx, rows)
        candidate: str | None = phrase
        if " " not in phrase:  # a lone word names the theme with the modifiers members give it, or not at all
            candidate = compound(phrase, own_texts[:COMPOUND_MEMBERS], ctx.max_words, ctx.other)
        bonus = _bonus(candidate, words, ctx.avoid | ctx.other) if candidate else None
        if candidate and bonus is not None:
            kind = "phrase" if candidate == phrase else "compound"
            scored.append((float(vector @ centre) + bonus, candidate, kind))
    for text, vector_row in statements:
        bonus = _bonus(text, words, ctx.avoid | ctx.other)
        if bonus is not None:
            vector = as_indexed(ctx.vectors).rows(np.array([vector_row]))[0]
            scored.append((float(vector @ centre) + bonus, text, "member"))
    scored.sort(key=lambda item: -item[0])
    kept = ((t, kind) for _, t, kind in scored if kind == "member" or not english or _noun_end(t))
    shown = (_shown(t, kind, own_texts, runs, ctx) for t, kind in kept)
    good = (t for t in shown if _heading(t) and _opens_well(t) and _names_something(t, ctx))
    return list(islice(_distinct(good), TITLE_CHOICES))


def _shown(candidate: str, kind: str, texts: list[str], runs: list[Runs], ctx: TitleContext) -> str:
    """A ranked candidate as a title ('' when it is none).

    A key phrase as `_display` shows it, a member as most members spell it, a compound ("core activities" from
    "activities") with the negation most members write right before it ("Not waiting long" from "Not waiting long
    enough for an environment to be set up", where "Waiting long" said the opposite), and none when most members
    negate it further back ("We do not think WWCO should stop any of its core activities").
    """
    if kind == "phrase":
        return _display(candidate, texts, runs, ctx)
    if kind == "compound":
        return _with_stance(candidate, runs, ctx)
    return _spelled(candidate, kind, runs)


def _with_stance(text: str, runs: list[Runs], ctx: TitleContext, plain: str | None = None) -> str:
    """`text` with the negation most members write right before it, or '' when most negate it further back.

    As `_negated` reads the members: "Not waiting long" where they write "Not waiting long enough", '' for "core
    activities" under "We do not think WWCO should stop any of its core activities", else `plain` (default the
    text itself).
    """
    negated = _negated(_keys(text), runs, ctx.english)
    return "" if negated == LOST_STANCE else negated or (text if plain is None else plain)


def _keys(text: str) -> list[str]:
    """The lower-cased word keys of a text, in order."""
    return [word_key(w) for run in segments(text) for w in run]


def _spelled(text: str, kind: str, runs: list[Runs]) -> str:
    """A member's text as a title, in the spelling most members give its words; other candidates are spelled already.

    NHS Trust B: "Very good service" (12 members) over the member "Very Good servIce".
    """
    if kind != "member":
        return text
    keys = " ".join(_keys(text))
    cased = _casing(keys, runs)
    return cased if cased != keys or keys == text else text


def _saying_something(ctx: TitleContext, rows: np.ndarray) -> np.ndarray:
    """The rows without the members that point back to an earlier sentence, when at least a third are left.

    "It should be kept in the new plan." and "This is a major achievement that should be preserved in the new plan."
    are in a finding because of the sentence before them: their words ("new plan") titled WWCO's convening-power
    finding. A title is read from the members that say something on their own (`words.points_back`). An answer's
    first sentence points back to nothing ("This will lead to robots." is a whole Polis comment): it stays.
    """
    follows = ctx.follows
    keep = np.array(
        [not ((follows is None or follows[int(i)]) and points_back(ctx.texts[int(i)])) for i in rows], dtype=bool
    )
    return rows[keep] if keep.sum() >= max(1, len(rows) / 3) else rows


def _distinct(titles: Iterator[str]) -> Iterator[str]:
    """Each title once, in order, lazily (only the first TITLE_CHOICES are shaped)."""
    seen: set[str] = set()
    for title in titles:
        if title not in seen:
            seen.add(title)
            yield title


def _member_phrases(ctx: TitleContext, runs: list[Runs], known: set[str]) -> list[tuple[str, int | None]]:
    """The embedded candidate phrases (`candidate_phrases`) of 2+ words the members use, with their vector rows.

    Besides the key phrases: a phrase that several statements of the question use names a thing, and its vector says
    what; ranked with the others by meaning and by how many members use its words, "targets and indicators" can win
    where no single phrase is frequent enough to be a key phrase.
    """
    if ctx.phrases is None:
        return []
    found: dict[str, int] = {}
    for text_runs in runs:
        for _, keys in text_runs:
            for phrase in phrase_spans(keys, ctx.other):
                row = ctx.phrases.row.get(phrase)
                if row is not None and " " in phrase and phrase not in known and _allowed(phrase, ctx):
                    found.setdefault(phrase, row)
    return [(p, r) for p, r in found.items() if not clause_like(p.split())]


def _main_language(ctx: TitleContext, rows: np.ndarray) -> str:
    """The language the rows' title is written in (`languages.finding_language`; `und` when none is known)."""
    if ctx.languages is None or not len(rows):
        return UNDETERMINED
    return finding_language(ctx.languages[rows].tolist(), ctx.preferred, ctx.share)


def _stem(word: str) -> str:
    """A word's first five letters: "indicators" and "indicator", "priorities" and "prioritise" count as one."""
    return word[:STEM]


def _opens_well(title: str) -> bool:
    """Whether a title opens on a word that can start a heading (`words.opens_heading`).

    Not an auxiliary cut from its subject ("Isn't a Māori-and-Pākehā issue"), a verb of opinion ("Think") or a
    subject pronoun ("I voted to Remain").
    """
    return opens_heading(next(iter(_keys(title)), ""))


def _heading(title: str) -> bool:
    """Two words or more (a lone word names no theme: "AI", "Staff", "Think"), or a CJK title."""
    return len(title.split()) > 1 or bool(CJK.search(title))


def _context_vector(target: list[str], runs: list[Runs], ctx: TitleContext, rows: np.ndarray) -> np.ndarray:
    """Stand-in vector of a phrase that was not embedded: the unit mean of the members that use it."""
    using = [int(rows[i]) for i in _users(target, runs)]
    vectors = as_indexed(ctx.vectors)
    if not using:
        return np.zeros(vectors.dim)
    mean = vectors.mean(np.array(using, dtype=np.int64))
    result: np.ndarray = mean / (np.linalg.norm(mean) or 1.0)
    return result


def _in_main_language(ctx: TitleContext, rows: np.ndarray) -> np.ndarray:
    """Which of the rows are in the finding's main language (`languages.in_main_language`).

    A title is written in the report's language where enough members wrote in it, else in the language most
    members use: its candidates come from those members.
    """
    if ctx.languages is None or not len(rows):
        return np.ones(len(rows), dtype=bool)
    return np.array(in_main_language(ctx.languages[rows].tolist(), ctx.preferred, ctx.share), dtype=bool)


def _mostly_in(target: list[str], runs: list[Runs], own: np.ndarray) -> bool:
    """Whether most occurrences of the phrase are in members of the main language (`own`)."""
    if own.all():
        return True
    hits = _users(target, runs)
    return bool(hits) and 2 * int(own[hits].sum()) > len(hits)


def _shared_enough(target: list[str], runs: list[Runs]) -> bool:
    """Whether a phrase of 2+ words is used by at least PHRASE_SHARE of the members read (a lone word: always)."""
    return len(target) < 2 or len(_users(target, runs)) >= PHRASE_SHARE * len(runs)


def _users(target: list[str], runs: list[Runs]) -> list[int]:
    """Indices of the members (their runs of words) that use the phrase's lower-cased words."""
    return [i for i, text_runs in enumerate(runs) if next(_occurrences(target, [text_runs]), None) is not None]


def _allowed(phrase: str, ctx: TitleContext) -> bool:
    """Not too long, no file extension, not only words of the question, survey, vague or function words of any language.

    "Operating Plan" names no theme of "What would be one key suggestion to improve the Operating Plan?"; "Every
    way" names none of any question.
    """
    words = phrase.split()
    if len(words) > ctx.max_words or any(w in FILE_WORDS for w in words) or words[0] in ctx.other:
        return False
    return not _only_filler(words, ctx)


def _names_something(title: str, ctx: TitleContext) -> bool:
    """Whether a title has a word besides question, survey, function, quantifier and vague words ("Every way")."""
    return not _only_filler(_keys(title), ctx)


def _only_filler(keys: list[str], ctx: TitleContext) -> bool:
    """Whether every word key is a question, survey or NAMING_NOTHING word: together they name no theme.

    A question word counts in any of its forms ("Flaky test" heads nothing under "How do you deal with flaky
    tests?"; lemmas by `wording.lemmas`).
    """
    return all(k in ctx.avoid or k in META_WORDS or k in NAMING_NOTHING or _asked(k, ctx) for k in keys)


def _asked(key: str, ctx: TitleContext) -> bool:
    """Whether a word key is a form of a word of the question ("test" of "tests", "costs" of "cost")."""
    return bool(lemmas(key) & ctx.asked)


def _headline_members(ctx: TitleContext, rows: np.ndarray) -> list[tuple[str, int]]:
    """Short central members that read as a headline, with their row: (text without final punctuation, row)."""
    out: list[tuple[str, int]] = []
    for row in (int(r) for r in rows[:HEADLINE_MEMBERS]):
        text = ctx.texts[row].strip()
        runs = segments(text)
        if len(runs) != 1 or len(text.split()) != len(runs[0]):  # one run of words, nothing else (no "XXXX" mask)
            continue
        if not 2 <= len(runs[0]) <= ctx.max_words + 1 or not headline_words(runs[0], ctx.other):
            continue
        keys = [word_key(w) for w in runs[0]]
        if text.startswith(("-", "•", "*", "=", "+", "@")) or any(w in FILE_WORDS or w in CLAUSE_WORDS for w in keys):
            continue  # a list item, a file name, or a clause ("Many delegates are not accountants"): no heading
        if not all(word_key(w) in ctx.avoid | ctx.other or word_key(w) in FUNCTION_WORDS for w in runs[0]):
            out.append((" ".join(text.rstrip(".!;:").split()), row))
    return out


def _bonus(candidate: str, member_words: list[set[str]], avoid: frozenset[str]) -> float | None:
    """COVERAGE_WEIGHT x `_coverage`, or None when the candidate speaks for too few members.

    None under MIN_COVERAGE (a side point of a few members: "Private sector" heading a finding on budget cuts), and
    for a lone word under LONE_WORD_COVERAGE.
    """
    coverage = _coverage(candidate, member_words, avoid)
    if coverage < MIN_COVERAGE or (len(candidate.split()) == 1 and coverage < LONE_WORD_COVERAGE):
        return None
    return COVERAGE_WEIGHT * coverage + (STANCE_BONUS if _says_how(candidate) else 0.0)


def _says_how(candidate: str) -> bool:
    """Whether a candidate says what members think of its subject ("Lack of coordination", "Better food").

    A finding reports what is said, not only what about: between "Secretariat departments" and "Lack of
    coordination" (WWCO's weaknesses, 0.04 apart in meaning and coverage) the second is the heading.
    """
    return any(word_key(w) in STANCE_WORDS for run in segments(candidate) for w in run)


def _coverage(candidate: str, member_words: list[set[str]], avoid: frozenset[str]) -> float:
    """The mean share of members using each content word of a candidate (compared by stem); 1.0 without members."""
    keys = _keys(candidate)
    content = [_stem(w) for w in keys if w not in FUNCTION_WORDS and w not in avoid] or [_stem(w) for w in keys]
    if not content or not member_words:
        return 1.0
    return float(np.mean([np.mean([w in m for m in member_words]) for w in content]))


def _repeats(content: tuple[str, ...], used: set[tuple[str, ...]]) -> bool:
    """Whether a title's content words are all in a title used before, or hold all of its words.

    "Electoral system" after "Current electoral system", "Excellent ward and staff" after "Staff excellent": the
    second reads as the first said again (a split theme to the reader), though its members say something else.
    Such a candidate gives way to the finding's next one that is not, when there is one.
    """
    mine = set(content)
    return any(mine <= set(other) or set(other) <= mine for other in used)


def _content(title: str) -> tuple[str, ...]:
    """The stems of a title's content words, in order: two titles of one question never have the same.

    "Voting system" and "Voting systems" are one title; "Excellent staff" and "Staff were excellent" are two.
    """
    keys = _keys(title)
    return tuple(_stem(w) for w in keys if w not in FUNCTION_WORDS) or tuple(_stem(w) for w in keys)


def _display(phrase: str, texts: list[str], runs: list[Runs], ctx: TitleContext) -> str:
    """A key phrase as a title: in the members' casing, with its stance, a lone word with its modifiers.

    A lone word takes the modifiers central members give it (`keyphrases.compound`), unless most members negate
    them (`_shown`); a phrase most of whose occurrences follow a negation keeps it ("no further regulation"); one
    most members negate further back is no title ('' : "Second referendum" over "There should not be a second
    referendum"). `texts` and their `runs` are the members, the most central first.
    """
    if " " not in phrase:
        longer = compound(phrase, texts[:COMPOUND_MEMBERS], ctx.max_words, ctx.other)
        if longer:
            return _with_stance(longer, runs, ctx)
    return _with_stance(phrase, runs, ctx, _casing(phrase, runs))


def _short_run(text: str, ctx: TitleContext) -> str | None:
    """A member's own short run of words that names something, else None.

    2 to max_words words between punctuation, a subject pronoun or conjunction at its start dropped ("Nothing,
    everything was great." -> "everything was great").
    """
    for run in segments(text):
        words = list(run)
        while words and word_key(words[0]) in SUBJECT_WORDS | {"and", "but", "or", "so"}:
            words = words[1:]
        if 2 <= len(words) <= ctx.max_words and _names_something(" ".join(words), ctx):
            return " ".join(words)
    return None


def _fallback(ctx: TitleContext, rows: np.ndarray, centre: np.ndarray, used: set[tuple[str, ...]]) -> str:
    """A title when no candidate is left: a heading-shaped span of the central members, made distinct if needed.

    The well-formed spans of 2+ words (`candidate_phrases` shapes: no clause word inside, no function word at an end,
    not only question words; `_ends_cleanly`, `_noun_end`) of the FALLBACK_MEMBERS most central members in the main
    language, ranked as candidates are (meaning plus the share of members using their words) but with no minimum share
    ("We do not think WWCO should stop any of its core activities" gives "core activities", not "Think WWCO should
    stop"), and keeping the members' stance as `_display` does (`_negated`). Else the reply most members give word for
    word, else the first short run of words of a central member that names something (`_short_run`), else the leading
    words of the most central member.
    """
    if not len(rows):
        return f"Other answers ({len(used) + 1})"
    rows = rows[np.argsort(-as_indexed(ctx.vectors).times(centre, rows), kind="stable")][:READ_MEMBERS]
    rows = _saying_something(ctx, rows)
    own = rows[_in_main_language(ctx, rows)]
    runs = [_tokens(ctx.texts[int(i)]) for i in rows]
    words = [{_stem(key) for _, keys in r for key in keys} for r in runs]
    english = _main_language(ctx, rows) in ("en", UNDETERMINED)
    spans: set[str] = set()
    for text_runs in (_tokens(ctx.texts[int(i)]) for i in own[:FALLBACK_MEMBERS]):
        for _, keys in text_runs:
            spans.update(s for s in phrase_spans(keys, ctx.other) if " " in s and len(s.split()) <= ctx.max_words)
    scored: list[tuple[float, str]] = []
    starts = _starts(runs)
    for span in sorted(spans):
        target = span.split()
        if _only_filler(target, ctx):
            continue  # only question, function or vague words ("every way")
        if clause_like(target):
            continue  # a clause ("allowing them to police")
        if not _ends_cleanly(target, starts):
            continue
        row = ctx.phrases.row.get(span) if ctx.phrases else None
        vector = (
            ctx.phrases.vectors[row]
            if ctx.phrases and row is not None
            else _context_vector(span.split(), runs, ctx, rows)
        )
        scored.append((float(vector @ centre) + COVERAGE_WEIGHT * _coverage(span, words, ctx.avoid | ctx.other), span))
    for _, span in sorted(scored, key=lambda item: -item[0]):
        if _content(span) not in used and _opens_well(span) and (not english or _noun_end(span)):
            stance = _negated(span.split(), runs, english)
            if stance != LOST_STANCE:  # "anything better" over "Could not have done anything better" says the opposite
                return stance or _casing(span, runs)
    shared = majority_reply([ctx.texts[int(i)] for i in rows], ctx.max_words)
    if shared and _content(shared) not in used:
        return shared  # "Nothing": what most members reply, word for word
    for row in own[:FALLBACK_MEMBERS]:
        run = _short_run(ctx.texts[int(row)], ctx)
        if run and _content(run) not in used:
            return run
    text = ctx.texts[int(own[0] if len(own) else rows[0])]
    base = _leading_words(text, ctx.max_words, ctx.other)
    if " " not in base and len(text.split()) > 1:  # a lone word names nothing: the member's first two words
        base = " ".join(text.split()[:2]).strip(".,;:!?")
    return base if _content(base) not in used else f"{base} ({len(used) + 1})"
