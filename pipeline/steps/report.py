"""File adapter of the report stage: closed.json, charts, drafts (review copy first), counts -> 07_report/.

A pdf in `report.formats` is printed from the stage's HTML page by Chromium (`pipeline.steps.pdf`).
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline import __version__
from pipeline.artifacts import RunPaths, read_json, read_table, review_copy, write_atomic
from pipeline.config import PipelineConfig
from pipeline.config.report_language import PACKAGE_CATALOGUES, SOURCE_LANGUAGE, catalogue_file
from pipeline.runner import StageReport, input_checksum, stage_warnings
from pipeline.stages.closed import ClosedResult, closed_from_dict
from pipeline.stages.findings import QuestionVotes, question_votes
from pipeline.stages.report import PRINT_PAGE, ChartImages, LoadedDraft, ReportInputs, run_report
from pipeline.steps.pdf import REPRODUCIBLE, find_chromium, pdf_printer, print_pdf
from pipeline.steps.review import read_draft
from pipeline.steps.who import read_who

log = logging.getLogger(__name__)


def step(cfg: PipelineConfig, paths: RunPaths) -> StageReport:
    """Write report.md / .html / .docx / .pdf (as configured) for the run in `paths`.

    Chromium is looked for first, so a missing one stops the stage before anything is written.
    """
    formats = list(dict.fromkeys(cfg.report.formats))
    chromium = find_chromium() if "pdf" in formats else None
    inputs = read_inputs(cfg, paths)
    outputs = run_report(inputs, cfg)
    facts: dict[str, Any] = {}
    if chromium is not None:
        outputs["pdf"] = print_pdf(outputs.pop(PRINT_PAGE), chromium)
        facts["pdf"] = {"printer": pdf_printer(outputs["pdf"]), "reproducible": REPRODUCIBLE}
    for ext in formats:
        write_atomic(paths.report(ext), outputs[ext])
    open_ids = inputs.questions.loc[inputs.questions["kind"] == "open", "question_id"].astype(str)
    missing = sorted(set(open_ids) - set(inputs.drafts))
    if missing:
        log.warning("report: no findings draft for %s; the report says so", ", ".join(missing))
    facts["language"] = language_facts(cfg)
    return StageReport(facts={"formats": sorted(formats), "drafts_missing": missing, **facts})


def language_facts(cfg: PipelineConfig) -> dict[str, Any]:
    """The report's language and the catalogue its words came from (file and SHA-256; none for English)."""
    extra = cfg.resolve(cfg.report.catalogues) if cfg.report.catalogues else None
    path = catalogue_file(cfg.report.language, extra) if cfg.report.language != SOURCE_LANGUAGE else None
    if path is None:
        return {"language": cfg.report.language, "catalogue": None}
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    shown = path.relative_to(PACKAGE_CATALOGUES.parent) if path.is_relative_to(PACKAGE_CATALOGUES) else path
    return {"language": cfg.report.language, "catalogue": shown.as_posix(), "sha256": digest}


def read_inputs(cfg: PipelineConfig, paths: RunPaths) -> ReportInputs:
    """Read every artifact the report is built from; optional ones (counts, manifest, stamps) may be absent."""
    questions = read_table(paths.questions)
    closed = closed_from_dict(read_json(paths.closed))
    open_ids = [str(q) for q in questions.loc[questions["kind"] == "open", "question_id"]]
    drafts = {qid: d for qid in open_ids if (d := load_draft(cfg, paths, qid)) is not None}
    stamps = {stage: _optional_json(paths.stage_stamp(stage)) for stage in ("ingest", "closed", "embed", "draft")}
    who = read_who(cfg, paths)
    return ReportInputs(
        questions=questions,
        closed=closed,
        drafts=drafts,
        charts=read_charts(paths, closed),
        counts=pd.read_csv(paths.counts, dtype={"question_id": str, "kind": str}) if paths.counts.is_file() else None,
        embed_facts=stamps["embed"].get("facts", {}),
        languages=stamps["ingest"].get("facts", {}).get("languages", {}),
        unusable=int(stamps["ingest"].get("unusable", 0) or 0),
        manifest=_manifest(cfg, paths),
        votes=read_votes(paths),
        who={qid: who.said(loaded.draft) for qid, loaded in drafts.items()},
        warnings=tuple(w for stage in ("ingest", "closed", "draft") for w in stage_warnings(stamps[stage])),
    )


def read_votes(paths: RunPaths) -> dict[str, QuestionVotes]:
    """Polis votes per open question (empty for other exports, or before ingest and embed wrote their tables)."""
    if not paths.votes.is_file() or not paths.statements.is_file():
        return {}
    votes = read_table(paths.votes)
    return dict(question_votes(read_table(paths.statements), votes)) if not votes.empty else {}


def load_draft(cfg: PipelineConfig, paths: RunPaths, question_id: str) -> LoadedDraft | None:
    """The reviewer's copy when it exists, else the generated sidecar, else None.

    The draft stage keeps the review copy reconciled with the latest findings, so it is the source of truth.
    """
    review = review_copy(cfg, question_id)
    if review.is_file():
        return LoadedDraft(read_draft(review), "review")
    generated = paths.draft_yaml(question_id)
    return LoadedDraft(read_draft(generated), "generated") if generated.is_file() else None


def read_charts(paths: RunPaths, closed: ClosedResult) -> dict[str, ChartImages]:
    """PNG (and SVG when present) of every chart group; groups without a PNG are left out."""
    charts: dict[str, ChartImages] = {}
    for group in closed.groups:
        png, svg = paths.charts / f"{group.chart_id}.png", paths.charts / f"{group.chart_id}.svg"
        if png.is_file():
            charts[group.chart_id] = (png.read_bytes(), svg.read_bytes() if svg.is_file() else None)
    return charts


def _optional_json(path: Path) -> dict[str, Any]:
    data = read_json(path) if path.is_file() else {}
    return data if isinstance(data, dict) else {}


def _manifest(cfg: PipelineConfig, paths: RunPaths) -> dict[str, Any]:
    """Provenance for the Method section: the input checksum (computed now, else the last manifest's) and version.

    Both are taken so that a first run and its rerun state the same facts (byte-identical reports).
    """
    manifest = _optional_json(paths.manifest)
    recorded = manifest.get("input", {}).get("sha256") if isinstance(manifest.get("input"), dict) else None
    sha = input_checksum(cfg) or recorded
    return {"input": {"sha256": sha}, "consolidate": __version__}
