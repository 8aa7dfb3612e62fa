"""Which embedding model each open question gets, from the languages of its answers.

The default model (all-MiniLM-L6-v2) was trained on English only: answers in other languages land far from
English answers that say the same thing, so a few French answers among English ones became findings of their own
("Capacité à dégager", "Dejar": a language, not a theme). With `embed.multilingual: auto` (the default):

- a question whose answers with a known language are in the model's languages keeps the model, also when a few are
  not (fewer than MIN_OTHER_ANSWERS, or under MIN_OTHER_SHARE of them: a misdetection is more likely than a
  language);
- one with more answers in other languages, but at least `embed.multilingual_share` (50%) in the model's, is
  embedded with **both** models side by side (backend `both`): each statement's vector is the model's vector and
  the multilingual one (`use-multilingual`: Google's Universal Sentence Encoder multilingual v3), each at half
  weight; a statement in a language the model does not cover takes, for the model's half, the mean of the model's
  vectors of its nearest neighbours by the multilingual half (`stages.embed.align_languages`), so it sits where
  the same thing said in the model's language sits;
- one mostly in other languages is embedded with the multilingual model alone;

and a one-line notice says so. Answers whose language is undetermined (`und`: too short to tell) do not count.

Why both, and not the multilingual model alone (benchmarks/multilingual.py, docs/multilingual.md; mean of 6 random
90% subsets): on the English dev sets both models together match or beat MiniLM (WWCO top-5 F1 0.496 vs 0.488,
the sample 0.721 vs 0.705, gambling 0.361 vs 0.351, flaky 0.397 vs 0.394; NHS 0.302 vs 0.327 is why English-only
questions keep MiniLM alone), while the multilingual model alone loses on them (WWCO 0.467, the sample 0.698).
On SIB-200 with 10% of the items in Arabic, Chinese, French, Russian or Spanish, no finding gathers one language
with either (MiniLM alone: 3 of 14), and top-5 recall is 0.80-0.83 with both. Putting the two halves side by side
without the alignment made 7 of 8 findings language groups on mixed SIB-200 (MiniLM reads all Chinese alike).

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
PAIRED_BACKEND = "both"
# a handful of answers in other languages: at least this many, and this share of the answers with a known language
# (a few misdetected English answers in a large question, 3 in 10,000 StackOverflow titles, do not count)
MIN_OTHER_ANSWERS = 2
MIN_OTHER_SHARE = 0.01


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
    own = frozenset(settings.languages or MINILM_LANGUAGES)
    return own | frozenset(USE_LANGUAGES) if settings.backend == PAIRED_BACKEND else own


def model_label(settings: EmbedConfig) -> str:
    """Short name of the model of some embed settings, for notices."""
    paired = f"{settings.model} + {USE_NAME}"
    return {"tfidf": "TF-IDF", MULTILINGUAL_BACKEND: USE_NAME, PAIRED_BACKEND: paired}.get(
        settings.backend, settings.model
    )


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
    outside = sum(n for lang, n in known.items() if lang not in covered)
    handful = outside >= MIN_OTHER_ANSWERS and outside >= MIN_OTHER_SHARE * sum(known.values())
    if settings.backend == "sentence-transformers" and settings.multilingual == "auto" and handful:
        alone = inside < settings.multilingual_share
        how = (
            f"the multilingual model {USE_NAME} instead of {model_label(settings)}"
            if alone
            else f"{model_label(settings)} and the multilingual model {USE_NAME} together"
        )
        notice = (
            f"{question_id}: {1 - inside:.0%} of the answers are not in {'/'.join(sorted(covered))} "
            f"({format_counts(counts)}), so the question is embedded with {how} (embed.multilingual: auto)."
        )
        settings = settings.model_copy(update={"backend": MULTILINGUAL_BACKEND if alone else PAIRED_BACKEND})
        covered = covered_languages(settings) or covered
    return ModelChoice(settings, counts, notice, _warning(question_id, known, covered, settings))


def _warning(question_id: str, known: Mapping[str, int], covered: frozenset[str], settings: EmbedConfig) -> str | None:
    outside = {lang: n for lang, n in known.items() if lang not in covered}
    share = sum(outside.values()) / sum(known.values())
    if share <= 0.5:
        return None
    fix = (
        "set embed.model to a local model trained on them and list them in embed.languages"
        if settings.backend in (MULTILINGUAL_BACKEND, PAIRED_BACKEND)
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
