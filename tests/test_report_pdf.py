"""The report as a PDF (issue 26), printed by headless Chromium from the report's HTML page.

On the sample the PDF's pages are rendered to PNG with poppler's `pdftoppm`: their number is the PDF's page count,
and every chart group of the closed stage is an image in it. Printing twice gives identical bytes, the six UN
languages print in real fonts, and a machine without Chromium gets one line saying what to do.
The tests that print skip without chromium and poppler-utils (and the Noto fonts), except under CI (CI=true),
where they fail: `make test` installs them. Set REPORT_PDF_PAGES=DIR to keep the rendered pages.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from pipeline.artifacts import RunPaths
from pipeline.config import load_config
from pipeline.errors import NotInstalledError, StageError
from pipeline.runner import run_stages
from pipeline.stages.report.model import Document, Section, para
from pipeline.stages.report.to_html import render_html
from pipeline.steps import pdf as pdf_step
from pipeline.steps import report as report_step
from tests.test_review_e2e import SAMPLE_CONFIG, write_config

POPPLER = ("pdftoppm", "pdfinfo", "pdfimages", "pdffonts", "pdftotext")
UN_LANGUAGES = {
    "en": "Results of the consultation",
    "fr": "Résultats de la consultation",
    "es": "Resultados de la consulta",
    "ru": "Результаты консультации",
    "zh": "磋商结果",
    "ar": "نتائج المشاورة",
}


def _require(*fonts: str) -> None:
    """Skip (fail under CI) without Chromium, poppler-utils or the named font families."""
    missing = [] if any(shutil.which(b) for b in pdf_step.BROWSERS) else ["chromium"]
    missing += [tool for tool in POPPLER if shutil.which(tool) is None]
    if fonts:
        fc_list = ["fc-list", ": family"]
        listed = subprocess.run(fc_list, capture_output=True, text=True).stdout if shutil.which("fc-list") else ""
        missing += [font for font in fonts if font not in listed]
    if not missing:
        return
    message = f"needs {', '.join(missing)} (Debian: make browser, or apt-get install chromium poppler-utils "
    message += "fonts-noto-core fonts-noto-cjk)"
    if os.environ.get("CI"):
        pytest.fail(message + "; make test installs them")
    pytest.skip(message)


def _tool(*args: str) -> str:
    return subprocess.run(list(args), capture_output=True, text=True, check=True, timeout=120).stdout


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The sample run (tfidf embedder) with the sample's own report formats, pdf among them."""
    _require()
    if not SAMPLE_CONFIG.is_file():
        pytest.skip("no sample config")
    tmp = tmp_path_factory.mktemp("report_pdf")
    formats = load_config(SAMPLE_CONFIG).report.formats
    assert "pdf" in formats  # the sample shows the PDF
    cfg = load_config(write_config(tmp, "sample", report={"formats": formats}))
    run_stages(cfg)
    paths = RunPaths(cfg.run_dir)
    return {"cfg": cfg, "paths": paths, "pdf": paths.report("pdf"), "tmp": tmp}


@pytest.mark.browser
def test_sample_pdf_pages_render_and_hold_every_chart_as_an_image(sample_pdf: dict[str, Any]) -> None:
    from PIL import Image

    pdf: Path = sample_pdf["pdf"]
    info = dict(line.split(":", 1) for line in _tool("pdfinfo", str(pdf)).splitlines() if ":" in line)
    pages = int(info["Pages"])
    assert "(A4)" in info["Page size"] and 8 <= pages <= 30
    out = Path(os.environ.get("REPORT_PDF_PAGES") or sample_pdf["tmp"] / "pages")
    out.mkdir(parents=True, exist_ok=True)
    _tool("pdftoppm", "-r", "60", "-png", str(pdf), str(out / "page"))
    rendered = sorted(out.glob("page-*.png"))
    assert len(rendered) == pages
    for png in rendered[:3]:
        with Image.open(png) as image:
            assert len(image.convert("RGB").getcolors(maxcolors=1 << 20) or []) > 20  # drawn, not blank
    closed = json.loads(sample_pdf["paths"].closed.read_text(encoding="utf-8"))
    charts = [r.split() for r in _tool("pdfimages", "-list", str(pdf)).splitlines()[2:]]
    assert len(charts) == len(closed["groups"]) == 8  # one image per chart group, none lost
    assert all(row[2] == "image" and row[3] == "1350" for row in charts)  # the charts' own PNGs, at full size


@pytest.mark.browser
def test_sample_pdf_has_the_example_shape_page_numbers_and_bookmarks(sample_pdf: dict[str, Any]) -> None:
    pdf: Path = sample_pdf["pdf"]
    text = " ".join(_tool("pdftotext", "-layout", str(pdf), "-").split())
    for wanted in (
        "Online consultation open from 25 October to 9 December 2024",
        "Purpose",
        "Action required The working group is invited to take note",
        "67 responses received",
        "Part 1: Familiarity with the current plans",
        "Part 2: What the plans can benefit from",
        "More than 85% of responses agree that the ITU strategic plan can benefit from",
        "(Top 5 findings)",
        "Annex: provenance",
    ):
        assert wanted in text, wanted
    pages = int(_tool("pdfinfo", str(pdf)).split("Pages:")[1].split()[0])
    assert f"1 / {pages}" in text and f"{pages} / {pages}" in text
    assert b"/Outlines" in pdf.read_bytes()  # bookmarks from the headings
    facts = json.loads(sample_pdf["paths"].manifest.read_text(encoding="utf-8"))["stages"]["report"]["facts"]
    assert facts["pdf"]["printer"].startswith("HeadlessChrome/") and "Chromium version" in facts["pdf"]["reproducible"]


@pytest.mark.browser
def test_printing_twice_gives_identical_bytes(sample_pdf: dict[str, Any]) -> None:
    first = sample_pdf["pdf"].read_bytes()
    report_step.step(sample_pdf["cfg"], sample_pdf["paths"])
    assert sample_pdf["pdf"].read_bytes() == first
    assert b"D:20000101000000" in first


@pytest.mark.browser
def test_the_six_un_languages_print_in_real_fonts(tmp_path: Path) -> None:
    _require("Noto Sans", "Noto Sans Arabic", "Noto Sans CJK SC")
    lines = tuple(para(f"{lang}: {words}") for lang, words in UN_LANGUAGES.items())
    doc = Document(title="Six languages", subtitle=None, sections=(Section("Text", 2, "text", lines),))
    chromium = pdf_step.find_chromium()
    pdf = tmp_path / "six.pdf"
    pdf.write_bytes(pdf_step.print_pdf(render_html(doc, print_page=True).encode("utf-8"), chromium))
    text = " ".join(_tool("pdftotext", str(pdf), "-").split())
    for words in UN_LANGUAGES.values():
        assert words in text
    fonts = _tool("pdffonts", str(pdf))
    assert "NotoSans-Regular" in fonts and len(fonts.splitlines()) >= 5  # Latin/Cyrillic, plus Arabic and CJK


def test_without_chromium_the_report_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    cfg = load_config(write_config(tmp_path, "sample", report={"formats": ["md", "pdf"]}))
    paths = RunPaths(cfg.run_dir)
    with pytest.raises(NotInstalledError) as err:
        report_step.step(cfg, paths)
    message = str(err.value)
    assert "\n" not in message and "make browser" in message and "remove pdf from report.formats" in message
    assert not paths.report("md").exists()  # looked for first: nothing half-written


def test_a_failing_chromium_is_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "chromium"
    broken.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n")
    broken.chmod(0o755)
    with pytest.raises(StageError) as err:
        pdf_step.print_pdf(b"<p>x</p>", broken)
    assert "(exit 3: cannot open display)" in str(err.value) and "\n" not in str(err.value)


def test_reproducible_pdf_fixes_dates_node_ids_and_the_file_id() -> None:
    def chromium_pdf(stamp: bytes, first_node: int) -> bytes:
        nodes = [b"(node%08d)" % (first_node + i) for i in (0, 1, 1, 5)]
        return (
            b"%PDF-1.4\n1 0 obj\n<</Creator (Mozilla/5.0 \\(X11\\) HeadlessChrome/156.0.0.0)\n/Producer (Skia/PDF m156)"
            b"\n/CreationDate (D:"
            + stamp
            + b"+01'00')\n/ModDate (D:"
            + stamp
            + b"Z)>>\n/ID "
            + b" /ID ".join(nodes)
            + b"\ntrailer\n<</ID [<"
            + stamp
            + b"> <"
            + stamp[::-1]
            + b">]>>\n%%EOF\n"
        )

    one, two = chromium_pdf(b"20261207063006", 89), chromium_pdf(b"20250220093000", 1204)
    fixed = pdf_step.reproducible_pdf(one)
    assert fixed == pdf_step.reproducible_pdf(two) and len(fixed) == len(one)  # same length: the xref stays right
    assert b"(D:20000101000000+00'00')" in fixed and b"(D:20000101000000Z)" in fixed
    assert b"(node00000000) /ID (node00000001) /ID (node00000001) /ID (node00000002)" in fixed
    assert pdf_step.pdf_printer(one) == "HeadlessChrome/156.0.0.0, Skia/PDF m156"
