"""Findings step: statements + clusters + vectors -> findings.json (one QuestionDraft per open question)."""

from __future__ import annotations

from pipeline.artifacts import RunPaths, read_array, read_table, write_json
from pipeline.config import PipelineConfig
from pipeline.runner import StageReport
from pipeline.stages.embed import open_question_ids
from pipeline.stages.findings import run_findings


def step(cfg: PipelineConfig, paths: RunPaths) -> StageReport:
    """Rank clusters and describe the findings of every open question."""
    questions = read_table(paths.questions)
    qids = open_question_ids(questions)
    vectors = {q: read_array(paths.vectors(q)) for q in qids if paths.vectors(q).is_file()}
    drafts = run_findings(
        questions,
        read_table(paths.answers),
        read_table(paths.statements),
        read_table(paths.clusters),
        vectors,
        lambda q: cfg.for_question(q, "findings"),
    )
    write_json(paths.findings, {q: d.model_dump(mode="json") for q, d in drafts.items()})
    facts = {q: {"findings": len(d.findings), "not_grouped": d.not_grouped} for q, d in drafts.items()}
    return StageReport(facts={"questions": facts})
