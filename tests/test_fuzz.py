"""A fuzzer that stays: hostile exports and configs through `init`, `ingest` and `run`, in-process, fake embedder.

Each example writes an export (CSV in several encodings and delimiters, or XLSX with merged cells, a chart sheet
or an empty first sheet, a stale `<dimension>` or formulas without stored values; ragged rows, a header row
repeated mid-file, a stray unclosed quote, huge cells, formula and HTML payloads, emoji, one option in NFC and NFD
spelling, control and text-direction characters, empty and one-row files, duplicate headers), drafts a config with
`consolidate init`, bends it (wrong types, unknown names, hostile run names, options the data lacks, header rows,
sheets, a top-level key given twice, an alias bomb), may plant symbolic links to files and folders outside the
project in `reviews/` and `outputs/`, then runs `ingest` and `run`. After every command:

- exit 0, or exit 1 with one `Error:` line that is not an unexpected exception (never a traceback);
- nothing written outside the project's `data/`, `configs/`, `outputs/` and `reviews/` folders, and the files
  the planted links point at unchanged;
- no CSV cell or XLSX cell that a spreadsheet would run as a formula;
- no Markdown file that a CommonMark renderer turns into active HTML;
- after a successful ingest, every non-blank row of the export as written (read back by openpyxl in full, or the
  rows the CSV was written from) is a respondent or is listed in `issues.csv`, and every answer is NFC text
  without control or text-direction characters.

CI runs 40 examples (under a minute). For a long run set `CONSOLIDATE_FUZZ_EXAMPLES`, e.g.
`CONSOLIDATE_FUZZ_EXAMPLES=500 python -m pytest tests/test_fuzz.py -q --hypothesis-show-statistics`.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

import pandas as pd
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from typer.testing import Result

from pipeline.readers.csvtext import plain_text
from pipeline.readers.files import load_grid
from pipeline.readers.layouts import detect_format, header_row_count
from tests.hardening_helpers import cli, fake_embedder
from tests.markdown_safety import active_html

LONG_RUN = os.environ.get("CONSOLIDATE_FUZZ_EXAMPLES")
SETTINGS = settings(
    max_examples=int(LONG_RUN or 40),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    derandomize=not LONG_RUN,  # CI: the same examples every time; a long run explores new ones
    database=None,
)

WORDS = ["parking", "expensive", "staff", "kind", "slow", "bus", "late", "clean", "noisy", "ticket", "queue", "price"]
LIKERT = ["Strongly agree", "Agree", "Neutral", "Disagree", "Strongly disagree", "N/A"]
PAYLOADS = [
    "=1+1",
    "+SUM(A1:A2)",
    "-2+3",
    "@cmd",
    '=HYPERLINK("http://example.org","x")',
    "\t=1+1",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "<b>bold</b> &amp; `code` # heading | a | b | ---",
]
EMOJI = ["👍", "👎", "🙂", "❤️", "🎉 great", "👍🏽"]
BLANKS = ["", "", " ", "N/A", "-", "...", "none", "No comment"]
HEADERS = ["ID", "Comment", "Rate", "Email", "Name", "Country", "Start time", "Comment", "", "=cmd", "<b>Q</b>"]
ESCAPE = "ESCAPED"  # a name that must never appear next to the project folder
ACCENTED = ["Café", "Crème brûlée", "Zürich", "Ñandú"]
INVISIBLE = ["\x1b[31m", "\u202e", "\u2066", "\x07", "\x0b", "\u200f", "\x85", "\u202a", "\x1c"]
DECOY = "SAFE: a file outside the project that a planted link points at\n"


# --------------------------------------------------------------------------- exports

sentence = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join)
any_text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=20)
huge = st.builds(lambda word, n: (word + " ") * n, st.sampled_from(WORDS), st.integers(300, 3000))
COLUMN_CELLS: dict[str, st.SearchStrategy[str]] = {
    "open": st.one_of(
        sentence, sentence, sentence.map(lambda s: s + '.\nAnd, also; "this"'), st.sampled_from(PAYLOADS)
    ),
    "likert": st.one_of(st.sampled_from(LIKERT), st.sampled_from(LIKERT), st.sampled_from(BLANKS)),
    "emoji": st.one_of(st.sampled_from(EMOJI), sentence),
    "any": st.one_of(sentence, any_text, st.sampled_from(PAYLOADS + BLANKS + EMOJI), st.integers(-9, 99).map(str)),
    "huge": st.one_of(huge, sentence),
    "blank": st.sampled_from(BLANKS),
    "accents": st.builds(unicodedata.normalize, st.sampled_from(["NFC", "NFD"]), st.sampled_from(ACCENTED)),
    "controls": st.builds(lambda a, c, b: f"{a}{c}{b}", sentence, st.sampled_from(INVISIBLE), sentence),
}


@st.composite
def tables(draw: st.DrawFn) -> list[list[str]]:
    """Header + data rows; some rows ragged (fields missing or extra)."""
    kinds = draw(st.lists(st.sampled_from(sorted(COLUMN_CELLS)), min_size=1, max_size=5))
    with_id = draw(st.booleans())
    header = (["ID"] if with_id else []) + [draw(st.one_of(st.sampled_from(HEADERS), any_text)) for _ in kinds]
    n = draw(st.sampled_from([0, 1, 3, 8, 12, 20, 20]))
    rows: list[list[str]] = []
    for i in range(n):
        row = ([str(i + 1)] if with_id else []) + [draw(COLUMN_CELLS[k]) for k in kinds]
        shape = draw(st.sampled_from(["same"] * 8 + ["short", "long", "blank", "header"]))
        if shape == "header":  # two exports joined: the header row again
            row = list(header)
        elif shape == "short":
            row = row[: max(1, len(row) - 1)]
        elif shape == "long":
            row = [*row, draw(sentence), "extra"]
        elif shape == "blank":
            row = [""] * len(row)
        rows.append(row)
    return [header, *rows]


@dataclass
class Export:
    """An export file to write: its name, bytes (CSV) or workbook recipe (XLSX), and the table it holds."""

    name: str
    table: list[list[str]]
    csv_bytes: bytes | None = None
    xlsx: dict[str, Any] = field(default_factory=dict)


@st.composite
def exports(draw: st.DrawFn) -> Export:
    table = draw(tables())
    if draw(st.integers(0, 3)) == 0:
        merges = draw(st.lists(st.tuples(st.integers(2, 8), st.integers(1, 4), st.integers(0, 3)), max_size=2))
        layout = draw(st.sampled_from(["plain", "plain", "plain", "chart_first", "empty_first"]))
        formulas = draw(st.lists(st.tuples(st.integers(2, 12), st.integers(1, 4)), max_size=3))
        stale = draw(st.booleans())
        xlsx = {"merges": merges, "layout": layout, "formulas": formulas, "stale": stale}
        return Export("export.xlsx", table, xlsx=xlsx)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "cp1252", "mac_roman", "utf-16", "cp1251"]))
    delimiter = draw(st.sampled_from([",", ",", ";", "\t", "|"]))
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    broken = draw(st.integers(1, max(1, len(table) - 2))) if draw(st.integers(0, 3)) == 0 else None
    lines = []
    for i, row in enumerate(table):
        buffer = io.StringIO()
        # "\r\n" makes the writer quote a cell holding either character (with "\n" alone a bare "\r" stays
        # unquoted and splits the row for every reader); then the row gets the ending drawn.
        csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerow(row)
        line = buffer.getvalue().removesuffix("\r\n") + ending
        lines.append(unclosed_quote(line, delimiter) if i == broken else line)
    data = "".join(lines).encode(encoding, errors="replace")
    return Export("export.csv" if delimiter != "\t" else "export.tsv", table, csv_bytes=data)


def unclosed_quote(line: str, delimiter: str) -> str:
    """The CSV line with a stray quote opening its second field (or its first), never closed on the line."""
    if "\n" in line.rstrip("\r\n") or "\r" in line.rstrip("\r\n"):
        return line  # a record of several lines: left alone
    cut = line.find(delimiter) + 1
    event("csv: unclosed quote")
    return line[:cut] + '"' + line[cut:].replace('"', "")


def write_export(export: Export, folder: Path) -> Path:
    path = folder / export.name
    if export.csv_bytes is not None:
        path.write_bytes(export.csv_bytes)
        return path
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    for row in export.table:
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", cell)[:32000] for cell in row])
    for row, col, down in export.xlsx["merges"]:
        if row <= ws.max_row and col <= ws.max_column:
            ws.merge_cells(start_row=row, start_column=col, end_row=min(row + down, ws.max_row), end_column=col)
    for row, col in export.xlsx["formulas"]:  # formulas without a stored value, as a script writes them
        if row <= ws.max_row and col <= ws.max_column and type(ws.cell(row, col)).__name__ == "Cell":
            ws.cell(row, col).value = '="parking "&"is expensive"'
            event("xlsx: formula without a value")
    if export.xlsx["layout"] == "chart_first":
        chart = BarChart()
        chart.add_data(Reference(ws, min_col=1, min_row=1, max_row=max(ws.max_row, 2)))
        wb.create_chartsheet("Chart", 0).add_chart(chart)
    elif export.xlsx["layout"] == "empty_first":
        wb.create_sheet("Cover", 0)
    wb.save(path)
    if export.xlsx["stale"]:
        event("xlsx: stale dimension")
        stale_dimension(path)
    return path


def stale_dimension(path: Path) -> None:
    """Make every sheet's `<dimension>` say it holds A1:B2 (as tools that edit the XML without updating it do)."""
    with zipfile.ZipFile(path) as zin:
        members = [(info.filename, zin.read(info.filename)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in members:
            if name.startswith("xl/worksheets/"):
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:B2"/>', data)
            zout.writestr(name, data)


# --------------------------------------------------------------------------- configs

SETTINGS_TO_BEND: list[tuple[tuple[str, str], list[Any]]] = [
    (("run", "name"), ["../../" + ESCAPE, "ABSOLUTE", "..", ".", "fine name", "a/b", "", "x" * 150, 7]),
    (("input", "delimiter"), [";;", "", "\n", ",", ";", "\t", "ab", 5]),
    (("input", "encoding"), ["utf-8", "cp1252", "mac_roman", "klingon", "utf-16", "ascii", 12]),
    (("input", "header_rows"), [1, 2, 3, 0, "x", None]),
    (("input", "sheet"), [0, 1, 5, "Data", "Chart", "nope", "1"]),
    (("input", "format"), ["generic", "qualtrics", "msforms", "polis", "excel"]),
    (("closed", "agree"), [["Totally"], ["agree"], ["Agree", "Strongly agree"], [], "x"]),
    (("report", "formats"), [[], ["md"], ["html", "docx"], ["odt"]]),  # pdf is a format now: odt stays unknown
    (("run", "on_mismatch"), ["warn", "error", "maybe"]),
    (("cluster", "min_cluster_size"), [2, "auto", 0, "big", 1.5]),
    (("statements", "split"), ["none", "bullets", "sentences", "words"]),
    (("bogus", "key"), [1]),
]
QUESTION_FIELDS: list[tuple[str, list[Any]]] = [
    ("kind", ["open", "likert", "single", "multi", "meta", "personal", "ignore", "essay"]),
    ("options", [["Yes", "No"], LIKERT, [], "Agree"]),
    ("id", ["../x", "a b", "ok_id", ""]),
    ("column", ["No such column", "Comment"]),
]

# Bends of the YAML text itself: a top-level section given twice, an alias bomb (9^9 values from a few lines).
BOMB = (
    "bomb: {a: &a [l,l,l,l,l,l,l,l,l], "
    + ", ".join(f"{n}: &{n} [" + ",".join(["*" + p] * 9) + "]" for p, n in zip("abcdefgh", "bcdefghi", strict=True))
    + "}\nexpanded: *i\n"
)
TEXT_BENDS = {"duplicate_key": "run:\n  seed: 7\n", "alias_bomb": BOMB}
# Symbolic links planted before the commands run, each pointing outside the project.
LINKS = ["backup", "review_dir", "run_dir", "stage_dir"]

bend = st.one_of(
    st.tuples(st.just("setting"), st.integers(0, len(SETTINGS_TO_BEND) - 1), st.integers(0, 9)),
    st.tuples(st.just("question"), st.integers(0, len(QUESTION_FIELDS) - 1), st.integers(0, 9)),
)


def bent_config(data: dict[str, Any], bends: list[tuple[str, int, int]], sandbox: Path) -> dict[str, Any]:
    out = yaml.safe_load(yaml.safe_dump(data))
    for kind, which, pick in bends:
        if kind == "setting":
            (section, key), values = SETTINGS_TO_BEND[which]
            value = values[pick % len(values)]
            value = str(sandbox / ESCAPE) if value == "ABSOLUTE" else value
            if not isinstance(out.get(section), dict):
                out[section] = {}
            out[section][key] = value
        elif out.get("questions"):
            name, values = QUESTION_FIELDS[which]
            out["questions"][pick % len(out["questions"])][name] = values[pick % len(values)]
    return out


# --------------------------------------------------------------------------- checks


def check_command(result: Result, name: str, sandbox: Path) -> None:
    error = next((line for line in result.output.splitlines() if line.startswith("Error: ")), "")
    event(f"{name}: {'ok' if result.exit_code == 0 else error.replace(str(sandbox), '~')[7:67]}")
    assert result.exit_code in (0, 1), (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output, result.output
    if result.exit_code == 1:
        lines = [line for line in result.output.splitlines() if line.strip() and not line.startswith("Warning: ")]
        assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
        assert "unexpected" not in lines[0], lines[0]


def check_files(sandbox: Path, project: Path) -> None:
    decoys = sandbox / "outside"
    outside = [
        p
        for p in sandbox.rglob("*")
        if project != p and project not in p.parents and p not in project.parents and decoys not in (p, *p.parents)
    ]
    assert outside == [], outside
    for path in decoys.rglob("*"):  # what the planted links point at: unchanged, nothing added
        assert path.is_dir() or path.read_text(encoding="utf-8") == DECOY, path
    assert sorted(p.name for p in decoys.rglob("*")) == sorted(["victim.txt", "dir", "keep.txt"])
    tops = {p.relative_to(project).parts[0] for p in project.rglob("*")}
    assert tops <= {"data", "configs", "outputs", "reviews"}, tops
    for path in [*(project / "outputs").rglob("*"), *(project / "reviews").rglob("*")]:
        if path.is_symlink():
            continue
        if path.suffix == ".csv":
            _check_csv(path)
        elif path.suffix == ".xlsx":
            _check_xlsx(path)
        elif path.suffix == ".md":
            assert active_html(path.read_text(encoding="utf-8")) == [], path


def plant_decoys(sandbox: Path) -> None:
    """Files outside the project for planted links to point at."""
    (sandbox / "outside" / "dir").mkdir(parents=True)
    (sandbox / "outside" / "victim.txt").write_text(DECOY, encoding="utf-8")
    (sandbox / "outside" / "dir" / "keep.txt").write_text(DECOY, encoding="utf-8")


def plant_link(kind: str, project: Path, config: Path, sandbox: Path) -> None:
    """A symbolic link in the run's review or output folder to a file or folder outside the project."""
    try:
        name = str((yaml.safe_load(config.read_text(encoding="utf-8")).get("run") or {}).get("name") or "survey")
    except (yaml.YAMLError, AttributeError):
        return
    if not re.fullmatch(r"[\w -]+", name):
        return
    event(f"link: {kind}")
    target = sandbox / "outside" / ("victim.txt" if kind == "backup" else "dir")
    link = {
        "backup": project / "reviews" / name / "comment.yaml.bak",
        "review_dir": project / "reviews" / name,
        "run_dir": project / "outputs" / name,
        "stage_dir": project / "outputs" / name / "02_closed",
    }[kind]
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target, target_is_directory=kind != "backup")


def _active_formula(cell: str) -> bool:
    if cell[:1] in ("=", "@", "\t", "\r"):
        return True
    if cell[:1] in ("+", "-"):
        try:
            float(cell)
        except ValueError:
            return True
    return False


def _check_csv(path: Path) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            bad = [cell for cell in row if _active_formula(cell)]
            assert bad == [], (path, bad)


def _check_xlsx(path: Path) -> None:
    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (path, cell.coordinate)
                assert not (isinstance(cell.value, str) and _active_formula(cell.value)), (path, cell.value)


def check_rows_accounted(config: Path, run_dir: Path, export: Export) -> None:
    """Every non-blank row of the export as written, after its header rows, is a respondent or an issue row.

    The rows are those the generator wrote (CSV) or what openpyxl reads back from the whole workbook, whatever its
    `<dimension>` says and counting formulas without a stored value: never what the pipeline's reader returns.
    """
    cfg = yaml.safe_load(config.read_text(encoding="utf-8"))
    spec = cfg["input"]
    path = (config.parent / spec["path"]).resolve()
    grid = load_grid(path, spec.get("sheet"), spec.get("encoding", "auto"), spec.get("delimiter"))
    rows = grid.rows
    skip = next((i for i, r in enumerate(rows) if any(c.strip() for c in r)), len(rows))
    fmt = spec.get("format", "auto")
    fmt = detect_format(rows[skip:]) if fmt == "auto" else fmt
    natural = header_row_count(fmt, rows[skip:])
    written = _written_rows(path, export, grid.sheet)
    expected = {i + 1 for i, r in enumerate(written) if i >= skip + natural and any(_filled(c) for c in r)}
    respondents = set(pd.read_parquet(run_dir / "01_ingest" / "respondents.parquet")["source_row"].astype(int))
    issues = pd.read_csv(run_dir / "01_ingest" / "issues.csv", dtype=str, keep_default_na=False)
    listed = {int(r) for r in issues["source_row"] if r}
    assert expected <= respondents | listed, sorted(expected - respondents - listed)


def _written_rows(path: Path, export: Export, sheet: str | None) -> list[list[Any]]:
    if export.csv_bytes is not None:
        return [list(r) for r in export.table]
    wb = load_workbook(path)  # the whole sheet, formulas as written: independent of the reader under test
    return [list(r) for r in wb[sheet or wb.sheetnames[0]].iter_rows(values_only=True)]


def _filled(cell: Any) -> bool:
    return cell is not None and bool(plain_text(str(cell)).strip())


def check_answers_clean(run_dir: Path) -> None:
    """Answers and options are NFC text without control or text-direction characters; no option twice."""
    answers = pd.read_parquet(run_dir / "01_ingest" / "answers.parquet")
    for value in answers["value"].astype(str):
        assert unicodedata.is_normalized("NFC", value), value
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", value), value
    questions = pd.read_parquet(run_dir / "01_ingest" / "questions.parquet")
    for options in questions["options"]:
        keys = [unicodedata.normalize("NFC", str(o)) for o in options]
        assert len(set(keys)) == len(keys), keys


# --------------------------------------------------------------------------- the property


@SETTINGS
@given(
    export=exports(),
    bends=st.one_of(st.just([]), st.lists(bend, max_size=3)),
    text_bend=st.sampled_from([None] * 14 + sorted(TEXT_BENDS)),
    link=st.sampled_from([None] * 12 + LINKS),
    commands=st.sampled_from(["ingest", "run", "run", "run"]),
)
def test_hostile_exports_and_configs(
    export: Export, bends: list[tuple[str, int, int]], text_bend: str | None, link: str | None, commands: str
) -> None:
    with tempfile.TemporaryDirectory() as folder, mock.patch("pipeline.steps.embed.make_embedder", fake_embedder):
        sandbox = Path(folder)
        plant_decoys(sandbox)
        project = sandbox / "a" / "b" / "project"
        (project / "data").mkdir(parents=True)
        (project / "configs").mkdir()
        source = write_export(export, project / "data")
        config = project / "configs" / "survey.yaml"
        drafted = cli("init", source, "--out", config)
        check_command(drafted, "init", sandbox)
        check_files(sandbox, project)
        base = yaml.safe_load(config.read_text(encoding="utf-8")) if drafted.exit_code == 0 else {}
        base = base or {"input": {"path": f"../data/{source.name}"}, "run": {"output_dir": "../outputs"}}
        base.setdefault("review", {"dir": "../reviews"})
        base.setdefault("embed", {"cache_dir": "../outputs/.cache"})
        text = yaml.safe_dump(bent_config(base, bends, sandbox), allow_unicode=True)
        config.write_text(text + TEXT_BENDS.get(text_bend or "", ""), encoding="utf-8")
        if link:
            plant_link(link, project, config, sandbox)
        for command in ("ingest", "run") if commands == "run" else ("ingest",):
            result = cli(command, config)
            check_command(result, command, sandbox)
            check_files(sandbox, project)
            if result.exit_code != 0:
                break
            run_dir = next(p for p in (project / "outputs").iterdir() if p.name != ".cache")
            check_rows_accounted(config, run_dir, export)
            check_answers_clean(run_dir)
        if commands == "run" and result.exit_code == 0:
            check_command(cli("review", "status", config), "review status", sandbox)
