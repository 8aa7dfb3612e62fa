"""Regression tests of issue 14: each defect the reliability probes found, fixed and pinned down here."""

from __future__ import annotations

import json
import os
import stat
import warnings
from pathlib import Path

import pandas as pd
import pytest
import yaml
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from pipeline.config import parse_config
from pipeline.errors import ConfigError
from tests.conftest import THEMES
from tests.hardening_helpers import Project, cli, one_line_error
from tests.markdown_safety import active_html

EURO = b"ID,Comment\r\n1,Parking costs 5\x80 per hour\r\n2,Too expensive at 4\x80\r\n3,Caf\xe9 is fine\r\n"
AGREE = "ID,Rate\n" + "".join(f"{i},{'Agree' if i % 3 else 'Disagree'}\n" for i in range(1, 31))
OPEN = [{"column": "ID", "id": "id", "kind": "ignore"}, {"column": "Comment", "id": "comment", "kind": "open"}]
THEMED = "ID,Comment\n" + "".join(
    f"{n},{variants[k % 3].capitalize()} {theme} number {k}.\n"
    for n, (theme, variants, k) in enumerate(((t, v, k) for t, v in THEMES.items() for k in range(8)), start=1)
)
PAYLOAD = '<script>alert(1)</script> <img src=x onerror="alert(2)"> [click](javascript:alert(3)) parking'


def _issues(run_dir: Path) -> pd.DataFrame:
    return pd.read_csv(run_dir / "01_ingest" / "issues.csv", dtype=str, keep_default_na=False)


# --- 1. encodings -------------------------------------------------------------------------------------------


def test_cp1252_export_is_read_as_cp1252_and_says_so(project: Project) -> None:
    config = project.config(input={"path": project.csv("euro.csv", EURO)})
    assert cli("ingest", config).exit_code == 0
    answers = pd.read_parquet(project.run_dir() / "01_ingest" / "answers.parquet")
    assert answers["value"].tolist() == ["Parking costs 5€ per hour", "Too expensive at 4€", "Café is fine"]
    facts = json.loads((project.run_dir() / "manifest.json").read_text())["stages"]["ingest"]["facts"]
    assert (facts["encoding"], facts["encoding_confidence"]) == ("cp1252", "high")
    assert "cp1252" in facts["encoding_note"] and "mac_roman" in facts["encoding_note"]
    problems = _issues(project.run_dir())["problem"].tolist()
    assert len(problems) == 1 and problems[0].startswith("encoding: cp1252") and "input.encoding" in problems[0]


def test_configured_encoding_wins(project: Project) -> None:
    path = project.csv("mac.csv", "ID,Comment\n1,Grüße aus München\n2,Straße\n".encode("mac_roman"))
    config = project.config(input={"path": path, "encoding": "mac_roman"})
    assert cli("ingest", config).exit_code == 0
    answers = pd.read_parquet(project.run_dir() / "01_ingest" / "answers.parquet")
    assert answers["value"].tolist() == ["Grüße aus München", "Straße"]
    assert _issues(project.run_dir()).empty  # nothing was guessed


def test_utf8_is_preferred_and_not_reported(project: Project) -> None:
    config = project.config(input={"path": project.csv("u.csv", "ID,Comment\n1,Café 5€\n2,Ça va\n")})
    assert cli("ingest", config).exit_code == 0
    facts = json.loads((project.run_dir() / "manifest.json").read_text())["stages"]["ingest"]["facts"]
    assert (facts["encoding"], facts["encoding_confidence"]) == ("utf-8", "certain")
    assert _issues(project.run_dir()).empty


def test_unknown_encoding_name_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="input.encoding: unknown text encoding 'cp9999'"):
        parse_config({"input": {"path": "x.csv", "encoding": "cp9999"}}, tmp_path, "c.yaml")


# --- 2. one line instead of a traceback ---------------------------------------------------------------------


def test_multi_character_delimiter_is_one_line(project: Project) -> None:
    config = project.config(input={"path": project.csv("euro.csv", EURO), "delimiter": ";;"})
    assert "input.delimiter" in one_line_error(cli("ingest", config))


def test_unwritable_output_folder_is_one_line(project: Project) -> None:
    blocker = project.root / "not_a_folder"
    blocker.parent.mkdir(parents=True)
    blocker.write_text("a file where the outputs folder should be")
    config = project.config(input={"path": project.csv("euro.csv", EURO)}, run={"output_dir": str(blocker / "out")})
    message = one_line_error(cli("ingest", config))
    assert "Cannot write" in message and "not_a_folder" in message


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_read_only_output_folder_is_one_line(project: Project) -> None:
    config = project.config(input={"path": project.csv("euro.csv", EURO)})
    outputs = project.root / "outputs"
    outputs.mkdir(parents=True)
    outputs.chmod(0o555)
    try:
        assert "Permission denied" in one_line_error(cli("ingest", config))
    finally:
        outputs.chmod(0o755)


def test_review_copy_saved_in_cp1252_is_one_line(project: Project, fake_model: None) -> None:
    config = project.config(
        input={"path": project.csv("a.csv", "ID,Comment\n1,Parking is expensive\n2,Bus\n")}, questions=OPEN
    )
    review = project.root / "reviews" / "survey" / "comment.yaml"
    review.parent.mkdir(parents=True)
    review.write_bytes(b'question_id: comment\nquestion_text: "Caf\xe9"\n')
    for args in (("review", "status", config), ("run", config)):
        message = one_line_error(cli(*args))
        assert "comment.yaml is not UTF-8" in message and "save it again as UTF-8" in message


def _chart_sheet_workbook(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    for row in [["ID", "Comment"], [1, "Too slow"], [2, "Too expensive"]]:
        ws.append(row)
    chart_sheet = wb.create_chartsheet("Chart", 0)
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=1, min_row=1, max_row=3))
    chart_sheet.add_chart(chart)
    wb.save(path)


def test_chart_sheet_first_reads_the_first_worksheet(project: Project) -> None:
    export = project.root / "data" / "charts.xlsx"
    export.parent.mkdir(parents=True)
    _chart_sheet_workbook(export)
    out = project.root / "configs" / "charts.yaml"
    assert cli("init", export, "--out", out).exit_code == 0
    assert 'sheet: "Data"' in out.read_text(encoding="utf-8")
    asked = project.config(input={"path": "../data/charts.xlsx", "sheet": "Chart"})
    assert "'Chart' is a chart sheet" in one_line_error(cli("ingest", asked))


# --- 3. nothing written outside the project -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["../../ESCAPED", "/tmp/anywhere", "..", ".", "a/b", ".cache", "x\\y", " "])
def test_run_name_must_be_a_plain_folder_name(project: Project, name: str) -> None:
    config = project.config(input={"path": project.csv("euro.csv", EURO)}, run={"name": name})
    assert "run.name" in one_line_error(cli("ingest", config))
    assert not (project.root / "outputs").exists()
    assert not (project.root.parent / "ESCAPED").exists()


def test_config_file_name_that_is_not_a_folder_name(project: Project) -> None:
    good = project.config(input={"path": project.csv("euro.csv", EURO)})
    odd = good.with_name("...yaml")  # its stem is ".."
    odd.write_text(good.read_text())
    assert "set run.name" in one_line_error(cli("ingest", odd))


def test_plain_run_names_work(project: Project) -> None:
    config = project.config(input={"path": project.csv("euro.csv", EURO)}, run={"name": "Survey 2025 v1.2"})
    assert cli("ingest", config).exit_code == 0
    assert (project.root / "outputs" / "Survey 2025 v1.2" / "01_ingest" / "answers.parquet").is_file()


# --- 4. Markdown outputs never carry active HTML ------------------------------------------------------------


def test_every_markdown_output_escapes_answers_and_reviewer_text(project: Project, fake_model: None) -> None:
    config = project.config(input={"path": project.csv("x.csv", _payload_rows())}, questions=OPEN)
    assert cli("run", config).exit_code == 0
    review = project.root / "reviews" / "survey" / "comment.yaml"
    data = yaml.safe_load(review.read_text(encoding="utf-8"))
    data["findings"][0]["title"] = '<img src=x onerror="alert(4)">'
    data["findings"][0]["note"] = "[note](javascript:alert(5))"
    data["findings"][0]["pinned"] = ["<script>alert(6)</script>"]
    review.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert cli("run", config).exit_code == 0
    markdown = sorted(project.run_dir().rglob("*.md"))
    assert {p.name for p in markdown} >= {"comment.md", "comment.rerun.md", "report.md"}
    for path in markdown:
        assert active_html(path.read_text(encoding="utf-8")) == [], path.name
    draft = (project.run_dir() / "06_draft" / "comment.md").read_text(encoding="utf-8")
    assert "\\<img src=x onerror=" in draft  # shown as text, not dropped


def _payload_rows() -> str:
    """THEMED with a script, an image and a javascript link in every third answer."""
    head, *rows = THEMED.splitlines()
    quoted = [f'{r.split(",", 1)[0]},"{r.split(",", 1)[1]} {PAYLOAD}"' if i % 3 == 0 else r for i, r in enumerate(rows)]
    return "\n".join([head, *quoted]) + "\n"


# --- 5. config that does not match the data -----------------------------------------------------------------


def test_agree_option_the_question_lacks_is_an_error(project: Project, fake_model: None) -> None:
    path = project.csv("agree.csv", AGREE)
    questions = [{"column": "ID", "id": "id", "kind": "ignore"}, {"column": "Rate", "id": "rate", "kind": "likert"}]
    config = project.config(input={"path": path}, questions=questions, closed={"agree": ["Totally"]})
    message = one_line_error(cli("run", config))
    assert "closed.agree names ['Totally']" in message and "run.on_mismatch: warn" in message


def test_agree_option_with_warn_is_loud(project: Project, fake_model: None) -> None:
    path = project.csv("agree.csv", AGREE)
    questions = [{"column": "ID", "id": "id", "kind": "ignore"}, {"column": "Rate", "id": "rate", "kind": "likert"}]
    config = project.config(
        input={"path": path}, questions=questions, closed={"agree": ["Totally"]}, run={"on_mismatch": "warn"}
    )
    result = cli("run", config)
    assert result.exit_code == 0, result.output
    assert "closed.agree names ['Totally']" in result.output
    report = (project.run_dir() / "07_report" / "report.md").read_text(encoding="utf-8")
    assert "## Annex: warnings" in report and "Totally" in report.split("## Annex: warnings")[1]


def test_agree_options_match_the_scale_ignoring_case(project: Project, fake_model: None) -> None:
    path = project.csv("agree.csv", AGREE)
    questions = [{"column": "ID", "id": "id", "kind": "ignore"}, {"column": "Rate", "id": "rate", "kind": "likert"}]
    config = project.config(input={"path": path}, questions=questions, closed={"agree": ["agree"]})
    assert cli("run", config).exit_code == 0
    stats = json.loads((project.run_dir() / "02_closed" / "closed.json").read_text())
    rate = next(q for q in stats["questions"] if q["question_id"] == "rate")
    assert (rate["agree"], rate["base"]) == (20, 30)


def test_options_that_answers_do_not_use_are_an_error(project: Project) -> None:
    path = project.csv("agree.csv", AGREE)
    questions = [{"column": "Rate", "id": "rate", "kind": "likert", "options": ["Yes", "No"]}]
    message = one_line_error(cli("ingest", project.config(input={"path": path}, questions=questions)))
    assert "question rate: 30 of 30 answers are not among its options ['Yes', 'No']" in message


def test_header_rows_that_swallow_responses(project: Project) -> None:
    path = project.csv("agree.csv", AGREE)
    config = project.config(input={"path": path, "header_rows": 3})
    assert "reads row(s) 2, 3" in one_line_error(cli("ingest", config))
    lenient = project.config(input={"path": path, "header_rows": 3}, run={"on_mismatch": "warn"})
    result = cli("ingest", lenient)
    assert result.exit_code == 0 and "header_rows" in result.output
    issues = _issues(project.run_dir())
    assert issues.loc[issues["problem"].str.contains("looks like a response"), "source_row"].tolist() == ["2", "3"]


# --- 6. merged cells ----------------------------------------------------------------------------------------


def test_merged_cells_are_filled_and_recorded(project: Project) -> None:
    wb = Workbook()
    ws = wb.active
    for row in [["ID", "Type", "Comment"], [1, "Patient", "a"], [2, None, "b"], [3, None, "c"], [4, None, "d"]]:
        ws.append(row)
    ws.merge_cells("B2:B5")
    export = project.root / "data" / "merged.xlsx"
    export.parent.mkdir(parents=True)
    wb.save(export)
    questions = [{"column": "Type", "id": "type", "kind": "meta"}, {"column": "Comment", "id": "c", "kind": "open"}]
    config = project.config(input={"path": "../data/merged.xlsx"}, questions=questions)
    result = cli("ingest", config)
    assert result.exit_code == 0 and "merged cell range" in result.output
    respondents = pd.read_parquet(project.run_dir() / "01_ingest" / "respondents.parquet")
    assert respondents["type"].tolist() == ["Patient"] * 4
    issues = _issues(project.run_dir())
    assert issues["source_row"].tolist() == ["3", "4", "5"]
    assert issues["problem"].str.contains("merged range B2:B5").all() and set(issues["column"]) == {"Type"}


# --- 8, 9, 10, 11 -------------------------------------------------------------------------------------------


def test_unapplied_review_edits_are_summarised_on_the_console(project: Project, fake_model: None) -> None:
    config = project.config(input={"path": project.csv("p.csv", THEMED)}, questions=OPEN)
    assert cli("run", config).exit_code == 0
    review = project.root / "reviews" / "survey" / "comment.yaml"
    data = yaml.safe_load(review.read_text(encoding="utf-8"))
    data["findings"][0]["merge_into"] = "no-such-finding"
    review.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = cli("run", config)
    assert result.exit_code == 0
    assert "Warning: comment: 1 reviewer edit not applied" in result.output
    assert f"consolidate review status {config}" in result.output


def test_emoji_only_answers_are_answers_and_charts_draw_them(project: Project, fake_model: None) -> None:
    rows = [f"{i},{'👍' if i % 2 else '👎'},{'🙂' if i < 4 else 'Fine'}" for i in range(1, 9)]
    questions = [
        {"column": "Vote", "id": "vote", "kind": "single"},
        {"column": "Comment", "id": "comment", "kind": "open"},
    ]
    config = project.config(
        input={"path": project.csv("e.csv", "ID,Vote,Comment\n" + "\n".join(rows))}, questions=questions
    )
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph")  # a character the font lacks would warn
        result = cli("run", config)
    assert result.exit_code == 0, result.output
    counts = pd.read_csv(project.run_dir() / "01_ingest" / "counts.csv").set_index("question_id")
    assert counts.loc["comment", ["answers", "non_answers"]].tolist() == [8, 0]


def test_evaluate_writes_formula_safe_csv(tmp_path: Path, fake_model: None) -> None:
    gold = tmp_path / "gold.csv"
    gold.write_text(
        "id,text,labels\n=1+1,Parking is expensive,parking\n2,Parking costs too much,parking\n"
        "3,Staff were kind,staff\n4,Staff are helpful,staff\n"
    )
    assert cli("evaluate", gold, "--out", tmp_path / "ev").exit_code == 0
    text = (tmp_path / "ev" / "assignments.csv").read_text()
    assert "'=1+1" in text and "\n=1+1" not in text and ",=1+1" not in text


def test_no_module_writes_csv_or_xlsx_around_the_formula_safe_writer() -> None:
    root = Path(__file__).resolve().parents[1] / "pipeline"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name not in ("artifacts.py", "xlsx.py")
        and any(call in path.read_text() for call in (".to_csv(", ".to_excel(", "csv.writer(", "Workbook("))
    ]
    assert offenders == []


def test_outputs_and_configs_respect_the_umask(project: Project, fake_model: None) -> None:
    previous = os.umask(0o022)
    try:
        rows = "".join(f"{i},Parking is too expensive {i}\n" for i in range(1, 9))
        export = project.root / "data" / "p.csv"
        export.parent.mkdir(parents=True)
        export.write_text(f"ID,Comment\n{rows}")
        config = project.root / "configs" / "p.yaml"
        assert cli("init", export, "--out", config).exit_code == 0
        assert cli("run", config).exit_code == 0
    finally:
        os.umask(previous)
    written = [config, *(project.root / "outputs").rglob("*"), *(project.root / "reviews").rglob("*")]
    modes = {oct(stat.S_IMODE(p.stat().st_mode)) for p in written if p.is_file()}
    assert modes == {"0o644"}


# --- 12. minor ----------------------------------------------------------------------------------------------


def test_folder_as_input_path_says_it_is_a_folder(project: Project) -> None:
    project.csv("euro.csv", EURO)
    message = one_line_error(cli("ingest", project.config(input={"path": "../data"})))
    assert "is a folder" in message and "euro.csv" in message


def test_empty_report_formats_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="report.formats: is empty"):
        parse_config({"input": {"path": "x.csv"}, "report": {"formats": []}}, tmp_path, "c.yaml")


def test_ragged_rows_are_counted_not_made_questions(project: Project) -> None:
    text = "ID,Comment,Rate\n1,Good,Agree\n2,Bad,Agree,oops,more\n3,Fine\n4,Ok,Disagree\n5,Great,Agree\n"
    config = project.config(input={"path": project.csv("r.csv", text)})
    result = cli("ingest", config)
    assert result.exit_code == 0 and "do not have the header's 3 fields" in result.output
    questions = pd.read_parquet(project.run_dir() / "01_ingest" / "questions.parquet")
    assert not any(str(c).startswith("Column") for c in questions["source_column"])
    issues = _issues(project.run_dir()).set_index("source_row")
    assert "'oops | more'" in issues.loc["3", "problem"] and "read as blank" in issues.loc["4", "problem"]


def test_init_sheet_option_and_the_empty_first_sheet(project: Project) -> None:
    wb = Workbook()
    wb.active.title = "Cover"
    data = wb.create_sheet("Responses")
    for row in [["ID", "Comment"], [1, "Too slow"], [2, "Too expensive"]]:
        data.append(row)
    export = project.root / "data" / "two.xlsx"
    export.parent.mkdir(parents=True)
    wb.save(export)
    message = one_line_error(cli("init", export, "--out", project.root / "c.yaml"))
    assert "['Responses']" in message and "input.sheet" in message and "--sheet" in message
    assert cli("init", export, "--out", project.root / "c.yaml", "--sheet", "Responses").exit_code == 0
    assert cli("init", export, "--out", project.root / "d.yaml", "--sheet", "1").exit_code == 0
    assert 'sheet: "Responses"' in (project.root / "d.yaml").read_text(encoding="utf-8")


# --- 13. drafts do not depend on run history ----------------------------------------------------------------


def test_drafts_are_the_same_on_a_rerun(project: Project, fake_model: None) -> None:
    config = project.config(input={"path": project.csv("p.csv", THEMED)}, questions=OPEN)
    assert cli("run", config).exit_code == 0
    draft = project.run_dir() / "06_draft" / "comment.md"
    first = draft.read_bytes()
    assert cli("run", config, "--force").exit_code == 0
    assert draft.read_bytes() == first
    assert b"Rerun" not in first and b"First run" not in first
    assert "Rerun:" in (project.run_dir() / "06_draft" / "comment.rerun.md").read_text(encoding="utf-8")
