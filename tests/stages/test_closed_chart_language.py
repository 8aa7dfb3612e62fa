"""The closed-question charts speak the report's language: their note and drawn words come from the catalogues."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.artifacts import RunPaths
from pipeline.messages import Messages
from pipeline.runner import fingerprint
from pipeline.stages.closed import ClosedResult, chart_data, render_chart, run_closed
from pipeline.stages.closed.charts import ChartData, chart_messages
from pipeline.steps.closed import step
from tests.stages.survey import make_config, survey_answers, survey_questions, survey_respondents, write_ingest


def _result(tmp_path: Path) -> ClosedResult:
    return run_closed(survey_questions(), survey_answers(), survey_respondents(), make_config(tmp_path))


def _charts(result: ClosedResult, language: str) -> dict[str, ChartData]:
    msgs = Messages(language)
    return {g.chart_id: chart_data(g, [result.question(q) for q in g.question_ids], msgs) for g in result.groups}


def test_a_french_report_gets_french_chart_words_and_no_english_ones(tmp_path: Path) -> None:
    charts = _charts(_result(tmp_path), "fr")
    likert, single = charts["sp_a"], charts["fam"]
    assert likert.note.startswith("Part des répondants ayant répondu à chaque affirmation (n à droite).")
    assert "ne sont pas comptées dans la base" in likert.note
    assert likert.empty_label == "Aucune réponse"
    assert single.note.startswith("Base : ") and "répondants" in single.note
    assert single.empty_label == "Personne n'a répondu à cette question."
    english = ("Share of respondents", "answers are not counted", "Base: ", "respondent", "No answers", "No one")
    for data in charts.values():
        drawn = [data.note, data.empty_label, *(b.base_label for b in data.bars)]
        assert not [word for word in english for text in drawn if word in text], data.chart_id


def test_only_the_words_differ_between_an_english_and_a_french_chart(tmp_path: Path) -> None:
    result = _result(tmp_path)
    english, french = _charts(result, "en")["sp_a"], _charts(result, "fr")["sp_a"]
    assert render_chart(french, "svg") != render_chart(english, "svg")
    words = {"note": english.note, "empty_label": english.empty_label, "bars": english.bars}
    assert render_chart(replace(french, **words), "svg") == render_chart(english, "svg")  # type: ignore[arg-type]


def test_english_charts_keep_their_words(tmp_path: Path) -> None:
    data = _charts(_result(tmp_path), "en")
    assert data["sp_a"].note.startswith("Share of respondents who answered each statement (n on the right).")
    assert [b.base_label for b in data["sp_a"].bars] == [f"n={b.base}" for b in data["sp_a"].bars]
    assert data["fam"].note.startswith("Base: ")


@pytest.mark.parametrize("language", ["fr", "es", "ru"])
def test_the_chart_font_draws_the_chart_words_of_the_language(language: str) -> None:
    assert chart_messages(Messages(language)).language == language


@pytest.mark.parametrize("language", ["zh", "ar"])
def test_chart_words_the_font_cannot_draw_fall_back_to_english(language: str, tmp_path: Path) -> None:
    """DejaVu Sans has no CJK glyphs nor joined Arabic forms: English words rather than boxes."""
    assert chart_messages(Messages(language)).language == "en"
    assert _charts(_result(tmp_path), language)["sp_a"].note.startswith("Share of respondents")


def test_the_step_draws_charts_in_the_report_language_and_a_language_change_reruns_it(tmp_path: Path) -> None:
    drawn: dict[str, bytes] = {}
    keys: dict[str, str] = {}
    for language in ("en", "fr"):
        cfg = make_config(tmp_path / language, report={"language": language})
        paths = RunPaths(cfg.run_dir)
        write_ingest(paths, survey_questions(), survey_answers(), survey_respondents())
        step(cfg, paths)
        drawn[language] = (paths.charts / "sp_a.svg").read_bytes()
        keys[language] = fingerprint(cfg, paths, "closed")
    assert drawn["en"] != drawn["fr"]
    assert keys["en"] != keys["fr"]


def test_chart_numbers_are_written_as_the_language_writes_them(tmp_path: Path) -> None:
    """French puts a no-break space (CLDR's) before the percent sign; English draws "67%" as before."""
    result = _result(tmp_path)
    french, english = _charts(result, "fr"), _charts(result, "en")
    space = Messages("fr").pct(0.5, 0)[-2]
    assert space in "\u00a0\u202f"
    shown = [s.shown for s in french["sp_a"].bars[0].segments]
    assert shown[0] == f"67{space}%" and all(s.endswith(f"{space}%") for s in shown)
    assert [s.shown for s in english["sp_a"].bars[0].segments][0] == "67%"
    single = french["fam"].bars[0].segments[0]
    assert single.shown.startswith(f"{round(single.pct)}{space}%") and single.shown.endswith(f"({single.count})")
