"""Fine groups -> themes: merge the groups that say the same thing in other words, split catch-all groups.

HDBSCAN on smoothed vectors returns fine, tight groups ("Digital divide", "Gap in skills", "Growing inequality in
access"), often several per theme an analyst would report. Themes are built on the neighbour graph of the statements
(`neighbours.py`): two groups are one theme when their statements are linked by more nearest-neighbour edges than
their sizes explain, which is what modularity measures. A greedy modularity agglomeration (Clauset-Newman-Moore, as
implemented in networkx) starts from the fine groups and merges while modularity grows, so the cut is chosen per
question from its own graph rather than by a fixed cosine; `theme_resolution` (> 1 keeps more, smaller themes) is the
one knob. The groups merged into a theme are kept as its sub-points.

A theme holding a large share of the question is then checked for a catch-all: when its own neighbour graph splits
into parts with clear community structure (modularity >= CATCHALL_MODULARITY), it is split into them, and each part is
checked again. A large theme whose members say one thing ("Nothing", a campaign text) has no such structure and stays.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import numpy as np

from pipeline.stages.cluster.neighbours import Neighbours
from pipeline.stages.cluster.vectors import NOISE

GROUPS_AT_RESOLUTION = 10  # up to this many fine groups the resolution is theme_resolution itself
CATCHALL_MODULARITY = 0.3  # a large theme splits when its parts reach this modularity on its own graph
MIN_WEIGHT = 0.01  # every neighbour link counts a little, even between dissimilar statements


def link_matrix(neighbours: Neighbours, members: np.ndarray | None = None) -> object:
    """Symmetric sparse matrix of neighbour links (cosine, at least MIN_WEIGHT), optionally among `members` only."""
    from scipy.sparse import csr_matrix

    n, k = neighbours.index.shape
    rows = np.repeat(np.arange(n), k)
    cols = neighbours.index.ravel()
    weights = np.clip(neighbours.similarity.ravel().astype(np.float64), MIN_WEIGHT, None)
    if members is not None:
        keep = members[rows] & members[cols]
        rows, cols, weights = rows[keep], cols[keep], weights[keep]
    links = csr_matrix((weights, (rows, cols)), shape=(n, n))
    return links.maximum(links.T)


def group_links(links: object, labels: np.ndarray) -> tuple[list[int], np.ndarray]:
    """Total link weight between every pair of groups (noise as one extra group, last): (group keys, matrix)."""
    from scipy.sparse import csr_matrix

    keys = sorted(set(labels.tolist()) - {NOISE})
    position = {key: i for i, key in enumerate(keys)}
    rows = np.array([position.get(int(label), len(keys)) for label in labels], dtype=np.int64)
    indicator = csr_matrix((np.ones(len(labels)), (rows, np.arange(len(labels)))), shape=(len(keys) + 1, len(labels)))
    return keys, np.asarray((indicator @ links @ indicator.T).toarray())


def modularity_communities(weights: np.ndarray, resolution: float, movable: int) -> list[list[int]]:
    """Communities of the first `movable` nodes of a weighted graph by greedy modularity (nodes past them stay alone).

    Returns the communities as sorted node lists, in order of their smallest node.
    """
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(range(len(weights)))
    for i in range(len(weights)):
        for j in range(i, len(weights)):
            if weights[i, j] > 0:
                graph.add_edge(i, j, weight=weights[i, j] / 2 if i == j else weights[i, j])
    found = nx.community.greedy_modularity_communities(graph, weight="weight", resolution=resolution)
    groups = [sorted(node for node in c if node < movable) for c in found]
    return sorted((g for g in groups if g), key=lambda g: g[0])


def merge_groups(links: object, labels: np.ndarray, resolution: float) -> np.ndarray:
    """Theme label of every statement: fine groups merged by greedy modularity on the neighbour graph.

    The resolution grows with the number of groups beyond GROUPS_AT_RESOLUTION (`effective_resolution`).
    """
    keys, weights = group_links(links, labels)
    if len(keys) < 2:
        return labels.copy()
    mapping: dict[int, int] = {}
    for theme, nodes in enumerate(
        modularity_communities(weights, effective_resolution(resolution, len(keys)), len(keys))
    ):
        mapping.update({keys[node]: theme for node in nodes})
    return np.array([mapping.get(int(label), NOISE) for label in labels], dtype=np.int64)


def effective_resolution(resolution: float, groups: int) -> float:
    """The modularity resolution for `groups` fine groups: `resolution` x max(1, groups / GROUPS_AT_RESOLUTION).

    Modularity compares the links between two groups with what their degrees predict over the whole graph; with k
    groups of similar size that prediction shrinks like 1/k^2, so a fixed resolution merges more and more readily as
    a question has more groups (the resolution limit) and large questions end in broad themes. Scaling the
    resolution with k keeps the decision on the share of a group's links that go to the other group, whatever the
    question's size (NHS questions, 20-27 groups: top-5 recall 0.28 -> 0.40 at no cost on the small dev sets).
    """
    return resolution * max(1.0, groups / GROUPS_AT_RESOLUTION)


def partition_modularity(weights: np.ndarray, parts: list[list[int]]) -> float:
    """Modularity (resolution 1) of a partition of a weighted graph given as a dense matrix."""
    total = weights.sum()
    if total <= 0:
        return 0.0
    degree = weights.sum(axis=1)
    return float(sum(weights[np.ix_(p, p)].sum() / total - (degree[p].sum() / total) ** 2 for p in parts))


def split_catch_alls(
    links: object,
    themes: np.ndarray,
    fine: np.ndarray,
    respondents: np.ndarray,
    share: float,
    recluster: Callable[[np.ndarray], np.ndarray],
) -> tuple[np.ndarray, np.ndarray]:
    """Split every theme holding more than `share` of the respondents whose own graph has clear parts (module doc).

    `recluster(mask)` returns finer labels for the statements of a theme made of one fine group (NOISE elsewhere);
    they become the fine groups of its parts. Returns (themes, fine groups).
    """
    return _split_large(links, themes, fine, respondents, share, recluster, forced=False)


def split_oversized(
    links: object,
    themes: np.ndarray,
    fine: np.ndarray,
    respondents: np.ndarray,
    share: float,
    recluster: Callable[[np.ndarray], np.ndarray],
) -> tuple[np.ndarray, np.ndarray]:
    """Every theme holding more than `share` of the respondents split into its parts, whatever their structure.

    `split_catch_alls` splits a large theme only where its graph has clear parts; one that holds more than
    `cluster.max_share` (35%) of a question is a catch-all to a reader whatever its graph says. Such a theme is cut
    into the communities of its fine groups (greedy modularity at resolution 1), or into its fine groups when they
    form one community; a theme of one fine group is reclustered first (`recluster`, HDBSCAN's leaf selection), and
    stays whole when that finds no parts: its members say one thing ("Nothing", copies of a campaign text).
    Statements the reclustering leaves out join no finding. The largest part keeps the label, and a part still over
    the share is cut again. In the Polis conversations, where every comment is about the one topic, "Lowering taxes"
    held 49 of 91 comments in one group (its parts' modularity 0.15, under CATCHALL_MODULARITY) and "Good UBI" 29 of
    52; no theme of the survey dev sets (WWCO, NHS, rwwd, Madrid) reaches 35%. Returns (themes, fine groups).
    """
    return _split_large(links, themes, fine, respondents, share, recluster, forced=True)


def _split_large(
    links: object,
    themes: np.ndarray,
    fine: np.ndarray,
    respondents: np.ndarray,
    share: float,
    recluster: Callable[[np.ndarray], np.ndarray],
    forced: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Each theme over `share` of the respondents cut into its `_parts` (`forced`: whatever their structure).

    The first part keeps the label; new parts are checked again. Returns (themes, fine groups).
    """
    out, finer = themes.copy(), fine.copy()
    total = len(set(respondents.tolist())) or 1
    queue = sorted(set(out.tolist()) - {NOISE})
    next_theme, next_fine = max(queue, default=-1) + 1, int(finer.max(initial=-1)) + 1
    while queue:
        theme = queue.pop(0)
        members = out == theme
        if len(set(respondents[members].tolist())) <= share * total:
            continue
        parts, inside = _parts(links, members, finer, recluster, forced)
        if len(parts) < 2:
            continue
        if not np.array_equal(inside[members], finer[members]):  # reclustered: its groups are the new fine groups
            finer[members] = np.where(inside[members] == NOISE, NOISE, inside[members] + next_fine)
            next_fine = int(finer.max()) + 1
        out[members & (inside == NOISE)] = NOISE
        for part in parts[1:]:
            out[part] = next_theme
            queue.append(next_theme)
            next_theme += 1
        queue.append(theme)
    return out, finer


def _parts(
    links: object,
    members: np.ndarray,
    fine: np.ndarray,
    recluster: Callable[[np.ndarray], np.ndarray],
    forced: bool = False,
) -> tuple[list[np.ndarray], np.ndarray]:
    """A theme's parts when its graph splits with clear structure (else one part: all members), and their groups.

    The groups are the fine groups, or new ones when the theme was one fine group (NOISE outside any). `forced`
    (`split_oversized`): any split into communities counts, or each group is a part when they form one community,
    and the parts come largest first; a theme with fewer than two groups stays one part either way.
    """
    inside = np.where(members, fine, NOISE)
    if len(set(inside[members].tolist()) - {NOISE}) < 2:
        inside = recluster(members)
    local = links.multiply(members[:, None]).multiply(members[None, :]).tocsr()  # type: ignore[attr-defined]
    keys, weights = group_links(local, np.where(members, inside, NOISE))
    whole = ([np.flatnonzero(members)], inside)
    if len(keys) < 2:
        return whole
    weights = weights[: len(keys), : len(keys)]  # statements outside the theme play no part in its structure
    communities = modularity_communities(weights, 1.0, len(keys))
    if forced and len(communities) < 2:
        communities = [[node] for node in range(len(keys))]
    elif not forced and (len(communities) < 2 or partition_modularity(weights, communities) < CATCHALL_MODULARITY):
        return whole
    parts = [np.flatnonzero(members & np.isin(inside, [keys[n] for n in c])) for c in communities]
    return (sorted(parts, key=lambda part: -len(part)) if forced else parts), inside


def split_disagreeing(vectors: np.ndarray, themes: np.ndarray, fine: np.ndarray, floor: float) -> np.ndarray:
    """Themes whose fine groups say different things, split into parts whose groups agree.

    Modularity merges groups that are well linked in the neighbour graph, which is not always the same as saying
    the same thing: "Fewer events" and "Unsustainable pilot projects" both criticise activities and share
    neighbours. Here the fine groups of each theme are joined by average linkage on the cosine of their centroids
    (of the vectors clustered: with the answer context where it is on); parts that stay below `floor`
    (`cluster.subpoint_agreement`) become themes of their own, the largest part keeping the theme's label. On WWCO
    this lifted top-5 recall from 0.67 to 0.69 and flaky's from 0.36 to 0.41 (mean of 5 random 90% subsets), the
    sample and gambling unchanged.
    """
    out = themes.copy()
    fresh = int(themes.max(initial=-1)) + 1
    for theme in sorted(set(themes.tolist()) - {NOISE}):
        members = themes == theme
        groups = sorted(set(fine[members].tolist()) - {NOISE})
        if len(groups) < 2:
            continue
        rows = [members & (fine == g) for g in groups]
        parts = average_parts(np.vstack([vectors[r].mean(axis=0) for r in rows]), floor)
        sizes = Counter[int]()
        for part, r in zip(parts, rows, strict=True):
            sizes[part] += int(r.sum())
        keep = min(sizes, key=lambda p: (-sizes[p], p))
        for part in sorted(set(parts) - {keep}):
            for r in (r for q, r in zip(parts, rows, strict=True) if q == part):
                out[r] = fresh
            fresh += 1
    return out


def merge_same(
    vectors: np.ndarray,
    themes: np.ndarray,
    floor: float,
    respondents: np.ndarray | None = None,
    share: float = 1.0,
) -> np.ndarray:
    """Themes that say the same thing in other words, merged: average linkage on their centroids' cosine >= `floor`.

    Dense answers to "What did we do well?" ("Staff very friendly", "Very helpful staff", "Staff were excellent")
    form separate groups that the neighbour graph keeps apart, and fill a top 5 with one theme. Their centroids are
    nearly the same (`cluster.same_theme`, 0.8); distinct themes of the dev sets stay under 0.65 (WWCO's most similar
    pair of different gold themes: 0.62). NHS Trust C Q1: five staff-praise findings in the top 5 became two, the
    others care, nurses and the ward; NHS top-5 F1 0.224 -> 0.251, other dev sets unchanged (3 random subsets). The
    themes merged keep their fine groups as sub-points. A merge never makes a theme hold more than `share`
    (`cluster.catchall_share`) of the `respondents`: a cosine is no proof that a large theme says one thing (in
    Polis conversations of 11 to 20 authors, merges made findings of 40-64% of them); the largest themes of a part
    merge first and the others stay apart.
    """
    keys = sorted(set(themes.tolist()) - {NOISE})
    if len(keys) < 2:
        return themes
    parts = average_parts(np.vstack([vectors[themes == k].mean(axis=0) for k in keys]), floor)
    people = respondents if respondents is not None else np.arange(len(themes))
    cap = share * len(set(people.tolist()))
    who = {key: set(people[themes == key].tolist()) for key in keys}
    out = themes.copy()
    for part in sorted(set(parts)):
        members = sorted((k for k, p in zip(keys, parts, strict=True) if p == part), key=lambda k: (-len(who[k]), k))
        into, joined = members[0], set(who[members[0]])
        for key in members[1:]:
            if len(joined | who[key]) <= cap:
                joined |= who[key]
                out[themes == key] = into
    return out


def average_parts(centroids: np.ndarray, floor: float) -> list[int]:
    """Part of each centroid when they are joined by average linkage while their cosine is at least `floor`.

    A zero centroid (no direction) has cosine 0 with every other.
    """
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    norms = np.linalg.norm(centroids, axis=1, keepdims=True)
    unit = np.divide(centroids, norms, out=np.zeros_like(centroids, dtype=np.float64), where=norms > 0)
    distance = np.clip(1.0 - unit @ unit.T, 0.0, 2.0)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), "average")
    return [int(p) for p in fcluster(tree, 1.0 - floor, criterion="distance")]
