"""The report in the example's shape (issue 26): results in parts, the secretariat's own Purpose, Action required
and cover lines; the default stays a generated purpose and, for a one-run questionnaire, a plain Results heading."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx
import pandas as pd
import pytest

from pipeline.errors import ConfigError
from pipeline.stages.closed import run_closed
from pipeline.stages.report import Item, question_runs
from pipeline.stages.report.build import ReportInputs, build_document
from pipeline.stages.report.model import Document, markdown_runs
from pipeline.stages.report.open_sections import LoadedDraft
from pipeline.stages.report.to_docx import render_docx
from pipeline.stages.report.to_html import render_html
from pipeline.stages.report.to_markdown import render_markdown
from tests.stages.survey import make_config, make_draft, survey_answers, survey_questions, survey_respondents

SP = ["sp_a", "sp_b", "sp_c", "sp_d"]


def _reordered() -> pd.DataFrame:
    """The survey with its open question after the first closed one: two runs (fam + q_strength, the rest)."""
    questions = survey_questions()
    order = ["rtype", "fam", "q_strength", *SP, "chan", "empty"]
    position = {qid: i for i, qid in enumerate(order)}
    return questions.assign(position=questions["question_id"].map(position))


def _document(tmp_path: Path, questions: pd.DataFrame | None = None, **report: Any) -> Document:
    questions = survey_questions() if questions is None else questions
    cfg = make_config(tmp_path, report={"title": "Results", **report})
    closed = run_closed(questions, survey_answers(), survey_respondents(), cfg)
    drafts = {"q_strength": LoadedDraft(make_draft(), "review")}
    return build_document(ReportInputs(questions=questions, closed=closed, drafts=drafts), cfg)


def _outline(doc: Document) -> list[str]:
    return [f"{s.level}:{s.anchor}" for s in doc.sections if s.anchor.startswith(("part-", "q-", "results"))]


def test_runs_of_closed_questions_and_the_open_ones_after_them() -> None:
    closed = [Item(f"c{i}", (f"c{i}",), True, i) for i in range(5)]
    open_ = [Item(f"o{i}", (f"o{i}",), False, 10 + i) for i in range(3)]
    other = Item("c1_other", ("c1_other",), False, 1, follow_up_of="c1")  # "Other, please specify": no new run
    items = [open_[0], closed[0], closed[1], other, closed[2], open_[1], open_[2], closed[3], closed[4]]
    runs = [[i.key for i in run] for run in question_runs(items)]
    assert runs == [["o0"], ["c0", "c1", "c1_other", "c2", "o1", "o2"], ["c3", "c4"]]
    blocks = [Item("f1", ("f1",), True, 0), *(Item(f"b{i}", (f"b{i}",), True, i, "Block") for i in (1, 2))]
    blocks += [Item("s", ("s",), True, 3), Item("o", ("o",), False, 4)]
    by_block = [[i.key for i in run] for run in question_runs(blocks, by_block=True)]
    assert by_block == [["f1"], ["b1", "b2"], ["s", "o"]]  # what `consolidate init` proposes


def test_default_parts_follow_the_questionnaire(tmp_path: Path) -> None:
    one_run = _document(tmp_path)  # every closed question, then the open one: a plain Results heading, as before
    assert _outline(one_run) == ["2:results", "3:q-fam", "3:q-sp_a", "3:q-chan", "3:q-empty", "3:q-q_strength"]
    two_runs = _document(tmp_path, _reordered())
    assert _outline(two_runs) == [
        *("2:part-1", "3:q-fam", "3:q-q_strength"),
        *("2:part-2", "3:q-sp_a", "3:q-chan", "3:q-empty"),
    ]
    assert [s.title for s in two_runs.sections if s.anchor.startswith("part-")] == ["Part 1", "Part 2"]
    html = render_html(two_runs)
    assert '<li><a href="#part-1">Part 1</a><ol><li><a href="#q-fam">' in html  # questions nest under parts


def test_configured_parts_in_their_order_with_the_rest_after(tmp_path: Path) -> None:
    parts = [
        {"title": "Open views", "questions": ["q_strength"], "intro": "What respondents **value** most."},
        {"title": "The plan", "questions": ["empty", "sp_b", "fam"]},  # shown in questionnaire order
    ]
    doc = _document(tmp_path, parts=parts)
    assert _outline(doc) == [
        *("2:part-1", "3:q-q_strength"),
        *("2:part-2", "3:q-fam", "3:q-sp_a", "3:q-empty"),  # one statement listed: its whole block comes along
        *("2:part-3", "3:q-chan"),  # not listed: after the configured parts
    ]
    md = render_markdown(doc)
    assert "## Part 1: Open views\n\nWhat respondents **value** most.\n\n### What is the main strength" in md
    assert "## Part 2: The plan\n" in md and "## Part 3\n" in md
    french = render_markdown(_document(tmp_path, parts=parts, language="fr"))
    assert "## Partie 1 : Open views" in french and "## Partie 3\n" in french


def test_parts_naming_questions_the_run_lacks_say_which(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"report.parts lists \['gone'\], which are not closed or open questions"):
        _document(tmp_path, parts=[{"questions": ["gone", "fam"]}])


def test_secretariat_paragraphs_replace_the_generated_purpose(tmp_path: Path) -> None:
    report = {
        "purpose": "This report presents the inputs received.\n\nIt was *prepared* by the secretariat <b>.",
        "action_required": "The Group is invited to **consider** this report.",
        "cover": ["Council Working Group, **Second Meeting**", "20 and 21 February 2025"],
    }
    doc = _document(tmp_path, **report)
    md = render_markdown(doc)
    assert md.startswith(
        "# Results\n\nCouncil Working Group, **Second Meeting**\n\n20 and 21 February 2025\n\n## Purpose\n\n"
        "This report presents the inputs received.\n\nIt was *prepared* by the secretariat \\<b\\>.\n\n"
    )
    assert "*Reviewers accepted 1 of the 2 findings shown; the others are drafts" in md  # the review state stays
    assert "## Action required\n\nThe Group is invited to **consider** this report.\n\n## Responses" in md
    assert "This report presents the responses received." not in md
    html = render_html(doc)
    assert '<div class="cover"><p>Council Working Group, <strong>Second Meeting</strong></p>' in html
    assert "by the secretariat &lt;b&gt;." in html and '<a href="#action-required">Action required</a>' in html
    word = docx.Document(io.BytesIO(render_docx(doc)))
    texts = [p.text for p in word.paragraphs]
    assert texts[1:3] == ["Council Working Group, Second Meeting", "20 and 21 February 2025"]
    assert "Action required" in texts
    assert "Suite à donner" in render_markdown(_document(tmp_path, language="fr", **report))


def test_generated_purpose_stays_the_default(tmp_path: Path) -> None:
    md = render_markdown(_document(tmp_path))
    assert "## Purpose\n\nThis report presents the responses received." in md
    assert "Action required" not in md


def test_config_text_takes_bold_and_italic_only() -> None:
    runs = markdown_runs("Invited to **consider** the *draft*; 2 * 3 and [a link](x) stay as typed")
    assert [(r.text, r.bold, r.italic) for r in runs] == [
        ("Invited to ", False, False),
        ("consider", True, False),
        (" the ", False, False),
        ("draft", False, True),
        ("; 2 * 3 and [a link](x) stay as typed", False, False),
    ]
