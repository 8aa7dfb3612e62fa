"""Phrase grammar shared by the embed and findings stages: words, runs of words and headline shapes.

The word lists (function, start, end, clause and survey words), how a text splits into runs of words between
punctuation (`segments`), how a word is counted (`word_key`), which n-grams are shaped as a headline
(`phrase_is_valid`, `headline_words`, `clause_like`) and how surely a neighbouring word continues a phrase
(`continues_right`, `continues_left`). The embed stage uses them for the candidate phrases it embeds
(`pipeline.stages.shared.phrases`), the findings stage for key phrases, titles and summaries.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

TOKEN = r"(?u)\b[^\W\d_][\w'’-]*\b"
# a word, or a break: any other visible character (punctuation, digits, symbols) or a line break
_SCAN = re.compile(TOKEN + r"|\n|\S")
# an anonymisation mask ("XXXX", "xxx") is no word
_MASK = re.compile(r"(?i)^([a-z])\1{2,}$")
_FUNCTION_WORDS = """
a an the and or but nor of to in on at by for with from as into onto about over under than then so such this that
these those there here is are was were be been being am do does did done have has had having it its it's itself
they them their we our us you your i me my he she his her not no yes can could should would will shall may might
must also more most very much many some any all each other which who whom whose what when where why how if while
etc e.g i.e eg ie too between among across within without via per just only even well like
after before during through throughout towards toward against upon since until unless although though because
whether despite except instead beyond behind above below around along besides
cannot can't won't wouldn't shouldn't couldn't don't doesn't didn't isn't aren't wasn't weren't haven't hasn't
i'm i've i'd i'll you're you've we're we've they're they've that's there's what's let's he's she's
something anything everything nothing someone anyone everyone nobody somebody everybody anybody others lot lots bit
compared according due regarding concerning including excluding related relative following
le la les de des du un une et ou en au aux pour par sur dans est sont plus pas que qui ce cette
ces son sa ses leur leurs el los las del y o para por con una unos unas es son más mas que se su sus lo al
""".split()
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS)
# words a headline can start with but never end on: light verbs, quantifiers and adjectives that need a head,
# adverbs ("change which risks making", "dominated by any single", "reports should be updated regularly")
END_WORDS = frozenset(
    """
    make makes making made take takes taking took get gets getting got give gives giving keep keeps keeping become
    becomes becoming follow follows seem seems ensure ensuring provide providing include includes allow allows
    allowing let lets want wants try trying going put puts every both either neither several various
    certain same single own another few fewer less least whole entire further particular specific overall really
    quite rather always never often still already yet again ever particularly especially mainly mostly extremely
    highly fully increasingly currently usually together forward away chaque tout tous toute toutes autre autres
    même mêmes très cada todo todos toda todas otro otra otros otras mismo misma muy
    """.split()
)
# words a headline never starts with: participles heading a complement (some are function words too), and verbs
# of opinion, which introduce what is said rather than say it ("Think WWCO should stop", "Believe"), and adverbs
# that link to the sentence before ("Otherwise the picture")
START_WORDS = frozenset(
    "allocated dominated based given considering thanks compared according "
    "due regarding concerning including excluding related relative up "
    "think thinks believe believes feel feels suggest suggests recommend recommends propose proposes hope hopes "
    "wish wishes mention mentions mentioned agree agrees guess "
    "otherwise however therefore moreover furthermore thus hence meanwhile nevertheless nonetheless "
    "faut faudrait fallait gibt "  # verbs that need their "il" / "es": "Faut un meilleur éclairage"
    "is isn't are aren't was wasn't were weren't don't doesn't didn't won't wouldn't shouldn't can't couldn't "
    "had has been taken done gone".split()  # verbs cut from their subject ("had really taken good care")
)  # an auxiliary opens a clause cut from its subject ("Isn't a Māori-and-Pākehā issue"), never a heading
# a subject pronoun opens a sentence about the writer, never a heading ("I voted to Remain", "We always vote")
SUBJECT_WORDS = frozenset(
    """
    i i'm i've i'd i'll we we're we've we'd we'll you you're you've they they're they've he she
    je j'ai j'aime nous ils elles yo nosotros nosotras ich wir
    """.split()
)
# a modal, a form of "to be", a relative pronoun or a subordinator inside a phrase makes it a clause, not a headline
CLAUSE_WORDS = frozenset(
    """
    is are was were be been being am would should could will shall may might must can cannot can't won't wouldn't
    shouldn't couldn't which who whom whose that what when where why how if because although though whether unless
    est sont était étaient es está están doit doivent devrait devraient pourrait pourraient peut peuvent dont lequel
    laquelle debe deben debería deberían podría podrían puede pueden cual cuales quien quienes que qui
    """.split()
)
# survey talk: never a title on its own ("main suggestion", "thank you")
META_WORDS = frozenset(
    """
    suggestion suggestions suggest recommend recommendation recommendations comment comments answer answers question
    questions response opinion thank thanks please think believe feel main key important following
    """.split()
)
# nouns too vague to name a theme on their own: a title whose other words are function words names nothing
# ("Every way" over "Nothing, everything was perfect in every way"; "Many things", "Some aspects")
VAGUE_WORDS = frozenset(
    """
    way ways thing things stuff kind kinds sort sorts lot lots part parts aspect aspects area areas issue issues
    point points matter matters manière façon chose choses cosa cosas manera forma art weise sache sachen
    """.split()
)
# words that say how the writer judges what they name: a heading with one says what is said, not only what about
STANCE_WORDS = frozenset(
    """
    lack lacking poor weak insufficient inadequate limited excessive better more less fewer too stronger clearer
    greater faster slower slow high higher low lower reduce reduced increase increased improve improved improving
    stop end cut cuts no not without unclear unpredictable shortage shortages
    manque insuffisant insuffisante insuffisants plus moins meilleur meilleure meilleurs trop
    falta escasez insuficiente insuficientes más menos mejor mejores demasiado
    mangel fehlende mehr weniger besser bessere zu
    """.split()
)
# first words that point back to an earlier sentence ("This is a major achievement...", "Eso es clave."): such a
# sentence read alone says nothing about its finding (no quote, no title). Not French "il" nor German "es": they
# open impersonal sentences that say their point ("Il faut des pistes cyclables", "Es gibt zu wenig Busse").
POINTING_BACK = frozenset(
    "this that these those it they such this's that's it's "
    "cela ceci ça ce cette ces elle ils elles "
    "eso esto esa ese esta este ello "
    "das dies diese dieser dieses".split()
)
# words a sentence may open on before the word that ties it to the sentence before ("And that's ...")
CONNECTIVES = frozenset(
    "and but so also yet then however unfortunately fortunately therefore thus besides moreover furthermore plus "
    "still et mais donc aussi puis pero y también entonces und aber auch dann".split()
)
# after a phrase, a determiner shows it ends on a verb before its object ("failure to connect" the ...) and a
# complement word often shows a head cut from its complement ("the realities" of LDCs, "much faster" than ...)
DETERMINERS = frozenset("the a an this these those its their our your my his her le la les un une el los las".split())
COMPLEMENT_WORDS = frozenset("of than de du des del".split())
PREPOSITIONS = frozenset("to by from for with in on at of into onto against towards toward over under".split())
# object pronouns inside a phrase, or a determiner after two content words, make it a clause ("members see the ITU")
PRO_FORMS = frozenset("one ones it them us me him".split())
OBJECTS = DETERMINERS | PRO_FORMS
# particles that complete a participle ("looked after")
PARTICLES = frozenset({"after"})
# words ending in -ly that are nouns, not adverbs ("family support", "water supply")
LY_NOUNS = frozenset("family supply assembly reply ally rally anomaly monopoly italy july".split())
NO_END = FUNCTION_WORDS | END_WORDS | CLAUSE_WORDS
NO_START = FUNCTION_WORDS | START_WORDS | SUBJECT_WORDS


def word_key(word: str) -> str:
    """A word as phrases count it: lower-cased, typographic apostrophes made plain ("Didn’t" -> "didn't")."""
    return word.lower().replace("’", "'").replace("‘", "'")


def points_back(text: str) -> bool:
    """Whether a statement opens on a word that points back to an earlier sentence (POINTING_BACK).

    Connectives before it do not count ("And that's a good thing.").
    """
    words = _opening(text)
    return bool(words) and words[0] in POINTING_BACK


def _opening(text: str) -> list[str]:
    """The lower-cased words of a statement's first run, from its first word that is not a connective."""
    runs = segments(text)
    words = [word_key(w) for w in runs[0]] if runs else []
    start = next((i for i, w in enumerate(words) if w not in CONNECTIVES), len(words))
    return words[start:]


def segments(text: str) -> list[list[str]]:
    """Runs of words (original casing) between punctuation, digits, symbols, masks and line breaks."""
    runs: list[list[str]] = [[]]
    for match in _SCAN.finditer(text):
        token = match.group()
        if token[0].isalpha() and not _MASK.match(token):
            runs[-1].append(token)
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if run]


def _ngrams(run: list[str], max_words: int) -> Iterator[tuple[int, int, str]]:
    """(start, length, phrase) of every n-gram of 1..max_words words of one run of words."""
    for start in range(len(run)):
        phrase = run[start]
        yield start, 1, phrase
        for length in range(2, min(max_words, len(run) - start) + 1):
            phrase += " " + run[start + length - 1]
            yield start, length, phrase


ngrams = _ngrams


def _valid(phrase: str, avoid: frozenset[str], other: frozenset[str] = frozenset()) -> bool:
    """A headline shape: no function word at either end, no clause word inside, not only question words.

    Nor a participle with its complement and no head ('allocated from the general', 'limited by'). `other` holds
    the function words of the question's other languages (`pipeline.languages.function_words`): never at an end.
    """
    words = phrase.split()
    if words[0] in NO_START or len(words[0]) < 2 or words[-1] in PRO_FORMS or not _clean_end(words):
        return False
    if words[0] in other or words[-1] in other:
        return False
    if any(w in CLAUSE_WORDS for w in words) or (_participle(words[0]) and words[1:2] and words[1] in PREPOSITIONS):
        return False
    return not all(w in avoid or w in FUNCTION_WORDS or w in META_WORDS for w in words)


phrase_is_valid = _valid


def _clause_like(words: list[str]) -> bool:
    """Subject, verb and object rather than a headline: 'members see the ITU', 'gives it a legitimacy'."""
    triples = zip(words, words[1:], words[2:], strict=False)
    return any(w in PRO_FORMS for w in words[1:-1]) or any(
        a not in FUNCTION_WORDS and b not in FUNCTION_WORDS and c in OBJECTS for a, b, c in triples
    )


clause_like = _clause_like


def _clean_end(words: list[str]) -> bool:
    """Not ending on a function, end or clause word, unless a particle completes a participle ('looked after')."""
    if words[-1] not in NO_END:
        return True
    return len(words) > 1 and words[-1] in PARTICLES and _participle(words[-2])


def _participle(word: str) -> bool:
    return len(word) > 4 and word.endswith("ed") and not word.endswith("eed")


def opens_heading(key: str) -> bool:
    """Whether a (lower-cased) word can open a heading: no START_WORDS, no subject pronoun ("I voted to Remain")."""
    return key not in START_WORDS and key not in SUBJECT_WORDS


def headline_words(words: Sequence[str], other: frozenset[str] = frozenset()) -> bool:
    """Whether words (any casing, punctuation attached) can stand as a headline: a clean end, no start word.

    `other`: function words of the question's other languages, never at either end.
    """
    bare = [key for key in (word_key(w.strip(".,;:!?\"'()[]«»“”‘’")) for w in words) if key]
    if not bare or not opens_heading(bare[0]) or not _clean_end(bare):
        return False
    if bare[0] in other or bare[-1] in other:
        return False
    return not all(w in FUNCTION_WORDS or w in META_WORDS for w in bare)


def compound(word: str, texts: Sequence[str], max_words: int, other: frozenset[str] = frozenset()) -> str | None:
    """The lone word with the content words right before it in the first text that has any, in original casing.

    "services" in "Offer certification and conformity assessment services" -> "conformity assessment services":
    English puts a noun's modifiers before it, so the words up to the previous function, clause or survey word
    name the thing more precisely. None when no text gives the word such modifiers as a headline-shaped phrase.
    """
    if word.endswith("ly") and word not in LY_NOUNS:  # an adverb ("specifically") has no modifiers to take
        return None
    stop = FUNCTION_WORDS | CLAUSE_WORDS | META_WORDS | END_WORDS | other
    for text in texts:
        for run in segments(text):
            keys = [word_key(w) for w in run]
            for end in (i for i, key in enumerate(keys) if key == word):
                start = end
                while start > 0 and end - start + 1 < max_words and keys[start - 1] not in stop:
                    start -= 1
                if start < end and _valid(" ".join(keys[start : end + 1]), frozenset(), other):
                    if not _clause_like(keys[start : end + 1]):
                        return " ".join(run[start : end + 1])
    return None


def question_words(question_text: str) -> frozenset[str]:
    """Lower-cased words of the question, which never make a title on their own."""
    return frozenset(word_key(w) for w in re.findall(TOKEN, question_text))


def _continues_right(words: list[str], end: int) -> float:
    """How surely words[end], right after a phrase ending at words[end - 1], continues it.

    1 for a content word, a determiner (the phrase ends on a verb before its object) or a preposition after a
    participle ("costs allocated" from); 0.5 for a complement word ("the realities" of, "much faster" than);
    0 for other function words and for a participle opening a clause ("deep expertise" accumulated over).
    """
    last, word = words[end - 1], words[end]
    if word in DETERMINERS or (_participle(last) and word in PREPOSITIONS):
        return 1.0
    if word in COMPLEMENT_WORDS:
        return 0.5
    opens_clause = _participle(word) and (end + 1 == len(words) or words[end + 1] in FUNCTION_WORDS)
    return 0.0 if word in FUNCTION_WORDS or opens_clause else 1.0


continues_right = _continues_right


def _continues_left(word: str) -> float:
    """How surely `word`, right before a phrase, starts it.

    1 for a content word or a modal, auxiliary or relative pronoun (the phrase is a predicate without its subject),
    0.5 for a complement word ("affordability" of), else 0.
    """
    if word in CLAUSE_WORDS or word not in FUNCTION_WORDS:
        return 1.0
    return 0.5 if word in COMPLEMENT_WORDS else 0.0


continues_left = _continues_left
