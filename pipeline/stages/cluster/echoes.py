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
    pairs = _pairs(themes, answers)
    if pairs.empty:
        return {}
    spread = (pairs.groupby("answer")["theme"].transform("size") > 1).groupby(pairs["theme"]).mean()
    return dict(zip(spread.index.astype(int).tolist(), spread.astype(float).tolist(), strict=True))


def fold_echoes(themes: np.ndarray, answers: np.ndarray, respondents: np.ndarray, share: float) -> np.ndarray:
    """`themes` with each theme of echoes folded into its answers' other themes (module docstring).

    Themes are taken most echoing first (ties by label), each judged on the labels as they stand: folding one only
    lowers the others' shares (its answers were already in the themes they join), so the first pass finds them all.
    """
    out = themes.copy()
    codes = pd.factorize(pd.Series(answers, dtype=str))[0]
    shares = echo_shares(out, codes)
    for theme in sorted((t for t, v in shares.items() if v >= share), key=lambda t: (-shares[t], t)):
        inside = out == theme
        if len(set(respondents[inside].tolist())) < MIN_RESPONDENTS or echo_shares(out, codes).get(theme, 0) < share:
            continue
        target = _answer_themes(out, codes, theme)
        moved = inside & np.isin(codes, list(target))
        out[moved] = [target[int(c)] for c in codes[moved]]
        left = out == theme
        if len(set(respondents[left].tolist())) < LEFT_ALONE:
            out[left] = NOISE
    return out


def _pairs(themes: np.ndarray, answers: np.ndarray) -> pd.DataFrame:
    """One row per (answer, theme) it has statements in, with the number of those statements."""
    grouped = themes != NOISE
    frame = pd.DataFrame({"answer": answers[grouped], "theme": themes[grouped]})
    return frame.groupby(["answer", "theme"]).size().rename("n").reset_index()


def _answer_themes(themes: np.ndarray, answers: np.ndarray, theme: int) -> dict[int, int]:
    """Answer code -> the theme other than `theme` holding most of its statements (ties: smallest label)."""
    pairs = _pairs(themes, answers)
    mine = set(pairs.loc[pairs["theme"] == theme, "answer"].tolist())
    other = pairs[(pairs["theme"] != theme) & pairs["answer"].isin(mine)]
    best = other.sort_values(["answer", "n", "theme"], ascending=[True, False, True]).drop_duplicates("answer")
    return {int(a): int(t) for a, t in zip(best["answer"], best["theme"], strict=True)}
