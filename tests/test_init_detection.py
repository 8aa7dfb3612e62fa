"""Issue 24: detection fixes, each on a small export built here (no real data is copied into the repository).

A quantity scale is likert; links are never open; 0/1 label columns are one multi question; a city column is meta;
Polis without summary.csv gets a neutral heading; a column named "text" gets a placeholder text; the report title
comes from what the export says, else it is marked TO FILL IN, loudly.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import load_config, parse_config
from pipeline.detect import DetectedQuestion, detect_questions
from pipeline.detect.scales import match_scale
from pipeline.init import draft, draft_config
from pipeline.readers import read_export
from pipeline.stages.ingest import run_ingest

EXPORTS = Path(__file__).resolve().parent / "data" / "exports"
INFO_SCALE = [
    "All of the information",
    "Most of the information",
    "Some of the information",
    "A little of the information",
    "None of the information",
]
CITIES = [
    "Berlin", "Hamburg", "München", "Köln", "Frankfurt am Main", "Stuttgart", "Düsseldorf", "Leipzig", "Dortmund",
    "Essen", "Bremen", "Dresden", "Hannover", "Nürnberg", "Duisburg", "Bochum", "Wuppertal", "Bielefeld", "Bonn",
    "Münster", "Mannheim", "Karlsruhe", "Augsburg", "Wiesbaden", "Mönchengladbach", "Gelsenkirchen", "Aachen",
    "Braunschweig", "Kiel", "Chemnitz", "Halle (Saale)", "Magdeburg", "Freiburg im Breisgau", "Krefeld", "Mainz",
    "Lübeck", "Erfurt", "Oberhausen", "Rostock", "Kassel",
]  # fmt: skip
LABELS = ["Lärm", "Verkehr", "Müll", "Radweg", "Beleuchtung", "Parken", "Grünflächen", "Sonstiges"]
SUBJECTS = ["Die Ampel", "Der Radweg", "Die Straße", "Der Spielplatz", "Die Haltestelle", "Der Gehweg", "Der Park"]
PROBLEMS = ["ist seit Wochen kaputt", "wird nie gereinigt", "ist nachts zu dunkel", "ist viel zu laut", "fehlt"]


def _write(path: Path, rows: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _detected(path: Path) -> dict[str, DetectedQuestion]:
    return {q.column: q for q in detect_questions(read_export(path))}


def _complaints(path: Path, n: int = 600, label_header: str = "{}") -> Path:
    """A German complaints platform: id, city, complaint, link, one 0/1 column per category label."""
    header = ["ID", "Stadt", "Bereich", "Was sollte die Stadt verbessern?", "Beschwerde", "Anonym", "URL"]
    rows = [header + [label_header.format(label) for label in LABELS]]
    for i in range(n):
        text = f"{SUBJECTS[i % 7]} in der {i % 13 + 1}. Straße {PROBLEMS[i % 5]}, bitte kümmern Sie sich (Fall {i})."
        labels = ["1" if (i + k) % 5 == 0 else "0" for k in range(len(LABELS))]
        improve = ["Mehr Radwege", "Sauberere Parks", "Bessere Beleuchtung nachts", "Weniger Autos"][i % 4]
        anonymous = "1" if i % 3 else "0"
        city = CITIES[(i * 7) % len(CITIES)]
        rows.append([f"B-{1000 + i}", city, city, improve, text, anonymous, f"https://example.org/meldung/{1000 + i}"])
        rows[-1] += labels
    return _write(path, rows)


def test_quantity_scales_are_ordered_scales(tmp_path: Path) -> None:
    """(a) Qualtrics' 'All of the information > ... > None of the information' is likert, not single."""
    codes = ["ResponseId", "Q1", "Q2"]
    texts = ["Response ID", "How much of the information did you read?", "What would you add?"]
    rows = [codes, texts, [f'{{"ImportId": "{c}"}}' for c in codes]]
    rows += [[f"R_{i:03d}", INFO_SCALE[i * 3 % 5], f"More on topic {i}"] for i in range(20)]
    q1 = _detected(_write(tmp_path / "Information survey_March 4, 2024_10.15.csv", rows))["Q1"]
    assert q1.kind == "likert" and list(q1.options) == INFO_SCALE
    assert "quantity scale 'All of the information > ... > None of the information'" in q1.reason
    amount = match_scale(["A lot", "None at all", "A great deal", "A little", "A moderate amount", "Don't know"])
    assert amount is not None
    assert amount.options == ["A great deal", "A lot", "A moderate amount", "A little", "None at all", "Don't know"]
    other_languages = [
        ["Aucune information", "Toutes les informations", "Peu d'informations", "La plupart des informations"],
        ["Nada de la información", "Toda la información", "Poca información", "La mayor parte de la información"],
        ["Keine Informationen", "Alle Informationen", "Wenige Informationen", "Die meisten Informationen"],
    ]
    for labels in other_languages:
        scale = match_scale(labels)
        assert scale is not None and scale.options == [labels[1], labels[3], labels[2], labels[0]]
    assert match_scale(["Some people", "All people", "No people"]) is None  # "no" is not a quantity
    assert match_scale(["A lot better", "A little better", "A little worse"]).family == "'better'"  # type: ignore[union-attr]


def test_links_are_never_open(tmp_path: Path) -> None:
    """(b) A `URL` column, or one whose values are mostly links, is ignored, never clustered into 'Https' findings."""
    detected = _detected(_complaints(tmp_path / "complaints.csv", n=40))
    assert detected["URL"].kind == "ignore" and "links" in detected["URL"].reason
    rows = [["ID", "Where did you read about it?"]] + [[f"r{i}", f"https://news.example.org/{i}"] for i in range(9)]
    rows.append(["r9", "A friend told me"])
    assert _detected(_write(tmp_path / "links.csv", rows))["Where did you read about it?"].kind == "ignore"


def test_0_1_label_columns_are_one_multi_question(tmp_path: Path) -> None:
    """(c) Eight 0/1 label columns are one multi question (one option per column), not eight single questions."""
    detected = _detected(_complaints(tmp_path / "complaints.csv", n=40))
    labels = detected[LABELS[0]]
    assert labels.kind == "multi" and labels.columns == tuple(LABELS) and labels.options == tuple(LABELS)
    assert not any(c in detected for c in LABELS[1:])  # the other columns are members, not questions
    assert labels.text is None and labels.needs_text  # no shared header: a person names it
    drafted = draft(tmp_path / "complaints.csv", tmp_path)
    assert "text: \"TO FILL IN: the question asked (columns 'Lärm' to 'Sonstiges')\"" in drafted.text
    assert drafted.warnings[1].startswith("question flags (columns 'Lärm' to 'Sonstiges'): text is marked TO FILL IN")
    assert detected["Anonym"].kind == "ignore" and "flag" in detected["Anonym"].reason  # a lone 0/1 column
    prefixed = _detected(_complaints(tmp_path / "prefixed.csv", n=40, label_header="Kategorie: {}"))
    multi = prefixed["Kategorie: Lärm"]
    assert multi.kind == "multi" and multi.text == "Kategorie" and multi.options == tuple(LABELS)
    assert multi.needs_text is None
    cfg = parse_config(yaml.safe_load(draft_config(tmp_path / "prefixed.csv", tmp_path)), tmp_path)
    result = run_ingest(read_export(tmp_path / "prefixed.csv", cfg.input), cfg)
    chosen = result.answers[result.answers["question_id"] == multi.id]
    assert set(chosen["value"]) == set(LABELS) and len(chosen) == 40 * len(LABELS) // 5  # one row per 1


def test_places_are_respondent_attributes(tmp_path: Path) -> None:
    """(d) A city column is meta: by its header (`Stadt`), and by its values (names repeated across many rows)."""
    detected = _detected(_complaints(tmp_path / "complaints.csv"))
    assert detected["Stadt"].kind == "meta" and len(detected["Stadt"].options) == len(CITIES)
    assert detected["Bereich"].kind == "meta" and "short names repeated" in detected["Bereich"].reason
    assert detected["Was sollte die Stadt verbessern?"].kind == "single"  # a question about the city, not a place
    assert detected["Beschwerde"].kind == "open"
    few = _detected(_complaints(tmp_path / "few.csv", n=60))
    assert few["Bereich"].kind == "open"  # 60 rows: too few to say from values alone; the header decides
    assert few["Stadt"].kind == "meta"
    rows = [["ID", "In which town do you live?", "Age group"]]
    rows += [[f"r{i}", ["Lyon", "Lille", "Nantes"][i % 3], ["18-29", "30-49", "50+"][i % 3]] for i in range(9)]
    town = _detected(_write(tmp_path / "towns.csv", rows))
    assert town["In which town do you live?"].kind == town["Age group"].kind == "meta"


def test_customer_and_client_groups_are_respondent_attributes(tmp_path: Path) -> None:
    """A service survey's "Customer type" is who answered, not a question asked (banking queries, 2,000 rows)."""
    headers = [
        "Customer type",
        "Client category",
        "Type of customer",
        "Patient group",
        "Which type of card do you use?",
    ]
    rows = [["ID", *headers]]
    rows += [[f"r{i}", *([["Retail", "Business"][i % 2]] * 4), ["Debit", "Credit"][i % 2]] for i in range(12)]
    detected = _detected(_write(tmp_path / "customers.csv", rows))
    assert [detected[h].kind for h in headers] == ["meta"] * 4 + ["single"]


def _polis_without_summary(folder: Path) -> Path:
    shutil.copy(EXPORTS / "polis.csv", folder / "comments.csv")
    return folder / "comments.csv"


def test_polis_without_summary_gets_a_neutral_heading_and_no_file_name_title(tmp_path: Path) -> None:
    """(e) Not 'comment-body' nor 'Results: Comments': a neutral heading, in the report's language, and no title."""
    export = _polis_without_summary(tmp_path)
    body = next(q for q in detect_questions(read_export(export)) if q.kind == "open")
    assert body.text == "What participants said" and "no summary.csv" in body.reason
    text = draft_config(export, tmp_path)
    assert "text: What participants said" in text and 'title: "TO FILL IN: the report\'s title"' in text
    assert "Results:" not in text
    cfg = parse_config({"input": {"path": str(export)}, "report": {"language": "fr"}}, tmp_path)
    questions = run_ingest(read_export(export, cfg.input), cfg).questions
    assert questions.loc[questions["kind"] == "open", "text"].tolist() == ["Ce que les participants ont dit"]


def test_a_question_headed_text_is_marked_to_fill_in(tmp_path: Path) -> None:
    """(f) A question whose column is named "text" gets a TO FILL IN text, a comment and a warning; runs warn too."""
    rows = [["id", "text", "Q7"]]
    rows += [[f"r{i}", f"The bike lanes on street {i} need repainting soon", ["Yes", "No"][i % 2]] for i in range(12)]
    export = _write(tmp_path / "data" / "eu_ai_400.csv", rows)
    drafted = draft(export, tmp_path / "configs")
    assert "text: \"TO FILL IN: the question asked (column 'text')\"" in drafted.text
    assert "# TO FILL IN: its column is headed 'text', which does not say what was asked" in drafted.text
    assert "text: \"TO FILL IN: the question asked (column 'Q7')\"" in drafted.text  # a code says nothing either
    title, text, code = drafted.warnings
    assert title.startswith("report.title is marked TO FILL IN: the export does not say what the consultation is")
    assert text.startswith("question text (column 'text'): text is marked TO FILL IN: its column is headed 'text'")
    assert code.startswith("question q7 (column 'Q7'): text is marked TO FILL IN")
    assert _detected(export)["id"].needs_text is None  # not a question
    config = tmp_path / "configs" / "eu.yaml"
    result = CliRunner().invoke(app, ["init", str(export), "--out", str(config)])
    assert result.exit_code == 0, result.output
    assert result.output.count("Warning: ") == 3 and "write the question asked in the config" in result.output
    cfg = load_config(config)
    warnings = run_ingest(read_export(export, cfg.input), cfg).warnings
    assert "report.title is still TO FILL IN: write the report's title in the config" in warnings
    assert "question text: its text is still TO FILL IN: write the question asked in the config" in warnings


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("Feedback on the 2025 plan(1-67).xlsx", "Feedback on the 2025 plan"),
        ("Feedback on the 2025 plan(1-67) (1).xlsx", "Feedback on the 2025 plan"),
        ("eu_ai_400.xlsx", None),
    ],
)
def test_report_title_comes_from_what_the_export_says(name: str, title: str | None, tmp_path: Path) -> None:
    """(g) The Forms title in `Title(1-67).xlsx`; a Qualtrics download's survey name; otherwise TO FILL IN, loudly."""
    export = tmp_path / name
    shutil.copy(EXPORTS / "msforms.xlsx", export)
    drafted = draft(export, tmp_path)
    proposed = yaml.safe_load(drafted.text)["report"]["title"]
    assert "Results:" not in drafted.text
    if title is None:
        assert proposed == "TO FILL IN: the report's title" and drafted.warnings[0].startswith("report.title is marked")
        assert '(its file name suggests\n  # "Eu ai 400")' in drafted.text  # a hint in a comment, not the title
    else:
        assert proposed == title and not drafted.warnings
        assert "title proposed from the survey's title in the Microsoft Forms file name" in drafted.text
    rows = [["ResponseId", "Q1"], ["Response ID", "Any comments?"], ['{"ImportId": "a"}', '{"ImportId": "b"}']]
    qualtrics = _write(tmp_path / "Library survey_March 4, 2024_10.15.csv", rows + [["R_1", "Comment"]] * 3)
    assert yaml.safe_load(draft_config(qualtrics, tmp_path))["report"]["title"] == "Library survey"


def test_an_open_question_asking_why_explains_the_closed_one_before_it(tmp_path: Path) -> None:
    """Issue 24 item 2: `init` proposes `explains` for "Please explain" / "Why?" after a closed question only."""
    header = ["ID", "Do you support the plan?", "Please explain your answer", "Any other comments?"]
    scale = ["Strongly agree", "Agree", "Neutral", "Disagree", "Strongly disagree"]
    reasons = ["It focuses on fewer priorities.", "Too vague on funding.", "The targets are measurable."]
    rows = [header] + [[str(i), scale[i % 5], f"{reasons[i % 3]} ({i})", f"Thanks {i}"] for i in range(60)]
    detected = _detected(_write(tmp_path / "why.csv", rows))
    support = detected["Do you support the plan?"]
    assert detected["Please explain your answer"].explains == support.id
    assert detected["Any other comments?"].explains is None
    text = draft_config(tmp_path / "why.csv", tmp_path)
    assert f"explains: {support.id}" in text
    config = parse_config(yaml.safe_load(text), tmp_path, "why.yaml")
    assert config.question(detected["Please explain your answer"].id).explains == support.id
