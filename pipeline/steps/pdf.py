"""Print the report's HTML page to PDF with headless Chromium: the report step's one subprocess.

Why Chromium rather than WeasyPrint: the project already drives Debian's `chromium` (the review browser test,
`make browser`), so the PDF needs no new Python dependency and no Pango/Cairo libraries; it is the engine the
HTML report is read in, so charts, tables and right-to-left answers print as they show on screen; and since
version 131 it lays out CSS page-margin boxes, which number the pages. It prints a tagged PDF with a document
outline (bookmarks from the headings). What it cannot do is `target-counter()`, so the contents list links to
each section but shows no page numbers. Fonts come from the system (fontconfig): the page names Noto Sans, Noto
Sans Arabic and Noto Sans CJK (Debian fonts-noto-core and fonts-noto-cjk, which `make browser` installs), which
cover the six UN languages.

Determinism: Chromium stamps the PDF with its creation and modification time, and names the tagged structure
elements after DOM node numbers that vary from one launch to the next. `reproducible_pdf` sets the dates to
2000-01-01 and renumbers the nodes in their order (same lengths, so the cross-reference table stays valid), so
the same page printed twice gives identical bytes. Across machines the bytes also depend on the Chromium version
and the installed fonts; the step records the printer in its facts (and so in the manifest).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from pipeline.errors import NotInstalledError, StageError

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_S = 300
FLAGS = (
    "--headless",
    "--no-sandbox",  # the page is our own: every text escaped, and its Content-Security-Policy forbids scripts
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-extensions",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--no-pdf-header-footer",  # Chromium's own header and footer hold the date and the file's path
    "--generate-pdf-document-outline",
)
REPRODUCIBLE = "identical bytes for the same input, config, Chromium version and installed fonts"

_DATE = re.compile(rb"(/(?:CreationDate|ModDate) \(D:)\d{14}([+-]\d{2}'\d{2}'|Z)?")
_NODE = re.compile(rb"\(node(\d+)\)")
_FILE_ID = re.compile(rb"(/ID \[<)([0-9A-Fa-f]+)(> ?<)([0-9A-Fa-f]+)(>\])")
_PRINTER = re.compile(rb"/(?:Producer|Creator) \(((?:\\.|[^\\)])*)\)")


def find_chromium() -> Path:
    """The Chromium (or Chrome) on the PATH.

    Raises:
        NotInstalledError: none is installed; the message says how to install it or to drop pdf.
    """
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return Path(found)
    raise NotInstalledError(
        "report.formats includes pdf, which is printed with Chromium, and no chromium or google-chrome is on the "
        "PATH; install it (Debian: `make browser`, or `apt-get install chromium fonts-noto-core fonts-noto-cjk`) "
        "or remove pdf from report.formats."
    )


def print_pdf(html: bytes, chromium: Path, timeout: float = TIMEOUT_S) -> bytes:
    """The PDF of an HTML page, printed by headless Chromium and made reproducible (`reproducible_pdf`).

    Raises:
        StageError: Chromium failed, timed out or wrote no PDF.
    """
    with tempfile.TemporaryDirectory(prefix="consolidate-pdf-") as tmp:
        page, pdf = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        page.write_bytes(html)
        command = [str(chromium), *FLAGS, f"--user-data-dir={Path(tmp) / 'profile'}", f"--print-to-pdf={pdf}"]
        try:
            done = subprocess.run([*command, page.as_uri()], capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise StageError(
                f"Chromium ({chromium}) took over {timeout:.0f} s to print the report to PDF; rerun, or remove pdf "
                "from report.formats."
            ) from exc
        if done.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
            said = [line for line in done.stderr.decode("utf-8", "replace").splitlines() if line.strip()]
            raise StageError(
                f"Chromium ({chromium}) could not print the report to PDF (exit {done.returncode}"
                f"{': ' + said[-1].strip()[:200] if said else ''}); check that it starts (`{chromium.name} "
                "--headless --version`), or remove pdf from report.formats."
            )
        return reproducible_pdf(pdf.read_bytes())


def reproducible_pdf(data: bytes) -> bytes:
    """Chromium's PDF without what changes between prints: fixed dates, structure ids renumbered, file id hashed.

    Every replacement keeps its length, so the byte offsets of the cross-reference table stay right.
    """
    data = _DATE.sub(_fixed_date, data)
    numbers = sorted(set(_NODE.findall(data)), key=lambda n: (len(n), n))
    rank = {old: str(i).zfill(len(old)).encode() for i, old in enumerate(numbers)}
    data = _NODE.sub(lambda m: b"(node" + rank[m.group(1)] + b")", data)
    digest = hashlib.sha256(_FILE_ID.sub(b"", data)).hexdigest().upper().encode()
    return _FILE_ID.sub(lambda m: m[1] + _fit(digest, m[2]) + m[3] + _fit(digest, m[4]) + m[5], data)


def _fixed_date(match: re.Match[bytes]) -> bytes:
    """`/CreationDate (D:20250220093000+01'00'` -> `/CreationDate (D:20000101000000+00'00'` (same length)."""
    zone = match[2] or b""
    return match[1] + b"20000101000000" + (b"+00'00'" if len(zone) == 7 else zone)


def _fit(digest: bytes, old: bytes) -> bytes:
    return (digest * (len(old) // len(digest) + 1))[: len(old)]


def pdf_printer(data: bytes) -> str:
    """Who printed a PDF, from its Creator and Producer (e.g. `HeadlessChrome/156.0.0.0, Skia/PDF m156`)."""
    names = [m.decode("latin-1") for m in _PRINTER.findall(data)]
    tools = [next((w for w in n.split() if "Chrome/" in w), n) for n in names]
    return ", ".join(dict.fromkeys(tools))
