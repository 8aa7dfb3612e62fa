"""Embed stage: open answers -> statements and their vectors, per open question (`03_embed/`).

Takes the ingest answers, the statements config, the noise rules and one embedder per question. Gives the
statements table (one row per statement: respondent, question, text, language, noise kind, copy key, and
`vector_row`, its row in its question's vectors) and one unit-vector array per question with a row per distinct
text (`shared.indexed`: copies share a row), plus the question's candidate title phrases and
their vectors (`pipeline.stages.shared.phrases`). `choose_models` picks each question's model from the languages
of its answers. Touches no files (`pipeline.steps.embed` writes them and keeps the embedding cache).

Modules: `stage` (run_embed, statements table, phrases), `statements` (answers -> sentences or bullets),
`model_choice` (which model per question).
"""

from pipeline.stages.embed.model_choice import ModelChoice, choose_model, choose_models, covered_languages
from pipeline.stages.embed.stage import (
    align_languages,
    build_statements,
    distinct_texts,
    embed_counts,
    embed_phrases,
    open_question_ids,
    phrase_sets,
    run_embed,
    with_vector_rows,
)
from pipeline.stages.embed.statements import split_answer

__all__ = [
    "ModelChoice",
    "align_languages",
    "build_statements",
    "choose_model",
    "choose_models",
    "covered_languages",
    "distinct_texts",
    "embed_counts",
    "embed_phrases",
    "open_question_ids",
    "phrase_sets",
    "run_embed",
    "split_answer",
    "with_vector_rows",
]
