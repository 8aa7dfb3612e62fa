import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.config import ClusterConfig
from pipeline.stages.cluster import (
    NOISE,
    assign_to_nearest,
    auto_min_cluster_size,
    cluster_vectors,
    neighbor_smooth,
    nothing_mask,
    resolved_components,
    resolved_params,
    run_cluster,
    smoothing_neighbors,
)


def blobs(n_per: int = 30, k: int = 3, dim: int = 32, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = np.eye(dim)[:k] * 3
    points = np.vstack([c + rng.normal(scale=0.15, size=(n_per, dim)) for c in centres])
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    return points.astype(np.float32), np.repeat(np.arange(k), n_per)


@pytest.mark.parametrize(("n", "expected"), [(30, 3), (100, 4), (1000, 11), (10000, 35), (100000, 111)])
def test_auto_min_cluster_size_scales_with_n(n: int, expected: int) -> None:
    assert auto_min_cluster_size(n) == expected


def test_components_auto_grows_with_the_question() -> None:
    assert [resolved_components(n, ClusterConfig()) for n in (30, 999, 1000, 50000)] == [5, 5, 10, 10]
    assert resolved_components(50000, ClusterConfig(n_components=7)) == 7


def test_explicit_params_win_over_auto() -> None:
    assert resolved_params(500, ClusterConfig(min_cluster_size=7, min_samples=3)) == (7, 3)
    assert resolved_params(500, ClusterConfig(min_cluster_size=4, min_samples=9)) == (4, 4)


def test_defaults_never_mix_separated_blobs() -> None:
    points, truth = blobs()
    labels = cluster_vectors(points, ClusterConfig(), seed=1).themes
    for label in set(labels.tolist()) - {NOISE}:
        assert len(set(truth[labels == label].tolist())) == 1
    assert set(truth[labels != NOISE].tolist()) == {0, 1, 2}


def test_separated_blobs_are_recovered() -> None:
    points, truth = blobs()
    grouping = cluster_vectors(points, ClusterConfig(min_cluster_size=10), seed=1)
    labels, probs = grouping.themes, grouping.probabilities
    assert len(set(labels.tolist()) - {NOISE}) == 3
    for k in range(3):
        found = labels[truth == k]
        found = found[found != NOISE]
        assert len(set(found.tolist())) == 1 and len(found) >= 25
    assert probs.shape == labels.shape


def test_smoothing_neighbours_follow_min_cluster_size_up_to_15() -> None:
    assert smoothing_neighbors(30, ClusterConfig()) == 3
    assert smoothing_neighbors(10000, ClusterConfig()) == 15
    assert smoothing_neighbors(10000, ClusterConfig(smooth_neighbors=0)) == 0
    assert smoothing_neighbors(50, ClusterConfig(min_cluster_size=8)) == 8


def test_neighbor_smoothing_pulls_each_point_to_its_group() -> None:
    """Averaging over neighbours shrinks the spread of each blob and keeps blobs apart; output rows are unit."""
    points, truth = blobs(n_per=40, dim=48)
    smoothed = neighbor_smooth(points.astype(np.float64), k=8, steps=3, seed=0)
    assert smoothed.shape == points.shape
    np.testing.assert_allclose(np.linalg.norm(smoothed, axis=1), 1.0, rtol=1e-6)  # single precision
    for k in range(3):
        before = points[truth == k].std(axis=0).sum()
        after = smoothed[truth == k].std(axis=0).sum()
        assert after < 0.5 * before
    centres = np.vstack([smoothed[truth == k].mean(axis=0) for k in range(3)])
    assert (centres @ centres.T)[~np.eye(3, dtype=bool)].max() < 0.2


def test_neighbor_smoothing_is_a_mean_of_the_k_nearest() -> None:
    """By hand: on a line of unit 2-d vectors, one step with k=1 averages each point with its nearest neighbour."""
    angles = np.array([0.0, 0.1, 1.0, 1.15])
    vectors = np.column_stack([np.cos(angles), np.sin(angles)])
    smoothed = neighbor_smooth(vectors, k=1, steps=1, seed=0)
    expected = np.array([0.05, 0.05, 1.075, 1.075])
    np.testing.assert_allclose(smoothed, np.column_stack([np.cos(expected), np.sin(expected)]), atol=1e-6)


def test_smoothing_off_or_too_few_points_returns_the_input() -> None:
    points, _ = blobs(n_per=3)
    assert neighbor_smooth(points, k=0, steps=3, seed=0) is points
    assert neighbor_smooth(points, k=15, steps=3, seed=0) is points
    assert neighbor_smooth(points, k=2, steps=0, seed=0) is points


def test_same_seed_same_labels() -> None:
    points, _ = blobs(seed=3)
    first = cluster_vectors(points, ClusterConfig(), seed=5)
    second = cluster_vectors(points.copy(), ClusterConfig(), seed=5)
    assert first.themes.tolist() == second.themes.tolist() and first.fine.tolist() == second.fine.tolist()


def test_too_few_points_are_all_not_grouped() -> None:
    labels = cluster_vectors(np.eye(3, dtype=np.float32), ClusterConfig(), seed=0).themes
    assert labels.tolist() == [NOISE] * 3


def test_assign_to_nearest_respects_threshold() -> None:
    vectors = np.array([[1, 0], [1, 0], [0.9, 0.436], [0, 1]], dtype=np.float32)
    labels = np.array([0, 0, NOISE, NOISE])
    out = assign_to_nearest(vectors, labels, threshold=0.8)
    assert out.tolist() == [0, 0, 0, NOISE]
    assert labels.tolist() == [0, 0, NOISE, NOISE]  # input not mutated


def test_run_cluster_rows_follow_statements() -> None:
    points, _ = blobs(n_per=10)
    statements = pd.DataFrame(
        {
            "statement_id": [f"R{i}:q:1" for i in range(30)],
            "respondent_id": [f"R{i}" for i in range(30)],
            "question_id": "q",
            "text": [f"t{i}" for i in range(30)],
        }
    )
    out = run_cluster(statements, {"q": points}, lambda q: ClusterConfig(), seed=0)
    assert out["statement_id"].tolist() == statements["statement_id"].tolist()
    assert list(out.columns) == ["statement_id", "question_id", "cluster", "subcluster", "group", "probability"]


def test_nothing_mask_matches_statements_made_only_of_the_replies() -> None:
    texts = ["No.", "NONE", "No, nothing really!", "nothing to improve", "Nothing else to say", "Non-existent", ""]
    mask = nothing_mask(texts, ["no", "none", "nothing", "nothing to improve", "nothing really"])
    assert mask.tolist() == [True, True, True, True, False, False, False]
    assert not nothing_mask(texts, []).any()
    fillers = ["Absolutely nothing.", "No, nothing at all, thanks", "Thank you", "Really?", "Nothing else to say"]
    assert nothing_mask(fillers, ["no", "nothing"]).tolist() == [True, True, False, False, False]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(["no", "Nothing", "can't think of anything"]), min_size=1, max_size=3),
    st.lists(st.sampled_from(["absolutely", "at all", "thanks"]), max_size=2),
    st.sampled_from([", ", ". ", " - ", "! "]),
    st.sampled_from(["", "food", "staff"]),
)
def test_nothing_mask_needs_a_reply_and_nothing_else(
    replies: list[str], fillers: list[str], glue: str, extra: str
) -> None:
    keys = ["no", "nothing", "can't think of anything"]
    text = glue.join(fillers[:1] + replies + fillers[1:] + [extra])
    assert nothing_mask([text], keys).tolist() == [extra == ""]
    assert not nothing_mask([glue.join(fillers)], keys).any()


def nothing_question(nothing: list[str], owners: list[int] | None = None) -> tuple[pd.DataFrame, np.ndarray]:
    """30 statements (respondents R0..R29) in three separated blobs, then the `nothing` replies with vectors inside
    the first blob, from respondents R30, R31, ... unless `owners` gives their respondent numbers."""
    points, _ = blobs(n_per=10)
    texts = [f"theme {i // 10} answer {i}" for i in range(30)] + nothing
    vectors = np.vstack([points, points[: len(nothing)]])
    people = [f"R{i}" for i in [*range(30), *(owners or range(30, 30 + len(nothing)))]]
    ids = [f"{person}:q:{i}" for i, person in enumerate(people)]
    frame = pd.DataFrame({"statement_id": ids, "respondent_id": people, "question_id": "q", "text": texts})
    return frame, vectors


def test_nothing_replies_form_one_group_of_their_own() -> None:
    statements, vectors = nothing_question(["No", "Nothing.", "none", "No, nothing"])
    labels = run_cluster(statements, {"q": vectors}, lambda q: ClusterConfig(), seed=0)["cluster"].to_numpy()
    assert len(set(labels[30:].tolist())) == 1 and labels[30] != NOISE
    assert labels[30] not in set(labels[:30].tolist())  # not merged into the blob their vectors sit in
    off = run_cluster(statements, {"q": vectors}, lambda q: ClusterConfig(nothing_replies=[]), seed=0)
    assert off["cluster"].iloc[30] == off["cluster"].iloc[0]  # without the rule they join the first blob


def test_too_few_nothing_replies_stay_not_grouped() -> None:
    statements, vectors = nothing_question(["None", "no"])  # min_cluster_size is 3 for 32 statements
    labels = run_cluster(statements, {"q": vectors}, lambda q: ClusterConfig(), seed=0)["cluster"].to_numpy()
    assert labels[30:].tolist() == [NOISE, NOISE]
    assert (labels[:30] != NOISE).all()


def test_nothing_beside_other_statements_stays_not_grouped() -> None:
    # R30..R32 only said nothing; R0 and R1 said "None really." besides their theme statement
    statements, vectors = nothing_question(["No", "Nothing.", "none", "None really.", "No."], [30, 31, 32, 0, 1])
    labels = run_cluster(statements, {"q": vectors}, lambda q: ClusterConfig(), seed=0)["cluster"].to_numpy()
    assert labels[30] != NOISE and labels[30:33].tolist() == [labels[30]] * 3
    assert labels[33:].tolist() == [NOISE, NOISE]
    assert labels[0] not in (NOISE, labels[30])  # the respondent's own point still counts


def test_nothing_group_counts_respondents_not_statements() -> None:
    # one respondent saying "No. Nothing." twice is not three respondents (min_cluster_size is 3 here)
    statements, vectors = nothing_question(["No", "Nothing.", "Nope"], [30, 30, 31])
    labels = run_cluster(statements, {"q": vectors}, lambda q: ClusterConfig(), seed=0)["cluster"].to_numpy()
    assert labels[30:].tolist() == [NOISE] * 3


def test_run_cluster_rejects_misaligned_vectors() -> None:
    from pipeline.errors import StageError

    statements = pd.DataFrame({"statement_id": ["a", "b"], "question_id": "q"})
    with pytest.raises(StageError, match="rerun"):
        run_cluster(statements, {"q": np.zeros((3, 4), dtype=np.float32)}, lambda q: ClusterConfig(), seed=0)


def test_merge_close_clusters_joins_only_near_duplicates() -> None:
    from pipeline.stages.cluster import merge_close_clusters

    vectors = np.array([[1, 0, 0], [0.99, 0.14, 0], [0.98, 0.2, 0], [0, 0, 1.0], [0, 1.0, 0]], dtype=np.float32)
    labels = np.array([0, 1, 1, 2, NOISE])
    merged = merge_close_clusters(vectors, labels, threshold=0.95)
    assert merged.tolist() == [0, 0, 0, 2, NOISE]
    assert merge_close_clusters(vectors, labels, threshold=0.999).tolist() == labels.tolist()
