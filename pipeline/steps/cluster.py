"""Cluster step: statements + vectors -> clusters.parquet."""

from __future__ import annotations

from pipeline.artifacts import RunPaths, read_table, write_table
from pipeline.config import PipelineConfig
from pipeline.engine import engine_for
from pipeline.runner import StageReport
from pipeline.stages.cluster import NOISE, run_cluster
from pipeline.stages.shared.tasks import tasks_on
from pipeline.steps.vectors import question_vectors


def step(cfg: PipelineConfig, paths: RunPaths) -> StageReport:
    """Cluster each open question's statements."""
    statements = read_table(paths.statements)
    qids = [str(q) for q in dict.fromkeys(statements["question_id"])]
    vectors = {q: question_vectors(paths, statements, q) for q in qids}
    engine = engine_for(cfg.run)
    with tasks_on(engine.mapper("Assigning") if engine is not None else None):
        clusters = run_cluster(
            statements, vectors, lambda q: cfg.for_question(q, "cluster"), cfg.run.seed, cfg.campaigns
        )
    write_table(paths.clusters, clusters)
    per_question = {
        q: {
            "clusters": int(g.loc[g["cluster"] != NOISE, "cluster"].nunique()),
            "not_grouped": int((g["cluster"] == NOISE).sum()),
            "campaigns": int(g.loc[g["campaign"] != NOISE, "campaign"].nunique()),
        }
        for q, g in clusters.groupby("question_id", sort=False)
    }
    return StageReport(facts={"questions": per_question})
