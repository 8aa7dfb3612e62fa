"""Match two groupings of the same items by overlap (Hungarian assignment on Jaccard similarity)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

Pair = tuple[int, int, float]


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard overlap of two sets (0.0 when both are empty)."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def match_sets(old: Sequence[frozenset[str]], new: Sequence[frozenset[str]], threshold: float) -> list[Pair]:
    """One-to-one pairs of old and new groups maximising total Jaccard overlap.

    Only groups that share items can pair, so the assignment is solved on each connected set of overlapping groups
    on its own: a question of thousands of small findings matches in well under a second instead of filling a
    thousands x thousands table.

    Args:
        old: the earlier groups (sets of item ids).
        new: the later groups.
        threshold: the least overlap a pair needs to count as a match (pairs below it are dropped).

    Returns:
        `(old index, new index, overlap)` sorted by old index; groups without a pair are left out.
    """
    if not old or not new:
        return []
    key = (tuple(old), tuple(new), threshold)
    if key not in _RECENT:  # the browser reconciles after every edit, with the same groups to match each time
        if len(_RECENT) >= RECENT_MAX:
            _RECENT.pop(next(iter(_RECENT)))
        _RECENT[key] = _match_sets(old, new, threshold)
    return list(_RECENT[key])


RECENT_MAX = 8
_RECENT: dict[tuple[tuple[frozenset[str], ...], tuple[frozenset[str], ...], float], list[Pair]] = {}


def _match_sets(old: Sequence[frozenset[str]], new: Sequence[frozenset[str]], threshold: float) -> list[Pair]:
    from scipy.optimize import linear_sum_assignment  # imported here: reruns without review copies skip its cost
    from scipy.sparse.csgraph import connected_components

    scores = _overlaps(old, new)
    graph = _bipartite(scores)
    _, component = connected_components(graph, directed=False)
    pairs: list[Pair] = []
    for part in np.unique(component[: len(old)]):
        rows = np.flatnonzero(component[: len(old)] == part)
        cols = np.flatnonzero(component[len(old) :] == part)
        if not cols.size:
            continue
        block = scores[rows][:, cols].toarray()
        picked_rows, picked_cols = linear_sum_assignment(block, maximize=True)
        for i, j in zip(picked_rows, picked_cols, strict=True):
            pairs.append((int(rows[i]), int(cols[j]), float(block[i, j])))
    return sorted(p for p in pairs if p[2] >= threshold and p[2] > 0.0)


def _overlaps(old: Sequence[frozenset[str]], new: Sequence[frozenset[str]]) -> Any:
    """Sparse old x new Jaccard overlaps (only pairs sharing an item are stored)."""
    from scipy.sparse import csr_matrix

    index: dict[str, int] = {}
    for group in (*old, *new):
        for item in sorted(group):
            index.setdefault(item, len(index))

    def incidence(groups: Sequence[frozenset[str]]) -> Any:
        cells = [(g, index[item]) for g, group in enumerate(groups) for item in group]
        rows = np.array([g for g, _ in cells], dtype=np.int64)
        cols = np.array([i for _, i in cells], dtype=np.int64)
        return csr_matrix((np.ones(len(cells)), (rows, cols)), shape=(len(groups), len(index)))

    a, b = incidence(old), incidence(new)
    shared = (a @ b.T).tocoo()
    sizes_a = np.array([len(g) for g in old], dtype=np.float64)
    sizes_b = np.array([len(g) for g in new], dtype=np.float64)
    overlap = shared.data / (sizes_a[shared.row] + sizes_b[shared.col] - shared.data)
    return csr_matrix((overlap, (shared.row, shared.col)), shape=(len(old), len(new)))


def _bipartite(scores: Any) -> Any:
    """The old+new square adjacency of groups sharing items (old groups first)."""
    from scipy.sparse import bmat

    return bmat([[None, scores], [scores.T, None]], format="csr")
