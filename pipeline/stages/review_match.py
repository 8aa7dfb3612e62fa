"""Match two groupings of the same items by overlap (Hungarian assignment on Jaccard similarity)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

Pair = tuple[int, int, float]


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard overlap of two sets (0.0 when both are empty)."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def match_sets(old: Sequence[frozenset[str]], new: Sequence[frozenset[str]], threshold: float) -> list[Pair]:
    """One-to-one pairs of old and new groups maximising total Jaccard overlap.

    Args:
        old: the earlier groups (sets of item ids).
        new: the later groups.
        threshold: the least overlap a pair needs to count as a match (pairs below it are dropped).

    Returns:
        `(old index, new index, overlap)` sorted by old index; groups without a pair are left out.
    """
    if not old or not new:
        return []
    from scipy.optimize import linear_sum_assignment  # imported here: reruns without review copies skip its cost

    scores = np.array([[jaccard(a, b) for b in new] for a in old], dtype=np.float64)
    rows, cols = linear_sum_assignment(scores, maximize=True)
    pairs = [(int(i), int(j), float(scores[i, j])) for i, j in zip(rows, cols, strict=True)]
    return sorted(p for p in pairs if p[2] >= threshold and p[2] > 0.0)
