"""Embeddings -> one theme (finding) and one fine group (its sub-point) per statement, per open question.

How a question's statements are grouped (defaults chosen on the human-coded sets of `docs/quality.md`):

1. **Noise** (`pipeline.detect.noise`: "Thank you.", "See attached.", "Nothing to add", a bare link) is set apart:
   those statements join no finding. **Campaigns** (`campaigns.py`; config `campaigns`): the statements of a text
   of 15+ words sent, exactly or nearly, by at least `campaigns.min_respondents` respondents are set apart too, and
   each campaign becomes one theme of its own (`clusters.parquet`'s `campaign`); the rest are grouped without them.
2. **Answer context** (`answer_context = auto`, `params.context_weight`): where at least 40% of a question's answers
   have two or more statements, each statement's vector gets its answer's mean vector added, so a short or vague
   sentence is read with the rest of its answer (`vectors.answer_context`). It lifted the sample's top-5 purity from
   0.76 to 0.89; on sets of mostly one-sentence answers (NHS, flaky tests) it cost top-5 recall, so it stays off.
3. **Neighbour graph and smoothing** (`neighbours.py`): the k nearest neighbours of every statement are searched once;
   `smooth_steps` rounds of averaging each vector with its `smooth_neighbors` nearest (auto: min(15,
   min_cluster_size)) pull the statements of one theme together.
4. **Fine groups**: PCA (`n_components` auto: 5 below 1,000 statements, 10 from 1,000) and HDBSCAN with
   `min_cluster_size` auto = max(3, round(0.35 sqrt(n))) and `min_samples` auto = max(2, min_cluster_size // 3):
   small, tight groups that often say one thing in several wordings.
5. **Themes** (`themes.py`): fine groups merge by greedy modularity on the neighbour graph (`theme_resolution`,
   `theme_neighbors`), so what says the same thing in other words becomes one finding, with the cut chosen per
   question from its own graph; a theme over `catchall_share` of the respondents is split when its own graph has
   clear parts (a catch-all), and kept when its members say one thing; one over `max_share` (35%) is split into its
   parts whatever its graph, unless it is one group that no finer clustering parts.
6. **Duplicates** (`duplicates.py`): identical and near-identical answers end in the same finding; a campaign text
   left not grouped becomes a finding of its own when enough respondents sent it. **Fragments** (`fragments.py`): a
   theme of 30+ statements, mostly of three words or fewer, sharing no word is dissolved (not grouped).
7. **Echoes** (`echoes.py`, `echo_share` 0.6): a theme most of whose answers also have statements in other themes
   is made of sentences around points made elsewhere: each joins its answer's other theme.
8. **Assignment** (`assign_unclustered`, `assign_threshold` 0.6): a not-grouped statement of a respondent with no
   statement in any theme joins the theme whose centroid it is most similar to when the cosine is at least the
   threshold, unless that takes the theme past `max_share`; the rest stay "not grouped", counted and listed.
"""

from pipeline.stages.cluster.neighbours import Neighbours, nearest, neighbor_smooth, smooth
from pipeline.stages.cluster.params import (
    auto_min_cluster_size,
    graph_neighbors,
    resolved_components,
    resolved_params,
    smoothing_neighbors,
)
from pipeline.stages.cluster.stage import Grouping, Statements, cluster_question, cluster_vectors, run_cluster
from pipeline.stages.cluster.vectors import (
    NOISE,
    assign_to_nearest,
    centroids,
    merge_close_clusters,
    reduce_dimensions,
    unit,
    unit_mean,
)

__all__ = [
    "NOISE",
    "Grouping",
    "Neighbours",
    "Statements",
    "assign_to_nearest",
    "auto_min_cluster_size",
    "centroids",
    "cluster_question",
    "cluster_vectors",
    "graph_neighbors",
    "merge_close_clusters",
    "nearest",
    "neighbor_smooth",
    "reduce_dimensions",
    "resolved_components",
    "resolved_params",
    "run_cluster",
    "smooth",
    "smoothing_neighbors",
    "unit",
    "unit_mean",
]
