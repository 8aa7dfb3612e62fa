"""Ingest: every export format normalises to the same tables; statuses, ids, issues; bad input fails clearly."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from pipeline.artifacts import (
    RunPaths,
)
from pipeline.config import PipelineConfig, load_config, parse_config
from pipeline.detect.values import split_multi
from pipeline.errors import ConfigError, InputError, PipelineError
from pipeline.readers import RawExport, read_export
from pipeline.stages.ingest import IngestResult, run_ingest
from pipeline.steps.ingest import step
from tests.contracts import check_contracts

EXPORTS = Path(__file__).resolve().parents[1] / "data" / "exports"
SAME_SURVEY = [
    "msforms.xlsx",
    "msforms.csv",
    "msforms_cp1252.csv",
    "google.csv",
    "qualtrics.csv",
    "surveymonkey.csv",
    "limesurvey.csv",
    "eusurvey.csv",
    "generic.yaml",
]


def _make_fixtures() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_fixtures", EXPORTS / "make_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FIXTURES = _make_fixtures()


def config_for(name: str, base: Path = EXPORTS, **extra: object) -> PipelineConfig:
    if name.endswith(".yaml"):
        return load_config(base / name)
    return parse_config({"input": {"path": name}, **extra}, base)


def ingest(name: str, base: Path = EXPORTS, **extra: object) -> tuple[RawExport, IngestResult]:
    cfg = config_for(name, base, **extra)
    raw = read_export(cfg.resolve(cfg.input.path), cfg.input)
    return raw, run_ingest(raw, cfg)


def semantic(result: IngestResult) -> dict[str, pd.DataFrame]:
    order = {rid: i for i, rid in enumerate(result.respondents["respondent_id"])}
    answers = result.answers.assign(respondent=result.answers["respondent_id"].map(order))
    questions = result.questions[["question_id", "text", "kind", "options", "block", "other_of"]].copy()
    questions["options"] = questions["options"].map(tuple)
    return {
        "respondents": result.respondents.drop(columns=["respondent_id", "source_row"]).reset_index(drop=True),
        "questions": questions.reset_index(drop=True),
        "answers": answers[["respondent", "question_id", "value", "status"]].reset_index(drop=True),
        "counts": result.counts.reset_index(drop=True),
    }


@pytest.fixture(scope="module")
def reference() -> dict[str, pd.DataFrame]:
    return semantic(ingest("msforms.xlsx")[1])


def test_fixture_files_match_their_generator() -> None:
    for name, data in FIXTURES.fixtures().items():
        assert (EXPORTS / name).read_bytes() == data, f"{name} is stale; run make_fixtures.py"


@pytest.mark.parametrize("name", SAME_SURVEY)
def test_every_format_normalises_to_the_same_tables(name: str, reference: dict[str, pd.DataFrame]) -> None:
    got = semantic(ingest(name)[1])
    for table, expected in reference.items():
        pd.testing.assert_frame_equal(got[table], expected, obj=f"{name}: {table}")


@pytest.mark.parametrize("name", SAME_SURVEY)
def test_tables_follow_the_contracts(name: str) -> None:
    _, result = ingest(name)
    check_contracts(result)
    # The only issue row: the cp1252 file says which encoding was guessed, and how sure that is.
    expected = ["encoding"] if name == "msforms_cp1252.csv" else []
    assert [p.split(":")[0] for p in result.issues["problem"]] == expected


def test_expected_content_of_the_tiny_survey() -> None:
    _, result = ingest("msforms_cp1252.csv")
    answers = result.answers
    improved = answers[answers["question_id"] == "improved"].set_index("respondent_id")
    assert improved.loc["2", "status"] == "non_answer"
    assert "4" not in improved.index  # blank: no row
    assert improved.loc["3", "value"] == "The sessions were too long.\nShorter modules would help."
    assert improved.loc["5", "value"] == "Café breaks were too short – more “networking” time"
    assert improved.loc["6", "value"] == "- Provide the slides in advance."  # formula-like text kept as is
    topics = answers[answers["question_id"] == "topics_interest"]
    assert topics[topics["respondent_id"] == "1"]["value"].tolist() == ["Cybersecurity", "AI, data and analytics"]
    counts = result.counts.set_index("question_id")
    assert counts.loc["improved", ["answers", "non_answers", "blank"]].tolist() == [4, 1, 1]
    assert result.respondents["respondent_type"].tolist()[:2] == ["Government", "Academia"]
    likert = result.questions.set_index("question_id").loc["training_useful"]
    assert likert["block"] == "How much do you agree with the following statements?"
    assert list(likert["options"]) == ["Strongly agree", "Agree", "Neutral", "Disagree", "Strongly disagree"]


@pytest.mark.parametrize(
    ("name", "first_id"),
    [
        ("msforms.xlsx", "1"),
        ("google.csv", "R0001"),
        ("qualtrics.csv", "R_01abcXYZ"),
        ("eusurvey.csv", "F00001"),
        ("surveymonkey.csv", "11401"),
        ("generic.yaml", "G1"),
    ],
)
def test_respondent_ids_are_the_exports_own_or_numbered(name: str, first_id: str) -> None:
    _, result = ingest(name)
    assert result.respondents["respondent_id"].iloc[0] == first_id


def test_repeated_export_ids_fall_back_to_numbering(tmp_path: Path) -> None:
    rows = FIXTURES.msforms_rows()
    for row in rows[1:]:
        row[0] = "7"
    (tmp_path / "dup.csv").write_text(FIXTURES._csv(rows), encoding="utf-8")
    _, result = ingest("dup.csv", tmp_path)
    assert result.respondents["respondent_id"].tolist() == [f"R000{i}" for i in range(1, 7)]


def test_source_rows_count_header_rows() -> None:
    _, qualtrics = ingest("qualtrics.csv")
    _, monkey = ingest("surveymonkey.csv")
    assert qualtrics.respondents["source_row"].tolist() == [4, 5, 6, 7, 8, 9]
    assert monkey.respondents["source_row"].tolist() == [3, 4, 5, 6, 7, 8]


def test_personal_columns_appear_nowhere() -> None:
    for name in SAME_SURVEY:
        _, result = ingest(name)
        frames = [v for v in result.__dict__.values() if isinstance(v, pd.DataFrame)]
        text = "\n".join(frame.astype(str).to_csv() for frame in frames)
        for secret in [*FIXTURES.EMAILS, *FIXTURES.NAMES]:
            assert secret not in text, (name, secret)


def test_step_writes_no_personal_data(tmp_path: Path) -> None:
    for name in SAME_SURVEY:
        cfg = config_for(name).model_copy(update={"run": config_for(name).run.model_copy(update={"name": "t"})})
        paths = RunPaths(tmp_path / name)
        report = step(cfg, paths)
        assert report.facts["respondents"] == 6 and report.facts["questions"] == 6
        written = [p for p in (tmp_path / name).rglob("*") if p.is_file()]
        assert {p.name for p in written} >= {
            "respondents.parquet",
            "questions.parquet",
            "answers.parquet",
            "counts.csv",
            "issues.csv",
        }
        blob = b"".join(p.read_bytes() for p in written)
        for secret in [*FIXTURES.EMAILS, *FIXTURES.NAMES, "Okafor", "192.0.2.1"]:
            assert secret.encode() not in blob, (name, secret)


def test_polis_moderated_out_rows_are_issues_not_answers() -> None:
    raw, result = ingest("polis.csv")
    assert raw.format == "polis"
    # moderated = 1 kept; -1 moderated out; 0 never moderated in a conversation that accepted comments: dropped
    assert result.answers["value"].tolist() == ["Hold regular youth forums", "Pay young people for their time"]
    assert result.issues["source_row"].tolist() == [3, 5]
    assert "moderated out" in result.issues["problem"].iloc[0]
    assert "never moderated" in result.issues["problem"].iloc[1]
    _, kept = ingest("polis.csv", input={"path": "polis.csv", "polis_unmoderated": "keep"})
    assert kept.answers["value"].tolist()[-1] == "Use social media to reach them"
    assert kept.issues["source_row"].tolist() == [3]


def test_unknown_choice_values_are_unreadable_with_an_issue(tmp_path: Path) -> None:
    rows = FIXTURES.msforms_rows()
    rows[3][8] = "Maybe"  # single choice of respondent 3
    rows[4][9] = "Cybersecurity;Quantum;"  # multi of respondent 4: one known, one unknown
    rows[5][6] = "strongly AGREE"  # likert, other spelling
    (tmp_path / "odd.csv").write_text(FIXTURES._csv(rows), encoding="utf-8")
    questions = [q.to_config() for q in _detected("msforms.csv")]
    questions = [
        q.model_copy(update={"options": ["Yes", "No", "Not sure"]}) if q.id == "recommend_course" else q
        for q in questions
    ]
    questions = [
        q.model_copy(update={"options": list(FIXTURES.OPTIONS)}) if q.id == "topics_interest" else q for q in questions
    ]
    cfg = parse_config({"input": {"path": "odd.csv"}, "questions": [q.model_dump() for q in questions]}, tmp_path)
    result = run_ingest(read_export(tmp_path / "odd.csv", cfg.input), cfg)
    answers = result.answers.set_index(["respondent_id", "question_id"])
    assert answers.loc[("3", "recommend_course"), "status"] == "unreadable"
    assert answers.loc[("3", "recommend_course"), "value"] == "Maybe"
    assert answers.loc[("4", "topics_interest"), "status"].tolist() == ["answer", "unreadable"]
    assert answers.loc[("4", "training_useful"), "value"] == "Strongly agree"
    assert result.issues["question_id"].tolist() == ["recommend_course", "topics_interest"]
    assert result.issues["source_row"].tolist() == [4, 5]
    assert "'Maybe'" in result.issues["problem"].iloc[0]
    counts = result.counts.set_index("question_id")
    assert counts.loc["recommend_course", "unreadable"] == 1
    assert counts.loc["topics_interest", "unreadable"] == 0  # the cell also holds a valid choice
    check_contracts(result)


def _detected(name: str) -> list:  # type: ignore[type-arg]
    from pipeline.detect import detect_questions

    return detect_questions(read_export(EXPORTS / name))


def test_non_answers(tmp_path: Path) -> None:
    rows = FIXTURES.msforms_rows()
    for row, text in zip(rows[1:], ["No comments.", "...", " ", "See written response", "Fine as is", ""], strict=True):
        row[10] = text
    (tmp_path / "na.csv").write_text(FIXTURES._csv(rows), encoding="utf-8")
    questions = [q.to_config() for q in _detected("msforms.csv")]
    cfg = parse_config({"input": {"path": "na.csv"}, "questions": [q.model_dump() for q in questions]}, tmp_path)
    result = run_ingest(read_export(tmp_path / "na.csv", cfg.input), cfg)
    improved = result.answers[result.answers["question_id"] == "improved"]
    assert improved["status"].tolist() == ["non_answer"] * 4 + ["answer"]
    assert result.counts.set_index("question_id").loc["improved", "blank"] == 1


def test_many_no_and_none_replies_do_not_make_an_open_question_a_choice(tmp_path: Path) -> None:
    from pipeline.detect import detect_questions

    texts = ["No"] * 10 + ["None"] * 2 + [f"Free text answer number {i} about the service" for i in range(8)]
    frame = pd.DataFrame({"id": range(1, 21), "comments": texts, "agree": ["Yes"] * 12 + ["No"] * 8})
    frame.to_csv(tmp_path / "export.csv", index=False)
    kinds = {q.column: q.kind for q in detect_questions(read_export(tmp_path / "export.csv"))}
    assert kinds["comments"] == "open"
    assert kinds["agree"] != "open"  # "No" still counts as an option where the other options repeat


def test_other_please_specify_is_an_open_follow_up(tmp_path: Path) -> None:
    rows = FIXTURES.surveymonkey_rows()
    rows[0].insert(16, "")
    rows[1].insert(16, "Other (please specify)")
    for i, row in enumerate(rows[2:]):
        row.insert(16, ["Quantum computing", "", "", "Satellites and space", "", ""][i])
    (tmp_path / "other.csv").write_text(FIXTURES._csv(rows), encoding="utf-8")
    _, result = ingest("other.csv", tmp_path)
    questions = result.questions.set_index("question_id")
    other = questions[questions["other_of"].notna()]
    assert other["other_of"].tolist() == ["topics_interest"]
    assert other["kind"].tolist() == ["open"]
    values = result.answers[result.answers["question_id"] == other.index[0]]["value"].tolist()
    assert values == ["Quantum computing", "Satellites and space"]


def test_multi_split_matches_known_options_first() -> None:
    options = ["AI, data and analytics", "AI", "Cybersecurity"]
    assert split_multi("AI, data and analytics, AI, Cybersecurity", ", ", options) == options
    assert split_multi("Option A;Option C;", ";") == ["Option A", "Option C"]
    assert split_multi("Yes, definitely, No", ", ", ["Yes, definitely"]) == ["Yes, definitely", "No"]
    assert split_multi(";;", ";") == []


def test_run_ingest_does_not_mutate_its_input() -> None:
    cfg = config_for("google.csv")
    raw = read_export(EXPORTS / "google.csv", cfg.input)
    before = raw.frame.copy()
    first = run_ingest(raw, cfg)
    pd.testing.assert_frame_equal(raw.frame, before)
    second = run_ingest(raw, cfg)
    for table in ("respondents", "questions", "answers", "counts", "issues"):
        pd.testing.assert_frame_equal(getattr(first, table), getattr(second, table))


def test_config_column_may_name_the_question_text() -> None:
    cfg = parse_config(
        {
            "input": {"path": "qualtrics.csv"},
            "questions": [
                {"column": "What could be improved?", "id": "improved", "kind": "open"},
                {"column": "Q2_1", "id": "useful", "kind": "likert"},
            ],
        },
        EXPORTS,
    )
    result = run_ingest(read_export(EXPORTS / "qualtrics.csv", cfg.input), cfg)
    assert result.questions["source_column"].tolist() == ["Q3.1", "Q2_1"]


def test_meta_id_clashing_with_respondent_columns_is_a_config_error() -> None:
    cfg = parse_config(
        {
            "input": {"path": "google.csv"},
            "questions": [{"column": "Respondent type", "id": "source_row", "kind": "meta"}],
        },
        EXPORTS,
    )
    with pytest.raises(ConfigError, match="source_row"):
        run_ingest(read_export(EXPORTS / "google.csv", cfg.input), cfg)


# --- bad input: one-line messages that name the file and say what to do -------------------------------------


def _fails(path: Path, match: str, **spec: object) -> str:
    cfg = parse_config({"input": {"path": str(path), **spec}}, path.parent)
    with pytest.raises(InputError) as info:
        raw = read_export(path, cfg.input)
        run_ingest(raw, cfg)
    message = str(info.value)
    assert str(path) in message
    assert "\n" not in message
    assert match in message
    return message


def test_missing_file(tmp_path: Path) -> None:
    _fails(tmp_path / "nope.csv", "not found")


def test_wrong_sheet_lists_the_sheets(tmp_path: Path) -> None:
    target = tmp_path / "ms.xlsx"
    target.write_bytes((EXPORTS / "msforms.xlsx").read_bytes())
    message = _fails(target, "no sheet 'Form Responses 1'", sheet="Form Responses 1")
    assert "['Sheet1']" in message
    _fails(target, "no sheet number 3", sheet=3)


@pytest.mark.parametrize("content", [b"", b"  \r\n\r\n", b",,,\n,,\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    target = tmp_path / "empty.csv"
    target.write_bytes(content)
    _fails(target, "is empty")


def test_header_row_only(tmp_path: Path) -> None:
    target = tmp_path / "header.csv"
    target.write_text("ID,Start time,Completion time,Email,Name,Q1\n\n", encoding="utf-8")
    _fails(target, "no responses")
    qualtrics = tmp_path / "qualtrics.csv"
    qualtrics.write_text(FIXTURES._csv(FIXTURES.qualtrics_rows()[:3]), encoding="utf-8")
    _fails(qualtrics, "no responses")


def test_binary_files_renamed_to_csv(tmp_path: Path) -> None:
    workbook = tmp_path / "workbook.csv"
    workbook.write_bytes((EXPORTS / "msforms.xlsx").read_bytes())
    _fails(workbook, "rename it to .xlsx")
    blob = tmp_path / "blob.csv"
    blob.write_bytes(bytes(range(256)) * 4)
    _fails(blob, "binary")
    legacy = tmp_path / "legacy.csv"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    _fails(legacy, ".xls")


def test_unsupported_or_corrupt_workbooks(tmp_path: Path) -> None:
    for name, match in [
        ("answers.json", "unsupported extension '.json'"),
        ("old.xls", "legacy .xls"),
        ("noext", "unsupported extension"),
    ]:
        target = tmp_path / name
        target.write_text("{}", encoding="utf-8")
        _fails(target, match)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    _fails(broken, "not a readable .xlsx")


def test_explicit_encoding_that_does_not_fit(tmp_path: Path) -> None:
    target = tmp_path / "latin.csv"
    target.write_bytes((EXPORTS / "msforms_cp1252.csv").read_bytes())
    _fails(target, "is not valid utf-8", encoding="utf-8")


def test_missing_config_columns_are_listed_together_with_suggestions() -> None:
    cfg = parse_config(
        {
            "input": {"path": "google.csv"},
            "questions": [
                {"column": "Respondent typ", "id": "a", "kind": "meta"},
                {"column": "What could be improved?", "id": "b", "kind": "open"},
                {"column": "Totally unrelated", "id": "c", "kind": "open"},
                {"column": "Which topic interests you?", "id": "d", "kind": "multi"},
            ],
        },
        EXPORTS,
    )
    with pytest.raises(InputError) as info:
        run_ingest(read_export(EXPORTS / "google.csv", cfg.input), cfg)
    message = str(info.value)
    assert "google.csv" in message and "\n" not in message
    assert "3 column(s)" in message
    assert "'Respondent typ' (did you mean 'Respondent type'?)" in message
    assert "'Which topic interests you?' (did you mean 'Which topics interest you?'?)" in message
    assert "'Totally unrelated'" in message


def test_missing_id_column(tmp_path: Path) -> None:
    message = _fails(EXPORTS / "generic.csv", "input.id_column", id_column="resp_nr")
    assert "did you mean 'resp_no'" in message


def test_errors_are_pipeline_errors() -> None:
    assert issubclass(InputError, PipelineError)


def test_layouts_split_question_and_sublabel() -> None:
    from pipeline.readers.layouts import describe_columns

    def split(fmt: str, *rows: list[str]) -> list[tuple[str, str]]:
        return [(c.question, c.sublabel) for c in describe_columns(fmt, list(rows))]

    assert split("msforms", ["Q1. Rate these.A", "Q1. Rate these.B", "2.1 Why?", "2.2 How?"]) == [
        ("Q1. Rate these", "A"),
        ("Q1. Rate these", "B"),
        ("2.1 Why?", ""),
        ("2.2 How?", ""),
    ]
    assert split(
        "qualtrics",
        ["Q1", "Q1_4_TEXT", "Q2_1", "Q2_2"],
        ["Pick one - Selected Choice", "Pick one - Other - Text", "Rate - Speed", "Rate - Price"],
    ) == [("Pick one", ""), ("Pick one", "Other"), ("Rate", "Speed"), ("Rate", "Price")]
    assert split("eusurvey", ["How important?\n: Cost", "How important?\n: Time"]) == [
        ("How important?", "Cost"),
        ("How important?", "Time"),
    ]
    assert split("google", ["Grid [Row 1]", "Plain"]) == [("Grid", "Row 1"), ("Plain", "")]
