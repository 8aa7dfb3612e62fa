"""The `auto` values of the cluster settings, worked out from the number of statements of a question."""

from __future__ import annotations

import math

import numpy as np

from pipeline.config import ClusterConfig

MORE_COMPONENTS_FROM = 1000  # n_components auto: 5 below this many statements, 10 from it
MAX_SMOOTHING = 15  # smooth_neighbors auto never averages more neighbours than this


def auto_min_cluster_size(n: int) -> int:
    """Default minimum cluster size for n statements: `max(3, round(0.35 * sqrt(n)))`."""
    return max(3, round(0.35 * math.sqrt(n)))


def resolved_params(n: int, cfg: ClusterConfig) -> tuple[int, int]:
    """(min_cluster_size, min_samples) for n statements, resolving `auto`."""
    size = auto_min_cluster_size(n) if cfg.min_cluster_size == "auto" else int(cfg.min_cluster_size)
    samples = max(2, size // 3) if cfg.min_samples == "auto" else int(cfg.min_samples)
    return size, min(samples, size)


def resolved_components(n: int, cfg: ClusterConfig) -> int:
    """Dimensions to reduce n statements to, resolving `auto`."""
    if cfg.n_components == "auto":
        return 5 if n < MORE_COMPONENTS_FROM else 10
    return int(cfg.n_components)


def smoothing_neighbors(n: int, cfg: ClusterConfig) -> int:
    """Neighbours averaged per statement for n statements, resolving `auto`."""
    if cfg.smooth_neighbors == "auto":
        return min(MAX_SMOOTHING, resolved_params(n, cfg)[0])
    return int(cfg.smooth_neighbors)


def graph_neighbors(n: int, cfg: ClusterConfig) -> int:
    """Neighbours searched per statement: enough for smoothing and for the theme graph, fewer than n."""
    return max(0, min(n - 1, max(smoothing_neighbors(n, cfg), cfg.theme_neighbors)))


CONTEXT_SHARE = 0.4  # answer_context auto: on where at least this share of answers have 2+ statements
CONTEXT_WEIGHT = 1.0


def context_weight(answers: np.ndarray, cfg: ClusterConfig) -> float:
    """The answer-context weight for a question whose statements come from `answers`, resolving `auto`.

    Where answers are developed over several sentences (consultations: "We see three risks. First, ..."), a short
    sentence is best read with its answer; where most answers are one sentence, the few longer ones more often list
    unrelated points, and reading them together blurs themes (measured in docs/quality.md).
    """
    if cfg.answer_context != "auto":
        return float(cfg.answer_context)
    if len(answers) == 0:
        return 0.0
    _, sizes = np.unique(answers, return_counts=True)
    return CONTEXT_WEIGHT if float((sizes >= 2).mean()) >= CONTEXT_SHARE else 0.0
