"""Findings step: statements + clusters + vectors -> findings.json (a QuestionDraft per question), breakdowns.csv.

breakdowns.csv: who said each generated finding, respondents per group of each respondent attribute; campaigns.csv:
one row per campaign (`pipeline.stages.findings.campaign_table`). With `writer.backend: openai` the top findings'
titles and sentences are then written by a language model (`pipeline.steps.writer`; its replies are cached in
`05_findings/writer_cache/`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.artifacts import RunPaths, read_array, read_table, write_csv, write_json
from pipeline.config import PipelineConfig
from pipeline.runner import StageReport
from pipeline.stages.embed import open_question_ids
from pipeline.stages.findings import PhraseVectors, campaign_table, run_findings
from pipeline.stages.shared.indexed import Indexed
from pipeline.stages.shared.sidecar import QuestionDraft
from pipeline.steps.vectors import question_vectors
from pipeline.steps.who import read_who
from pipeline.steps.writer import WriterPlan, plan, write_findings, writer_requests


def phrase_vectors(paths: RunPaths, qids: list[str]) -> dict[str, PhraseVectors]:
    """The embedded title candidates of each question that has them."""
    if not paths.phrases.is_file():
        return {}
    phrases = read_table(paths.phrases)
    out: dict[str, PhraseVectors] = {}
    for qid in qids:
        if paths.phrase_vectors(qid).is_file():
            texts = phrases.loc[phrases["question_id"] == qid, "text"].astype(str).tolist()
            out[qid] = PhraseVectors(texts, read_array(paths.phrase_vectors(qid)).astype(np.float64))
    return out


def generate(
    cfg: PipelineConfig, paths: RunPaths, statements: pd.DataFrame
) -> tuple[dict[str, QuestionDraft], dict[str, Indexed]]:
    """The findings of every open question as the extractive writer words them, and the vectors they came from."""
    questions = read_table(paths.questions)
    qids = open_question_ids(questions)
    vectors = {q: question_vectors(paths, statements, q) for q in qids if paths.vectors(q).is_file()}
    drafts = run_findings(
        questions,
        read_table(paths.answers),
        statements,
        read_table(paths.clusters),
        vectors,
        lambda q: cfg.for_question(q, "findings"),
        phrase_vectors(paths, qids),
        cfg.report.language,
    )
    return drafts, vectors


def step(cfg: PipelineConfig, paths: RunPaths) -> StageReport:
    """Rank clusters and describe the findings of every open question (by a language model where configured)."""
    statements = read_table(paths.statements)
    drafts, vectors = generate(cfg, paths, statements)
    extra: dict[str, object] = {}
    if cfg.writer.backend == "openai":
        drafts, extra = write_findings(cfg, paths, drafts, statements, vectors)
    write_json(paths.findings, {q: d.model_dump(mode="json") for q, d in drafts.items()})
    write_csv(paths.campaigns, campaign_table(list(drafts.values()), statements))
    write_csv(paths.breakdowns, read_who(cfg, paths).table(list(drafts.values())))
    facts = {
        q: {"findings": len(d.findings), "not_grouped": d.not_grouped, "campaigns": len(d.campaigns)}
        for q, d in drafts.items()
    }
    return StageReport(facts={"questions": facts, **extra})


def writer_plan(cfg: PipelineConfig, paths: RunPaths) -> WriterPlan:
    """What the writer would send for this run (after the cluster stage), replies already cached left out."""
    statements = read_table(paths.statements)
    drafts, vectors = generate(cfg, paths, statements)
    return plan(cfg, paths, writer_requests(cfg, drafts, statements, vectors))
