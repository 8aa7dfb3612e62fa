"""The report reads as an official document (issue 13): honest review wording, question stems, distinct headings,
quotes with response ids, checksums in the annex only, title and subtitle, charts without a repeated title."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from docx.oxml.ns import qn

from pipeline.stages.closed import run_closed, threshold_sentence
from pipeline.stages.closed.charts import chart_data, render_chart
from pipeline.stages.report.build import ReportInputs, build_document, distinct_titles, review_sentence
from pipeline.stages.report.model import Document, Section
from pipeline.stages.report.open_sections import LoadedDraft, short_quote
from pipeline.stages.report.to_docx import render_docx
from pipeline.stages.report.to_html import render_html
from pipeline.stages.report.to_markdown import render_markdown, render_section
from pipeline.stages.shared.sidecar import Quote
from tests.stages.survey import make_config, make_draft, survey_answers, survey_questions, survey_respondents


def _drafts(*statuses: str) -> dict[str, LoadedDraft]:
    draft = make_draft()
    findings = [f.model_copy(update={"status": s}) for f, s in zip(draft.findings, statuses, strict=False)]
    return {"q_strength": LoadedDraft(draft.model_copy(update={"findings": findings}), "review")}


def _document(tmp_path: Path, drafts: dict[str, LoadedDraft] | None = None, **report: object) -> str:
    cfg = make_config(tmp_path, report={"title": "Results", **report})
    closed = run_closed(survey_questions(), survey_answers(), survey_respondents(), cfg)
    inputs = ReportInputs(
        questions=survey_questions(),
        closed=closed,
        drafts=drafts if drafts is not None else _drafts("accepted", "draft", "rejected"),
        embed_facts={"model": {"ids": ["mini@abc123"], "backend": "sentence-transformers", "name": "mini"}},
        manifest={"input": {"sha256": "deadbeef"}, "consolidate": "0.1.0"},
    )
    return render_markdown(build_document(inputs, cfg))


def test_review_wording_follows_the_review_state() -> None:
    assert "None of the 2 findings shown has been reviewed yet" in review_sentence(_drafts("draft", "draft"))
    assert "every finding shown (2)" in review_sentence(_drafts("accepted", "accepted"))
    assert "accepted 1 of the 2 findings shown" in review_sentence(_drafts("accepted", "draft"))


def test_purpose_never_claims_a_review_that_did_not_happen(tmp_path: Path) -> None:
    unreviewed = _document(tmp_path, _drafts("draft", "draft", "draft"))
    assert "reviewed by people" not in unreviewed
    assert "None of the 3 findings shown has been reviewed yet: they are drafts" in unreviewed


def test_question_shaped_stems_read_well() -> None:
    result = run_closed(survey_questions(), survey_answers(), survey_respondents(), make_config(Path(".")))
    stats = [result.question("sp_a")]
    question = "In your opinion, how much do you agree with the following?"
    assert threshold_sentence(question, stats, 0.85)[0] == "More than 85% of responses agree with:"
    assert (
        threshold_sentence("The plan should", stats, 0.85)[0]
        == "More than 85% of responses agree that the plan should:"
    )


def test_headings_are_distinct_and_follow_ups_named_after_their_question(tmp_path: Path) -> None:
    sections = [Section(title=t, level=3, anchor=f"a{i}") for i, t in enumerate(["Other, please specify"] * 3)]
    assert [s.title for s in distinct_titles(sections)] == [
        "Other, please specify",
        "Other, please specify (2)",
        "Other, please specify (3)",
    ]
    questions = survey_questions()
    extra = {**questions.iloc[-1].to_dict(), "question_id": "chan_other", "text": "Other, please specify"}
    extra |= {"other_of": "chan", "position": 7}
    questions = pd.concat([questions, pd.DataFrame([extra])], ignore_index=True)
    cfg = make_config(tmp_path)
    closed = run_closed(questions, survey_answers(), survey_respondents(), cfg)
    doc = build_document(ReportInputs(questions=questions, closed=closed), cfg)
    titles = [s.title for s in doc.sections]
    assert "How do you follow ITU's work?: Other, please specify" in titles
    assert len(titles) == len(set(titles))


def test_model_hashes_only_in_the_provenance_annex(tmp_path: Path) -> None:
    md = _document(tmp_path)
    method = md.split("## Method")[1].split("## Annex")[0]
    assert "embedded with the model mini (sentence-transformers)" in method
    assert "abc123" not in method and "deadbeef" not in method
    annex = md.split("## Annex: provenance")[1]
    assert "mini@abc123" in annex and "deadbeef" in annex


def test_each_finding_has_one_short_quote_with_its_response_id(tmp_path: Path) -> None:
    draft = make_draft()
    long_text = "word " * 80
    quotes = [Quote(response_id="r07", text=long_text), Quote(response_id="r03", text="Brings everyone together.")]
    first = draft.findings[0].model_copy(update={"quotes": quotes})
    loaded = LoadedDraft(draft.model_copy(update={"findings": [first, *draft.findings[1:]]}), "review")
    md = _document(tmp_path, {"q_strength": loaded})
    assert "  > “Brings everyone together.” (response r03)" in md
    assert short_quote(quotes[:1]) == quotes[0]  # only a long one: the report shortens it at a word
    only_long = first.model_copy(update={"quotes": quotes[:1]})
    loaded = LoadedDraft(draft.model_copy(update={"findings": [only_long]}), "review")
    assert "word word…” (response r07)" in _document(tmp_path, {"q_strength": loaded})


def test_title_and_subtitle(tmp_path: Path) -> None:
    md = _document(tmp_path, subtitle="Public consultation on the plan", date="1 March 2025")
    assert md.startswith("# Results\n\n*Public consultation on the plan · 1 March 2025*\n")


def test_charts_do_not_repeat_the_heading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib.figure import Figure

    titled: list[str] = []
    monkeypatch.setattr(Figure, "suptitle", lambda self, text, **kw: titled.append(text))
    result = run_closed(survey_questions(), survey_answers(), survey_respondents(), make_config(tmp_path))
    for group in result.groups:
        render_chart(chart_data(group, [result.question(q) for q in group.question_ids]), "png")
    assert titled == []
    doc = build_document(ReportInputs(questions=survey_questions(), closed=result), make_config(tmp_path))
    html = render_html(doc)
    assert html.count("How do you follow ITU&#x27;s work?</h3>") == 1
    section = next(s for s in doc.sections if s.anchor == "q-chan")
    assert render_section(section)[0] == "### How do you follow ITU's work?"


@pytest.mark.parametrize(
    ("language", "expected", "english"),
    [
        ("es", ["## Objeto del informe", "## Método", "## Anexo: procedencia", "Más del 85"], "## Method"),
        (
            "fr",
            ["## Objet du rapport", "## Méthode", "## Annexe : provenance", "(projet, pas encore relu)"],
            "## Purpose",
        ),
        ("ru", ["## Цель доклада", "## Методология", "## Приложение: происхождение данных", "Более 85"], "## Method"),
        ("ar", ["## الغرض من التقرير", "## المنهجية", "## مرفق: مصدر البيانات", "أكثر من \u206885"], "## Method"),
        ("zh", ["## 目的", "## 方法", "## 附件：数据来源", "（草稿，尚未审阅）"], "## Method"),
    ],
)
def test_report_frame_in_the_configured_language(
    tmp_path: Path, language: str, expected: list[str], english: str
) -> None:
    md = _document(tmp_path, language=language)
    assert all(text in md for text in expected), [text for text in expected if text not in md]
    assert english not in md
    assert "**Global collaboration:** Members value bringing everyone together." in md  # reviewers' words stay


def _built(tmp_path: Path, **report: object) -> Document:
    cfg = make_config(tmp_path, report={"title": "Results", **report})
    closed = run_closed(survey_questions(), survey_answers(), survey_respondents(), cfg)
    return build_document(ReportInputs(questions=survey_questions(), closed=closed, drafts=_drafts("draft")), cfg)


def test_an_arabic_report_reads_right_to_left(tmp_path: Path) -> None:
    html = render_html(_built(tmp_path, language="ar"))
    assert '<html lang="ar" dir="rtl">' in html
    assert "<h2" in html and "المنهجية" in html
    assert "border-left" not in html and "padding-left" not in html  # logical sides, which mirror in rtl
    assert "html[dir=rtl] :is(h1,h2,h3,nav.toc li,th,td){text-align:right}" in html
    assert '<html lang="fr">' in render_html(_built(tmp_path, language="fr"))


def test_an_arabic_word_document_is_set_right_to_left(tmp_path: Path) -> None:
    import docx

    word = docx.Document(io.BytesIO(render_docx(_built(tmp_path, language="ar"))))
    body = word.element.body
    paragraphs = list(body.iter(qn("w:p")))
    assert paragraphs and all(p.find(qn("w:pPr")).find(qn("w:bidi")) is not None for p in paragraphs)
    arabic = [r for r in body.iter(qn("w:r")) if any("\u0600" <= c <= "\u06ff" for c in "".join(r.itertext()))]
    assert arabic and all(r.find(qn("w:rPr")).find(qn("w:rtl")) is not None for r in arabic)
    bold = [r.find(qn("w:rPr")) for r in arabic if r.find(qn("w:rPr")).find(qn("w:b")) is not None]
    assert all(p.find(qn("w:bCs")) is not None for p in bold)  # Word bolds right-to-left runs by bCs
    assert all(t.tblPr.find(qn("w:bidiVisual")) is not None for t in body.iter(qn("w:tbl")))
    english = docx.Document(io.BytesIO(render_docx(_built(tmp_path))))
    assert not list(english.element.body.iter(qn("w:bidi")))


def test_counts_in_a_russian_report_take_their_plural_form(tmp_path: Path) -> None:
    md = render_markdown(_built(tmp_path, language="ru"))
    assert "респондент" in md and "Получено" in md


def test_method_says_how_themes_were_built_and_what_ingest_left_out(tmp_path: Path) -> None:
    cfg = make_config(tmp_path, report={"title": "Results"})
    closed = run_closed(survey_questions(), survey_answers(), survey_respondents(), cfg)
    inputs = ReportInputs(questions=survey_questions(), closed=closed, drafts=_drafts("draft"), unusable=19)
    text = render_markdown(build_document(inputs, cfg))
    assert "merged into themes" in text and "sub-points" in text
    assert "read together with the rest of its answer (in questions where at least 40%" in text
    assert "19 rows of the export could not be used" in text and "01_ingest/issues.csv" in text
    fine = make_config(tmp_path, report={"title": "Results"}, cluster={"theme_resolution": None, "answer_context": 0})
    plain = render_markdown(build_document(ReportInputs(questions=survey_questions(), closed=closed), fine))
    assert "merged into themes" not in plain and "rest of its answer" not in plain and "rows of the export" not in plain
