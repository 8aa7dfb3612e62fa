"""Try a small grid of clustering settings on one open question and summarise what each would report.

Reads the statements and vectors of the embed stage (so nothing is embedded again) and, for every setting,
clusters and builds the findings exactly as `consolidate run` would. The grid varies `min_cluster_size` around
its current (resolved) value and tries both `cluster_selection_method`s; every other setting stays as
configured.

Stability of a setting: the statements are clustered again on STABILITY_DRAWS seeded random subsets of
STABILITY_SHARE of them, with the setting's `auto` values fixed at what they are for all statements, and each
result is compared with the full clustering on the same statements by the adjusted Rand index ("not grouped"
counts as one group); the mean is reported. 1 means the same groups come back whatever subset answered; values
near 0 mean the groups depend on who happened to answer. A setting that returns one or two big groups is often
very stable, so read it with the number of findings and their titles. Below 4 statements it is not computed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pandas as pd

from pipeline.artifacts import RunPaths, read_table
from pipeline.config import CampaignsConfig, ClusterConfig, FindingsConfig, PipelineConfig
from pipeline.errors import StageError
from pipeline.stages.cluster import resolved_components, resolved_params, run_cluster, smoothing_neighbors
from pipeline.stages.findings import run_findings
from pipeline.stages.shared.phrases import PhraseVectors
from pipeline.steps.findings import phrase_vectors
from pipeline.steps.vectors import question_vectors

SIZE_FACTORS = (0.5, 0.75, 1.0, 1.5, 2.0)
STABILITY_DRAWS = 3
STABILITY_SHARE = 0.8
T = TypeVar("T")


@dataclass(frozen=True)
class TuneRow:
    """What one clustering setting would report for a question."""

    setting: str
    current: bool
    findings: int  # campaigns set apart are not counted here
    coverage: float
    stability: float
    cohesion: float
    titles: list[str]
    campaigns: int = 0  # campaigns set apart (`campaigns.separate`)


def cluster_grid(base: ClusterConfig, n: int) -> list[ClusterConfig]:
    """Settings around `base` for n statements: min_cluster_size x SIZE_FACTORS, both selection methods."""
    size, _ = resolved_params(n, base)
    sizes = sorted({max(2, round(size * f)) for f in SIZE_FACTORS})
    methods = [base.cluster_selection_method, "eom" if base.cluster_selection_method == "leaf" else "leaf"]
    return [
        base.model_copy(update={"min_cluster_size": s, "cluster_selection_method": m}) for m in methods for s in sizes
    ]


def describe(cfg: ClusterConfig, n: int) -> str:
    """Short label of a setting, e.g. `leaf size=16 samples=5`."""
    size, samples = resolved_params(n, cfg)
    return f"{cfg.cluster_selection_method} size={size} samples={samples}"


def _always(value: T) -> Callable[[str], T]:
    return lambda _question: value


def resolved_setting(setting: ClusterConfig, n: int) -> ClusterConfig:
    """The setting with its `auto` values worked out for n statements, so that subsets are clustered alike."""
    size, samples = resolved_params(n, setting)
    return setting.model_copy(
        update={
            "min_cluster_size": size,
            "min_samples": samples,
            "n_components": resolved_components(n, setting),
            "smooth_neighbors": smoothing_neighbors(n, setting),
        }
    )


def stability(
    statements: pd.DataFrame,
    vectors: np.ndarray,
    setting: ClusterConfig,
    labels: np.ndarray,
    seed: int,
    campaigns: CampaignsConfig | None = None,
) -> float:
    """Mean adjusted Rand index between `labels` and the clustering of seeded random subsets (module docstring)."""
    from sklearn.metrics import adjusted_rand_score

    n = len(statements)
    if n < 4:  # too few statements to draw different subsets
        return float("nan")
    qid = str(statements["question_id"].iloc[0])
    fixed = resolved_setting(setting, n)
    rng = np.random.default_rng(seed)
    scores: list[float] = []
    for _ in range(STABILITY_DRAWS):
        keep = np.sort(rng.choice(n, size=round(STABILITY_SHARE * n), replace=False))
        subset = statements.iloc[keep].reset_index(drop=True)
        again = run_cluster(subset, {qid: vectors[keep]}, _always(fixed), seed, campaigns)["cluster"].to_numpy()
        scores.append(float(adjusted_rand_score(labels[keep], again)))
    return float(np.mean(scores))


def tune_question(
    tables: dict[str, pd.DataFrame],
    vectors: np.ndarray,
    settings: list[ClusterConfig],
    findings_cfg: FindingsConfig,
    seed: int,
    with_stability: bool = True,
    campaigns: CampaignsConfig | None = None,
    phrases: PhraseVectors | None = None,
    report_language: str | None = None,
) -> list[TuneRow]:
    """Cluster one question with each setting and summarise its findings.

    Args:
        tables: `questions`, `answers` (ingest) and `statements` (embed) of one question only.
        vectors: the question's statement vectors, rows aligned with `statements`.
        settings: cluster settings to try; the first one is marked as current.
        findings_cfg: the question's findings settings.
        seed: the run seed.
        with_stability: recluster subsets for the stability column (4x the clustering time); else it is NaN.
        campaigns: the run's campaign settings (None: campaigns not set apart); as in `run`, a campaign is no
            finding of the setting's count and no top title.
        phrases: the question's embedded candidate phrases (`03_embed`), which titles are ranked by in `run`.
        report_language: the report's language, which a finding's title is taken in where its members write it.

    Returns:
        One row per setting: findings count, share of respondents grouped, stability, mean cohesion and the titles
        of the top findings.
    """
    statements = tables["statements"]
    qid = str(statements["question_id"].iloc[0])
    rows: list[TuneRow] = []
    for index, setting in enumerate(settings):
        clusters = run_cluster(statements, {qid: vectors}, _always(setting), seed, campaigns)
        draft = run_findings(
            tables["questions"],
            tables["answers"],
            statements,
            clusters,
            {qid: vectors},
            _always(findings_cfg),
            {qid: phrases} if phrases is not None else None,
            report_language,
        )[qid]
        top = draft.top
        rows.append(
            TuneRow(
                setting=describe(setting, len(statements)),
                current=index == 0,
                findings=len(draft.findings) - len(draft.campaigns),
                campaigns=len(draft.campaigns),
                coverage=1.0 - draft.not_grouped / draft.answered if draft.answered else 0.0,
                stability=(
                    stability(statements, vectors, setting, clusters["cluster"].to_numpy(), seed, campaigns)
                    if with_stability
                    else float("nan")
                ),
                cohesion=float(np.mean([f.cohesion for f in top])) if top else 0.0,
                titles=[f.title for f in top],
            )
        )
    return rows


def tune(cfg: PipelineConfig, question_id: str, with_stability: bool = True) -> list[TuneRow]:
    """Tune the clustering of one question of a run whose embed stage is done."""
    paths = RunPaths(cfg.run_dir)
    if not paths.statements.is_file():
        raise StageError(f"No statements in {cfg.run_dir}; run `consolidate embed CONFIG` first, then tune.")
    statements = read_table(paths.statements)
    statements = statements[statements["question_id"] == question_id].reset_index(drop=True)
    if statements.empty:
        known = sorted(set(read_table(paths.statements)["question_id"].astype(str)))
        raise StageError(f"Question {question_id!r} has no statements; open questions with answers: {known}.")
    questions = read_table(paths.questions)
    answers = read_table(paths.answers)
    tables = {
        "questions": questions[questions["question_id"] == question_id],
        "answers": answers[answers["question_id"] == question_id],
        "statements": statements,
    }
    base = cfg.for_question(question_id, "cluster")
    findings_cfg = cfg.for_question(question_id, "findings")
    settings = cluster_grid(base, len(statements))
    settings = [base, *(s for s in settings if describe(s, len(statements)) != describe(base, len(statements)))]
    vectors = question_vectors(paths, statements, question_id).rows()
    phrases = phrase_vectors(paths, [question_id]).get(question_id)
    return tune_question(
        tables,
        vectors,
        settings,
        findings_cfg,
        cfg.run.seed,
        with_stability,
        cfg.campaigns,
        phrases,
        cfg.report.language,
    )


def format_rows(rows: list[TuneRow]) -> list[str]:
    """Human-readable lines, one block per setting."""
    lines: list[str] = []
    for row in rows:
        mark = " (current)" if row.current else ""
        lines.append(
            f"{row.setting}{mark}: {row.findings} findings, "
            + (f"{row.campaigns} campaign(s) apart, " if row.campaigns else "")
            + f"coverage {row.coverage:.0%}, "
            + ("" if math.isnan(row.stability) else f"stability {row.stability:.2f}, ")
            + f"cohesion {row.cohesion:.3f}"
        )
        lines.extend(f"    {i}. {title}" for i, title in enumerate(row.titles, start=1))
    return lines
