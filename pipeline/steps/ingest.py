"""Ingest step: read the export named in the config, run the pure ingest stage, write its tables."""

from __future__ import annotations

from pipeline.artifacts import RunPaths, write_csv, write_table
from pipeline.config import PipelineConfig
from pipeline.languages import question_languages
from pipeline.readers import read_export
from pipeline.runner import StageReport
from pipeline.stages.ingest import run_ingest


def step(cfg: PipelineConfig, paths: RunPaths) -> StageReport:
    """Read `input.path`, write respondents/questions/answers (parquet), counts.csv and issues.csv.

    Args:
        cfg: The pipeline config.
        paths: File names of the run folder.

    Returns:
        Facts for the manifest (format, respondents, questions, languages of each open question's answers) and
        the number of issue rows.
    """
    raw = read_export(cfg.resolve(cfg.input.path), cfg.input)
    result = run_ingest(raw, cfg)
    write_table(paths.respondents, result.respondents)
    write_table(paths.questions, result.questions)
    write_table(paths.answers, result.answers)
    write_table(paths.votes, result.votes)
    write_csv(paths.counts, result.counts)
    write_csv(paths.issues("ingest"), result.issues)
    facts = {
        "format": raw.format,
        "respondents": len(result.respondents),
        "questions": len(result.questions),
        "answers": len(result.answers),
        "sheet": raw.sheet,
        "encoding": raw.encoding,
        "masked": result.masked,
        "encoding_confidence": raw.encoding_confidence,
        "encoding_note": raw.encoding_note,
        "warnings": list(result.warnings),
        "languages": question_languages(result.answers),
    }
    if not result.votes.empty:
        overall = result.votes[result.votes["group"] == ""]
        facts["votes"] = int(overall[["agrees", "disagrees", "passes"]].sum().sum())  # unknown passes: not counted
    return StageReport(facts=facts, unusable=len(result.issues))
