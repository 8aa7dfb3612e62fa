import gettext
import string
from pathlib import Path

import pytest
from babel import Locale

from pipeline.config import parse_config
from pipeline.errors import ConfigError
from pipeline.messages import BUILT_IN, PACKAGE_CATALOGUES, TEXTS, Messages
from pipeline.messages.tool import TEMPLATE, build_template, mo_bytes, po_bytes, po_files, problems, read_catalog

LANGUAGES = [lang for lang in BUILT_IN if lang != "en"]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_a_catalogue_ships_for_each_un_language_but_english() -> None:
    assert sorted(p.parents[1].name for p in po_files()) == sorted(LANGUAGES)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_catalogue_is_complete_with_the_english_placeholders(lang: str) -> None:
    catalog = read_catalog(PACKAGE_CATALOGUES / lang / "LC_MESSAGES" / "consolidate.po")
    assert problems(catalog) == []
    assert {m.context for m in catalog if m.id} == set(TEXTS)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_mo_is_compiled_from_its_current_po(lang: str) -> None:
    po = PACKAGE_CATALOGUES / lang / "LC_MESSAGES" / "consolidate.po"
    assert po.with_suffix(".mo").read_bytes() == mo_bytes(read_catalog(po)), "run `make messages`"


def test_the_template_is_current_with_the_code() -> None:
    assert TEMPLATE.read_bytes() == po_bytes(build_template()), "run `make messages`"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_text_is_translated_not_copied(lang: str) -> None:
    msgs = Messages(lang)
    same = [k for k, s in TEXTS.items() if s.plural is None and msgs.raw(k) == s.text and len(_fields(s.text)) < 2]
    assert set(same) <= {
        "p.list",
        "p.clauses",
        "p.sentence_end",
        "p.colon",
        "p.parenthesis",
        "open.count",
        "m.dims",
        "chart.n",
    }  # "{n} dimensions" in French; "n={n}": the statistical symbol


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_catalogue_plural_rule_is_cldr_for_whole_numbers(lang: str) -> None:
    """The gettext rule in each .po sorts 0..1000 into the same classes as the CLDR rule of the language."""
    with (PACKAGE_CATALOGUES / lang / "LC_MESSAGES" / "consolidate.mo").open("rb") as handle:
        rule = gettext.GNUTranslations(handle).plural  # type: ignore[attr-defined]
    cldr = Locale.parse(lang).plural_form
    pairs = {(rule(n), cldr(n)) for n in range(1001)}
    assert len(pairs) == len({form for form, _ in pairs}) == len({category for _, category in pairs})


def test_russian_has_three_forms_for_respondents() -> None:
    ru = Messages("ru")
    assert [ru.count("n.respondent", n) for n in (1, 2, 5, 21, 11, 22, 111)] == [
        "1 респондент",
        "2 респондента",
        "5 респондентов",
        "21 респондент",
        "11 респондентов",
        "22 респондента",
        "111 респондентов",
    ]
    assert ru.count("n.finding", 3) == "3 вывода"


def test_arabic_has_six_forms() -> None:
    ar = Messages("ar")
    forms = [ar.count("n.respondent", n) for n in (0, 1, 2, 3, 10, 11, 99, 100, 102, 103)]
    assert forms == [
        "0 مجيب",
        "1 مجيب",
        "2 مجيبان",
        "3 مجيبين",
        "10 مجيبين",
        "11 مجيبًا",
        "99 مجيبًا",
        "100 مجيب",
        "102 مجيب",
        "103 مجيبين",
    ]
    assert ar.count("n.closed_question", 2) == "2 سؤالان مغلقان"


def test_chinese_has_one_form() -> None:
    zh = Messages("zh")
    assert [zh.count("n.finding", n) for n in (1, 2, 5)] == ["1 项调查结果", "2 项调查结果", "5 项调查结果"]


def test_counts_and_numbers_follow_the_language() -> None:
    assert Messages("en").count("n.finding", 1) == "1 finding"
    assert Messages("en").count("n.finding", 0) == "0 findings"
    assert Messages("fr").count("n.finding", 0) == "0 constat"
    assert Messages("es").count("n.finding", 2) == "2 hallazgos"
    assert Messages("en").pct(0.8512) == "85.1%"
    assert Messages("fr").pct(0.8512) == "85,1\u00a0%"
    assert Messages("es").number("1,000.5") == "1.000,5"
    assert Messages("en").pct(None) == "n/a"


def test_french_and_russian_number_formats() -> None:
    fr, ru = Messages("fr"), Messages("ru")
    assert fr.pct(0.262) == "26,2\u00a0%"  # CLDR (Babel): no-break space before %, decimal comma
    assert fr.integer(1234567) == "1\u202f234\u202f567"  # narrow no-break space between thousands
    assert fr.number("87.5%") == "87,5\u00a0%"
    assert ru.pct(0.262) == "26,2\u00a0%"
    assert ru.integer(1234567) == "1\u00a0234\u00a0567"
    assert ru.number("0.5") == "0,5"
    assert ru.count("n.respondent", 1234) == "1\u00a0234 респондента"
    assert Messages("en").integer(1234567) == "1,234,567"
    assert Messages("zh").pct(0.262) == "26.2%"


def test_percent_rounding_is_pythons_as_in_the_tables() -> None:
    assert Messages("fr").pct(0.85149999) == "85,1\u00a0%"
    assert Messages("en").pct(0.2625) == f"{0.2625 * 100:.1f}%"


def test_punctuation_follows_the_language() -> None:
    assert Messages("zh").join(["a", "b"]) == "a、b"
    assert Messages("ar").join(["a", "b"]) == "a، b"
    assert Messages("fr").quote("rien") == "« rien »"
    assert Messages("zh")("p.colon") == "："
    assert Messages("zh").non_answers(3, {"link": 1, "courtesy": 2}).endswith("）")


def test_a_count_splits_around_its_number_wherever_the_language_puts_it() -> None:
    assert Messages("en").count_parts("n.response_received", 1234) == ("", "1,234", " responses received.")
    assert Messages("ru").count_parts("n.response_received", 5) == ("Получено ", "5", " ответов.")


def test_only_arabic_reads_right_to_left() -> None:
    assert [lang for lang in BUILT_IN if Messages(lang).right_to_left] == ["ar"]


def _config(tmp_path: Path, **report: object) -> None:
    parse_config({"input": {"path": "x.csv"}, "report": report}, tmp_path)


def test_the_six_languages_are_accepted(tmp_path: Path) -> None:
    for lang in BUILT_IN:
        _config(tmp_path, language=lang)


def test_an_unknown_language_is_a_one_line_error_naming_the_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        _config(tmp_path, language="de")
    message = str(caught.value)
    assert "\n" not in message
    assert "report.language 'de'" in message
    assert str(Path("de") / "LC_MESSAGES" / "consolidate.po") in message
    with pytest.raises(ConfigError, match="not a locale"):
        _config(tmp_path, language="xx-nowhere")


def test_a_user_catalogue_adds_a_language(tmp_path: Path) -> None:
    folder = tmp_path / "catalogues" / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = (PACKAGE_CATALOGUES / "consolidate.pot").read_text(encoding="utf-8")
    po = po.replace('msgid "Method"\nmsgstr ""', 'msgid "Method"\nmsgstr "Methode"')
    (folder / "consolidate.po").write_text(po.replace("charset=CHARSET", "charset=utf-8"), encoding="utf-8")
    _config(tmp_path, language="de", catalogues="catalogues")
    de = Messages("de", tmp_path / "catalogues")
    assert de("h.method") == "Methode"
    assert de("h.results") == "Results"  # untranslated entries fall back to the English text
    assert de.pct(0.262) == "26,2\u00a0%"


def test_arabic_keeps_english_words_and_percents_whole_in_right_to_left_text() -> None:
    ar = Messages("ar")
    assert ar.pct(0.255) == "\u206825.5%\u2069"  # isolated: the sign stays after the number in right-to-left text
    line = ar("closed.alt_bar", title="How familiar are you?")
    assert line == "رسم بياني بالأعمدة: \u2068How familiar are you?\u2069"  # the question mark stays at its end
    assert ar("h.part_untitled", n=3) == "الجزء 3"  # numbers and Arabic values are not isolated
    assert Messages("en")("closed.alt_bar", title="How?") == "Bar chart: How?"


def test_the_check_lists_untranslated_fuzzy_and_misplaced_placeholders() -> None:
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale="ru")
    catalog.add("Method", "", context="h.method")
    catalog.add("Part {n}", "Часть", context="h.part_untitled")
    catalog.add("Results", "Результаты", context="h.results", flags=("fuzzy",))
    catalog.add(("{n} row", "{n} rows"), ("{n} строка", "{n} строки", ""), context="n.row")
    assert problems(catalog) == [
        "h.method: untranslated",
        "h.part_untitled: placeholders differ from the English ['n']",
        "h.results: fuzzy",
        "n.row: untranslated",
    ]
