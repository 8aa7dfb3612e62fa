"""Identical and near-identical answers always land in the same finding.

Campaigns and copy-pasted submissions send the same text many times. Their statements are identical points, and
HDBSCAN may still cut a stack of identical points between clusters and noise, or leave a stack with no other points
around it as noise. Here every statement is keyed by its answer's normalised text (case, spacing and punctuation
ignored) and its position in the answer, and statements whose context vectors are near-identical (cosine >=
NEAR_IDENTICAL: the same sentence in nearly the same answer) join the same key; every statement of an answer sent
by at least `size` respondents shares one key (a campaign text is one finding, not one per sentence). Each key
takes the label most of its statements got, and a key left entirely not grouped becomes a group of its own when at
least `size` respondents sent it.

A campaign text is seldom sent word for word: near-identical long answers share one text key here (`copies.py`,
worked out once by the embed stage as the statements' `copy_of`).
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from pipeline.stages.cluster.neighbours import Neighbours
from pipeline.stages.cluster.vectors import NOISE
from pipeline.stages.shared.copies import answer_keys, near_duplicate_keys

NEAR_IDENTICAL = 0.98


def duplicate_keys(answers: list[str], positions: np.ndarray, neighbours: Neighbours) -> np.ndarray:
    """One integer key per statement (duplicates share one).

    The same key for statements at the same position of identical answers, and for statements whose vectors are
    near-identical neighbours (merged transitively).
    """
    pairs = [(key, int(p)) for key, p in zip(answer_keys(answers), positions, strict=True)]
    code = {pair: i for i, pair in enumerate(sorted(set(pairs)))}
    parent = np.array([code[pair] for pair in pairs])
    roots = np.arange(len(code))

    def root(k: int) -> int:
        while roots[k] != k:
            roots[k] = roots[roots[k]]
            k = int(roots[k])
        return k

    rows, cols = np.nonzero(neighbours.similarity >= NEAR_IDENTICAL)
    owners = rows if neighbours.rows is None else neighbours.rows[rows]
    for i, j in zip(owners.tolist(), neighbours.index[rows, cols].tolist(), strict=True):
        a, b = root(int(parent[i])), root(int(parent[j]))
        if a != b:
            roots[max(a, b)] = min(a, b)
    return np.array([root(int(k)) for k in parent], dtype=np.int64)


def campaign_keys(
    answers: list[str], respondents: np.ndarray, keys: np.ndarray, size: int, copies: list[str] | None = None
) -> np.ndarray:
    """Duplicate keys with every statement of an answer sent by at least `size` respondents under one key.

    A campaign text of several sentences ("Vote for it and share it. We created a forum. ...") is one finding, not
    one per sentence, also when its copies differ a little (`copies`: each statement's `copy_of`, else worked out
    here); an answer only a few people happen to share keeps a key per sentence.
    """
    rows: dict[str, list[int]] = {}
    senders: dict[str, set[str]] = {}
    texts = copies if copies is not None else near_duplicate_keys(answer_keys(answers))
    for i, (text, person) in enumerate(zip(texts, respondents.tolist(), strict=True)):
        rows.setdefault(text, []).append(i)
        senders.setdefault(text, set()).add(person)
    out = keys.copy()
    for text, where in rows.items():
        if len(senders[text]) >= size and len(set(keys[where].tolist())) > 1:
            out[where] = min(keys[where].tolist())
    return out


def unify(labels: np.ndarray, keys: np.ndarray, respondents: np.ndarray, size: int) -> np.ndarray:
    """Labels with every duplicate key in one group (module docstring)."""
    out = labels.copy()
    next_label = int(labels.max(initial=-1)) + 1
    order = np.argsort(keys, kind="stable")
    bounds = np.flatnonzero(np.diff(keys[order])) + 1
    for members in np.split(order, bounds):
        if len(members) < 2:
            continue
        votes = Counter(int(x) for x in labels[members] if x != NOISE)
        if votes:
            out[members] = min(votes, key=lambda label: (-votes[label], label))
        elif len(set(respondents[members].tolist())) >= size:
            out[members] = next_label
            next_label += 1
    return out
