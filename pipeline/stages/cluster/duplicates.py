"""Identical and near-identical answers always land in the same finding.

Campaigns and copy-pasted submissions send the same text many times. Their statements are identical points, and
HDBSCAN may still cut a stack of identical points between clusters and noise, or leave a stack with no other points
around it as noise. Here every statement is keyed by its answer's normalised text (case, spacing and punctuation
ignored) and its position in the answer, and statements whose context vectors are near-identical (cosine >=
NEAR_IDENTICAL: the same sentence in nearly the same answer) join the same key; every statement of an answer sent
by at least `size` respondents shares one key (a campaign text is one finding, not one per sentence). Each key
takes the label most of its statements got, and a key left entirely not grouped becomes a group of its own when at
least `size` respondents sent it.

A campaign text is seldom sent word for word: a name or a sentence is added, one is dropped, a typo or a prefix
("As discussed among Sector Members:") slips in. Answers of at least NEAR_MIN_WORDS words whose word 3-gram sets
overlap by a Jaccard similarity of at least NEAR_JACCARD are one text here (`near_duplicate_keys`): candidates come
from MinHash LSH (datasketch, seeded, so any size stays near-linear), and every candidate pair is checked exactly.
On the WWCO set, six Sector Members' copies of one paragraph (two exact, one with a sentence added, one with its
last sentence dropped, one with a prefix and typos, one with other punctuation) were three findings; they are one.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from pipeline.stages.cluster.neighbours import Neighbours
from pipeline.stages.cluster.vectors import NOISE

NEAR_IDENTICAL = 0.98
NEAR_MIN_WORDS = 15  # shorter answers ("More funding for Africa.") are common views, never a campaign text
NEAR_JACCARD = 0.5  # word 3-gram overlap of two copies of one text with a sentence added, dropped or retyped
SHINGLE = 3
MINHASH_PERMUTATIONS = 64
_TOKEN = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
_EDGES = re.compile(r"^\W+|\W+$")


def answer_key(answer: str) -> str:
    """Comparable form of an answer: case-folded, spacing collapsed, punctuation at both ends dropped."""
    return _EDGES.sub("", _SPACE.sub(" ", answer.casefold()))


def answer_keys(answers: list[str]) -> list[str]:
    """`answer_key` of each answer, each distinct answer keyed once (a campaign repeats its text)."""
    keyed = {a: answer_key(a) for a in dict.fromkeys(answers)}
    return [keyed[a] for a in answers]


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
    for i, j in zip(rows.tolist(), neighbours.index[rows, cols].tolist(), strict=True):
        a, b = root(int(parent[i])), root(int(parent[j]))
        if a != b:
            roots[max(a, b)] = min(a, b)
    return np.array([root(int(k)) for k in parent], dtype=np.int64)


def near_duplicate_keys(keys: list[str]) -> list[str]:
    """Each answer key, or for near-duplicate long answers the first key (sorted) of their group (module docstring)."""
    from datasketch import MinHash, MinHashLSH

    shingles: dict[str, set[str]] = {}
    for key in sorted(set(keys)):
        words = _TOKEN.findall(key)
        if len(words) >= NEAR_MIN_WORDS:
            shingles[key] = {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    if len(shingles) < 2:
        return keys
    lsh = MinHashLSH(threshold=NEAR_JACCARD * 0.8, num_perm=MINHASH_PERMUTATIONS)  # generous: pairs are checked
    hashes: dict[str, MinHash] = {}
    for key, grams in shingles.items():
        hashes[key] = MinHash(num_perm=MINHASH_PERMUTATIONS, seed=1)
        hashes[key].update_batch([g.encode("utf-8") for g in sorted(grams)])
        lsh.insert(key, hashes[key])
    parent = {key: key for key in shingles}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for key in shingles:
        for other in sorted(lsh.query(hashes[key])):
            a, b = shingles[key], shingles[other]
            if other != key and len(a & b) >= NEAR_JACCARD * len(a | b):
                first, second = sorted((root(key), root(other)))
                parent[second] = first
    return [root(key) if key in shingles else key for key in keys]


def campaign_keys(answers: list[str], respondents: np.ndarray, keys: np.ndarray, size: int) -> np.ndarray:
    """Duplicate keys with every statement of an answer sent by at least `size` respondents under one key.

    A campaign text of several sentences ("Vote for it and share it. We created a forum. ...") is one finding, not
    one per sentence, also when its copies differ a little (`near_duplicate_keys`); an answer only a few people
    happen to share keeps a key per sentence.
    """
    rows: dict[str, list[int]] = {}
    senders: dict[str, set[str]] = {}
    texts = near_duplicate_keys(answer_keys(answers))
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
