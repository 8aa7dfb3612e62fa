"""Vector helpers of the cluster stage: answer context, PCA / UMAP reduction, centroids."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.config import ClusterConfig
from pipeline.embedders import normalise
from pipeline.errors import NotInstalledError
from pipeline.stages.cluster.params import resolved_components
from pipeline.stages.shared.indexed import Indexed, as_indexed
from pipeline.stages.shared.tasks import nearest_centroids

NOISE = -1
CONTEXT_ROWS = 8192  # context rows computed at a time (`indexed_context`)


def answer_context(vectors: np.ndarray, answers: np.ndarray, weight: float) -> np.ndarray:
    """Each statement's unit vector plus `weight` times the unit mean of its answer's statements, re-normalised.

    The sentences of one answer usually develop one point, so a short or vague sentence ("This is a major problem.")
    is read in the light of the rest of its answer; a one-sentence answer is unchanged. Weight 0 returns the input.
    """
    if weight <= 0 or len(vectors) == 0:
        return vectors
    _, owner = np.unique(answers, return_inverse=True)
    sums = np.zeros((owner.max() + 1, vectors.shape[1]), dtype=np.float64)
    np.add.at(sums, owner, vectors)
    return normalise(vectors + weight * normalise(sums, np.float64)[owner], np.float64)


def indexed_context(vectors: Indexed, answers: np.ndarray, weight: float) -> Indexed:
    """`answer_context` of `normalise(vectors.rows(), float64)` without a vector per statement: the same bytes.

    Answers made of the same vector rows in the same order (a campaign's copies) have the same mean, so it is
    summed once per such answer shape; a statement's context depends only on its own row and its answer's shape, so
    one table row serves every statement with the same pair.
    """
    unit = normalise(vectors.table, np.float64)
    if weight <= 0 or len(vectors) == 0:
        return Indexed(unit, vectors.index)
    owner = np.asarray(pd.factorize(pd.Series(answers, dtype=object), sort=False)[0], dtype=np.int64)
    members: list[list[int]] = [[] for _ in range(int(owner.max()) + 1)]
    for o, row in zip(owner.tolist(), vectors.index.tolist(), strict=True):
        members[o].append(row)
    shapes: dict[tuple[int, ...], int] = {}
    shape_of = np.array([shapes.setdefault(tuple(rows), len(shapes)) for rows in members], dtype=np.int64)
    sums = np.zeros((len(shapes), unit.shape[1]), dtype=np.float64)
    for shape, rows in enumerate(shapes):  # the statements' order within an answer, as np.add.at adds them
        for row in rows:
            sums[shape] += unit[row]
    pair = vectors.index * len(shapes) + shape_of[owner]
    index, pairs = pd.factorize(pair, sort=False)
    pairs = np.asarray(pairs, dtype=np.int64)
    means = sums  # normalised in place, a block at a time (the same bytes as `normalise(sums)`)
    for start in range(0, len(means), CONTEXT_ROWS):
        means[start : start + CONTEXT_ROWS] = normalise(means[start : start + CONTEXT_ROWS], np.float64)
    table = np.empty((len(pairs), unit.shape[1]), dtype=np.float64)
    for start in range(0, len(pairs), CONTEXT_ROWS):  # row by row arithmetic: blocks give the same bytes
        block = pairs[start : start + CONTEXT_ROWS]
        own, mean = unit[block // len(shapes)], means[block % len(shapes)]
        table[start : start + len(block)] = normalise(own + weight * mean, np.float64)
    return Indexed(table, np.asarray(index, dtype=np.int64))


def pca(vectors: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Exact PCA to k dimensions (seeded).

    An SVD while there are fewer rows than dimensions, else an eigendecomposition of the dim x dim covariance (same
    components, ~10x faster than a randomized SVD at 20k rows).
    """
    from sklearn.decomposition import PCA

    solver = "full" if len(vectors) < vectors.shape[1] else "covariance_eigh"
    return np.asarray(PCA(n_components=k, svd_solver=solver, random_state=seed).fit_transform(vectors))


def reduce_dimensions(vectors: np.ndarray, cfg: ClusterConfig, seed: int) -> np.ndarray:
    """Reduce vectors with PCA or UMAP (seeded); unchanged when `reduce: none` or already small."""
    n, dim = vectors.shape
    k = min(resolved_components(n, cfg), n - 1, dim)
    if cfg.reduce == "none" or k < 2 or k >= dim:
        return vectors
    if cfg.reduce == "umap":
        try:
            import umap
        except ImportError as exc:
            raise NotInstalledError("cluster.reduce: umap needs umap-learn; run `pip install umap-learn`.") from exc
        reducer = umap.UMAP(n_components=k, metric="cosine", random_state=seed, n_neighbors=min(15, n - 1))
        return np.asarray(reducer.fit_transform(vectors), dtype=np.float64)
    return pca(vectors, k, seed)


def unit_mean(vectors: np.ndarray) -> np.ndarray:
    """Unit-length mean of a group of vectors (the zero vector stays zero)."""
    mean = vectors.mean(axis=0)
    result: np.ndarray = mean / (np.linalg.norm(mean) or 1.0)
    return result


def unit(vector: np.ndarray) -> np.ndarray:
    """`vector` at unit length (the zero vector stays zero)."""
    result: np.ndarray = vector / (np.linalg.norm(vector) or 1.0)
    return result


def centroids(vectors: np.ndarray | Indexed, labels: np.ndarray) -> dict[int, np.ndarray]:
    """Unit-length centroid of every cluster (noise excluded)."""
    found = as_indexed(vectors)
    return {label: unit(found.mean(labels == label)) for label in sorted(set(labels.tolist()) - {NOISE})}


def assign_to_nearest(vectors: np.ndarray | Indexed, labels: np.ndarray, threshold: float) -> np.ndarray:
    """Give each not-grouped vector the label of the most similar centroid when cosine >= threshold."""
    cents = centroids(vectors, labels)
    noise = np.flatnonzero(labels == NOISE)
    if not cents or noise.size == 0:
        return labels
    keys = np.array(list(cents))
    best, similarity = nearest_centroids(vectors, np.vstack(list(cents.values())), noise)
    out = labels.copy()
    hit = similarity >= threshold
    out[noise[hit]] = keys[best[hit]]
    return out


def merge_close_clusters(vectors: np.ndarray, labels: np.ndarray, threshold: float) -> np.ndarray:
    """Merge clusters whose unit centroids have cosine similarity >= threshold (transitively, smallest label kept)."""
    cents = centroids(vectors, labels)
    keys = sorted(cents)
    parent = {k: k for k in keys}

    def root(k: int) -> int:
        while parent[k] != k:
            k = parent[k]
        return k

    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if float(cents[a] @ cents[b]) >= threshold:
                ra, rb = root(a), root(b)
                parent[max(ra, rb)] = min(ra, rb)
    mapping = {k: root(k) for k in keys}
    return np.array([mapping.get(int(label), NOISE) for label in labels], dtype=np.int64)
