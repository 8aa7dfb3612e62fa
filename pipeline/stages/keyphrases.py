"""Key phrases of clusters: class-based TF-IDF over word n-grams, picked with diversity.

Phrases are n-grams of the cluster's own statements (lower-cased for counting) that never cross punctuation, so a
title always consists of words that occur, in that order, in the answers. They are shaped as headlines: no function
word at either end, no clause word (modal, relative pronoun) inside, low scores for phrases the answers continue
("large promotional" events), and a well-supported phrase of 2+ words before a lone word. Titles give a phrase back
its answers' own casing (`findings.original_casing`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from pipeline.config import FindingsConfig

TOKEN = r"(?u)\b[^\W\d_][\w'’-]*\b"
PHRASE_SAMPLE = 3000  # statements of a question read for key phrases; above it an even sample (see phrase_sample)
MIN_PHRASE_SAMPLE = 20  # statements of each cluster read at least (half as many when clusters are very many)
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
# of opinion, which introduce what is said rather than say it ("Think WWCO should stop", "Believe")
START_WORDS = frozenset(
    "allocated dominated based given considering thanks compared according "
    "due regarding concerning including excluding related relative up "
    "think thinks believe believes feel feels suggest suggests recommend recommends propose proposes hope hopes "
    "wish wishes mention mentions mentioned agree agrees guess".split()
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
NO_START = FUNCTION_WORDS | START_WORDS


def word_key(word: str) -> str:
    """A word as phrases count it: lower-cased, typographic apostrophes made plain ("Didn’t" -> "didn't")."""
    return word.lower().replace("’", "'").replace("‘", "'")


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


def headline_words(words: Sequence[str], other: frozenset[str] = frozenset()) -> bool:
    """Whether words (any casing, punctuation attached) can stand as a headline: a clean end, no start word.

    `other`: function words of the question's other languages, never at either end.
    """
    bare = [key for key in (word_key(w.strip(".,;:!?\"'()[]«»“”‘’")) for w in words) if key]
    if not bare or bare[0] in START_WORDS or not _clean_end(bare) or bare[0] in other or bare[-1] in other:
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


@dataclass(frozen=True)
class RankedPhrases:
    """The scored phrases of one cluster: those its statements use (in vocabulary order), scores, title phrase."""

    vocab: np.ndarray
    scores: np.ndarray
    lead: int | None  # index (into vocab) of the title phrase; None when no phrase scores

    def pick(self, top_k: int, diverse: bool = True) -> list[str]:
        """Up to top_k phrases, the title phrase first (see `_diverse`)."""
        return _diverse(self.vocab, self.scores, top_k, self.lead, diverse)


class _Table(NamedTuple):
    """What every cluster of one question shares: its phrases and their cluster-independent weights."""

    vocab: np.ndarray
    length: np.ndarray  # bonus for longer phrases
    closed: np.ndarray  # how often the phrase stands whole
    shape: np.ndarray  # 0 for no headline shape, 0.25 for a clause, else 1
    words: np.ndarray  # words per phrase
    totals: np.ndarray  # statements holding the phrase, all clusters (and the not grouped) together
    statements: float  # statements counted
    mean_words: Any  # phrase x word weights (sparse), for the coverage
    holding: dict[str, np.ndarray]  # word -> indices of the phrases of 2+ words holding it


def cluster_keyphrases(
    texts: list[str],
    labels: np.ndarray,
    cfg: FindingsConfig,
    avoid: frozenset[str] = frozenset(),
    top_k: int = 5,
    diverse: bool = True,
    other: frozenset[str] = frozenset(),
) -> dict[int, list[str]]:
    """Top key phrases of each cluster (lower-cased; see `original_casing`).

    Args:
        texts: statement texts of one question.
        labels: cluster label per statement (the not-grouped label -1 takes part: it sharpens the IDF).
        cfg: findings settings (`title_words` = longest n-gram).
        avoid: words (of the question) that cannot make a phrase on their own.
        top_k: phrases to return per cluster.
        diverse: skip phrases sharing a word with a better one (key-phrase lists); False keeps every phrase in score
            order (title candidates).
        other: function words of the question's languages besides English (never at either end of a phrase).

    Returns:
        cluster label -> up to top_k phrases, best first; the first is the title phrase.
    """
    ranked = rank_keyphrases(texts, labels, cfg, avoid, other)
    return {label: phrases.pick(top_k, diverse) for label, phrases in ranked.items()}


def rank_keyphrases(
    texts: list[str],
    labels: np.ndarray,
    cfg: FindingsConfig,
    avoid: frozenset[str] = frozenset(),
    other: frozenset[str] = frozenset(),
) -> dict[int, RankedPhrases]:
    """The scored phrases of each cluster (arguments as `cluster_keyphrases`), to pick lists of any length from.

    Each cluster is scored on the phrases its own statements use only (a phrase it never uses scores 0), so time and
    memory grow with the statements, not with clusters x vocabulary: a question cut into thousands of small groups
    (a low `min_cluster_size` on a campaign) stays as cheap as one with ten.
    """
    clusters = sorted(set(labels.tolist()))
    sample = phrase_sample(labels, PHRASE_SAMPLE)
    texts, labels = [texts[i] for i in sample], labels[sample]
    runs = [[[word_key(w) for w in run] for run in segments(t)] for t in texts]
    matrix, vocab, column = _statement_terms(runs, cfg.title_words)
    if matrix is None:
        return {label: RankedPhrases(np.array([]), np.zeros(0), None) for label in clusters}
    # document frequency of each phrase within each cluster (clusters x phrases, sparse)
    counts = _cluster_counts(matrix, labels, clusters)
    sizes = np.bincount(np.searchsorted(clusters, labels), minlength=len(clusters)).astype(np.float64)
    table = _Table(
        vocab=vocab,
        length=_length_bonus(vocab),
        closed=_closed(runs, column, cfg.title_words),
        shape=np.array(
            [0.0 if not _valid(p, avoid, other) else 0.25 if _clause_like(p.split()) else 1.0 for p in vocab]
        ),
        words=np.array([len(p.split()) for p in vocab]),
        totals=np.asarray(counts.sum(axis=0), dtype=np.float64).ravel(),
        statements=float(sizes.sum()),
        mean_words=_mean_words(column, avoid | other),
        holding=_holding(vocab),
    )
    out = {}
    for i, label in enumerate(clusters):
        lo, hi = counts.indptr[i], counts.indptr[i + 1]
        out[label] = _rank(table, counts.indices[lo:hi], counts.data[lo:hi], float(sizes[i]))
    return out


def _rank(table: _Table, cols: np.ndarray, counts: np.ndarray, size: float) -> RankedPhrases:
    """Score the phrases `cols` one cluster of `size` statements uses (`counts`: its statements using each)."""
    p_in = counts / size
    base = _distinctiveness(p_in, table.totals[cols] - counts, table.statements - size)
    base = base * table.length[cols] * table.closed[cols]
    base *= 1.0 + 0.5 * _coverage(table, cols, p_in)
    base *= table.shape[cols]
    scores = base * _supported(counts, size, table.words[cols])
    return RankedPhrases(table.vocab[cols], scores, _lead(scores, base, counts, table, cols))


def phrase_sample(labels: np.ndarray, limit: int) -> np.ndarray:
    """Indices of the statements phrases are counted on: all of them up to `limit`, else an even sample.

    Above `limit`, an evenly spaced share of each cluster (and of the not grouped) in proportion to its size, at
    least 20 (or all) of each, or at least 10 where 20 each would need more than `limit` (hundreds of small
    clusters). Phrase shares within and between clusters are what the scores use, and an even sample keeps them,
    while the counting (pure Python over every n-gram) stays bounded on campaign-sized questions.
    """
    n = len(labels)
    if n <= limit:
        return np.arange(n)
    names, order = np.unique(labels, return_inverse=True)
    floor = MIN_PHRASE_SAMPLE if MIN_PHRASE_SAMPLE * len(names) <= limit else MIN_PHRASE_SAMPLE // 2
    by_label = np.split(np.argsort(order, kind="stable"), np.cumsum(np.bincount(order))[:-1])
    keep = []
    for members in by_label:
        m = min(len(members), max(floor, round(limit * len(members) / n)))
        keep.append(members[np.unique(np.linspace(0, len(members) - 1, m).round().astype(np.int64))])
    return np.sort(np.concatenate(keep))


def _cluster_counts(matrix: Any, labels: np.ndarray, clusters: list[int]) -> Any:
    """Sum of the statement rows of each cluster (clusters x phrases, sparse CSR with sorted columns)."""
    from scipy.sparse import csr_matrix

    rows = np.searchsorted(clusters, labels)
    indicator = csr_matrix((np.ones(len(labels)), (rows, np.arange(len(labels)))), shape=(len(clusters), len(labels)))
    counts = csr_matrix(indicator @ matrix)
    counts.sort_indices()
    return counts


def _statement_terms(runs: list[list[list[str]]], max_words: int) -> tuple[Any, np.ndarray, dict[str, int]]:
    """Binary statement x phrase matrix from each statement's runs of word keys; phrases of 2+ statements if any.

    Returns the matrix (None when there is no phrase), the phrases (columns) and phrase -> column.
    """
    from scipy.sparse import csr_matrix

    per_text = [{p for run in r for _, _, p in _ngrams(run, max_words)} for r in runs]
    df = Counter(p for phrases in per_text for p in phrases)
    for min_df in (2, 1):
        vocab = sorted(p for p, k in df.items() if k >= min_df)
        if not vocab:
            continue
        column = {p: j for j, p in enumerate(vocab)}
        cells = [(row, column[p]) for row, phrases in enumerate(per_text) for p in phrases if p in column]
        rows, cols = (np.array(x, dtype=np.int64) for x in zip(*cells, strict=True))
        matrix = csr_matrix((np.ones(len(cells)), (rows, cols)), shape=(len(runs), len(vocab)))
        return matrix, np.array(vocab), column
    return None, np.array([]), {}


def _closed(runs: list[list[list[str]]], column: dict[str, int], max_words: int) -> np.ndarray:
    """How often a phrase stands whole in the answers, with a mild preference for phrases early in a statement.

    A phrase the answers continue on the right ("large promotional" events) ends mid-phrase; one they continue on the
    left ("compared to its mandate" after "resources") starts mid-phrase. The end weighs more than the start, where
    a verb before its object ("reduce" travel) is common and harmless.
    """
    seen, left, right, late = (np.zeros(len(column)) for _ in range(4))
    for r in runs:
        total = max(1, sum(len(run) for run in r))
        offset = 0
        for words in r:
            for s, n, phrase in _ngrams(words, max_words):
                j = column.get(phrase)
                if j is None:
                    continue
                seen[j] += 1
                left[j] += _continues_left(words[s - 1]) if s > 0 else 0.0
                right[j] += _continues_right(words, s + n) if s + n < len(words) else 0.0
                late[j] += (offset + s) / total
            offset += len(words)
    seen = np.maximum(seen, 1.0)
    result: np.ndarray = (1.0 - 0.6 * right / seen) * (1.0 - 0.35 * left / seen) * (1.0 - 0.1 * late / seen)
    return result


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


def _mean_words(column: dict[str, int], avoid: frozenset[str]) -> Any:
    """Phrase x word weights (sparse): 1/len(phrase) for each content word of the phrase that is itself a phrase."""
    from scipy.sparse import csr_matrix

    cells: list[tuple[int, int, float]] = []
    for phrase, j in column.items():
        words = phrase.split()
        content = [column[w] for w in words if w not in FUNCTION_WORDS and w not in avoid and w in column]
        cells += [(j, k, 1.0 / len(words)) for k in content]
    if not cells:
        return csr_matrix((len(column), len(column)))
    rows, cols, weights = (np.array(x) for x in zip(*cells, strict=True))
    return csr_matrix((weights, (rows.astype(np.int64), cols.astype(np.int64))), shape=(len(column), len(column)))


def _coverage(table: _Table, cols: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Mean share of the cluster's statements using each word of a phrase (function and question words: 0).

    Among equally frequent phrases, the one made of the cluster's recurring words speaks for more of it.
    """
    full = np.zeros(len(table.vocab))
    full[cols] = shares
    return np.asarray(table.mean_words[cols] @ full, dtype=np.float64).ravel()


def _distinctiveness(p_in: np.ndarray, rest: np.ndarray, others: float) -> np.ndarray:
    """Class-based TF-IDF variant: share of the cluster's statements holding the phrase x log lift over the rest.

    `rest`: statements outside the cluster holding each phrase, out of `others`. A phrase that most members use and
    other clusters rarely use scores high; words of the question itself ("ITU", "strategic plan") occur everywhere,
    have no lift and never become titles.
    """
    p_out = (rest + 1.0) / (others + 2.0)
    result: np.ndarray = p_in * np.log1p(p_in / p_out)
    return result


def _supported(counts: np.ndarray, size: float, words: np.ndarray) -> np.ndarray:
    """1 where a phrase is shared by enough members to speak for the cluster, else a strong penalty.

    Single words need 2 statements; two-word phrases 2 statements and 15% of the cluster; longer ones 25%, so a
    title is never one respondent's idiosyncratic wording.
    """
    share = np.where(words >= 3, 0.25, 0.15)
    need = np.where(words > 1, np.maximum(2.0, share * size), min(2.0, size))
    return np.where(counts >= need, 1.0, 0.05)


def _length_bonus(vocab: np.ndarray) -> np.ndarray:
    """Longer phrases read better as titles; give each extra word a modest bonus."""
    return np.array([1.0 + 0.25 * (len(p.split()) - 1) for p in vocab])


def _holding(vocab: np.ndarray) -> dict[str, np.ndarray]:
    """Word -> indices of the phrases of 2+ words holding it."""
    holding: dict[str, list[int]] = {}
    for j, phrase in enumerate(vocab):
        words = str(phrase).split()
        for word in set(words) if len(words) > 1 else ():
            holding.setdefault(word, []).append(j)
    return {w: np.array(ids, dtype=np.int64) for w, ids in holding.items()}


def _lead(scores: np.ndarray, base: np.ndarray, counts: np.ndarray, table: _Table, cols: np.ndarray) -> int | None:
    """Index (into cols) of the title phrase: one cluster's scores, scores before the support penalty, and counts.

    The best phrase unless it is one word; then the best phrase of 2+ words scoring at least half as high, else the
    best-scoring extension of the word ("excellent care" for "care") that a fifth of the statements using the word
    use and that, support aside, scores at least a quarter as high (a supported extension outscores the others).
    """
    if not scores.size or scores.max() <= 0:
        return None
    best = int(np.argmax(scores))
    if table.words[cols[best]] > 1:
        return best
    longer = np.flatnonzero(table.words[cols] > 1)
    if longer.size and scores[longer].max() >= 0.5 * scores[best]:
        return int(longer[np.argmax(scores[longer])])
    holders = table.holding.get(str(table.vocab[cols[best]]), np.zeros(0, dtype=np.int64))
    at = np.minimum(np.searchsorted(cols, holders), len(cols) - 1)
    extends = at[cols[at] == holders]  # the cluster's own phrases extending the word
    extends = extends[(counts[extends] >= max(2.0, 0.2 * counts[best])) & (base[extends] >= 0.25 * base[best])]
    return int(extends[np.argmax(scores[extends])]) if extends.size else best


def _diverse(
    vocab: np.ndarray, scores: np.ndarray, top_k: int, lead: int | None = None, diverse: bool = True
) -> list[str]:
    """Greedy pick: the lead (else best) phrase first, then phrases sharing no word with those already picked.

    With `diverse=False`, every positive phrase in score order after the lead.
    """
    picked: list[str] = []
    used: set[str] = set()
    ranked = np.argsort(-scores, kind="stable")
    for index in ranked if lead is None else [lead, *ranked]:
        if scores[index] <= 0 or len(picked) >= top_k:
            break
        phrase = str(vocab[index])
        words = {w for w in phrase.split() if w not in FUNCTION_WORDS}
        if words & used if diverse else phrase in picked:
            continue
        picked.append(phrase)
        used |= words
    return picked
