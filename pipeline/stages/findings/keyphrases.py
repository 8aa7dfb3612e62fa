"""Key phrases of clusters: class-based TF-IDF over word n-grams, picked with diversity.

Phrases are n-grams of the cluster's own statements (lower-cased for counting) that never cross punctuation, so a
title always consists of words that occur, in that order, in the answers. They are shaped as headlines: no function
word at either end, no clause word (modal, relative pronoun) inside, low scores for phrases the answers continue
("large promotional" events), and a well-supported phrase of 2+ words before a lone word. Titles give a phrase back
its answers' own casing (`wording.original_casing`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from pipeline.config import FindingsConfig
from pipeline.stages.shared.words import (
    FUNCTION_WORDS,
    clause_like,
    continues_left,
    continues_right,
    ngrams,
    phrase_is_valid,
    segments,
    word_key,
)

PHRASE_SAMPLE = 3000  # statements of a question read for key phrases; above it an even sample (see phrase_sample)
MIN_PHRASE_SAMPLE = 20  # statements of each cluster read at least (half as many when clusters are very many)


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
            [0.0 if not phrase_is_valid(p, avoid, other) else 0.25 if clause_like(p.split()) else 1.0 for p in vocab]
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

    per_text = [{p for run in r for _, _, p in ngrams(run, max_words)} for r in runs]
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
            for s, n, phrase in ngrams(words, max_words):
                j = column.get(phrase)
                if j is None:
                    continue
                seen[j] += 1
                left[j] += continues_left(words[s - 1]) if s > 0 else 0.0
                right[j] += continues_right(words, s + n) if s + n < len(words) else 0.0
                late[j] += (offset + s) / total
            offset += len(words)
    seen = np.maximum(seen, 1.0)
    result: np.ndarray = (1.0 - 0.6 * right / seen) * (1.0 - 0.35 * left / seen) * (1.0 - 0.1 * late / seen)
    return result


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
