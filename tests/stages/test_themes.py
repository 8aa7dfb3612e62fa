"""Themes: fine groups merge into whole themes, catch-alls split, duplicates never split, answer context."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.config import ClusterConfig, FindingsConfig
from pipeline.stages.cluster import NOISE, run_cluster
from pipeline.stages.cluster.neighbours import nearest
from pipeline.stages.cluster.themes import link_matrix, merge_groups, split_catch_alls
from pipeline.stages.cluster.vectors import answer_context
from pipeline.stages.findings import QuestionInput, question_findings
from pipeline.stages.findings.text import without_lead_in
from pipeline.stages.shared.copies import answer_key


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def blob(centre: np.ndarray, n: int, spread: float, rng: np.random.Generator) -> np.ndarray:
    return centre + rng.normal(scale=spread, size=(n, len(centre)))


def frame(texts: list[str], people: list[str] | None = None) -> pd.DataFrame:
    people = people or [f"R{i:03d}" for i in range(len(texts))]
    return pd.DataFrame(
        {
            "statement_id": [f"{p}:q:{i}" for i, p in enumerate(people)],
            "respondent_id": people,
            "question_id": "q",
            "answer_text": texts,
            "text": texts,
            "position": 1,
        }
    )


def test_identical_answers_always_share_one_finding() -> None:
    """52 copies of a campaign text among 60 other answers: one finding holds every copy."""
    rng = np.random.default_rng(0)
    dim = 24
    campaign = unit(rng.normal(size=(1, dim)))[0]
    others = unit(rng.normal(size=(60, dim)))
    vectors = np.vstack([np.repeat(campaign[None, :], 52, axis=0), others]).astype(np.float32)
    texts = ["Stop the new motorway now!"] * 52 + [f"other answer {i}" for i in range(60)]
    labels = run_cluster(frame(texts), {"q": vectors}, lambda q: ClusterConfig(), seed=0)["cluster"].to_numpy()
    assert labels[0] != NOISE and set(labels[:52].tolist()) == {labels[0]}


def test_thirty_identical_answers_are_one_finding() -> None:
    vectors = np.repeat(unit(np.ones((1, 16))), 30, axis=0)
    texts = ["The app keeps crashing"] * 30
    labels = run_cluster(frame(texts), {"q": vectors}, lambda q: ClusterConfig(), seed=0)["cluster"].to_numpy()
    assert labels.tolist() == [labels[0]] * 30 and labels[0] != NOISE


def test_answer_key_ignores_case_spacing_and_edge_punctuation() -> None:
    assert answer_key("  Stop the motorway!! ") == answer_key("stop   the MOTORWAY")
    assert answer_key("Stop the motorway") != answer_key("Start the motorway")


def test_close_fine_groups_become_one_theme_with_sub_points() -> None:
    """Two overlapping groups (one theme in two wordings) among five distant ones: the two merge into one theme."""
    rng = np.random.default_rng(1)
    dim = 32
    base, twin = np.eye(dim)[0], np.eye(dim)[0] + 0.08 * np.eye(dim)[1]
    far = [blob(np.eye(dim)[5 + k], 20, 0.05, rng) for k in range(5)]
    vectors = unit(np.vstack([blob(base, 20, 0.05, rng), blob(twin, 20, 0.05, rng), *far]))
    fine = np.repeat(np.arange(7), 20)
    themes = merge_groups(link_matrix(nearest(vectors.astype(np.float64), 10, 0)), fine, 2.0)
    assert len(set(themes[:40].tolist())) == 1 and len(set(themes.tolist())) == 6
    texts = [f"answer {i}" for i in range(len(vectors))]
    q = QuestionInput("q", "Q?", frame(texts), vectors, themes, len(texts), 0, fine=fine)
    top = question_findings(q, FindingsConfig()).findings[0]
    assert len(top.subpoints) == 2 and sum(p.n_respondents for p in top.subpoints) == top.n_respondents == 40
    assert len({p.id for p in top.subpoints} | {top.id}) == 3


def test_a_fine_group_reaching_into_another_theme_is_counted_on_each_themes_own_rows() -> None:
    """WWCO: a 13-respondent sub-point was shown under a 12-respondent finding and under another finding too."""
    rng = np.random.default_rng(4)
    dim = 32
    vectors = unit(np.vstack([blob(np.eye(dim)[k], 20, 0.05, rng) for k in range(4)]))
    fine = np.repeat(np.arange(4), 20)
    fine[30:40] = 0  # half of group 1's rows carry group 0's fine label (moved there after grouping)
    themes = np.repeat([0, 0, 1, 1], 20)
    themes[30:40] = 1  # ... and sit in the other theme
    texts = [f"answer {i}" for i in range(len(vectors))]
    q = QuestionInput("q", "Q?", frame(texts), vectors, themes, len(texts), 0, fine=fine)
    findings = question_findings(q, FindingsConfig()).findings
    for finding in findings:
        assert finding.subpoints
        assert sum(p.n_respondents for p in finding.subpoints) == finding.n_respondents
        assert all(set(p.members) <= set(finding.members) for p in finding.subpoints)


def test_a_large_theme_with_clear_parts_is_split() -> None:
    """A constructed catch-all: one theme made of three separate groups holding 90% of the respondents."""
    rng = np.random.default_rng(2)
    dim = 32
    centres = np.eye(dim)[:4] * 1.0
    points = np.vstack([blob(c, 30, 0.03, rng) for c in centres])
    vectors = unit(points).astype(np.float64)
    fine = np.repeat(np.arange(4), 30)
    themes = np.where(fine < 3, 0, 1)  # groups 0, 1, 2 wrongly merged
    people = np.array([f"R{i}" for i in range(len(vectors))])
    links = link_matrix(nearest(vectors, 10, 0))
    split, _ = split_catch_alls(links, themes, fine, people, 0.25, lambda mask: np.full(len(vectors), NOISE))
    assert len(set(split[:90].tolist())) == 3 and set(split[90:].tolist()) == {1}


def test_a_large_theme_saying_one_thing_stays_whole() -> None:
    rng = np.random.default_rng(3)
    vectors = unit(blob(np.eye(16)[0], 60, 0.01, rng)).astype(np.float64)
    fine = np.repeat([0, 1], 30)  # two fine groups of one tight cloud
    themes = np.zeros(60, dtype=np.int64)
    links = link_matrix(nearest(vectors, 10, 0))
    people = np.array([f"R{i}" for i in range(60)])
    split, _ = split_catch_alls(links, themes, fine, people, 0.25, lambda mask: np.full(60, NOISE))
    assert set(split.tolist()) == {0}


def test_answer_context_pulls_a_sentence_towards_its_answer() -> None:
    vectors = unit(np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])).astype(np.float64)
    answers = np.array(["a", "a", "b"])
    out = answer_context(vectors, answers, 1.0)
    assert out[0] @ out[1] > vectors[0] @ vectors[1]  # sentences of one answer come closer
    np.testing.assert_allclose(out[2], vectors[2])  # a one-sentence answer is unchanged
    assert answer_context(vectors, answers, 0.0) is vectors


def test_summary_drops_a_short_lead_in() -> None:
    assert without_lead_in("From our perspective: Fewer events, more substance.") == "Fewer events, more substance."
    assert without_lead_in("Note: yes") == "Note: yes"
    long = "This is a long explanation of what we think about it: yes indeed we do."
    assert without_lead_in(long) == long


def test_a_campaign_text_of_several_sentences_is_one_finding() -> None:
    """A four-sentence text sent by 20 respondents: every sentence lands in the same finding."""
    rng = np.random.default_rng(4)
    dim = 24
    sentences = unit(rng.normal(size=(4, dim)))
    others = unit(rng.normal(size=(40, dim)))
    campaign = "Vote for it. Share it. We made a forum. Write to us."
    rows, vectors = [], []
    for person in range(20):
        for position in range(4):
            rows.append((f"C{person:02d}", campaign, campaign.split(". ")[position], position + 1))
            vectors.append(sentences[position])
    for i in range(40):
        rows.append((f"O{i:02d}", f"other answer {i}", f"other answer {i}", 1))
        vectors.append(others[i])
    statements = pd.DataFrame(
        {
            "statement_id": [f"{p}:q:{n}" for p, _, _, n in rows],
            "respondent_id": [p for p, _, _, _ in rows],
            "question_id": "q",
            "answer_text": [a for _, a, _, _ in rows],
            "text": [t for _, _, t, _ in rows],
            "position": [n for _, _, _, n in rows],
        }
    )
    labels = run_cluster(statements, {"q": np.vstack(vectors)}, lambda q: ClusterConfig(), seed=0)["cluster"]
    assert labels.iloc[0] != NOISE and set(labels.iloc[:80].tolist()) == {labels.iloc[0]}


def test_answer_context_auto_follows_how_long_answers_are() -> None:
    from pipeline.stages.cluster.params import context_weight

    long_answers = np.array(["a", "a", "b", "b", "c"])  # 2 of 3 answers have two statements
    short_answers = np.array(["a", "a", "b", "c", "d"])  # 1 of 4
    assert context_weight(long_answers, ClusterConfig()) == 1.0
    assert context_weight(short_answers, ClusterConfig()) == 0.0
    assert context_weight(short_answers, ClusterConfig(answer_context=0.5)) == 0.5


def test_near_duplicate_campaign_texts_are_one_text() -> None:
    from pipeline.stages.shared.copies import answer_key, near_duplicate_keys

    base = (
        "WWCO should stop developing and marketing tailored weather and climate services that compete directly with "
        "those offered by its Sector Members. The role of an intergovernmental organization is to set standards."
    )
    copies = [
        base,
        "As discussed among Sector Members: " + base.replace("WWCO", "wwco").replace("private", "privat"),
        base + " We call on WWCO to define clearly the boundary between public-good and commercial services.",
        base.split(". ")[0] + ".",
        base.replace("tailored", "tailor-made").replace(" - ", " – "),
        "Fewer workshops and more follow-up on the decisions that Members already took at the last Congress please.",
        "Short text",
    ]
    keys = near_duplicate_keys([answer_key(c) for c in copies])
    assert len(set(keys[:5])) == 1
    assert keys[5] != keys[0] and keys[6] == answer_key(copies[6])
    assert near_duplicate_keys([answer_key(c) for c in copies]) == keys  # deterministic


def test_a_theme_whose_sub_points_disagree_is_split() -> None:
    from pipeline.stages.cluster.themes import split_disagreeing

    rng = np.random.default_rng(0)
    axes = np.eye(8)
    blobs = [axes[k] + rng.normal(scale=0.05, size=(6, 8)) for k in (0, 1, 2, 2)]
    vectors = unit(np.vstack(blobs))
    themes = np.array([0] * 12 + [1] * 12)  # theme 0 merges two groups that say different things, theme 1 does not
    fine = np.repeat(np.arange(4), 6)
    out = split_disagreeing(vectors, themes, fine, 0.4)
    assert len(set(out[:6].tolist())) == 1 and out[0] != out[6]
    assert set(out[12:].tolist()) == {1}
    assert np.array_equal(split_disagreeing(vectors, themes, fine, -1.0), themes)  # off: nothing splits


def test_a_finding_whose_two_large_sub_points_disagree_is_flagged_mixed() -> None:
    from pipeline.stages.findings import QuestionInput, question_findings

    frame = pd.DataFrame(
        {
            "statement_id": [f"R{i}:q:1" for i in range(8)],
            "respondent_id": [f"R{i}" for i in range(8)],
            "text": [f"Point {i} about things" for i in range(8)],
        }  # fmt: skip
    )
    apart = unit(np.vstack([np.tile([1.0, 0.0, 0.1], (4, 1)), np.tile([0.3, 1.0, 0.1], (4, 1))]))
    close = unit(np.vstack([np.tile([1.0, 0.1, 0.1], (4, 1)), np.tile([1.0, 0.3, 0.1], (4, 1))]))
    fine = np.array([0] * 4 + [1] * 4)
    for vectors, mixed in ((apart, True), (close, False)):
        q = QuestionInput("q", "Q?", frame, vectors.astype(np.float32), np.zeros(8, dtype=np.int64), 8, 0, fine=fine)
        assert question_findings(q, FindingsConfig()).findings[0].mixed is mixed


def test_themes_that_say_the_same_thing_in_other_words_are_merged() -> None:
    from pipeline.stages.cluster.themes import merge_same

    rng = np.random.default_rng(1)
    axes = np.eye(8)
    praise = [axes[0] + 0.3 * axes[k] + rng.normal(scale=0.03, size=(5, 8)) for k in (1, 2)]  # two wordings
    other = [axes[3] + rng.normal(scale=0.03, size=(5, 8))]
    vectors = unit(np.vstack(praise + other))
    themes = np.repeat([0, 1, 2], 5)
    out = merge_same(vectors, themes, 0.8)
    assert set(out[:10].tolist()) == {0} and set(out[10:].tolist()) == {2}
    assert np.array_equal(merge_same(vectors, themes, 0.97), themes)  # a higher floor keeps them apart


def test_groups_of_zero_vectors_split_and_merge_without_error() -> None:
    from pipeline.stages.cluster.themes import average_parts, merge_same, split_disagreeing

    vectors = np.vstack([np.zeros((3, 4)), unit(np.tile([1.0, 0.1, 0.0, 0.0], (3, 1)))])
    themes, fine = np.zeros(6, dtype=np.int64), np.array([0, 0, 0, 1, 1, 1])
    assert len(set(split_disagreeing(vectors, themes, fine, 0.4).tolist())) == 2  # no direction: agrees with nothing
    assert merge_same(vectors, np.array([0, 0, 0, 1, 1, 1]), 0.8).tolist() == [0, 0, 0, 1, 1, 1]
    assert average_parts(np.zeros((2, 4)), 0.8)[0] != average_parts(np.zeros((2, 4)), 0.8)[1]


def test_a_merge_never_makes_a_theme_hold_more_than_the_catch_all_share() -> None:
    from pipeline.stages.cluster.themes import merge_same

    rng = np.random.default_rng(2)
    axes = np.eye(8)
    blobs = [axes[0] + 0.3 * axes[k] + rng.normal(scale=0.03, size=(5, 8)) for k in (1, 2)] + [
        axes[3] + rng.normal(scale=0.03, size=(10, 8))
    ]
    vectors, themes = unit(np.vstack(blobs)), np.repeat([0, 1, 2], [5, 5, 10])
    people = np.array([f"R{i}" for i in range(20)])
    assert set(merge_same(vectors, themes, 0.8, people, 0.5)[:10].tolist()) == {0}  # 10 of 20: allowed
    assert merge_same(vectors, themes, 0.8, people, 0.4).tolist() == themes.tolist()  # 10 of 20 > 40%: kept apart


def test_a_theme_over_the_largest_share_is_split_into_its_groups_whatever_its_graph() -> None:
    """Two groups well linked to each other (no clear parts) holding 80% of a question are still two findings."""
    from pipeline.stages.cluster.themes import split_oversized

    rng = np.random.default_rng(3)
    centre = unit(rng.normal(size=(1, 16)))[0]
    near = [
        unit(centre + 0.25 * unit(rng.normal(size=(1, 16)))[0] + rng.normal(scale=0.05, size=(8, 16))) for _ in (0, 1)
    ]
    other = unit(rng.normal(size=(4, 16)))
    vectors = np.vstack([*near, other])
    links = link_matrix(nearest(vectors, 5, 0))
    themes = np.array([0] * 16 + [1] * 4)
    fine = np.array([0] * 8 + [1] * 8 + [2] * 4)
    people = np.arange(20)
    never = lambda mask: np.full(len(mask), NOISE)  # noqa: E731
    out, _ = split_oversized(links, themes, fine, people, 0.35, never)
    assert out[0] != out[8] and set(out[:8].tolist()) == {out[0]} and set(out[8:16].tolist()) == {out[8]}
    assert set(out[16:].tolist()) == {1}
    one_group = np.array([0] * 16 + [1] * 4)
    kept, _ = split_oversized(links, themes, one_group, people, 0.35, never)
    assert np.array_equal(kept, themes)  # one group saying one thing, no parts found: stays whole
