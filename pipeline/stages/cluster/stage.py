"""The cluster stage: statements + embeddings -> a theme and a fine group per statement, per open question."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.artifacts import CLUSTER_COLUMNS
from pipeline.config import CampaignsConfig, ClusterConfig
from pipeline.errors import StageError
from pipeline.stages.cluster.campaigns import NOT_CAMPAIGN, campaign_labels, min_respondents
from pipeline.stages.cluster.duplicates import campaign_keys, duplicate_keys, unify
from pipeline.stages.cluster.echoes import fold_echoes
from pipeline.stages.cluster.fragments import dissolve_fragments
from pipeline.stages.cluster.neighbours import Neighbours, nearest, smooth
from pipeline.stages.cluster.params import context_weight, graph_neighbors, resolved_params, smoothing_neighbors
from pipeline.stages.cluster.sample import SAMPLE_ABOVE, by_sample
from pipeline.stages.cluster.themes import (
    link_matrix,
    merge_groups,
    merge_same,
    split_catch_alls,
    split_disagreeing,
    split_oversized,
)
from pipeline.stages.cluster.vectors import (
    NOISE,
    assign_to_nearest,
    indexed_context,
    merge_close_clusters,
    reduce_dimensions,
)
from pipeline.stages.shared.indexed import Indexed, as_indexed
from pipeline.stages.shared.threads import with_fixed_threads

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Statements:
    """One question's statements as the cluster stage reads them (rows aligned)."""

    vectors: np.ndarray | Indexed  # unit embeddings (an `Indexed`: a row per distinct vector, an index per statement)
    texts: list[str]
    answers: list[str]  # text of the answer each statement comes from
    positions: np.ndarray  # position of the statement in its answer
    respondents: np.ndarray
    answer_ids: np.ndarray  # which answer each statement comes from (a respondent may give several: Polis)
    copies: list[str] | None = None  # key each statement's answer shares with its copies (statements' `copy_of`)


@dataclass(frozen=True)
class Grouping:
    """Labels of one question's statements: theme (the finding), fine group (its sub-point), HDBSCAN probability."""

    themes: np.ndarray
    fine: np.ndarray
    probabilities: np.ndarray
    neighbours: Neighbours | None = None
    coarse: np.ndarray | None = None  # themes merged one step further: pairs sharing one probably say the same thing
    campaigns: np.ndarray | None = None  # campaign number per statement (-1: none; `campaigns.py`)


def hdbscan_groups(points: np.ndarray, size: int, samples: int, cfg: ClusterConfig) -> tuple[np.ndarray, np.ndarray]:
    """HDBSCAN labels and membership probabilities of (reduced) points."""
    import hdbscan

    model = hdbscan.HDBSCAN(
        min_cluster_size=size,
        min_samples=samples,
        cluster_selection_method=cfg.cluster_selection_method,
        cluster_selection_epsilon=cfg.cluster_selection_epsilon,
        core_dist_n_jobs=1,
    )
    labels = np.asarray(model.fit_predict(points), dtype=np.int64)
    return labels, np.nan_to_num(np.asarray(model.probabilities_, dtype=np.float64))


def cluster_vectors(
    vectors: np.ndarray | Indexed, cfg: ClusterConfig, seed: int, respondents: np.ndarray | None = None
) -> Grouping:
    """Fine groups, then themes, of one question's (context) vectors; nothing is assigned yet.

    Above SAMPLE_ABOVE statements a seeded sample is grouped and the rest join the nearest group (`sample.py`).
    """
    found = as_indexed(vectors)
    n = len(found)
    people = respondents if respondents is not None else np.arange(n)
    if n <= SAMPLE_ABOVE:
        return _cluster_all(found.rows(), cfg, seed, people)

    def group(part: np.ndarray, settings: ClusterConfig, owners: np.ndarray) -> tuple[np.ndarray, ...]:
        found = _cluster_all(part, settings, seed, owners)
        assert found.neighbours is not None
        coarse = found.coarse if found.coarse is not None else found.themes
        return found.themes, found.fine, found.probabilities, *found.neighbours, coarse

    themes, fine, probabilities, neighbours, coarse = by_sample(found, cfg, seed, people, group)
    return Grouping(themes, fine, probabilities, neighbours, coarse)


def _cluster_all(vectors: np.ndarray, cfg: ClusterConfig, seed: int, people: np.ndarray) -> Grouping:
    """`cluster_vectors` over every statement."""
    n = len(vectors)
    size, samples = resolved_params(n, cfg)
    empty = np.full(n, NOISE, dtype=np.int64)
    unit = vectors.astype(np.float64)
    neighbours = nearest(unit, graph_neighbors(n, cfg), seed)
    if n < size + 1 or n < 4 or float(np.ptp(unit, axis=0).max(initial=0.0)) < 1e-9:  # too few, or all identical
        return Grouping(empty, empty.copy(), np.zeros(n), neighbours)
    points = reduce_dimensions(smooth(unit, neighbours, smoothing_neighbors(n, cfg), cfg.smooth_steps), cfg, seed)
    fine, probabilities = hdbscan_groups(points, size, samples, cfg)
    if cfg.merge_similarity is not None:
        fine = merge_close_clusters(unit, fine, cfg.merge_similarity)
    if cfg.theme_resolution is None:
        return Grouping(fine.copy(), fine, probabilities, neighbours, merge_groups(link_matrix(neighbours), fine, 1.0))
    links = link_matrix(neighbours)
    themes = merge_groups(links, fine, cfg.theme_resolution)

    def recluster(mask: np.ndarray) -> np.ndarray:
        leaf = cfg.model_copy(update={"cluster_selection_method": "leaf"})
        out = np.full(n, NOISE, dtype=np.int64)
        if mask.sum() > size:
            out[mask] = hdbscan_groups(points[mask], size, samples, leaf)[0]
        return out

    themes, fine = split_catch_alls(links, themes, fine, people, cfg.catchall_share, recluster)
    if cfg.subpoint_agreement is not None:
        themes = split_disagreeing(unit, themes, fine, cfg.subpoint_agreement)
    if cfg.same_theme is not None:
        themes = merge_same(unit, themes, cfg.same_theme, people, cfg.catchall_share)
    if cfg.max_share is not None:
        themes, fine = split_oversized(links, themes, fine, people, cfg.max_share, recluster)
    coarse = merge_groups(links, themes, cfg.theme_resolution / 2)
    return Grouping(themes, fine, probabilities, neighbours, coarse)


def cluster_question(
    s: Statements, noise: np.ndarray, cfg: ClusterConfig, seed: int, campaign_least: int | None = None
) -> Grouping:
    """Themes and fine groups of one question; `noise` statements (`detect.noise`) join none.

    The statements are read with their answer's context (`answer_context`), grouped (`cluster_vectors`), duplicates
    unified (`duplicates.py`), themes of fragments dissolved (`fragments.py`), and the not-grouped ones close enough
    to a theme's centroid join it. With `campaign_least` (fewest senders of a campaign; None = campaigns not set
    apart), campaign statements (`campaigns.py`) are then taken out of their themes and each campaign becomes a
    theme of its own (`_set_campaigns_apart`): the other answers are grouped exactly as they would be with
    campaigns kept in, so telling campaigns apart never regroups the rest (on WWCO, grouping without the
    coordinated block first joined "We do not think WWCO should stop any of its core activities" to answers on
    branded apps).
    """
    n = len(s.vectors)
    themes, fine, probabilities = np.full(n, NOISE, dtype=np.int64), np.full(n, NOISE, dtype=np.int64), np.zeros(n)
    coarse = np.full(n, NOISE, dtype=np.int64)
    campaigns = _campaigns(s, noise, campaign_least)
    rest = np.flatnonzero(~noise)
    size = resolved_params(n, cfg)[0]
    if rest.size:
        weight = context_weight(s.answer_ids[rest], cfg)
        context = indexed_context(as_indexed(s.vectors).subset(rest), s.answer_ids[rest], weight)
        grouping = cluster_vectors(context, cfg, seed, s.respondents[rest])
        copies = [s.copies[i] for i in rest] if s.copies is not None else None
        keys = campaign_keys(
            [s.answers[i] for i in rest], s.respondents[rest], _keys(s, rest, grouping.neighbours), size, copies
        )
        found = unify(grouping.themes, keys, s.respondents[rest], size)
        found = dissolve_fragments([s.texts[i] for i in rest], [s.answers[i] for i in rest], found)
        if cfg.echo_share is not None:
            found = fold_echoes(found, s.answer_ids[rest], s.respondents[rest], cfg.echo_share)
        if cfg.assign_unclustered:
            found = _assign_ungrouped_respondents(
                context, found, s.respondents[rest], cfg.assign_threshold, cfg.max_share
            )
        themes[rest] = found
        fine[rest] = _fine_for(context, found, grouping.fine)
        coarse[rest] = _coarse_for(found, grouping)
        probabilities[rest] = grouping.probabilities
    _set_campaigns_apart(campaigns, s.respondents, size, (themes, fine, coarse))
    _label_campaigns(campaigns, themes, fine, coarse, probabilities)
    return Grouping(themes, fine, probabilities, coarse=coarse, campaigns=campaigns)


def _campaigns(s: Statements, noise: np.ndarray, least: int | None) -> np.ndarray:
    """Campaign number of each statement that is not noise (NOT_CAMPAIGN elsewhere, and everywhere when off)."""
    if least is None:
        return np.full(len(s.vectors), NOT_CAMPAIGN, dtype=np.int64)
    return np.where(noise, NOT_CAMPAIGN, campaign_labels(s.answers, s.respondents, least, s.copies))


def _set_campaigns_apart(
    campaigns: np.ndarray, respondents: np.ndarray, size: int, labels: tuple[np.ndarray, ...]
) -> None:
    """Campaign statements leave their theme, fine and coarse groups; a theme left with one sender goes too.

    What remains of a theme is the other respondents who said what the campaign says, or near it, in their own
    words: a finding of its own even when fewer than `size` (they were grouped with the campaign's copies, and the
    analyst should see that others than the campaign made the point); a lone respondent goes back to not grouped.
    """
    inside = campaigns != NOT_CAMPAIGN
    if not inside.any():
        return
    themes = labels[0]
    touched = set(themes[inside].tolist()) - {NOISE}
    for array in labels:
        array[inside] = NOISE
    for theme in sorted(touched):
        left = themes == theme
        if len(set(respondents[left].tolist())) < min(2, size):
            for array in labels:
                array[left] = NOISE


def _label_campaigns(
    campaigns: np.ndarray, themes: np.ndarray, fine: np.ndarray, coarse: np.ndarray, probabilities: np.ndarray
) -> None:
    """Give each campaign a theme, fine group and coarse group of its own after the others (arrays filled in)."""
    inside = campaigns != NOT_CAMPAIGN
    if not inside.any():
        return
    themes[inside] = int(themes.max(initial=NOISE)) + 1 + campaigns[inside]
    fine[inside] = int(fine.max(initial=NOISE)) + 1 + campaigns[inside]
    coarse[inside] = int(coarse.max(initial=NOISE)) + 1 + campaigns[inside]
    probabilities[inside] = 1.0


def _assign_ungrouped_respondents(
    vectors: Indexed, labels: np.ndarray, respondents: np.ndarray, threshold: float, share: float | None = None
) -> np.ndarray:
    """`assign_to_nearest` for the statements of respondents none of whose statements joined a theme.

    Assignment gives a finding to a respondent who has none; it does not add the leftover sentences of respondents
    already counted. On long answers (rwwd_covid_worry: about six sentences each) assigning every leftover sentence
    doubled the largest theme from 19% to 39% of the respondents, mostly through passing mentions; answers of one
    or two sentences (the dev surveys) are unaffected. Nothing is assigned to a theme it would take past `share`
    of the respondents (`cluster.max_share`, applied to the themes just before): assignment never makes a catch-all.
    """
    grouped = set(respondents[labels != NOISE].tolist())
    alone = np.array([person not in grouped for person in respondents.tolist()], dtype=bool)
    out = np.where(alone, assign_to_nearest(vectors, labels, threshold), labels)
    if share is None:
        return out
    cap = share * len(set(respondents.tolist()))
    for theme in sorted(set(out[out != labels].tolist())):
        if len(set(respondents[out == theme].tolist())) > cap:  # assignment never makes a catch-all
            out[(out == theme) & (labels != theme)] = NOISE
    return out


def _coarse_for(themes: np.ndarray, grouping: Grouping) -> np.ndarray:
    """Coarse label of each theme after duplicates and assignment moved statements (a new theme: its own)."""
    known: dict[int, int] = {}
    if grouping.coarse is not None:
        for theme, group in zip(grouping.themes.tolist(), grouping.coarse.tolist(), strict=True):
            if theme != NOISE:
                known.setdefault(theme, group)
    fresh = max(known.values(), default=-1) + 1
    out = np.full(len(themes), NOISE, dtype=np.int64)
    for theme in sorted(set(themes.tolist()) - {NOISE}):
        if theme not in known:
            known[theme], fresh = fresh, fresh + 1
        out[themes == theme] = known[theme]
    return out


def _keys(s: Statements, rest: np.ndarray, neighbours: Neighbours | None) -> np.ndarray:
    """Duplicate keys of the statements `rest` (see `duplicates.py`)."""
    empty = Neighbours(np.zeros((len(rest), 0), dtype=np.int64), np.zeros((len(rest), 0), dtype=np.float32))
    return duplicate_keys([s.answers[i] for i in rest], s.positions[rest], neighbours or empty)


def _fine_for(vectors: Indexed, themes: np.ndarray, fine: np.ndarray) -> np.ndarray:
    """Fine group of every themed statement: its own, else (assigned or unified) the nearest one in its theme."""
    out = np.where(themes == NOISE, NOISE, fine)
    fresh = int(fine.max(initial=-1)) + 1
    for theme in sorted(set(themes.tolist()) - {NOISE}):
        members = themes == theme
        groups = sorted(set(out[members].tolist()) - {NOISE})
        lost = np.flatnonzero(members & (out == NOISE))
        if not groups:  # a theme of unified duplicates: one fine group of its own
            out[members] = fresh
            fresh += 1
        elif lost.size:
            cents = np.vstack([vectors.mean(members & (out == g)) for g in groups])
            out[lost] = np.array(groups)[np.argmax(vectors.times(cents.T, lost), axis=1)]
    return out


@with_fixed_threads
def run_cluster(
    statements: pd.DataFrame,
    vectors: Mapping[str, np.ndarray | Indexed],
    cluster_for: Callable[[str], ClusterConfig],
    seed: int,
    campaigns: CampaignsConfig | None = None,
) -> pd.DataFrame:
    """Cluster every open question's statements, with one BLAS/OpenMP thread whatever the process set.

    The thread count changes float sums, and HDBSCAN breaks its ties by their last bits: 34% of the labels of a
    150-answer question changed between 1 and 2 threads before this was fixed (`shared.threads`).

    Args:
        statements: embed output (`statement_id, respondent_id, question_id, answer_text, text, position`), rows
            aligned with each question's vectors.
        vectors: question id -> embeddings (rows in statements order; an `Indexed`: a row per distinct vector).
        cluster_for: a question's cluster settings (overrides applied).
        seed: the run seed (reduction).
        campaigns: campaign settings; None or `separate: false` = campaigns are grouped like other answers.

    Returns:
        `statement_id, question_id, cluster, subcluster, group, probability, campaign`, one row per statement, in
        statements order: `cluster` is the theme (the finding; -1 = not grouped), `subcluster` the fine group within
        it (its sub-point), `group` the themes merged one step further (findings sharing one are suggested merges),
        `campaign` the statement's campaign number in its question (-1: none; a campaign is one theme).
    """
    frames: list[pd.DataFrame] = []
    for qid, group in statements.groupby("question_id", sort=False):
        matrix = as_indexed(vectors[str(qid)])
        if len(matrix) != len(group):
            raise StageError(
                f"Question {qid}: {len(group)} statements but {len(matrix)} vectors; rerun `consolidate embed`."
            )
        cfg = cluster_for(str(qid))
        texts = group["text"].astype(str).tolist()
        answers = group["answer_text"].astype(str).tolist() if "answer_text" in group else texts
        positions = group["position"].to_numpy() if "position" in group else np.ones(len(group), dtype=np.int64)
        people = group["respondent_id"].astype(str)
        rows = group["source_row"].astype(str) if "source_row" in group else pd.Series("", index=group.index)
        answer_ids = (people + "\x1f" + rows).to_numpy()
        copies = group["copy_of"].astype(str).tolist() if "copy_of" in group else None
        s = Statements(matrix, texts, answers, positions, people.to_numpy(), answer_ids, copies)
        noise = group["noise"].astype(str).to_numpy() != "" if "noise" in group else np.zeros(len(group), dtype=bool)
        least = (
            min_respondents(people.nunique(), campaigns.min_respondents) if campaigns and campaigns.separate else None
        )
        found = cluster_question(s, noise, cfg, seed, least)
        frames.append(
            pd.DataFrame(
                {
                    "statement_id": group["statement_id"].to_numpy(),
                    "question_id": str(qid),
                    "cluster": found.themes,
                    "subcluster": found.fine,
                    "group": found.coarse if found.coarse is not None else found.themes,
                    "probability": found.probabilities.round(6),
                    "campaign": found.campaigns if found.campaigns is not None else NOT_CAMPAIGN,
                }
            )
        )
        log.info("%s: %d statements, %d themes", qid, len(group), len(set(found.themes.tolist()) - {NOISE}))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=CLUSTER_COLUMNS)
