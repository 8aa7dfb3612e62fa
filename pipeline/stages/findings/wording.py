"""How a title reads: in the members' own casing, with their stance, ending where they end the phrase.

Used by `titles`: a phrase gets the spelling most members give it (`original_casing`: "AI tools", not "ai
tools"), keeps the negation most of its occurrences follow ("No further regulation"), or is no title when most
members negate it further back ("There should not be a second referendum"); a phrase its members usually go on
after is cut mid-phrase (`_ends_cleanly`), an English title must end on a word that can head a noun phrase
(`_noun_end`, by lemminflect's lexicon), a reply most members give word for word wins (`majority_reply`), and a
title in capitals is put in sentence case (`_capitalise`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from functools import lru_cache

from pipeline.detect.values import REPLY_EDGES, non_answer_key
from pipeline.stages.shared.phrases import NEGATIONS
from pipeline.stages.shared.words import (
    FUNCTION_WORDS,
    LY_NOUNS,
    SUBJECT_WORDS,
    continues_right,
    headline_words,
    segments,
    word_key,
)

# a negation of the clause within NEGATION_REACH words before a phrase ("should not be a second referendum")
CLAUSE_NEGATIONS = NEGATIONS | frozenset(
    "don't doesn't didn't shouldn't won't wouldn't isn't aren't wasn't weren't cannot can't mustn't".split()
)


NEGATION_REACH = 3
# a negated verb of opinion negates the whole clause after it ("We do not think WWCO should stop any of its core
# activities": the members say the opposite of "Core activities" as a thing to stop)
OPINION_VERBS = frozenset("think believe feel expect suppose want see".split())


LOST_STANCE = "\x00"  # `_negated`: the phrase says the opposite of what most members say


Runs = list[tuple[list[str], list[str]]]  # one text's runs of words: (original words, word keys)


CUT_SHARE = 0.75  # a phrase its members go on after this often is cut mid-phrase
# verbs that read as nouns but, followed by "to", head a clause ("funds need to be presented")
SEMI_MODALS = frozenset("need needs have has want wants ought seem seems tend tends used".split())


Starts = dict[str, list[tuple[list[str], int]]]  # word key -> (run of word keys, position) of each occurrence


def _starts(runs: list[Runs]) -> Starts:
    """Where each word occurs in the members' runs of words (built once per finding, read by `_ends_cleanly`)."""
    out: Starts = {}
    for text_runs in runs:
        for _, keys in text_runs:
            for i, key in enumerate(keys):
                out.setdefault(key, []).append((keys, i))
    return out


def _ends_cleanly(target: list[str], starts: Starts) -> bool:
    """Whether the members end a phrase of 2+ words where it ends, in most of its occurrences.

    "Information with the strategic" (plan) is cut mid-phrase when CUT_SHARE of its occurrences go on
    (`keyphrases.continues_right`: a content word or a determiner 1, a complement word 0.5); a compound members
    sometimes extend ("online voting" system) stays. A phrase ending on a verb of need or will that most members
    follow with "to" is a clause piece ("Extra-budgetary funds need" to be presented). A lone word is judged later,
    by its modifiers.
    """
    if len(target) < 2:
        return True
    n, total, going_on, verb = len(target), 0, 0.0, 0
    for keys, s in starts.get(target[0], []):
        if keys[s : s + n] == target:
            total += 1
            going_on += continues_right(keys, s + n) if s + n < len(keys) else 0.0
            verb += target[-1] in SEMI_MODALS and s + n < len(keys) and keys[s + n] == "to"
    return not total or (going_on / total < CUT_SHARE and 2 * verb <= total)


def _noun_end(title: str) -> bool:
    """Whether an English title can be a noun phrase: its last word can be a noun, its first is no -ly adverb.

    "Bureaucratic way and adopt", "Regional offices depend", "Global observing", "Quickly the world" are clause
    pieces, not headings (`_can_be_noun`). Only the titles actually considered are looked up (the lexicon takes half
    a second to load).
    """
    words = [word_key(w.strip(".,;:!?\"'()")) for w in title.split()]
    if words[0].endswith("ly") and words[0] not in LY_NOUNS:
        return False
    return _can_be_noun(words[-1])


@lru_cache(maxsize=65536)
def _can_be_noun(word: str) -> bool:
    """Whether an English word can end a noun phrase, by lemminflect's lexicon.

    Not when the lexicon knows it only as an adjective or adverb ("strategic", "worldwide") or only as a verb's
    participle ("observing", "adapting", "costed"). A verb's base form passes: the lexicon misses many nouns that are
    also verbs ("divide", "transfer"). Unknown words (names, acronyms, coinages) pass.
    """
    from lemminflect import getAllLemmas

    forms = getAllLemmas(word)
    if not forms or "NOUN" in forms or "PROPN" in forms:
        return True
    if "VERB" in forms:
        return not word.endswith(("ing", "ed"))
    return False


def _tokens(text: str) -> Runs:
    return [(run, [word_key(w) for w in run]) for run in segments(text)]


def _negated(target: list[str], runs: list[Runs], english: bool = False) -> str | None:
    """The phrase with the negation before it, in the members' words, when most of its occurrences follow one.

    "no further guidelines or regulations are needed" -> "no further guidelines or regulations". In English, a
    negation of the clause a few words before counts too: when most occurrences are negated so ("There should not be
    a second referendum"), the phrase would say the opposite of the members and is no title (LOST_STANCE), and so
    does a negated verb of opinion anywhere before it in the clause ("We do not think WWCO should stop any of its
    core activities"). None when at most half of the occurrences are negated.
    """
    n, total, negated = len(target), 0, 0
    variants: Counter[str] = Counter()
    for text_runs in runs:
        for words, keys in text_runs:
            for s in range(len(words) - n + 1):
                if keys[s : s + n] == target:
                    total += 1
                    if s > 0 and keys[s - 1] in NEGATIONS:
                        variants[" ".join(words[s - 1 : s + n])] += 1
                    elif any(k in CLAUSE_NEGATIONS for k in keys[max(0, s - NEGATION_REACH) : s]) or (
                        english and _opinion_negated(keys[:s])
                    ):
                        negated += 1
    if 2 * (sum(variants.values()) + negated) <= total:
        return None
    if variants and sum(variants.values()) >= negated:
        return variants.most_common(1)[0][0]
    return LOST_STANCE if english else None


def _opinion_negated(before: list[str]) -> bool:
    """Whether the words before a phrase hold a negated verb of opinion ("do not think", "don't believe")."""
    return any(
        before[i] in CLAUSE_NEGATIONS and any(w in OPINION_VERBS for w in before[i + 1 : i + 3])
        for i in range(len(before))
    )


def majority_reply(texts: list[str], max_words: int) -> str | None:
    """The reply that more than half the members give word for word, in its most frequent spelling, else None.

    Case, spacing and surrounding punctuation are ignored ("Nothing", "nothing .", "NOTHING?"); the reply has at
    most max_words + 1 words (a title, not a sentence).
    """
    keys = [" ".join(non_answer_key(text).split()) for text in texts]
    key, count = Counter(keys).most_common(1)[0] if keys else ("", 0)
    if not key or count < 2 or count * 2 <= len(texts) or len(key.split()) > max_words + 1:
        return None
    spellings = Counter(" ".join(t.strip(REPLY_EDGES).split()) for t, k in zip(texts, keys, strict=True) if k == key)
    return spellings.most_common(1)[0][0]


def _leading_words(text: str, max_words: int, other: frozenset[str] = frozenset()) -> str:
    """Up to max_words leading words of the first run of words, leading and trailing function words dropped."""
    runs = segments(text)
    words = runs[0] if runs else text.split()
    while len(words) > 1 and (word_key(words[0]) in FUNCTION_WORDS | SUBJECT_WORDS or word_key(words[0]) in other):
        words = words[1:]
    words = words[:max_words]
    while len(words) > 1 and not headline_words(words, other):
        words = words[:-1]
    return " ".join(words)


def _capitalise(text: str) -> str:
    """Upper-case the first character when it is lower-case, unless the first word has an inner capital ("iPhone").

    A known word with a garbled capital inside ("servIce") is written plainly first (`_ungarbled`).

    A title written all in capitals ("REDUCE IMMIGRATION", an answer typed in capitals) is put in sentence case
    first; its short words that are not function words stay as written ("STOP THE EU LEVY" -> "Stop the EU levy").
    """
    text = " ".join(_ungarbled(word) for word in _unshouted(text).split(" "))
    return text if odd_casing(text.split(" ", 1)[0]) else text[:1].upper() + text[1:]


# articles and possessives a heading leaves out ("The endless webinars" -> "Endless webinars", "Its convening power"
# -> "Convening power", "La falta de personal" -> "Falta de personal"), as the example report's titles do
LEADING_DETERMINERS = frozenset(
    """
    the a an its their our his her my your this these those
    le la les un une des son sa ses leur leurs notre nos ce cette ces
    el los las una unos unas su sus nuestro nuestra nuestros nuestras este esta estos estas
    der die das ein eine einen sein seine ihr ihre unser unsere
    """.split()
)


def without_determiner(title: str) -> str:
    """The title without a leading article or possessive when two words or more are left (`LEADING_DETERMINERS`)."""
    words = title.split(" ")
    if len(words) > 2 and word_key(words[0]) in LEADING_DETERMINERS:
        return " ".join(words[1:])
    return title


NOTHING_WORDS = frozenset("nothing none nada rien nichts ninguno aucun".split())  # a reply of no substance
NOTHING_GOES_ON = frozenset("to else more at in of for about really much special specific à de que".split())


def without_nothing(title: str) -> str:
    """The title without a leading "Nothing" (or its like) when words of substance follow.

    NHS, "What could we have done better?": 123 respondents replied "Nothing, everything was great", titled
    "Nothing everything was great"; the finding is "Everything was great". "No" stays: "No further regulation" is
    a stance.
    """
    words = title.split(" ")
    if len(words) > 2 and word_key(words[0].strip(".,;:!?-")) in NOTHING_WORDS:
        if word_key(words[1].strip(".,;:!?-")) not in NOTHING_GOES_ON:
            return " ".join(words[1:]).lstrip(".,;:!?- ")
    return title


def _unshouted(text: str) -> str:
    """A text of two or more words in capitals only, lower-cased except its acronym-like short words."""
    words = text.split(" ")
    letters = [c for c in text if c.isalpha()]
    if len(words) < 2 or not letters or not all(c.isupper() for c in letters):
        return text

    def lowered(word: str) -> str:
        bare = word.strip(".,;:!?\"'()[]")
        return word if len(bare) <= 3 and word_key(bare) not in FUNCTION_WORDS else word.lower()

    return " ".join(lowered(w) for w in words)


def original_casing(phrase: str, texts: Sequence[str]) -> str:
    """The phrase as the texts most often write it ("ai tools" -> "AI tools"), the earliest text first on ties.

    The case of the first letter does not split the count ("Service" at a sentence start and "service" are one
    spelling; the title capitalises it anyway), and a spelling with a capital inside a word counts half ("servIce"
    in exports that garble the letter i; a brand written so everywhere keeps it). Returns the phrase unchanged when
    no text holds it within one run of words.
    """
    return _casing(phrase, [_tokens(t) for t in texts])


def _casing(phrase: str, runs: list[Runs]) -> str:
    found = list(_occurrences(phrase.split(), runs))  # in text order: dict order and ties go to the earliest
    if not found:
        return phrase
    weight: dict[str, float] = {}
    for variant in found:
        spelling = _fold_first(variant)
        weight[spelling] = weight.get(spelling, 0.0) + (0.5 if any(odd_casing(w) for w in variant.split()) else 1.0)
    best = max(weight, key=weight.__getitem__)
    return Counter(v for v in found if _fold_first(v) == best).most_common(1)[0][0]


def _ungarbled(word: str) -> str:
    """A word with a capital inside it, lower-cased after its first letter when it is a known English word.

    Some exports garble a letter in whole rows ("servIce", "EverythIng was very Good"): where those rows make most
    of a finding, their spelling outweighs the plain one even at half weight (NHS Trust B: "Very Good servIce").
    A brand or name written so ("iPhone", "WordPress", "YouTube") is no word of the lexicon and stays as written.
    """
    if not odd_casing(word) or not word.isalpha() or not _is_english_word(word.lower()):
        return word
    return word[:1] + word[1:].lower()


@lru_cache(maxsize=65536)
def lemmas(word: str) -> frozenset[str]:
    """The word and its lemmas as an English noun or verb by lemminflect's lexicon ("tests" -> test, tests).

    Not as an adjective or adverb: "better" would be "good" and "well", another word for a title.
    """
    from lemminflect import getAllLemmas

    found = getAllLemmas(word)
    return frozenset({word, *(lemma.lower() for pos in ("NOUN", "VERB") for lemma in found.get(pos, ()))})


@lru_cache(maxsize=65536)
def _is_english_word(word: str) -> bool:
    """Whether lemminflect's lexicon knows the word (any part of speech)."""
    from lemminflect import getAllLemmas

    return bool(getAllLemmas(word))


def _occurrences(target: list[str], runs: list[Runs]) -> Iterator[str]:
    """Original words of each occurrence of the lower-cased words within one run of words, in text order."""
    n = len(target)
    for text_runs in runs:
        for words, keys in text_runs:
            for s in range(len(words) - n + 1):
                if keys[s : s + n] == target:
                    yield " ".join(words[s : s + n])


def _fold_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def odd_casing(word: str) -> bool:
    """A capital right after a small letter inside a word: garbled casing ("servIce") or a brand ("iPhone")."""
    return any(a.islower() and b.isupper() for a, b in zip(word, word[1:], strict=False))
