"""Languages of answers: detection per text, counts per question, function words per language.

Detection uses py3langid (langid.py's naive Bayes model over byte n-grams, shipped inside the package, no
randomness: the same text always gets the same language), restricted to `DETECTED_LANGUAGES`, with normalised
probabilities. A text gets its ISO 639-1 code when the model is at least `MIN_CONFIDENCE` sure, else `und`
(undetermined): short answers ("OK", "Yes I agree", "Thanks") often fit several languages, and a wrong guess would
be counted, steer the choice of embedding model and show in the report. On SIB-200 sentences in six languages
this gives 0.2% `und` and no errors on whole sentences, and 31% `und` with 0.1% errors on their first three words
(seeded langdetect: 1.3% and 17% errors), at about 7,000 sentences/s (`python benchmarks/multilingual.py`;
docs/multilingual.md).

Function words come from stopwords-iso (the `stopwordsiso` package, 58 languages, MIT). Its lists are broad stop
lists: besides articles, pronouns, prepositions and auxiliaries they hold some very frequent content words
("good", "work", "neue"), so use them to keep titles from being made of, starting with or ending on such words,
not to delete words from text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

import pandas as pd

UNDETERMINED = "und"
MIN_CONFIDENCE = 0.7
# The 24 official EU languages, the six UN languages, and others common in consultations in Europe and beyond.
# Restricting the candidates keeps rare look-alikes (Galician for Spanish, Bosnian for Croatian, Malay for
# Indonesian) from being chosen for short texts.
DETECTED_LANGUAGES: tuple[str, ...] = (
    *("bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it", "lt", "lv", "mt"),
    *("nl", "pl", "pt", "ro", "sk", "sl", "sv", "ar", "ru", "zh", "ca", "eu", "cy", "no", "is", "sq", "sr"),
    *("mk", "uk", "be", "tr", "he", "fa", "hi", "ur", "bn", "ja", "ko", "vi", "th", "id", "sw"),
)


@cache
def _identifier() -> Any:
    """The py3langid model, loaded once (about 0.5 s), restricted to DETECTED_LANGUAGES."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(DETECTED_LANGUAGES))
    return identifier


def detect_language(text: str) -> str:
    """ISO 639-1 code of a text's language, or `und` when it has no letter or the model is unsure.

    Args:
        text: any text (an answer, a statement).

    Returns:
        A code from DETECTED_LANGUAGES, or UNDETERMINED.
    """
    if not any(c.isalpha() for c in text):
        return UNDETERMINED
    language, probability = _identifier().classify(text)
    return str(language) if probability >= MIN_CONFIDENCE else UNDETERMINED


def detect_languages(texts: Iterable[str]) -> list[str]:
    """`detect_language` of each text; repeated texts are classified once."""
    items = list(texts)
    known = {text: detect_language(text) for text in dict.fromkeys(items)}
    return [known[text] for text in items]


def language_counts(languages: Iterable[str]) -> dict[str, int]:
    """Count languages, most frequent first (ties by code), `und` last: `{"en": 40, "fr": 3, "und": 5}`."""
    counts = Counter(languages)
    order = sorted((lang for lang in counts if lang != UNDETERMINED), key=lambda lang: (-counts[lang], lang))
    if UNDETERMINED in counts:
        order.append(UNDETERMINED)
    return {lang: counts[lang] for lang in order}


def format_counts(counts: dict[str, int]) -> str:
    """`en 40, fr 3, und 5` ('–' when empty)."""
    return ", ".join(f"{lang} {n}" for lang, n in counts.items()) or "–"


def question_languages(answers: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Languages of each open question's answers: question id -> `language_counts` of its answers.

    Args:
        answers: ingest answers (`question_id, status, language`); rows with an empty `language` (closed
            questions, non-answers) are not counted.
    """
    rows = answers[(answers["status"] == "answer") & (answers["language"].astype(str) != "")]
    grouped = rows.groupby("question_id", sort=False)["language"]
    return {str(qid): language_counts(str(lang) for lang in langs) for qid, langs in grouped}


def main_language(languages: Sequence[str]) -> tuple[str, float]:
    """The most frequent determined language and its share of the determined ones (`und`, 0.0 when none)."""
    counts = language_counts(lang for lang in languages if lang != UNDETERMINED)
    if not counts:
        return UNDETERMINED, 0.0
    language, n = next(iter(counts.items()))
    return language, n / sum(counts.values())


PREFERRED_SHARE = 0.2  # share of a finding's members (determined languages) that lets the report's language lead
PREFERRED_RATIO = 0.5  # ... or its members against those of the finding's most frequent language


def finding_language(languages: Sequence[str], preferred: str | None = None, share: float = PREFERRED_SHARE) -> str:
    """The language a group's title, sentence and first quote are taken from.

    The report's language (`preferred`) when at least `share` of the group's determined members write in it: a
    French report reads French wherever French members said it, even when Spanish members are more. It leads too
    when it has at least PREFERRED_RATIO of the members of the most frequent language: where answers come in many
    languages (the six UN languages alike, 1/6 each), no language reaches the share: on 900 SIB-200 sentences, an
    English report titled a finding of 26 Arabic, 23 English, 23 Spanish, 21 French, 20 Russian and 19 Chinese
    members in Arabic. Otherwise the most frequent language; `und` when none is determined or the two most
    frequent tie (then any member may give the text).
    """
    counts = language_counts(lang for lang in languages if lang != UNDETERMINED)
    if not counts:
        return UNDETERMINED
    ranked = list(counts.items())
    own = counts.get(preferred, 0) if preferred else 0
    if preferred and own >= 1 and (own >= share * sum(counts.values()) or own >= PREFERRED_RATIO * ranked[0][1]):
        return preferred
    return UNDETERMINED if len(ranked) > 1 and ranked[0][1] == ranked[1][1] else ranked[0][0]


def in_main_language(
    languages: Sequence[str], preferred: str | None = None, share: float = PREFERRED_SHARE
) -> list[bool]:
    """Which texts are in their group's language (`finding_language`), or undetermined; all when it has none."""
    chosen = finding_language(languages, preferred, share)
    if chosen == UNDETERMINED:
        return [True] * len(languages)
    return [lang in (chosen, UNDETERMINED) for lang in languages]


@cache
def function_words(language: str) -> frozenset[str]:
    """Lower-case function (stop) words of a language from stopwords-iso; empty for `und` or an unknown code.

    Args:
        language: ISO 639-1 code, e.g. `de`.

    Returns:
        The language's stop list (articles, pronouns, prepositions, auxiliaries and some very frequent words).
    """
    import stopwordsiso

    if language == UNDETERMINED or not stopwordsiso.has_lang(language):
        return frozenset()
    return frozenset(word.lower() for word in stopwordsiso.stopwords(language))


CURATED = frozenset({"en"})  # languages whose function words the key-phrase rules list themselves (keyphrases.py)
MIN_LANGUAGE_SHARE = 0.02  # a language this rare in a question does not bring its function words


def other_function_words(languages: Sequence[str]) -> frozenset[str]:
    """Function words of the languages of a question's statements, besides those keyphrases.py lists itself.

    A language counts when at least MIN_LANGUAGE_SHARE of the statements with a determined language use it, so a
    stray misdetection does not ban common words.
    """
    counts = language_counts(lang for lang in languages if lang != UNDETERMINED)
    total = sum(counts.values())
    wanted = [lang for lang, n in counts.items() if lang not in CURATED and n >= MIN_LANGUAGE_SHARE * total]
    return frozenset().union(*(function_words(lang) for lang in wanted))
