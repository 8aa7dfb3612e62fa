import numpy as np
import pandas as pd
import pytest

from pipeline.config import ClusterConfig
from pipeline.stages.cluster import (
    NOISE,
    assign_to_nearest,
    auto_min_cluster_size,
    cluster_vectors,
    neighbor_smooth,
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
    assert list(out.columns) == [
        "statement_id",
        "question_id",
        "cluster",
        "subcluster",
        "group",
        "probability",
        "campaign",
    ]


def test_noise_statements_join_no_finding_and_the_rest_still_groups() -> None:
    # three blobs of 10 (R0..R29), then noise statements whose vectors sit inside the first blob
    points, _ = blobs(n_per=10)
    texts = [f"theme {i // 10} answer {i}" for i in range(30)] + ["No", "See attached.", "Thank you.", "Nothing"]
    people = [f"R{i}" for i in [*range(30), 30, 31, 0, 1]]
    statements = pd.DataFrame(
        {
            "statement_id": [f"{p}:q:{i}" for i, p in enumerate(people)],
            "respondent_id": people,
            "question_id": "q",
            "text": texts,
            "noise": [""] * 30 + ["non_answer", "reference", "courtesy", "non_answer"],
        }
    )
    vectors = np.vstack([points, points[:4]])
    labels = run_cluster(statements, {"q": vectors}, lambda q: ClusterConfig(), seed=0)["cluster"].to_numpy()
    assert labels[30:].tolist() == [NOISE] * 4
    assert (labels[:30] != NOISE).all() and len(set(labels[:30].tolist())) == 3
    without = run_cluster(statements.drop(columns="noise"), {"q": vectors}, lambda q: ClusterConfig(), seed=0)
    assert without["cluster"].iloc[30] == without["cluster"].iloc[0]  # unmarked, they would join the first blob


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


def overlapping_question(seed: int = 0, n: int = 150, dim: int = 384) -> tuple[pd.DataFrame, np.ndarray]:
    """150 answers around 8 themes that overlap (as sentence embeddings do), 12 of them sent twice."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(8, dim))
    points = centres[rng.integers(0, 8, n)] + rng.normal(scale=1.5, size=(n, dim))
    points = np.vstack([points, points[rng.integers(0, n, 12)]])
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    statements = pd.DataFrame(
        {
            "statement_id": [f"R{i}:q:1" for i in range(len(points))],
            "respondent_id": [f"R{i}" for i in range(len(points))],
            "question_id": "q",
            "text": [f"answer {i}" for i in range(len(points))],
        }
    )
    return statements, points.astype(np.float32)


def test_labels_do_not_depend_on_the_number_of_blas_threads() -> None:
    # before the stage fixed its threads (`shared.threads`), 19% of these themes (30% of the statements' theme or fine
    # group) changed from 1 to 2 BLAS threads: the PCA's last bits differ and HDBSCAN breaks its exact ties by them
    import scipy.linalg  # noqa: F401  (scipy's and scikit-learn's thread pools exist before they are limited)
    import sklearn  # noqa: F401
    from threadpoolctl import threadpool_limits

    statements, points = overlapping_question()
    found = []
    for threads in (1, 2):
        with threadpool_limits(limits=threads):
            found.append(run_cluster(statements, {"q": points}, lambda q: ClusterConfig(), seed=42))
    assert found[0]["cluster"].nunique() >= 4
    pd.testing.assert_frame_equal(found[0], found[1])


def test_fixed_threads_gives_the_process_its_limits_back() -> None:
    from threadpoolctl import threadpool_info, threadpool_limits

    from pipeline.stages.shared.threads import NUMERIC_THREADS, fixed_threads

    with threadpool_limits(limits=2):
        with fixed_threads():
            assert {pool["num_threads"] for pool in threadpool_info()} == {NUMERIC_THREADS}
        assert {pool["num_threads"] for pool in threadpool_info()} == {2}
