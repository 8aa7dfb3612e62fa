import pandas as pd

from pipeline.config import EmbedConfig
from pipeline.stages.embed.model_choice import choose_model, choose_models, covered_languages


def test_english_answers_keep_the_default_model() -> None:
    choice = choose_model("q1", ["en"] * 19 + ["und"] * 5, EmbedConfig())
    assert choice.settings == EmbedConfig()
    assert choice.notice is None and choice.warning is None
    assert choice.languages == {"en": 19, "und": 5}


def test_a_few_answers_in_other_languages_pair_both_models_with_a_notice() -> None:
    choice = choose_model("q1", ["en"] * 38 + ["fr", "es"] + ["und"] * 5, EmbedConfig())
    assert choice.settings.backend == "both"
    assert choice.notice is not None and choice.notice.startswith("q1: 5% of the answers are not in en (en 38, es 1")
    assert "all-MiniLM-L6-v2 and the multilingual model use-multilingual-v3 together" in choice.notice
    assert choice.warning is None
    assert covered_languages(choice.settings) is not None and "fr" in (covered_languages(choice.settings) or ())


def test_mostly_other_languages_switch_to_the_multilingual_model_with_a_notice() -> None:
    choice = choose_model("q1", ["en"] * 4 + ["fr"] * 3 + ["de"] * 2 + ["und"] * 4, EmbedConfig())
    assert choice.settings.backend == "use-multilingual"
    assert choice.notice is not None
    assert choice.notice.startswith("q1: 56% of the answers are not in en (en 4, fr 3, de 2, und 4)")
    assert "instead of all-MiniLM-L6-v2" in choice.notice and "\n" not in choice.notice
    assert choice.warning is None


def test_one_answer_or_a_tiny_share_in_another_language_keeps_the_model() -> None:
    assert choose_model("q", ["en"] * 19 + ["fr"], EmbedConfig()).settings.backend == "sentence-transformers"
    assert choose_model("q", ["en"] * 1000 + ["fr"] * 3, EmbedConfig()).settings.backend == "sentence-transformers"


def test_undetermined_answers_do_not_count() -> None:
    choice = choose_model("q1", ["en"] * 3 + ["und"] * 30, EmbedConfig())
    assert choice.notice is None and choice.settings.backend == "sentence-transformers"


def test_switch_can_be_turned_off_and_then_warns() -> None:
    choice = choose_model("q2", ["es"] * 8 + ["en"] * 2, EmbedConfig(multilingual="off"))
    assert choice.settings.backend == "sentence-transformers" and choice.notice is None
    assert choice.warning is not None and "q2: 80% of the answers are in languages" in choice.warning
    assert "embed.multilingual: auto" in choice.warning


def test_languages_the_multilingual_model_lacks_are_warned_about() -> None:
    choice = choose_model("q3", ["el"] * 6 + ["bg"] * 2 + ["en"] * 2, EmbedConfig())
    assert choice.settings.backend == "use-multilingual"
    assert choice.warning is not None and "(el 6, bg 2)" in choice.warning


def test_configured_languages_and_backends() -> None:
    own = EmbedConfig(model="/models/multi", languages=("en", "fr"))
    assert choose_model("q", ["fr"] * 5 + ["en"] * 5, own).notice is None
    assert covered_languages(EmbedConfig(backend="tfidf")) is None
    assert choose_model("q", ["fr"] * 10, EmbedConfig(backend="tfidf")).settings.backend == "tfidf"


def test_choice_per_question_counts_answers_not_statements() -> None:
    statements = pd.DataFrame(
        {
            "question_id": ["a", "a", "a", "a", "a", "b", "b"],
            "respondent_id": ["R1", "R1", "R2", "R3", "R4", "R1", "R2"],
            "language": ["fr", "fr", "en", "en", "es", "en", "en"],
        }
    )
    choices = choose_models(statements, lambda q: EmbedConfig())
    assert choices["a"].languages == {"en": 2, "es": 1, "fr": 1}
    assert choices["a"].settings.backend == "both"  # half the answers in the model's language: both models
    assert choices["b"].settings.backend == "sentence-transformers"
