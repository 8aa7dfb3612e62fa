"""Key phrases of clusters: class-based TF-IDF over word n-grams, picked with diversity.

Phrases are n-grams of the cluster's own statements (lower-cased), never starting or ending with a function word,
so a title always consists of words that occur, in that order, in the answers.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from pipeline.config import FindingsConfig

TOKEN = r"(?u)\b[^\W\d_][\w'’-]*\b"
_FUNCTION_WORDS = """
a an the and or but nor of to in on at by for with from as into onto about over under than then so such this that
these those there here is are was were be been being am do does did done have has had having it its it's itself
they them their we our us you your i me my he she his her not no yes can could should would will shall may might
must also more most very much many some any all each other which who whom whose what when where why how if while
etc e.g i.e eg ie too between among across within without via per just only even well like
le la les de des du un une et ou en au aux pour par sur dans est sont plus pas que qui ce cette
ces son sa ses leur leurs el los las del y o para por con una unos unas es son más mas que se su sus lo al
""".split()
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS)


def _valid(phrase: str, avoid: frozenset[str]) -> bool:
    """Not starting/ending with a function word, and not made only of the question's own words."""
    words = phrase.split()
    if words[0] in FUNCTION_WORDS or words[-1] in FUNCTION_WORDS or len(words[0]) < 2:
        return False
    return not all(w in avoid or w in FUNCTION_WORDS for w in words)


def question_words(question_text: str) -> frozenset[str]:
    """Lower-cased words of the question, which never make a title on their own."""
    return frozenset(w.lower() for w in re.findall(TOKEN, question_text))


def cluster_keyphrases(
    texts: list[str], labels: np.ndarray, cfg: FindingsConfig, avoid: frozenset[str] = frozenset(), top_k: int = 5
) -> dict[int, list[str]]:
    """Top key phrases of each cluster.

    Args:
        texts: statement texts of one question.
        labels: cluster label per statement (the not-grouped label -1 takes part: it sharpens the IDF).
        cfg: findings settings (`title_words` = longest n-gram).
        avoid: words (of the question) that cannot make a phrase on their own.
        top_k: phrases to return per cluster.

    Returns:
        cluster label -> up to top_k phrases, best first.
    """
    clusters = sorted(set(labels.tolist()))
    matrix, vocab = _statement_terms(texts, cfg.title_words)
    if matrix is None:
        return {label: [] for label in clusters}
    # document frequency of each phrase within each cluster (clusters x phrases)
    counts = _cluster_counts(matrix, labels, clusters)
    sizes = np.bincount(np.searchsorted(clusters, labels), minlength=len(clusters)).astype(np.float64)[:, None]
    scores = _distinctiveness(counts, sizes) * _length_bonus(vocab)
    scores *= _supported(counts, sizes, vocab)
    scores[:, ~np.array([_valid(p, avoid) for p in vocab])] = 0.0
    return {label: _diverse(vocab, scores[i], top_k) for i, label in enumerate(clusters)}


def _cluster_counts(matrix: Any, labels: np.ndarray, clusters: list[int]) -> np.ndarray:
    """Sum of the statement rows of each cluster (clusters x phrases), as one sparse product."""
    from scipy.sparse import csr_matrix

    rows = np.searchsorted(clusters, labels)
    indicator = csr_matrix((np.ones(len(labels)), (rows, np.arange(len(labels)))), shape=(len(clusters), len(labels)))
    return np.asarray((indicator @ matrix).toarray())


def _statement_terms(texts: list[str], max_words: int) -> tuple[Any, np.ndarray]:
    """Binary statement x phrase matrix; phrases shared by 2+ statements when there are any."""
    from sklearn.feature_extraction.text import CountVectorizer

    if not any(re.search(TOKEN, t) for t in texts):
        return None, np.array([])
    for min_df in (2, 1):
        vectorizer = CountVectorizer(
            ngram_range=(1, max_words), token_pattern=TOKEN, lowercase=True, binary=True, min_df=min_df
        )
        try:
            matrix = vectorizer.fit_transform(texts)
        except ValueError:  # no phrase reaches min_df
            continue
        return matrix.tocsr().astype(np.float64), vectorizer.get_feature_names_out()
    return None, np.array([])


def _distinctiveness(counts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Class-based TF-IDF variant: share of the cluster's statements holding the phrase x log lift over the rest.

    A phrase that most members use and other clusters rarely use scores high; words of the question itself
    ("ITU", "strategic plan") occur everywhere, have no lift and never become titles.
    """
    p_in = counts / sizes
    rest = counts.sum(axis=0, keepdims=True) - counts
    p_out = (rest + 1.0) / (sizes.sum() - sizes + 2.0)
    result: np.ndarray = p_in * np.log1p(p_in / p_out)
    return result


def _supported(counts: np.ndarray, sizes: np.ndarray, vocab: np.ndarray) -> np.ndarray:
    """1 where a phrase is shared by enough members to speak for the cluster, else a strong penalty.

    Single words need 2 statements; two-word phrases 2 statements and 15% of the cluster; longer ones 25%, so a
    title is never one respondent's idiosyncratic wording.
    """
    words = np.array([len(p.split()) for p in vocab])[None, :]
    share = np.where(words >= 3, 0.25, 0.15)
    need = np.where(words > 1, np.maximum(2.0, share * sizes), np.minimum(2.0, sizes))
    return np.where(counts >= need, 1.0, 0.05)


def _length_bonus(vocab: np.ndarray) -> np.ndarray:
    """Longer phrases read better as titles; give each extra word a modest bonus."""
    return np.array([1.0 + 0.25 * (len(p.split()) - 1) for p in vocab])


def _diverse(vocab: np.ndarray, scores: np.ndarray, top_k: int) -> list[str]:
    """Greedy pick: best phrase first, then phrases sharing no word with those already picked."""
    picked: list[str] = []
    used: set[str] = set()
    for index in np.argsort(-scores, kind="stable"):
        if scores[index] <= 0 or len(picked) >= top_k:
            break
        phrase = str(vocab[index])
        words = {w for w in phrase.split() if w not in FUNCTION_WORDS}
        if words & used:
            continue
        picked.append(phrase)
        used |= words
    return picked
