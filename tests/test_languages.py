import pandas as pd

from pipeline.languages import (
    UNDETERMINED,
    detect_language,
    detect_languages,
    format_counts,
    function_words,
    language_counts,
    main_language,
    question_languages,
)

ANSWERS = {
    "en": "The bus tickets are far too expensive for families.",
    "fr": "Les tickets de bus coûtent beaucoup trop cher pour les familles.",
    "es": "Los billetes de autobús son demasiado caros para las familias.",
    "de": "Die Fahrkarten für den Bus sind für Familien viel zu teuer.",
    "it": "I biglietti dell'autobus sono troppo cari per le famiglie.",
    "zh": "公交车票对家庭来说太贵了。",
    "ar": "تذاكر الحافلات باهظة الثمن بالنسبة للعائلات.",
    "ru": "Билеты на автобус слишком дорогие для семей.",
}


def test_each_answer_gets_its_language() -> None:
    assert {lang: detect_language(text) for lang, text in ANSWERS.items()} == {lang: lang for lang in ANSWERS}


def test_short_or_letterless_answers_are_undetermined() -> None:
    for text in ("OK", "Yes", "123", "-", "", "Thanks!"):
        assert detect_language(text) == UNDETERMINED, text


def test_detection_is_deterministic_and_batches_repeated_texts() -> None:
    texts = [ANSWERS["fr"], ANSWERS["en"], ANSWERS["fr"], "OK"]
    assert detect_languages(texts) == ["fr", "en", "fr", UNDETERMINED]
    assert detect_languages(texts) == detect_languages(list(reversed(texts)))[::-1]


def test_counts_put_undetermined_last() -> None:
    counts = language_counts(["fr", "und", "en", "fr", "de", "en", "fr"])
    assert list(counts.items()) == [("fr", 3), ("en", 2), ("de", 1), ("und", 1)]
    assert format_counts(counts) == "fr 3, en 2, de 1, und 1"
    assert main_language(["fr", "und", "en", "fr"]) == ("fr", 2 / 3)
    assert main_language(["und"]) == (UNDETERMINED, 0.0)


def test_question_languages_count_open_answers_only() -> None:
    answers = pd.DataFrame(
        {
            "question_id": ["q1", "q1", "q1", "q2", "q1"],
            "status": ["answer", "answer", "answer", "answer", "non_answer"],
            "language": ["fr", "en", "fr", "", ""],
        }
    )
    assert question_languages(answers) == {"q1": {"fr": 2, "en": 1}}


def test_function_words_come_from_a_multilingual_source() -> None:
    assert {"die", "der", "und", "um"} <= function_words("de")
    assert {"le", "la", "les", "de", "et"} <= function_words("fr")
    assert {"el", "los", "de", "que"} <= function_words("es")
    assert "radweg" not in function_words("de")
    assert function_words(UNDETERMINED) == frozenset()
    assert function_words("xx") == frozenset()


def test_the_reports_language_leads_a_finding_where_enough_members_wrote_it() -> None:
    from pipeline.languages import finding_language, in_main_language

    members = ["es", "es", "es", "fr", "en", "und"]
    assert finding_language(members) == "es"
    assert finding_language(members, "fr") == "fr"  # 1 of 5 determined members: the 20% share
    assert finding_language(members, "fr", share=0.3) == "es"
    assert finding_language(members, "de") == "es"
    assert finding_language(["en", "fr"]) == "und"  # a tie: any member may speak
    assert in_main_language(members, "fr") == [False, False, False, True, False, True]
    six = ["ar"] * 24 + ["zh"] * 20 + ["en"] * 21 + ["fr"] * 19 + ["es"] * 22 + ["ru"] * 23  # none reaches 20%
    assert finding_language(six, "en") == "en" and finding_language(six) == "ar"
    assert finding_language(["ar"] * 24 + ["en"] * 5 + ["fr"] * 1, "en", share=0.3) == "ar"  # 5 < 0.5 x 24
