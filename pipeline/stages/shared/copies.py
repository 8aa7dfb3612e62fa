"""Copies: answers that are the same text, exactly or nearly (campaigns, copy-paste), keyed once per question.

Campaigns and copy-pasted submissions send one text many times, and seldom word for word: a name or a sentence is
added, one is dropped, a typo or a prefix ("As discussed among Sector Members:") slips in. `answer_key` makes
exact copies equal (case, spacing and surrounding punctuation ignored); `near_duplicate_keys` gives answers of at
least NEAR_MIN_WORDS words whose word 3-gram sets overlap by a Jaccard similarity of at least NEAR_JACCARD one key:
candidates come from MinHash LSH (datasketch, seeded, MinHash.bulk: about 0.15 ms an answer), and every candidate
pair is checked exactly, once per pair of groups. On the WWCO set, six Sector Members' copies of one paragraph (two
exact, one with a sentence added, one with its last sentence dropped, one with a prefix and typos, one with other
punctuation) were three findings; they are one. The embed stage stores the key as the statements' `copy_of`, so a
rerun with other clustering settings does not work it out again.
"""

from __future__ import annotations

import re

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


def near_duplicate_keys(keys: list[str]) -> list[str]:
    """Each answer key, or for near-duplicate long answers the first key (sorted) of their group (module docstring).

    Work stays near-linear in the number of distinct long answers, also for a campaign of thousands of copies: an
    answer found as a copy by an earlier answer's query is not queried itself.
    """
    from datasketch import MinHash, MinHashLSH

    shingles: dict[str, set[str]] = {}
    for key in sorted(set(keys)):
        words = _TOKEN.findall(key)
        if len(words) >= NEAR_MIN_WORDS:
            shingles[key] = {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    if len(shingles) < 2:
        return keys
    order = list(shingles)
    hashes = MinHash.bulk(
        [[g.encode("utf-8") for g in sorted(shingles[k])] for k in order], num_perm=MINHASH_PERMUTATIONS, seed=1
    )
    lsh = MinHashLSH(threshold=NEAR_JACCARD * 0.8, num_perm=MINHASH_PERMUTATIONS)  # generous: pairs are checked
    with lsh.insertion_session() as session:
        for key, minhash in zip(order, hashes, strict=True):
            session.insert(key, minhash)
    parent = {key: key for key in order}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    joined: set[str] = set()
    for key, minhash in zip(order, hashes, strict=True):
        if key in joined:
            continue
        for other in sorted(lsh.query(minhash)):
            a, b = shingles[key], shingles[other]
            if root(other) != root(key) and len(a & b) >= NEAR_JACCARD * len(a | b):
                first, second = sorted((root(key), root(other)))
                parent[second] = first
                joined.update((key, other))
    return [root(key) if key in shingles else key for key in keys]
