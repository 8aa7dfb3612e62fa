"""Themes of echoes: sentences whose answers make their point in another theme are no theme of their own.

An answer of several sentences states its point in one and surrounds it with others that do not carry it alone
("WWCO has to show results or it will lose out.", "If WWCO does not engage, both the national services and WWCO
itself will be bypassed."). Such sentences, read with their answer's context, sit between themes and HDBSCAN can
gather them into a group of their own that says nothing in particular but counts many respondents: on WWCO's
threats question "National services" ranked first (13 respondents, 10 of whose answers were already in other
findings; its best gold theme held 31% of them). A theme is of echoes when at least `share` of its respondents'
answers (the answers holding its statements) also have statements in other themes. Each of its statements whose
answer is elsewhere then joins the theme that holds most of that answer's other statements (the answer's point),
so the respondent is counted where their answer says something, and what is left (answers that said only this) is
the theme, or not grouped when fewer than two respondents are left. A theme that is a real second point of
multi-theme answers (WWCO: 18% of answers touch two or three themes) shares a minority of its answers with any
other theme. On WWCO's gold, folding the themes at 0.6 or more lifted `consolidate evaluate`'s top-5 recall /
purity from 0.629 / 0.667 to 0.686 / 0.718 (over five 90% subsets: 0.709 / 0.695 to 0.720 / 0.712); 0.5 scored
0.657 / 0.730; the other dev sets moved within their spread (`docs/quality.md`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.stages.cluster.vectors import NOISE

MIN_RESPONDENTS = 3  # a smaller theme is never read as echoes
LEFT_ALONE = 2  # a theme left with fewer respondents than this is not grouped


def echo_shares(themes: np.ndarray, answers: np.ndarray) -> dict[int, float]:
    """Theme -> share of its answers that also have statements in another theme."""
    return _shares(themes, pd.factorize(pd.Series(answers, dtype=str))[0])


def _shares(themes: np.ndarray, answers: np.ndarray) -> dict[int, float]:
    """`echo_shares` of answers given as integer codes."""
    pairs = _pairs(themes, answers)
    if not pairs.size:
        return {}
    _, index, spread = np.unique(pairs[0], return_inverse=True, return_counts=True)
    theme_keys, theme_index = np.unique(pairs[1], return_inverse=True)
    shared = np.bincount(theme_index, weights=(spread[index] > 1).astype(np.float64))
    total = np.bincount(theme_index)
    return dict(zip(theme_keys.tolist(), (shared / total).tolist(), strict=True))


def fold_echoes(themes: np.ndarray, answers: np.ndarray, respondents: np.ndarray, share: float) -> np.ndarray:
    """`themes` with each theme of echoes folded into its answers' other themes (module docstring).

    Themes are taken most echoing first (ties by label), each judged on the labels as they stand: folding one only
    lowers the others' shares (its answers were already in the themes they join), so the first pass finds them all.
    Each theme is judged on the statements of its own answers only, so a question of a million statements folds in
    seconds.
    """
    out = themes.copy()
    codes = pd.factorize(pd.Series(answers, dtype=str))[0]
    people = pd.factorize(pd.Series(respondents, dtype=str))[0]
    shares = _shares(out, codes)
    for theme in sorted((t for t, v in shares.items() if v >= share), key=lambda t: (-shares[t], t)):
        inside = out == theme
        if np.unique(people[inside]).size < MIN_RESPONDENTS:
            continue
        near = np.isin(codes, np.unique(codes[inside]))  # the statements of the theme's answers
        if _shares(out[near], codes[near]).get(theme, 0.0) < share:
            continue
        target = _answer_themes(out[near], codes[near], theme)
        moved = inside & np.isin(codes, list(target))
        out[moved] = [target[int(c)] for c in codes[moved]]
        left = out == theme
        if np.unique(people[left]).size < LEFT_ALONE:
            out[left] = NOISE
    return out


def _pairs(themes: np.ndarray, answers: np.ndarray) -> np.ndarray:
    """The distinct (answer, theme) pairs of the grouped statements, as two rows."""
    grouped = themes != NOISE
    return np.unique(np.vstack([answers[grouped], themes[grouped]]).astype(np.int64), axis=1)


def _answer_themes(themes: np.ndarray, answers: np.ndarray, theme: int) -> dict[int, int]:
    """Answer code -> the theme other than `theme` holding most of its statements (ties: smallest label)."""
    other = (themes != theme) & (themes != NOISE)
    frame = pd.DataFrame({"answer": answers[other], "theme": themes[other]})
    counts = frame.groupby(["answer", "theme"]).size().rename("n").reset_index()
    best = counts.sort_values(["answer", "n", "theme"], ascending=[True, False, True]).drop_duplicates("answer")
    return {int(a): int(t) for a, t in zip(best["answer"], best["theme"], strict=True)}
