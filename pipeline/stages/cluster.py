"""Embeddings -> one cluster label per statement (-1 = not grouped), per open question, with HDBSCAN.

Defaults that work from 30 to 100,000 statements (chosen on the human-coded survey sets of `docs/quality.md`):

- `min_cluster_size = auto` is `max(3, round(0.35 * sqrt(n)))`: 3 at n = 30 (a theme of 3 answers in a
  30-answer consultation is worth reporting), 4 at 100, 11 at 1,000, 35 at 10,000, 111 at 100,000 (themes under
  ~0.1% of a campaign are not top findings). A fixed size is either blind to small themes in small surveys or
  shatters big ones into hundreds of fragments; 0.35 beat 0.25, 0.5, 0.75 and 1.0 x sqrt(n) on every survey
  metric (top-5 recall, purity, F1, NMI).
- `min_samples = auto` is `max(2, min_cluster_size // 3)`: HDBSCAN's default (= min_cluster_size) marks most
  short, varied survey answers as noise; a smaller value keeps density estimates local so fewer answers end up
  "not grouped" while clusters still need `min_cluster_size` members.
- Neighbour smoothing (`smooth_neighbors = auto`, `smooth_steps = 3`): before reduction each statement's vector is
  replaced by the mean of its k nearest neighbours (itself included), three times over the same neighbour graph.
  Statements of one theme are pulled together and the few between themes follow their majority, so dense groups
  stand out where raw sentence embeddings form a flat cloud; this is what UMAP's neighbour graph buys, at a
  fraction of its cost (no compile step, ~1 s at 20,000 statements). `auto` is `min(15, min_cluster_size)`: a
  neighbourhood never larger than the smallest theme we report, so small themes are not averaged away.
  Above 2,000 statements neighbours are searched after an exact PCA to 32 dimensions (nearly the same
  neighbours as in 384, several times faster); averaging always uses the full vectors. It lifted the survey
  top-5 F1 from 0.28 to 0.32 and the short-text NMI from 0.25 to 0.65 (`docs/quality.md`). Findings
  (centroids, quotes, cohesion) use the raw vectors.
- `reduce = pca` (seeded), `n_components = auto`: 5 dimensions below 1,000 statements, 10 from 1,000. HDBSCAN's
  neighbour search degrades in 384 dimensions (slow and flat distance distributions); PCA is deterministic, needs
  no compile step (UMAP's costs ~25 s) and is 10-50x faster. Small questions need few dimensions for density
  estimates to hold (10 dimensions cost the flaky-tests survey, 17-76 answers per question, 0.07 of top-5 F1);
  from 1,000 statements 10 dimensions separate more themes (NMI +0.01 to +0.05 on each of the four short-text
  sets, survey sets unchanged; mean of four 90% subsamples). `reduce: umap` (extra `umap`) is an alternative at
  UMAP's cost.
- `assign_unclustered = true`, `assign_threshold = 0.6`: a statement HDBSCAN leaves "not grouped" joins the finding
  whose centroid (raw vectors) it is most similar to, when the cosine similarity is at least 0.6; the rest stay
  "not grouped", counted and listed. This raised the survey top-5 F1 on every survey set (NHS 0.27 -> 0.30,
  themefinder 0.29 -> 0.35, flaky 0.39 -> 0.40); at 0.5, findings absorb too much and top-5 recall drops.
- `cluster_selection_method = eom`: on smoothed vectors, HDBSCAN's excess-of-mass selection returns whole themes;
  `leaf` splits them into their densest cores (more, smaller findings, more left "not grouped"). Without
  smoothing the opposite held (`eom` tended to return one blob), which is why `leaf` stays one setting away.
- `nothing_replies`: statements made only of replies such as "no", "none", "nothing", "can't think of anything",
  with NOTHING_FILLERS around them ("Absolutely nothing.", "No, nothing at all, thanks."), are
  kept out of the embedding clustering. Respondents who said nothing else form one group of their own, a finding
  when at least `min_cluster_size` respondents (resolved on the question's statement count) are in it, else "not
  grouped"; a nothing reply beside the same respondent's other statements stays "not grouped". To "What
  could be improved?" they mean "nothing to improve", a theme human coders report (the largest one in NHS Friends
  and Family Test data). In embedding space "No" and "Nothing" are far apart (cosine 0.3 with MiniLM), so HDBSCAN
  split them into separate findings, and smoothing pulled a lone "None" into whatever theme was nearest.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from pipeline.artifacts import CLUSTER_COLUMNS
from pipeline.config import ClusterConfig
from pipeline.embedders import normalise
from pipeline.errors import NotInstalledError, StageError

log = logging.getLogger(__name__)
NOISE = -1
NEIGHBOR_DIMS = 32  # neighbours for smoothing are searched in this many PCA dimensions ...
NEIGHBOR_PCA_ABOVE = 2000  # ... above this many statements (below, the full vectors are as fast)
MORE_COMPONENTS_FROM = 1000  # n_components auto: 5 below this many statements, 10 from it
# words that may surround a nothing reply without changing it ("Absolutely nothing", "No, nothing at all, thanks")
NOTHING_FILLERS = (
    "absolutely", "really", "honestly", "at all", "whatsoever", "else", "thanks", "thank you", "many thanks",
    "vraiment", "merci", "realmente", "gracias",
)  # fmt: skip
WORD = re.compile(r"\w+")


def auto_min_cluster_size(n: int) -> int:
    """Default minimum cluster size for n statements (see module docstring)."""
    return max(3, round(0.35 * math.sqrt(n)))


def resolved_params(n: int, cfg: ClusterConfig) -> tuple[int, int]:
    """(min_cluster_size, min_samples) for n statements, resolving `auto`."""
    size = auto_min_cluster_size(n) if cfg.min_cluster_size == "auto" else int(cfg.min_cluster_size)
    samples = max(2, size // 3) if cfg.min_samples == "auto" else int(cfg.min_samples)
    return size, min(samples, size)


def resolved_components(n: int, cfg: ClusterConfig) -> int:
    """Dimensions to reduce n statements to, resolving `auto` (see module docstring)."""
    if cfg.n_components == "auto":
        return 5 if n < MORE_COMPONENTS_FROM else 10
    return int(cfg.n_components)


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


def pca(vectors: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Exact PCA to k dimensions (seeded).

    An SVD while there are fewer rows than dimensions, else an eigendecomposition of the dim x dim covariance (same
    components, ~10x faster than a randomized SVD at 20k rows).
    """
    from sklearn.decomposition import PCA

    solver = "full" if len(vectors) < vectors.shape[1] else "covariance_eigh"
    return np.asarray(PCA(n_components=k, svd_solver=solver, random_state=seed).fit_transform(vectors))


def smoothing_neighbors(n: int, cfg: ClusterConfig) -> int:
    """Neighbours averaged per statement for n statements, resolving `auto` (see module docstring)."""
    if cfg.smooth_neighbors == "auto":
        return min(15, resolved_params(n, cfg)[0])
    return int(cfg.smooth_neighbors)


def neighbor_smooth(vectors: np.ndarray, k: int, steps: int, seed: int) -> np.ndarray:
    """Replace each unit vector by the unit mean of its k nearest neighbours (itself included), `steps` times.

    The neighbour graph is computed once, by cosine (Euclidean distance between unit vectors), after an exact PCA
    to NEIGHBOR_DIMS dimensions above NEIGHBOR_PCA_ABOVE statements; averaging is a sparse product with the full
    vectors, so memory stays O(n x dim).
    """
    n, dim = vectors.shape
    if k < 1 or steps < 1 or n <= k + 1:
        return vectors
    from scipy.sparse import csr_matrix
    from sklearn.neighbors import NearestNeighbors

    unit = normalise(vectors, np.float64)
    search = pca(unit, NEIGHBOR_DIMS, seed) if dim > NEIGHBOR_DIMS and n > NEIGHBOR_PCA_ABOVE else unit
    nearest = (
        NearestNeighbors(n_neighbors=k + 1, algorithm="brute").fit(search).kneighbors(search, return_distance=False)
    )
    weights = np.full(nearest.size, 1.0 / (k + 1), dtype=np.float32)
    graph = csr_matrix((weights, nearest.ravel(), np.arange(0, nearest.size + 1, k + 1)), shape=(n, n))
    smoothed = unit.astype(np.float32)  # the products in single precision: 3x faster, as precise as the embeddings
    for _ in range(steps):
        smoothed = normalise(np.asarray(graph @ smoothed))
    return smoothed.astype(np.float64)


def cluster_vectors(vectors: np.ndarray, cfg: ClusterConfig, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Cluster one question's vectors; returns (labels, membership probabilities)."""
    n = len(vectors)
    size, samples = resolved_params(n, cfg)
    if n < size + 1 or n < 4:
        return np.full(n, NOISE, dtype=np.int64), np.zeros(n)
    import hdbscan

    smoothed = neighbor_smooth(vectors.astype(np.float64), smoothing_neighbors(n, cfg), cfg.smooth_steps, seed)
    points = reduce_dimensions(smoothed, cfg, seed)
    model = hdbscan.HDBSCAN(
        min_cluster_size=size,
        min_samples=samples,
        cluster_selection_method=cfg.cluster_selection_method,
        cluster_selection_epsilon=cfg.cluster_selection_epsilon,
        core_dist_n_jobs=1,
    )
    labels = np.asarray(model.fit_predict(points), dtype=np.int64)
    probabilities = np.nan_to_num(np.asarray(model.probabilities_, dtype=np.float64))
    if cfg.merge_similarity is not None:
        labels = merge_close_clusters(vectors, labels, cfg.merge_similarity)
    if cfg.assign_unclustered:
        labels = assign_to_nearest(vectors, labels, cfg.assign_threshold)
    return labels, probabilities


def nothing_mask(texts: Sequence[str], replies: Sequence[str]) -> np.ndarray:
    """Which texts consist only of the given replies, with NOTHING_FILLERS around them, in any punctuation.

    "No, nothing at all, thanks." matches the replies "no" and "nothing"; a text of fillers alone ("Thank you")
    does not.
    """
    phrases = {tuple(WORD.findall(reply.casefold())) for reply in replies} - {()}
    fillers = {tuple(WORD.findall(filler)) for filler in NOTHING_FILLERS}
    longest = max(map(len, phrases | fillers), default=0)

    def only_replies(words: list[str]) -> bool:
        # reached[i]: 0 = words[:i] cannot be cut into replies and fillers, 1 = it can (fillers only), 2 = with a reply
        reached = [1] + [0] * len(words)
        for start in range(len(words)):
            if reached[start]:
                for end in range(start + 1, min(len(words), start + longest) + 1):
                    piece = tuple(words[start:end])
                    if piece in phrases:
                        reached[end] = 2
                    elif piece in fillers:
                        reached[end] = max(reached[end], reached[start])
        return reached[-1] == 2

    return np.array([only_replies(WORD.findall(text.casefold())) for text in texts], dtype=bool)


def cluster_question(
    vectors: np.ndarray, nothing: np.ndarray, respondents: np.ndarray, cfg: ClusterConfig, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Cluster the statements that say more than "nothing"; the `nothing` ones are set apart (module docstring).

    A respondent whose statements are all nothing replies joins the nothing group, a finding when at least
    min_cluster_size respondents do; a nothing reply beside other statements of the same respondent ("None really.
    Maybe more parking.") says nothing of its own and stays not grouped.
    """
    labels = np.full(len(vectors), NOISE, dtype=np.int64)
    probabilities = np.zeros(len(vectors))
    rest = ~nothing
    if rest.any():
        labels[rest], probabilities[rest] = cluster_vectors(vectors[rest], cfg, seed)
    alone = nothing & ~np.isin(respondents, respondents[rest])
    if len(set(respondents[alone].tolist())) >= resolved_params(len(vectors), cfg)[0]:
        labels[alone] = labels.max() + 1
        probabilities[alone] = 1.0
    return labels, probabilities


def unit_mean(vectors: np.ndarray) -> np.ndarray:
    """Unit-length mean of a group of vectors (the zero vector stays zero)."""
    mean = vectors.mean(axis=0)
    result: np.ndarray = mean / (np.linalg.norm(mean) or 1.0)
    return result


def centroids(vectors: np.ndarray, labels: np.ndarray) -> dict[int, np.ndarray]:
    """Unit-length centroid of every cluster (noise excluded)."""
    return {label: unit_mean(vectors[labels == label]) for label in sorted(set(labels.tolist()) - {NOISE})}


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


def assign_to_nearest(vectors: np.ndarray, labels: np.ndarray, threshold: float) -> np.ndarray:
    """Give each not-grouped vector the label of the most similar centroid when cosine >= threshold."""
    cents = centroids(vectors, labels)
    noise = np.flatnonzero(labels == NOISE)
    if not cents or noise.size == 0:
        return labels
    keys = np.array(list(cents))
    sims = vectors[noise] @ np.vstack(list(cents.values())).T
    best = sims.argmax(axis=1)
    out = labels.copy()
    hit = sims[np.arange(noise.size), best] >= threshold
    out[noise[hit]] = keys[best[hit]]
    return out


def run_cluster(
    statements: pd.DataFrame,
    vectors: dict[str, np.ndarray],
    cluster_for: Callable[[str], ClusterConfig],
    seed: int,
) -> pd.DataFrame:
    """Cluster every open question's statements.

    Args:
        statements: embed output (`statement_id, respondent_id, question_id, text, ...`), rows aligned with each
            question's vectors.
        vectors: question id -> embeddings (rows in statements order).
        cluster_for: a question's cluster settings (overrides applied).
        seed: the run seed (reduction).

    Returns:
        `statement_id, question_id, cluster, probability`, one row per statement, in statements order.
    """
    frames: list[pd.DataFrame] = []
    for qid, group in statements.groupby("question_id", sort=False):
        matrix = vectors[str(qid)]
        if len(matrix) != len(group):
            raise StageError(
                f"Question {qid}: {len(group)} statements but {len(matrix)} vectors; rerun `consolidate embed`."
            )
        cfg = cluster_for(str(qid))
        nothing = nothing_mask(group["text"].astype(str).tolist(), cfg.nothing_replies)
        respondents = group["respondent_id"].astype(str).to_numpy()
        labels, probabilities = cluster_question(matrix, nothing, respondents, cfg, seed)
        frames.append(
            pd.DataFrame(
                {
                    "statement_id": group["statement_id"].to_numpy(),
                    "question_id": str(qid),
                    "cluster": labels,
                    "probability": probabilities.round(6),
                }
            )
        )
        log.info("%s: %d statements, %d clusters", qid, len(group), len(set(labels.tolist()) - {NOISE}))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=CLUSTER_COLUMNS)
