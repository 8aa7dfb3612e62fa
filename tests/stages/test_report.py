"""Report stage: document model, Markdown/HTML/Word renderers, golden files, escaping, determinism."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import asdict
from pathlib import Path
from typing import Any

import docx
import pytest

from pipeline import __version__
from pipeline.artifacts import RunPaths, write_json
from pipeline.config import PipelineConfig
from pipeline.stages.closed import run_closed
from pipeline.stages.closed.charts import chart_data, render_chart
from pipeline.stages.report.build import ReportInputs, build_document
from pipeline.stages.report.model import DRAFT_MARK
from pipeline.stages.report.open_sections import LoadedDraft
from pipeline.stages.report.to_html import render_html
from pipeline.stages.report.to_markdown import render_section
from pipeline.steps import closed as closed_step
from pipeline.steps import report as report_step
from pipeline.steps.review import write_draft
from tests.stages.survey import (
    make_config,
    make_draft,
    survey_answers,
    survey_questions,
    survey_respondents,
    write_ingest,
)

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"
CHROMIUM = Path("/usr/bin/chromium")


def _config(root: Path, **report: Any) -> PipelineConfig:
    return make_config(root, closed={"breakdowns": ["rtype"]}, report={"title": "Consultation results", **report})


@pytest.fixture(scope="module")
def closed_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run folder with ingest tables and closed outputs (charts drawn once per module)."""
    root = tmp_path_factory.mktemp("closed_run")
    cfg = _config(root)
    paths = RunPaths(cfg.run_dir)
    write_ingest(paths, survey_questions(), survey_answers(), survey_respondents())
    closed_step.step(cfg, paths)
    return root


@pytest.fixture
def run(closed_run: Path, tmp_path: Path) -> tuple[PipelineConfig, RunPaths]:
    """A private copy of the closed run, with the generated draft of the open question."""
    shutil.copytree(closed_run / "outputs", tmp_path / "outputs")
    cfg = _config(tmp_path)
    paths = RunPaths(cfg.run_dir)
    write_draft(paths.draft_yaml("q_strength"), make_draft())
    return cfg, paths


def _report(cfg: PipelineConfig, paths: RunPaths) -> tuple[str, str, bytes]:
    report_step.step(cfg, paths)
    md = paths.report("md").read_text(encoding="utf-8")
    html = paths.report("html").read_text(encoding="utf-8")
    return md, html, paths.report("docx").read_bytes()


def _golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE or not path.exists():
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"{name} changed; rerun with UPDATE_GOLDEN=1 if intended"


def test_golden_chart_data(tmp_path: Path) -> None:
    result = run_closed(survey_questions(), survey_answers(), survey_respondents(), make_config(tmp_path))
    group = next(g for g in result.groups if g.kind == "likert")
    data = chart_data(group, [result.question(q) for q in group.question_ids])
    _golden("closed_chart_sp_a.json", json.dumps(asdict(data), indent=2, ensure_ascii=False) + "\n")


def test_golden_report_sections(tmp_path: Path) -> None:
    cfg = make_config(tmp_path)
    result = run_closed(survey_questions(), survey_answers(), survey_respondents(), cfg)
    inputs = ReportInputs(
        questions=survey_questions(),
        closed=result,
        charts={"sp_a": (b"png", None)},
        drafts={"q_strength": LoadedDraft(make_draft(), "review")},
    )
    doc = build_document(inputs, cfg)
    wanted = [s for s in doc.sections if s.anchor in ("q-sp_a", "q-q_strength")]
    _golden("report_sections.md", "\n".join(line for s in wanted for line in render_section(s)))


def test_docx_has_every_heading_and_a_picture_per_chart(run: tuple[PipelineConfig, RunPaths]) -> None:
    cfg, paths = run
    _report(cfg, paths)
    word = docx.Document(str(paths.report("docx")))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    expected = [
        "Consultation results",
        "Purpose",
        "Responses",
        "Results",
        "How familiar are you with the current strategic plan?",
        "The ITU strategic plan can benefit from...",
        "How do you follow ITU's work?",
        "Would you recommend the consultation?",
        "What is the main strength of the ITU? (Top 2 findings)",
        "Method",
        "Annex: answers per question",
        "Annex: provenance",
    ]
    assert headings == expected
    assert len(word.inline_shapes) == 4
    assert word.core_properties.title == "Consultation results"
    bullets = [p for p in word.paragraphs if p.style.name == "List Bullet" and p.runs and p.runs[0].bold]
    assert [p.runs[0].text for p in bullets] == ["Global collaboration:", "Neutral platform:"]


def test_html_and_markdown_escape_answer_text(run: tuple[PipelineConfig, RunPaths]) -> None:
    cfg, paths = run
    cfg = _config(cfg.base_dir, title=f"Report {XSS_SCRIPT}")
    write_draft(paths.draft_yaml("q_strength"), make_draft(title=XSS_IMG, summary=f"{XSS_SCRIPT} & more"))
    md, html, _ = _report(cfg, paths)
    for raw in (XSS_SCRIPT, XSS_IMG, "onerror=alert(1)>"):
        assert raw not in html
        assert raw not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert "&lt;img src=x onerror=alert(1)&gt;:</strong>" in html
    assert "<title>Report &lt;script&gt;" in html
    assert "<script" not in html.lower()
    assert "default-src 'none'" in html
    assert "**\\<img src=x onerror=alert(1)\\>:**" in md


def test_html_escapes_closed_question_text_and_options(tmp_path: Path) -> None:
    questions = survey_questions()
    questions.loc[questions["question_id"] == "fam", "text"] = f"Familiar? {XSS_SCRIPT}"
    answers = survey_answers()
    answers.loc[answers["value"] == "Not familiar", "value"] = XSS_IMG
    cfg = make_config(tmp_path)
    result = run_closed(questions, answers, survey_respondents(), cfg)
    charts = {"fam": (render_chart(chart_data(result.groups[0], [result.question("fam")]), "png"), None)}
    html = render_html(build_document(ReportInputs(questions=questions, closed=result, charts=charts), cfg))
    assert XSS_SCRIPT not in html and XSS_IMG not in html
    assert "Familiar? &lt;script&gt;alert(1)&lt;/script&gt;</h3>" in html
    assert "<td>&lt;img src=x onerror=alert(1)&gt;</td>" in html
    assert 'alt="Bar chart: Familiar? &lt;script&gt;' in html


def test_rejected_findings_left_out_and_drafts_marked(run: tuple[PipelineConfig, RunPaths]) -> None:
    md, html, _ = _report(*run)
    assert "### What is the main strength of the ITU? (Top 2 findings)" in md
    assert "- **Global collaboration:** Members value bringing everyone together. — 3 respondents (42.9%)\n" in md
    assert f"- **Neutral platform:** An unbiased forum for standards. — 2 respondents (28.6%) *{DRAFT_MARK}*" in md
    for hidden in ("Rejected idea", "Beyond the top"):
        assert hidden not in md and hidden not in html


def test_review_copy_wins_over_generated_draft(run: tuple[PipelineConfig, RunPaths]) -> None:
    cfg, paths = run
    review = cfg.resolve(cfg.review.dir) / cfg.run_name / "q_strength.yaml"
    write_draft(review, make_draft(title="Reviewed title"))
    md, _, _ = _report(cfg, paths)
    assert "**Reviewed title:**" in md and "Global collaboration" not in md
    assert "findings drafts exist for 1 (1 read from the review folder)" in md


def test_missing_draft_is_said_plainly(run: tuple[PipelineConfig, RunPaths]) -> None:
    cfg, paths = run
    paths.draft_yaml("q_strength").unlink()
    md, _, _ = _report(cfg, paths)
    assert "### What is the main strength of the ITU?\n\nNo findings draft exists for this question yet" in md
    assert "| What is the main strength of the ITU? | open | 7 | 1 | 2 | no draft | – | q_strength |" in md


def test_method_states_model_checksum_and_settings(run: tuple[PipelineConfig, RunPaths]) -> None:
    cfg, paths = run
    model = {"ids": ["all-MiniLM-L6-v2@abc123"], "backend": "sentence-transformers", "name": "all-MiniLM-L6-v2"}
    write_json(paths.stage_stamp("embed"), {"fingerprint": "x", "facts": {"model": model, "statements": 9}})
    write_json(paths.manifest, {"consolidate": __version__, "input": {"sha256": "deadbeef"}, "finished_at": "now"})
    md, _, _ = _report(cfg, paths)
    assert "all-MiniLM-L6-v2 (sentence-transformers; identity all-MiniLM-L6-v2@abc123)" in md
    assert "- Input file SHA-256: deadbeef" in md  # the export is absent here: the manifest's checksum is used
    assert f"- Consolidate version: {__version__}" in md
    assert "- Statements embedded: 9" in md
    assert "min_cluster_size auto" in md and "seed 42" in md
    assert "averaged over their up to 15 nearest neighbours (3 rounds)" in md
    assert 'non-answers such as "no", "none", "nothing"' in md and "pointers to another document" in md
    assert "1 open question; findings drafts exist for 1 (0 read from the review folder)" in md
    assert "Report date" not in md


def test_reruns_are_byte_identical(run: tuple[PipelineConfig, RunPaths], tmp_path: Path) -> None:
    cfg, paths = run
    first = _report(cfg, paths)
    assert _report(cfg, paths) == first
    result = run_closed(survey_questions(), survey_answers(), survey_respondents(), make_config(tmp_path))
    group = next(g for g in result.groups if g.chart_id == "sp_a")
    data = chart_data(group, [result.question(q) for q in group.question_ids])
    charts = {f"sp_a.{fmt}": render_chart(data, fmt) for fmt in ("png", "svg")}
    assert charts == {f"sp_a.{fmt}": render_chart(data, fmt) for fmt in ("png", "svg")}
    assert charts["sp_a.png"] == (paths.charts / "sp_a.png").read_bytes()
    assert charts["sp_a.svg"] == (paths.charts / "sp_a.svg").read_bytes()
    assert charts["sp_a.png"].startswith(b"\x89PNG") and b"<svg" in charts["sp_a.svg"]


def test_only_configured_formats_are_written(run: tuple[PipelineConfig, RunPaths]) -> None:
    cfg, paths = run
    cfg = make_config(cfg.base_dir, report={"formats": ["md"]})
    report_step.step(cfg, paths)
    assert paths.report("md").is_file() and not paths.report("html").exists()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
def test_html_screenshot(run: tuple[PipelineConfig, RunPaths], tmp_path: Path) -> None:
    cfg, paths = run
    _report(cfg, paths)
    shot = tmp_path / "report.png"
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        f"--screenshot={shot}",
        "--window-size=1200,3000",
        paths.report("html").resolve().as_uri(),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    from PIL import Image

    with Image.open(shot) as image:
        assert image.size == (1200, 3000)
        colors = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
    assert len(colors) > 50  # text, charts and tables were drawn, not a blank page
