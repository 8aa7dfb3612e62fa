"""File adapter of the closed stage: ingest tables -> closed.json, tables/*.csv, charts/*.png|svg, issues.csv."""

from __future__ import annotations

from pathlib import Path

from pipeline.artifacts import RunPaths, read_table, write_atomic, write_csv, write_json
from pipeline.config import PipelineConfig
from pipeline.messages import Messages
from pipeline.runner import StageReport
from pipeline.stages.closed import (
    ClosedResult,
    agree_mismatches,
    closed_to_dict,
    option_table,
    render_charts,
    run_closed,
    summary_table,
)
from pipeline.stages.shared.mismatch import settle


def step(cfg: PipelineConfig, paths: RunPaths) -> StageReport:
    """Compute closed-question statistics and charts for the run in `paths`."""
    result = run_closed(read_table(paths.questions), read_table(paths.answers), read_table(paths.respondents), cfg)
    warnings = settle(agree_mismatches(result, cfg), cfg)
    write_json(paths.closed, closed_to_dict(result))
    tables = paths.stage_dir("closed") / "tables"
    written = _write_tables(tables, result)
    _remove_stale(tables, written, ("*.csv",))
    charts = render_charts(result, report_messages(cfg))
    for name, data in charts.items():
        write_atomic(paths.charts / name, data)
    _remove_stale(paths.charts, set(charts), ("*.png", "*.svg"))
    write_csv(paths.issues("closed"), result.issues)
    return StageReport(
        facts={
            "questions": len(result.questions),
            "charts": len(result.groups),
            "respondents": result.respondents,
            "warnings": warnings,
        },
        unusable=len(result.issues),
    )


def report_messages(cfg: PipelineConfig) -> Messages:
    """The report's language (`report.language`, `report.catalogues`): the charts' words match the report's."""
    return Messages(cfg.report.language, cfg.resolve(cfg.report.catalogues) if cfg.report.catalogues else None)


def _write_tables(folder: Path, result: ClosedResult) -> set[str]:
    """summary.csv, one `<question>.csv` per question and `<question>_by_<attribute>.csv` per breakdown."""
    files = {"summary.csv": summary_table(result)}
    for stats in result.questions:
        files[f"{stats.question_id}.csv"] = option_table(stats)
    for (qid, attribute), frame in result.breakdowns.groupby(["question_id", "attribute"], sort=False):
        files[f"{qid}_by_{attribute}.csv"] = frame.drop(columns=["question_id", "attribute"])
    for name, frame in files.items():
        write_csv(folder / name, frame)
    return set(files)


def _remove_stale(folder: Path, keep: set[str], patterns: tuple[str, ...]) -> None:
    """Delete files of an earlier run that this run did not write (e.g. a question removed from the config)."""
    for pattern in patterns:
        for path in folder.glob(pattern):
            if path.name not in keep:
                path.unlink()
