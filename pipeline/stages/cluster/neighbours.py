"""The nearest-neighbour graph of a question's statements, and neighbour smoothing over it.

The graph is searched once per question and serves twice: smoothing averages each statement with its nearest
neighbours before HDBSCAN, and the theme merge (`themes.py`) counts the neighbour links between fine groups.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from pipeline.embedders import normalise
from pipeline.stages.cluster.vectors import pca

NEIGHBOR_DIMS = 32  # neighbours are searched in this many PCA dimensions ...
NEIGHBOR_PCA_ABOVE = 2000  # ... above this many statements (below, the full vectors are as fast)
CHUNK = 4096  # rows per block when similarities are computed in the full space


@dataclass(frozen=True)
class Neighbours:
    """Each statement's k nearest other statements, nearest first, with their cosine similarity."""

    index: np.ndarray  # (n, k) int64
    similarity: np.ndarray  # (n, k) float32, in the full embedding space
    rows: np.ndarray | None = None  # the statement each list belongs to (None: list i is statement i's)

    @property
    def k(self) -> int:
        """Neighbours per statement."""
        return int(self.index.shape[1])

    def __iter__(self) -> Iterator[np.ndarray]:
        """(index, similarity), so a Neighbours unpacks like a pair."""
        return iter((self.index, self.similarity))


def nearest(unit: np.ndarray, k: int, seed: int) -> Neighbours:
    """The k nearest neighbours (cosine) of every unit vector, the vector itself left out.

    Up to NEIGHBOR_PCA_ABOVE statements, a sort of the full similarity table (most similar first, ties by index);
    above, an exact search after an exact PCA to NEIGHBOR_DIMS dimensions (nearly the same neighbours as in the full
    space, several times faster). Similarities are always taken in the full space.
    """
    n, dim = unit.shape
    k = min(k, n - 1)
    if k < 1:
        return Neighbours(np.zeros((n, 0), dtype=np.int64), np.zeros((n, 0), dtype=np.float32))
    if n <= NEIGHBOR_PCA_ABOVE:  # one small similarity table: no search structure (and none of its set-up time)
        found = np.argsort(-(unit @ unit.T), axis=1, kind="stable")[:, : k + 1]
    else:
        from sklearn.neighbors import NearestNeighbors

        search = pca(unit, NEIGHBOR_DIMS, seed) if dim > NEIGHBOR_DIMS else unit
        nn = NearestNeighbors(n_neighbors=k + 1, algorithm="brute").fit(search)
        found = nn.kneighbors(search, return_distance=False)
    index = _without_self(np.asarray(found, dtype=np.int64))
    similarity = np.empty(index.shape, dtype=np.float32)
    for start in range(0, n, CHUNK):
        rows = slice(start, start + CHUNK)
        similarity[rows] = np.einsum("id,ikd->ik", unit[rows], unit[index[rows]])
    return Neighbours(index, similarity)


def _without_self(found: np.ndarray) -> np.ndarray:
    """Drop each row's own index (or, when identical points hide it, the farthest neighbour)."""
    n, width = found.shape
    own = found == np.arange(n)[:, None]
    missing = ~own.any(axis=1)
    own[missing, width - 1] = True
    own &= np.cumsum(own, axis=1) == 1  # a row never drops more than one entry
    kept: np.ndarray = found[~own].reshape(n, width - 1)
    return kept


def smooth(unit: np.ndarray, neighbours: Neighbours, k: int, steps: int) -> np.ndarray:
    """Replace each unit vector by the unit mean of itself and its k nearest neighbours, `steps` times.

    Statements of one theme are pulled together and the few between themes follow their majority, so dense groups
    stand out where raw sentence embeddings form a flat cloud. Averaging is a sparse product with the full vectors.
    """
    n = len(unit)
    k = min(k, neighbours.k)
    if k < 1 or steps < 1 or n <= k + 1:
        return unit
    from scipy.sparse import csr_matrix

    columns = np.hstack([np.arange(n)[:, None], neighbours.index[:, :k]])
    weights = np.full(columns.size, 1.0 / (k + 1), dtype=np.float32)
    graph = csr_matrix((weights, columns.ravel(), np.arange(0, columns.size + 1, k + 1)), shape=(n, n))
    smoothed = unit.astype(np.float32)  # single precision: 3x faster, as precise as the embeddings
    for _ in range(steps):
        smoothed = normalise(np.asarray(graph @ smoothed))
    return smoothed.astype(np.float64)


def neighbor_smooth(vectors: np.ndarray, k: int, steps: int, seed: int) -> np.ndarray:
    """Smooth unit vectors over their own k-nearest-neighbour graph (`nearest` then `smooth`)."""
    if k < 1 or steps < 1 or len(vectors) <= k + 1:
        return vectors
    unit = normalise(vectors, np.float64)
    return smooth(unit, nearest(unit, k, seed), k, steps)
