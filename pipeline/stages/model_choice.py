"""Which embedding model each open question gets, from the languages of its answers.

The default model (all-MiniLM-L6-v2) was trained on English only: answers in other languages land far from
English answers that say the same thing, and findings then follow the language instead of the meaning. With
`embed.multilingual: auto` (the default), a question whose answers with a known language are less than
`embed.multilingual_share` (90%) in the model's languages is embedded with the multilingual model instead
(`use-multilingual`: Google's Universal Sentence Encoder multilingual v3), and a one-line notice says so. Answers
whose language is undetermined (`und`: too short to tell) do not count either way.

Whatever model a question ends up with, a warning is raised when most of its answers with a known language are
in languages that model does not cover (Greek or Bulgarian for the multilingual model, anything but English for
the default model with `multilingual: off`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from pipeline.config import EmbedConfig
from pipeline.embedders import MINILM_LANGUAGES, USE_LANGUAGES, USE_NAME
from pipeline.languages import UNDETERMINED, format_counts, language_counts

MULTILINGUAL_BACKEND = "use-multilingual"


@dataclass(frozen=True)
class ModelChoice:
    """The embed settings of one question and why.

    Attributes:
        settings: the embed settings to use (the configured ones, or the multilingual backend).
        languages: language counts of the question's answers (`und` last).
        notice: one line when the multilingual model was chosen automatically, else None.
        warning: one line when most answers are in languages the chosen model does not cover, else None.
    """

    settings: EmbedConfig
    languages: dict[str, int]
    notice: str | None = None
    warning: str | None = None


def covered_languages(settings: EmbedConfig) -> frozenset[str] | None:
    """Languages the embed settings' model covers; None for the TF-IDF backend (words of any language)."""
    if settings.backend == "tfidf":
        return None
    if settings.backend == MULTILINGUAL_BACKEND:
        return frozenset(USE_LANGUAGES)
    return frozenset(settings.languages or MINILM_LANGUAGES)


def model_label(settings: EmbedConfig) -> str:
    """Short name of the model of some embed settings, for notices."""
    return {"tfidf": "TF-IDF", MULTILINGUAL_BACKEND: USE_NAME}.get(settings.backend, settings.model)


def choose_model(question_id: str, languages: list[str], settings: EmbedConfig) -> ModelChoice:
    """Keep the configured model or switch to the multilingual one, from the languages of a question's answers.

    Args:
        question_id: the question (named in the notice and the warning).
        languages: the language of each answer (ISO 639-1 or `und`).
        settings: the question's configured embed settings.

    Returns:
        The settings to use, the language counts, and the notice and warning lines (None when there is none).
    """
    counts = language_counts(languages)
    known = {lang: n for lang, n in counts.items() if lang != UNDETERMINED}
    covered = covered_languages(settings)
    if covered is None or not known:
        return ModelChoice(settings, counts)
    notice = None
    inside = sum(n for lang, n in known.items() if lang in covered) / sum(known.values())
    if settings.backend == "sentence-transformers" and settings.multilingual == "auto":
        if inside < settings.multilingual_share:
            notice = (
                f"{question_id}: {1 - inside:.0%} of the answers are not in {'/'.join(sorted(covered))} "
                f"({format_counts(counts)}), so they are embedded with the multilingual model {USE_NAME} instead of "
                f"{model_label(settings)} (embed.multilingual: auto)."
            )
            settings = settings.model_copy(update={"backend": MULTILINGUAL_BACKEND})
            covered = frozenset(USE_LANGUAGES)
    return ModelChoice(settings, counts, notice, _warning(question_id, known, covered, settings))


def _warning(question_id: str, known: Mapping[str, int], covered: frozenset[str], settings: EmbedConfig) -> str | None:
    outside = {lang: n for lang, n in known.items() if lang not in covered}
    share = sum(outside.values()) / sum(known.values())
    if share <= 0.5:
        return None
    fix = (
        "set embed.model to a local model trained on them and list them in embed.languages"
        if settings.backend == MULTILINGUAL_BACKEND
        else "set embed.multilingual: auto, or a model trained on them in embed.model and embed.languages"
    )
    return (
        f"{question_id}: {share:.0%} of the answers are in languages the model {model_label(settings)} does not cover "
        f"({format_counts(outside)}); its findings may follow wording or language rather than meaning. To fix: {fix}."
    )


def answer_languages(statements: pd.DataFrame) -> dict[str, list[str]]:
    """The language of each answer (not statement) of every question: question id -> languages, in order.

    Args:
        statements: `build_statements` output (`question_id, respondent_id, language`).
    """
    answers = statements.drop_duplicates(["question_id", "respondent_id"])
    return {str(q): [str(x) for x in langs] for q, langs in answers.groupby("question_id", sort=False)["language"]}


def choose_models(statements: pd.DataFrame, settings_for: Callable[[str], EmbedConfig]) -> dict[str, ModelChoice]:
    """`choose_model` for every question of the statements table, from the languages of its answers."""
    return {qid: choose_model(qid, langs, settings_for(qid)) for qid, langs in answer_languages(statements).items()}
