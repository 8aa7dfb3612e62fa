"""Campaign-sized questions: group a seeded sample, then give every other statement the group nearest to it.

Above SAMPLE_ABOVE statements, neighbour search, smoothing and HDBSCAN over every statement cost minutes (100,000
statements: ~60 s of exact neighbour search and ~25 s of HDBSCAN on 2 cores) while a theme big enough to report
has hundreds of members in any large random sample. So SAMPLE_SIZE statements, drawn with the run seed, are grouped
exactly as a smaller question would be (with `min_cluster_size` and `min_samples` scaled to the sample), and every
other statement joins the fine group whose centroid it is most similar to, when that cosine reaches
`assign_threshold`; the rest stay not grouped, as HDBSCAN's own noise does.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from pipeline.config import ClusterConfig
from pipeline.stages.cluster.neighbours import Neighbours
from pipeline.stages.cluster.params import resolved_params
from pipeline.stages.cluster.vectors import NOISE, centroids
from pipeline.stages.shared.indexed import Indexed
from pipeline.stages.shared.tasks import nearest_centroids

SAMPLE_ABOVE = 25_000
SAMPLE_SIZE = 20_000


def sample_config(n: int, cfg: ClusterConfig) -> ClusterConfig:
    """The settings for a sample of SAMPLE_SIZE out of n statements: the minimum sizes scaled down."""
    size, samples = resolved_params(n, cfg)
    share = SAMPLE_SIZE / n
    return cfg.model_copy(
        update={"min_cluster_size": max(3, round(size * share)), "min_samples": max(2, round(samples * share))}
    )


def by_sample(
    vectors: Indexed,
    cfg: ClusterConfig,
    seed: int,
    respondents: np.ndarray,
    group: Callable[[np.ndarray, ClusterConfig, np.ndarray], tuple[np.ndarray, ...]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, Neighbours, np.ndarray]:
    """Themes, fine groups, probabilities, neighbours and coarse groups of every statement (module docstring).

    `group(vectors, cfg, respondents)` groups the sample: (themes, fine, probabilities, neighbour index, neighbour
    similarity, coarse), rows in sample order. Only the sample's vectors are gathered one per statement; the others
    are compared with the centroids a chunk at a time.
    """
    n = len(vectors)
    pick = np.sort(np.random.default_rng(seed).choice(n, SAMPLE_SIZE, replace=False))
    themes, fine, probabilities, index, similarity, coarse = group(
        vectors.rows(pick), sample_config(n, cfg), respondents[pick]
    )
    out = [np.full(n, NOISE, dtype=np.int64) for _ in range(3)]
    for full, part in zip(out, (themes, fine, coarse), strict=True):
        full[pick] = part
    rest = np.setdiff1d(np.arange(n), pick)
    _assign_rest(vectors, rest, pick, fine, themes, coarse, out, cfg.assign_threshold)
    chances = np.zeros(n)
    chances[pick] = probabilities
    return out[0], out[1], chances, _full_neighbours(pick, index, similarity), out[2]


def _assign_rest(
    vectors: Indexed,
    rest: np.ndarray,
    pick: np.ndarray,
    fine: np.ndarray,
    themes: np.ndarray,
    coarse: np.ndarray,
    out: list[np.ndarray],
    threshold: float,
) -> None:
    """Give each statement outside the sample the nearest fine group (and its theme) when similar enough."""
    cents = centroids(vectors.rows(pick), fine)
    if not cents or rest.size == 0:
        return
    keys = np.array(list(cents))
    matrix = np.vstack(list(cents.values()))
    theme_of = {int(g): int(themes[fine == g][0]) for g in keys}
    coarse_of = {int(g): int(coarse[fine == g][0]) for g in keys}
    best, similarity = nearest_centroids(vectors, matrix, rest)  # CHUNK rows a task (`shared.tasks`)
    hit = similarity >= threshold
    rows, groups = rest[hit], keys[best[hit]]
    out[1][rows] = groups
    out[0][rows] = [theme_of[int(g)] for g in groups]
    out[2][rows] = [coarse_of[int(g)] for g in groups]


def _full_neighbours(pick: np.ndarray, index: np.ndarray, similarity: np.ndarray) -> Neighbours:
    """The sample's neighbour lists in the question's row numbers (`rows`: the sample; others have none).

    Only the sample's lists are kept: a list per statement of a million would be 15 x 12 bytes each for nothing.
    """
    return Neighbours(pick[index], similarity, rows=pick)
