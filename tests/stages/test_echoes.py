"""Themes of echoes (sentences whose answers make their point in another theme) fold into their answers' themes."""

import numpy as np

from pipeline.stages.cluster.echoes import echo_shares, fold_echoes
from pipeline.stages.cluster.vectors import NOISE


def _question() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Themes 0 and 1 are points of their own; theme 2 holds a second sentence of answers in 0 and 1, plus one
    answer (a6) that said only that; theme 3 is a real second point of a minority of theme 0's answers."""
    rows = [
        ("a1", 0), ("a1", 2), ("a2", 0), ("a2", 2), ("a3", 1), ("a3", 2), ("a4", 1), ("a4", 2),
        ("a5", 0), ("a6", 2), ("a7", 1), ("a8", 0), ("a8", 3), ("a9", 3), ("a10", 3), ("a11", 0),
    ]  # fmt: skip
    answers = np.array([a for a, _ in rows])
    themes = np.array([t for _, t in rows])
    return themes, answers, answers.copy()


def test_echo_shares_count_answers_found_elsewhere() -> None:
    themes, answers, _ = _question()
    shares = echo_shares(themes, answers)
    assert shares[2] == 4 / 5
    assert shares[3] == 1 / 3
    assert shares[0] == 3 / 5


def test_a_theme_of_echoes_joins_its_answers_themes_and_keeps_what_only_it_says() -> None:
    themes, answers, people = _question()
    out = fold_echoes(themes, answers, people, 0.7)
    assert out[answers == "a1"].tolist() == [0, 0]
    assert out[answers == "a3"].tolist() == [1, 1]
    assert out[answers == "a6"].tolist() == [NOISE]  # one respondent left: not grouped
    assert (out[themes == 3] == 3).all()  # a real second point stays
    assert (out[themes == 0] == 0).all() and (out[themes == 1] == 1).all()


def test_a_theme_with_enough_answers_of_its_own_stays_a_theme() -> None:
    themes, answers, people = _question()
    extra = np.array(["b1", "b2", "a12", "a13"])
    themes2 = np.concatenate([themes, [2, 2, 0, 1]])
    answers2 = np.concatenate([answers, extra])
    out = fold_echoes(themes2, answers2, np.concatenate([people, extra]), 0.55)
    assert sorted(answers2[out == 2].tolist()) == ["a6", "b1", "b2"]


def test_off_below_the_share_and_for_small_themes() -> None:
    themes, answers, people = _question()
    assert (fold_echoes(themes, answers, people, 0.9) == themes).all()
    small = np.array([0, 1, 1, 0])
    assert (fold_echoes(small, np.array(["x", "x", "y", "y"]), np.array(["x", "x", "y", "y"]), 0.1) == small).all()
