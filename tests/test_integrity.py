"""Regression tests of issue 20: nothing lost, every number right (hostile files, interrupted runs, concurrent edits).

Each test pins down one defect found by `../shared/probes/integrity_repro.sh` (I1 ... I13), the race N3 or one of
the minor defects of the issue.
"""

from __future__ import annotations

import json
import os
import re
import signal
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
import yaml
from openpyxl import Workbook

import pipeline.runner
from pipeline.artifacts import RunPaths
from pipeline.config import load_config
from pipeline.steps.review import read_draft
from tests.conftest import THEMES
from tests.hardening_helpers import Project, cli, one_line_error

THEMED = "ID,Comment\n" + "".join(
    f"{n},{variants[k % 3].capitalize()} {theme} number {k}.\n"
    for n, (theme, variants, k) in enumerate(((t, v, k) for t, v in THEMES.items() for k in range(8)), start=1)
)
OPEN = [{"column": "ID", "id": "id", "kind": "ignore"}, {"column": "Comment", "id": "comment", "kind": "open"}]


def _issues(run_dir: Path) -> pd.DataFrame:
    return pd.read_csv(run_dir / "01_ingest" / "issues.csv", dtype=str, keep_default_na=False)


def _counts(run_dir: Path) -> dict[str, int]:
    counts = pd.read_csv(run_dir / "01_ingest" / "counts.csv", dtype={"question_id": str})
    return dict(zip(counts["question_id"], counts["respondents"], strict=True))


@pytest.fixture
def themed(project: Project, fake_model: None) -> Path:
    """A project with a 24-answer open question, run once (the review copy exists)."""
    config = project.config(input={"path": project.csv("themed.csv", THEMED)}, questions=OPEN)
    assert cli("run", config).exit_code == 0
    return config


# --- I1 writes never follow a symbolic link ------------------------------------------------------------------


def _edit_review(project: Project) -> Path:
    copy = project.root / "reviews" / "survey" / "comment.yaml"
    data = yaml.safe_load(copy.read_text(encoding="utf-8"))
    data["findings"][0]["title"] = "Renamed by the reviewer"
    copy.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return copy


def test_a_linked_backup_is_refused_and_its_target_untouched(themed: Path, project: Project, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("SAFE\n", encoding="utf-8")
    copy = _edit_review(project)
    (copy.parent / "comment.yaml.bak").symlink_to(victim)
    error = one_line_error(cli("run", themed))
    assert "comment.yaml.bak is a symbolic link" in error and "delete it" in error
    assert victim.read_text(encoding="utf-8") == "SAFE\n"


def test_the_backup_replaces_a_link_rather_than_following_it(themed: Path, project: Project, tmp_path: Path) -> None:
    from pipeline.steps.review.save import _save_review

    victim = tmp_path / "victim.txt"
    victim.write_text("SAFE\n", encoding="utf-8")
    copy = _edit_review(project)
    backup = copy.parent / "comment.yaml.bak"
    backup.symlink_to(victim)  # appeared after the run's check of the folder
    paths = RunPaths(load_config(themed).run_dir)
    draft = read_draft(paths.draft_yaml("comment"))
    assert _save_review(copy, draft, paths.review_record("comment"))
    assert victim.read_text(encoding="utf-8") == "SAFE\n"
    assert not backup.is_symlink() and "Renamed by the reviewer" in backup.read_text(encoding="utf-8")


@pytest.mark.parametrize("folder", ["reviews", "outputs"])
def test_a_linked_run_folder_is_refused(folder: str, project: Project, fake_model: None, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project.root / folder).mkdir(parents=True)
    (project.root / folder / "survey").symlink_to(elsewhere, target_is_directory=True)
    config = project.config(input={"path": project.csv("themed.csv", THEMED)}, questions=OPEN)
    error = one_line_error(cli("run", config))
    assert f"{folder}/survey is a symbolic link" in error
    assert list(elsewhere.iterdir()) == []


def test_a_link_inside_the_run_folder_is_refused(themed: Path, project: Project, tmp_path: Path) -> None:
    stage = project.run_dir() / "02_closed"
    target = tmp_path / "closed_elsewhere"
    stage.rename(target)
    stage.symlink_to(target, target_is_directory=True)
    assert "02_closed is a symbolic link" in one_line_error(cli("run", themed))


# --- I2 a stage whose outputs and stamp disagree is rerun ----------------------------------------------------


def test_a_stage_killed_before_its_stamp_reruns(
    themed: Path, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = project.root / "data" / "themed.csv"
    original = data.read_text(encoding="utf-8")
    data.write_text(original + "".join(f"{i},Parking is too expensive\n" for i in range(101, 121)), encoding="utf-8")
    write = pipeline.runner.write_json

    class Killed(BaseException):
        pass

    def kill_before_stamp(path: Path, obj: object) -> None:
        if path.name == ".stamp.json" and path.parent.name == "01_ingest":
            raise Killed  # as SIGKILL would: nothing after this point runs
        write(path, obj)

    monkeypatch.setattr(pipeline.runner, "write_json", kill_before_stamp)
    with pytest.raises(Killed):
        pipeline.runner.run_stages(load_config(themed))
    monkeypatch.setattr(pipeline.runner, "write_json", write)
    assert _counts(project.run_dir())["comment"] == 44  # the other input's tables are on disk
    data.write_text(original, encoding="utf-8")
    result = cli("run", themed)
    assert result.exit_code == 0 and "ingest    done" in result.output
    assert _counts(project.run_dir())["comment"] == 24


def test_outputs_changed_since_the_stamp_make_the_stage_rerun(themed: Path, project: Project) -> None:
    (project.run_dir() / "02_closed" / "closed.json").unlink()
    result = cli("run", themed)
    assert "closed    done" in result.output and "ingest    skipped" in result.output
    assert (project.run_dir() / "02_closed" / "closed.json").is_file()
    assert "closed    skipped" in cli("run", themed).output


def test_the_manifest_does_not_list_the_output_files(themed: Path, project: Project) -> None:
    manifest = json.loads((project.run_dir() / "manifest.json").read_text(encoding="utf-8"))
    assert all("outputs" not in record for record in manifest["stages"].values())
    stamp = json.loads((project.run_dir() / "01_ingest" / ".stamp.json").read_text(encoding="utf-8"))
    assert "answers.parquet" in stamp["outputs"]


def test_sigkill_before_the_stamp_in_a_real_process(themed: Path, project: Project, tmp_path: Path) -> None:
    """The probe's own hook: the process is killed for real, then the input restored."""
    import subprocess
    import sys

    data = project.root / "data" / "themed.csv"
    original = data.read_text(encoding="utf-8")
    data.write_text(original + "".join(f"{i},Parking is too expensive\n" for i in range(101, 121)), encoding="utf-8")
    hook = tmp_path / "crash.py"
    hook.write_text(
        "import os, signal, sys, pipeline.runner as r\n"
        "w = r.write_json\n"
        "def k(p, o):\n"
        "    if p.name == '.stamp.json' and p.parent.name == '01_ingest': os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return w(p, o)\n"
        "r.write_json = k\n"
        "sys.argv = ['consolidate', 'ingest', sys.argv[1]]\n"
        "from pipeline.launch import main; main()\n",
        encoding="utf-8",
    )
    proc = subprocess.run([sys.executable, str(hook), str(themed)], capture_output=True, check=False)
    assert proc.returncode == -signal.SIGKILL
    data.write_text(original, encoding="utf-8")
    assert cli("run", themed).exit_code == 0
    assert _counts(project.run_dir())["comment"] == 24
    assert os.path.exists(project.run_dir() / "01_ingest" / ".stamp.json")


# --- I10 / I11 YAML: a key given twice, an alias bomb ---------------------------------------------------------

BOMB = (
    "{a: &a [l,l,l,l,l,l,l,l,l], "
    + ", ".join(f"{n}: &{n} [" + ",".join(["*" + p] * 9) + "]" for p, n in zip("abcdefgh", "bcdefghi", strict=True))
    + ", nothing_replies: *i}"
)


def test_a_top_level_key_given_twice_is_an_error_naming_it(project: Project) -> None:
    config = project.config(input={"path": project.csv("themed.csv", THEMED)}, questions=OPEN)
    with config.open("a", encoding="utf-8") as handle:
        handle.write("closed:\n  breakdowns: [id]\nclosed:\n  threshold: 0.8\n")
    error = one_line_error(cli("ingest", config))
    assert "key 'closed' is given twice" in error and "merge the two" in error


def test_a_nested_key_given_twice_is_an_error_and_merge_keys_still_work(tmp_path: Path) -> None:
    from pipeline.config import load_config
    from pipeline.errors import ConfigError

    path = tmp_path / "c.yaml"
    path.write_text("input:\n  path: x.csv\n  sheet: 1\n  sheet: 2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"key 'sheet' is given twice \(lines 3 and 4\)"):
        load_config(path)
    path.write_text("x: &c {min_cluster_size: 3}\ninput: {path: x.csv}\ncluster: {<<: *c, min_cluster_size: 4}\n")
    with pytest.raises(ConfigError, match="x: Extra inputs"):  # the anchor's key is not a section; merging is fine
        load_config(path)


def test_an_alias_bomb_is_a_one_line_error_at_once(project: Project) -> None:
    import time

    config = project.config(input={"path": project.csv("themed.csv", THEMED)}, questions=OPEN)
    text = config.read_text(encoding="utf-8").replace(
        "  kind: open\n", f"  kind: open\n  overrides:\n    cluster: {BOMB}\n"
    )
    config.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    error = one_line_error(cli("ingest", config))
    assert time.perf_counter() - started < 5
    assert "aliases (*name) expand to" in error and "write the values out" in error


def test_a_review_copy_with_a_key_given_twice_is_refused(themed: Path, project: Project) -> None:
    copy = project.root / "reviews" / "survey" / "comment.yaml"
    text = copy.read_text(encoding="utf-8")
    copy.write_text(text.replace("\n  status: draft\n", "\n  status: rejected\n  status: draft\n", 1), encoding="utf-8")
    error = one_line_error(cli("run", themed))
    assert "comment.yaml: key 'status' is given twice" in error


# --- I3 / I4 / I12 workbooks: stale dimension, formulas without values, zip bombs; hidden sheets -----------------


def _rewrite_member(source: Path, target: Path, edit: Callable[[str, bytes], bytes]) -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, edit(info.filename, zin.read(info.filename)))
    return target


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def test_rows_past_a_stale_dimension_are_read_and_noted(project: Project) -> None:
    data = project.root / "data"
    data.mkdir(parents=True)
    plain = _workbook(data / "plain.xlsx", [["ID", "Comment"], *([i, f"Answer {i}"] for i in range(1, 21))])

    def stale(name: str, content: bytes) -> bytes:
        said = b'<dimension ref="A1:B5"/>'
        return re.sub(rb'<dimension ref="[^"]*"/>', said, content) if "sheet1" in name else content

    _rewrite_member(plain, data / "stale.xlsx", stale)
    config = project.config(input={"path": "../data/stale.xlsx"}, questions=OPEN)
    result = cli("ingest", config)
    assert result.exit_code == 0 and "says it holds A1:B5 but holds A1:B21" in result.output
    assert _counts(project.run_dir())["comment"] == 20
    assert "every row was read" in _issues(project.run_dir())["problem"].iloc[0]


def test_formula_cells_without_a_stored_value_are_listed(project: Project) -> None:
    rows: list[list[object]] = [["ID", "Comment"]]
    rows += [[i, '="Parking "&"is expensive"' if i <= 6 else "Staff kind"] for i in range(1, 13)]
    (project.root / "data").mkdir(parents=True)
    _workbook(project.root / "data" / "formula.xlsx", rows)
    config = project.config(input={"path": "../data/formula.xlsx"}, questions=OPEN)
    result = cli("ingest", config)
    assert result.exit_code == 0 and "6 formula cell(s) whose value the file does not store" in result.output
    issues = _issues(project.run_dir())
    assert issues["source_row"].tolist() == [str(r) for r in range(2, 8)]
    assert set(issues["column"]) == {"Comment"} and "cell B2 holds a formula" in issues["problem"].iloc[0]


def test_formula_cells_with_a_stored_value_are_read(tmp_path: Path) -> None:
    from pipeline.readers.files import load_grid

    path = _workbook(tmp_path / "f.xlsx", [["ID", "Total"], [1, "=1+1"]])
    stored = _rewrite_member(
        path, tmp_path / "stored.xlsx", lambda name, content: content.replace(b"<v></v>", b"<v>2</v>")
    )
    grid = load_grid(stored)
    assert grid.rows[1] == ["1", "2"] and grid.problems == ()


def test_a_zip_bomb_is_refused_in_one_line_without_decompressing_it(tmp_path: Path) -> None:
    small = _workbook(tmp_path / "small.xlsx", [["ID", "Comment"], [1, "PLACEHOLDER"]])
    bomb = _rewrite_member(
        small, tmp_path / "bomb.xlsx", lambda name, content: content.replace(b"PLACEHOLDER", b"A" * 120_000_000)
    )
    assert bomb.stat().st_size < 500_000
    error = one_line_error(cli("init", bomb, "--out", tmp_path / "bomb.yaml"))
    assert "expands from" in error and "zip bomb" in error


def test_a_cell_of_megabytes_is_refused(tmp_path: Path) -> None:
    import random
    import string

    text = "".join(random.Random(1).choices(string.ascii_letters, k=2_500_000)).encode()
    small = _workbook(tmp_path / "small.xlsx", [["ID", "Comment"], [1, "PLACEHOLDER"]])
    big = _rewrite_member(small, tmp_path / "big.xlsx", lambda name, content: content.replace(b"PLACEHOLDER", text))
    error = one_line_error(cli("init", big, "--out", tmp_path / "big.yaml"))
    assert "holds a cell of more than 1,048,576 bytes" in error


def test_init_skips_a_hidden_first_sheet_and_names_the_others(tmp_path: Path) -> None:
    wb = Workbook()
    old = wb.active
    old.title = "Old"
    old.append(["ID", "Comment"])
    old.sheet_state = "hidden"
    new = wb.create_sheet("Responses")
    for row in [["ID", "Comment"], *([i, f"Answer {i}"] for i in range(1, 6))]:
        new.append(row)
    wb.create_sheet("Notes").append(["x"])
    wb.save(tmp_path / "h.xlsx")
    assert cli("init", tmp_path / "h.xlsx", "--out", tmp_path / "h.yaml").exit_code == 0
    text = (tmp_path / "h.yaml").read_text(encoding="utf-8")
    assert 'sheet: "Responses"' in text
    assert '# the workbook also has "Old" (hidden), "Notes"; hidden sheets are skipped' in text


# --- I5 / I6 / I7 CSV: a repeated header row, an unclosed quote, NFC/NFD spellings; control characters ---------

WHO = "ID,Comment,Who are you?\n" + "".join(
    f"{i},{'Parking is too expensive' if i % 2 else 'Staff were kind'},{'Citizen' if i % 3 else 'Business'}\n"
    for i in range(1, 31)
)


def test_a_header_row_repeated_mid_file_is_not_a_respondent(project: Project, tmp_path: Path) -> None:
    rows = WHO.splitlines()
    joined = "\n".join([*rows, rows[0], *(f"1{r}" for r in rows[1:])]) + "\n"
    path = project.csv("twice.csv", joined)
    assert cli("init", project.root / "data" / "twice.csv", "--out", tmp_path / "twice.yaml").exit_code == 0
    drafted = yaml.safe_load((tmp_path / "twice.yaml").read_text(encoding="utf-8"))
    who = next(q for q in drafted["questions"] if q["column"] == "Who are you?")
    assert who["options"] == ["Citizen", "Business"]
    config = project.config(input={"path": path})
    result = cli("ingest", config)
    assert result.exit_code == 0 and "1 row(s) repeat the header row" in result.output
    assert set(_counts(project.run_dir()).values()) == {60}
    issues = _issues(project.run_dir())
    assert issues["source_row"].tolist() == ["32"] and "repeats the header row" in issues["problem"].iloc[0]


def test_a_single_column_answer_equal_to_its_header_is_kept() -> None:
    from pipeline.readers.checks import repeated_headers

    found, shaped = repeated_headers([["Comment"], ["Comment"], ["Fine"]], 1, 0, "x.csv")
    assert found == set() and shaped.problems == ()


QUOTE = 'ID,Comment,Rating\n1,"Fine",Agree\n2,"Parking is bad, really,Agree\n3,"Staff kind",Disagree\n'
QUOTE += '4,"Queues",Agree\n'


def test_an_unclosed_quote_does_not_swallow_the_next_rows(project: Project) -> None:
    config = project.config(input={"path": project.csv("quote.csv", QUOTE + '5,"Food\n')})
    result = cli("ingest", config)
    assert result.exit_code == 0 and "2 row(s) have a quote that does not close" in result.output
    answers = pd.read_parquet(project.run_dir() / "01_ingest" / "answers.parquet")
    comments = answers[answers["question_id"] == "comment"]["value"].tolist()
    assert comments == ["Fine", "Parking is bad, really,Agree", "Staff kind", "Queues", "Food"]
    listed = _issues(project.run_dir())
    quote = listed[listed["problem"].str.startswith("a quote in this row")]
    assert quote["source_row"].tolist() == ["3", "6"]


def test_an_unclosed_quote_closed_by_a_later_field_does_not_swallow_rows() -> None:
    """The stray quote of row 2 closes at the opening quote of row 3's field ", also": strictly valid CSV."""
    from pipeline.readers.csvtext import parse_csv

    rows, problems = parse_csv('ID,Comment,Rating\n1,Fine,Agree\n2,"Bad, really,Agree\n3,", also",No\n4,Q,Agree\n', ",")
    assert rows[2:] == [["2", "Bad, really,Agree"], ["3", ", also", "No"], ["4", "Q", "Agree"]]
    assert [row for row, _, _ in problems] == [3]


def test_a_stray_quote_does_not_mislead_the_delimiter_sniffer() -> None:
    """Found by the long fuzz run: read leniently, the stray quote swallowed the tab-separated rows after it, tabs
    looked inconsistent and the file was read as one column."""
    from pipeline.readers.files import sniff_delimiter

    rows = ["ID\tComment\tRating", '1\t"Bad\tAgree', "2\tFine\tAgree", '3\tFine\t"Agree"', "4\tFine\tNo"]
    assert sniff_delimiter("\r\n".join(rows) + "\r\n") == "\t"


def test_a_tab_separated_file_with_many_ragged_rows_is_read_at_tabs() -> None:
    """Found by the long fuzz run: a third of the rows had cells added or missing, no delimiter looked consistent,
    and the file was read at ',' as one column, split again at a carriage return inside a quoted header cell."""
    from pipeline.readers.files import sniff_delimiter

    rows = ['"Who\rare you"\tID\tComment', "a\t1\tFine", "b\t2\tFine\textra", "c\t3", "d\t4\tNo\textra", "e\t5\tOk"]
    assert sniff_delimiter("\r\n".join(rows) + "\r\n") == "\t"
    assert sniff_delimiter("ID\nFine, really\nGood\n") == ","  # one column: nothing splits the rows


def test_quoted_fields_spanning_lines_are_still_one_record() -> None:
    from pipeline.readers.csvtext import parse_csv

    rows, problems = parse_csv('ID,Comment\n1,"two\nlines, and ""quotes"""\n2,x\n3,"Point one,\n4 buses"\n', ",")
    assert rows[1:] == [["1", 'two\nlines, and "quotes"'], ["2", "x"], ["3", "Point one,\n4 buses"]]
    assert problems == []


def test_one_option_in_nfc_and_nfd_spelling_is_one_option(tmp_path: Path) -> None:
    import unicodedata

    lines = ["ID,Choice"] + [f"{i}," + unicodedata.normalize("NFC" if i % 2 else "NFD", "Café") for i in range(1, 21)]
    (tmp_path / "nfd.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert cli("init", tmp_path / "nfd.csv", "--out", tmp_path / "nfd.yaml").exit_code == 0
    drafted = yaml.safe_load((tmp_path / "nfd.yaml").read_text(encoding="utf-8"))
    assert [q["options"] for q in drafted["questions"] if q["column"] == "Choice"] == [["Café"]]


def test_control_and_text_direction_characters_never_reach_an_output(themed: Path, project: Project) -> None:
    evil = "ID,Comment\n" + "".join(
        f"{i},Parking \x1b[31mis\x1b[0m too expensive \u202egnikrap\x07 number {i}\u2066\n" for i in range(1, 13)
    )
    (project.root / "data" / "themed.csv").write_text(THEMED + evil.split("\n", 1)[1], encoding="utf-8")
    assert cli("run", themed).exit_code == 0
    written = [*project.run_dir().rglob("*.md"), *project.run_dir().rglob("*.csv"), *project.root.rglob("*.yaml")]
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]", text.replace("\r\n", "")), path
    answers = pd.read_parquet(project.run_dir() / "01_ingest" / "answers.parquet")
    assert "Parking [31mis[0m too expensive gnikrap number 1" in answers["value"].tolist()


# --- I8 / I9 personal data: name and phone columns under common headers, contact details the masker missed ------


@pytest.mark.parametrize(
    "header",
    ["Your name (optional)", "Full Name*", "Nom et prénom", "Vorname", "Mobile", "Tel", "Tel.:", "Nombre y apellidos"],
)
def test_name_and_phone_columns_under_common_headers_are_personal(header: str, tmp_path: Path) -> None:
    rows = [f"ID,{header},Comments"] + [f"{i},Person{i} Smith{i},Parking is too expensive {i}" for i in range(1, 31)]
    (tmp_path / "names.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert cli("init", tmp_path / "names.csv", "--out", tmp_path / "names.yaml").exit_code == 0
    drafted = yaml.safe_load((tmp_path / "names.yaml").read_text(encoding="utf-8"))
    assert [q["kind"] for q in drafted["questions"] if q["column"] == header] == ["personal"]


def test_a_column_of_phone_numbers_is_personal_whatever_its_header(tmp_path: Path) -> None:
    rows = ["ID,How to reach you,Comments"] + [f"{i},020 7946 {1000 + i},Parking {i}" for i in range(1, 31)]
    (tmp_path / "p.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert cli("init", tmp_path / "p.csv", "--out", tmp_path / "p.yaml").exit_code == 0
    drafted = yaml.safe_load((tmp_path / "p.yaml").read_text(encoding="utf-8"))
    reach = next(q for q in drafted["questions"] if q["column"] == "How to reach you")
    assert reach["kind"] == "personal"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("write to jane at example dot org please", "write to [email] please"),
        ("jane(at)example.org", "[email]"),
        ("jane [at] example [dot] co [dot] uk", "[email]"),
        ("jane＠example.org", "[email]"),
        ("jane @ example.org", "[email]"),
        ("J.Smith AT example DOT com", "[email]"),
        ("call +44\u201120\u20117946\u20110958", "call [phone]"),
        ("ring 7946 0958", "ring [phone]"),
        ("ring 7946\u20130958 today", "ring [phone] today"),
    ],
)
def test_disguised_contact_details_are_masked(text: str, masked: str) -> None:
    from pipeline.privacy import mask_cells, mask_text

    assert mask_text(text, ["email", "phone"])[0] == masked
    assert mask_cells(["nothing here", text], ["email", "phone"])[0] == ["nothing here", masked]


@pytest.mark.parametrize(
    "text",
    ["I looked at example.org for info", "from 2020 2024", "between 2019-2023", "budget 400,000", "ref 12345678"],
)
def test_text_that_only_looks_like_contact_details_is_kept(text: str) -> None:
    from pipeline.privacy import mask_text

    assert mask_text(text, ["email", "phone"])[0] == text


def test_the_title_init_proposes_leaves_out_emails_and_phones() -> None:
    from pipeline.init import proposed_title

    assert proposed_title(Path("survey_jane@example.org_020 7946 0958.csv")) == "Survey"
    assert proposed_title(Path("AI_whitepaper-export_v2.xlsx")) == "AI whitepaper"


# --- N3 a reviewer's save while the draft stage runs is merged, never written over ------------------------------


def _reject_in_browser(config: Path, finding: int = 0) -> str:
    """Save a rejection through `review serve`'s store, as a reviewer's click would; returns the finding id."""
    from pipeline.review_web.edits import Edit
    from pipeline.review_web.store import ReviewStore

    store = ReviewStore(config)
    loaded = store.load("comment")
    fid = loaded.draft.findings[finding].id
    store.edit("comment", Edit(kind="status", finding=fid, text="rejected"), loaded.version)
    return fid


def test_a_save_made_while_the_draft_stage_reconciles_is_merged(
    themed: Path, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipeline.steps.review.save as draft_step

    reconcile = draft_step.reconcile_question
    saved: list[str] = []

    def reconcile_then_reviewer_saves(*args: object, **kwargs: object) -> object:
        result = reconcile(*args, **kwargs)  # type: ignore[arg-type]
        if not saved:  # the reviewer clicks Reject between the stage's read and its write
            saved.append(_reject_in_browser(themed))
        return result

    monkeypatch.setattr(draft_step, "reconcile_question", reconcile_then_reviewer_saves)
    assert cli("draft", themed).exit_code == 0
    copy = read_draft(project.root / "reviews" / "survey" / "comment.yaml")
    assert {f.id: f.status for f in copy.findings}[saved[0]] == "rejected"
    assert cli("report", themed).exit_code == 0
    assert copy.findings[0].title not in (project.run_dir() / "07_report" / "report.md").read_text(encoding="utf-8")


def test_a_copy_that_keeps_changing_is_left_as_the_reviewer_saved_it(
    themed: Path, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipeline.steps.review.save as draft_step

    reconcile = draft_step.reconcile_question
    copy = project.root / "reviews" / "survey" / "comment.yaml"
    calls: list[int] = []

    def reconcile_then_reviewer_saves(*args: object, **kwargs: object) -> object:
        result = reconcile(*args, **kwargs)  # type: ignore[arg-type]
        calls.append(1)
        copy.write_text(copy.read_text(encoding="utf-8") + f"# reviewer's edit {len(calls)}\n", encoding="utf-8")
        return result

    monkeypatch.setattr(draft_step, "reconcile_question", reconcile_then_reviewer_saves)
    error = one_line_error(cli("draft", themed))
    assert "changed on disk during each of 3 reconciliations" in error
    assert copy.read_text(encoding="utf-8").endswith("# reviewer's edit 3\n")


def test_the_browser_save_waits_for_the_stage_to_finish_writing(themed: Path, project: Project) -> None:
    """While the draft stage holds the review folder's lock, a browser save blocks, then sees the new file."""
    import threading

    from pipeline.artifacts import folder_lock
    from pipeline.review_web.edits import Edit
    from pipeline.review_web.store import ReviewStore, StaleError

    store = ReviewStore(themed)
    loaded = store.load("comment")
    copy = project.root / "reviews" / "survey" / "comment.yaml"
    outcome: list[str] = []

    def save() -> None:
        try:
            store.edit("comment", Edit(kind="note", finding=loaded.draft.findings[0].id, text="hi"), loaded.version)
            outcome.append("written")
        except StaleError:
            outcome.append("stale")

    with folder_lock(copy.parent):
        worker = threading.Thread(target=save)
        worker.start()
        worker.join(0.5)
        assert worker.is_alive() and outcome == []  # waiting for the lock
        copy.write_text(copy.read_text(encoding="utf-8") + "# the run rewrote it\n", encoding="utf-8")
    worker.join(10)
    assert outcome == ["stale"] and copy.read_text(encoding="utf-8").endswith("# the run rewrote it\n")


# --- I13 review copies that no question reads ----------------------------------------------------------------


def test_a_renamed_question_id_warns_about_the_orphaned_review_copy(themed: Path, project: Project) -> None:
    _reject_in_browser(themed)
    assert cli("run", themed).exit_code == 0
    renamed = [{**q, "id": "comment_text"} if q["id"] == "comment" else q for q in OPEN]
    config = project.config(input={"path": "../data/themed.csv"}, questions=renamed)
    result = cli("run", config)
    assert result.exit_code == 0
    assert "reviews/survey/comment.yaml is the review copy of question 'comment', which this config no longer has" in (
        result.output
    )
    assert "(1 rejected)" in result.output and "give the question its id 'comment' back" in result.output
    annex = (project.run_dir() / "07_report" / "report.md").read_text(encoding="utf-8")
    assert "no longer has" in annex


def test_a_renamed_config_warns_that_another_run_reviews_the_same_question(themed: Path, project: Project) -> None:
    _reject_in_browser(themed)
    renamed = [{**q, "id": "comment_text"} if q["id"] == "comment" else q for q in OPEN]
    config = project.config("renamed", input={"path": "../data/themed.csv"}, questions=renamed)
    result = cli("run", config)
    assert result.exit_code == 0
    assert "comment_text: reviews/renamed/comment_text.yaml holds no edit, but the review copy" in result.output
    assert "reviews/survey/comment.yaml of run 'survey'" in result.output and "set run.name: survey" in result.output
    _reject_in_browser_of(config, "comment_text")
    assert "holds no edit" not in cli("run", config).output  # the warning stops once this copy holds an edit


def _reject_in_browser_of(config: Path, qid: str) -> None:
    from pipeline.review_web.edits import Edit
    from pipeline.review_web.store import ReviewStore

    store = ReviewStore(config)
    loaded = store.load(qid)
    store.edit(qid, Edit(kind="status", finding=loaded.draft.findings[0].id, text="accepted"), loaded.version)


def test_a_stray_file_in_the_review_folder_is_left_alone(themed: Path, project: Project) -> None:
    (project.root / "reviews" / "survey" / "notes.yaml").write_text("todo: [check the counts]\n", encoding="utf-8")
    result = cli("review", "status", themed)
    assert result.exit_code == 0 and result.output.startswith("comment:")
    assert cli("run", themed).exit_code == 0


# --- minor defects of issue 20 --------------------------------------------------------------------------------


def test_bare_links_in_answers_are_not_clickable_in_markdown() -> None:
    from markdown_it import MarkdownIt

    from pipeline.mdtext import escape_md

    text = "see https://example.org/x, HTTP://x.org and www.example.org (www. alone stays)"
    escaped = escape_md(text)
    assert escaped == "see https\\://example.org/x, HTTP\\://x.org and www\\.example.org (www. alone stays)"
    assert MarkdownIt("commonmark").render(escaped) == f"<p>{text}</p>\n"  # reads the same


def test_a_corrupt_embedding_cache_is_moved_aside_and_rebuilt(themed: Path, project: Project) -> None:
    from pipeline.embedders import CachedEmbedder, EmbeddingCache
    from tests.conftest import FakeEmbedder

    path = project.root / "outputs" / ".cache" / "embeddings.sqlite"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"this is not a database" * 100)
    embedder = CachedEmbedder(FakeEmbedder(), EmbeddingCache(path))
    assert embedder.embed(["parking is expensive"]).shape == (1, 64)
    assert path.with_name("embeddings.sqlite.corrupt").is_file()
    assert embedder.embed(["parking is expensive"]).shape == (1, 64) and embedder.computed == 1  # cached now


def test_a_stored_vector_of_the_wrong_size_is_computed_again(tmp_path: Path) -> None:
    import numpy as np

    from pipeline.embedders import CachedEmbedder, EmbeddingCache, text_key
    from tests.conftest import FakeEmbedder

    cache = EmbeddingCache(tmp_path / "e.sqlite")
    good = CachedEmbedder(FakeEmbedder(), cache)
    good.embed(["one", "two", "three"])
    cache.put(good.stored_as, {text_key("two"): np.zeros(7, dtype=np.float32)})
    again = CachedEmbedder(FakeEmbedder(), cache)
    assert again.embed(["one", "two", "three"]).shape == (3, 64) and again.computed == 1


POLIS = "comment-id,author-id,agrees,disagrees,moderated,comment-body\n" + "".join(
    f"{i},{i},{votes},1,1,Comment number {i} about parking\n"
    for i, votes in [(1, "3"), (2, "-5"), (3, "lots"), (4, "2"), (4, "9"), (5, "1")]
)


def test_polis_counts_that_are_not_counts_and_repeated_ids_are_listed(project: Project) -> None:
    path = project.root / "data" / "polis" / "comments.csv"
    path.parent.mkdir(parents=True)
    path.write_text(POLIS, encoding="utf-8")
    assert cli("init", path, "--out", project.root / "configs" / "polis.yaml").exit_code == 0
    result = cli("ingest", project.root / "configs" / "polis.yaml")
    assert result.exit_code == 0 and "1 comment(s) repeat an earlier comment id" in result.output
    issues = _issues(project.run_dir("polis"))
    problems = dict(zip(issues["source_row"], issues["problem"], strict=True))
    assert problems["3"] == "agrees '-5' is not a number of votes: read as 0"
    assert problems["4"] == "agrees 'lots' is not a number of votes: read as 0"
    assert problems["6"].startswith("comment id '4' repeats an earlier comment's")
    votes = pd.read_parquet(project.run_dir("polis") / "01_ingest" / "votes.parquet")
    assert votes.loc[votes["comment_id"] == "4", "agrees"].tolist() == [2]  # counted once


def test_a_comment_after_a_long_note_is_not_padded_to_its_old_column() -> None:
    from pipeline.steps.review.roundtrip import update_text

    previous = "a: 1\nnote: " + "x" * 5000 + "  # checked\nb: 2   # aligned\n"
    assert update_text(previous, {"a": 1, "note": "short", "b": 3}) == "a: 1\nnote: short # checked\nb: 3   # aligned\n"


def test_one_cp1252_byte_in_a_utf8_file_garbles_nothing(project: Project) -> None:
    data = "ID,Comment\n1,Café très bon\n2,Crème brûlée\n3,It’s fine\n".encode().replace("’".encode(), b"\x92")
    config = project.config(input={"path": project.csv("mixed.csv", data)}, questions=OPEN)
    assert cli("ingest", config).exit_code == 0
    answers = pd.read_parquet(project.run_dir() / "01_ingest" / "answers.parquet")
    assert answers["value"].tolist() == ["Café très bon", "Crème brûlée", "It’s fine"]
    problem = _issues(project.run_dir())["problem"].iloc[0]
    assert "utf-8, except 1 byte(s) that are not UTF-8 (the first on line 4), read as cp1252" in problem


@pytest.mark.parametrize("name", ["con", "NUL", "com1", "LPT9.txt", "aux.yaml", "ends."])
def test_windows_reserved_run_names_are_refused(name: str, tmp_path: Path) -> None:
    from pipeline.config import parse_config
    from pipeline.errors import ConfigError

    with pytest.raises(ConfigError, match="reserves for a device"):
        parse_config({"input": {"path": "x.csv"}, "run": {"name": name}}, tmp_path, "c.yaml")
    with pytest.raises(ConfigError, match="reserves for a device"):
        parse_config({"input": {"path": "x.csv"}}, tmp_path, f"{name}.yaml" if "." not in name else name)
