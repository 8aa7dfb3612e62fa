"""Embed step: answers -> statements.parquet + vectors/<question>.npy, and the title candidates with their vectors.

`vectors/<question>.npy` holds the question's distinct vectors once; each statement's row is its `vector_row`
(`pipeline.steps.vectors` reads them back).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache

import numpy as np

from pipeline.artifacts import RunPaths, read_table, write_array, write_table
from pipeline.config import EmbedConfig, PipelineConfig
from pipeline.detect.noise import rules_from_config
from pipeline.embedders import (
    BUNDLED_NAMES,
    MINILM_LANGUAGES,
    CachedEmbedder,
    Embedder,
    EmbeddingCache,
    PairedEmbedder,
    SentenceTransformerEmbedder,
    TfidfEmbedder,
    UseEmbedder,
)
from pipeline.engine import DaskEmbedder, Recipe, engine_for
from pipeline.runner import StageReport
from pipeline.stages.embed import (
    ModelChoice,
    build_statements,
    choose_models,
    embed_counts,
    embed_phrases,
    open_question_ids,
    run_embed,
    with_vector_rows,
)

log = logging.getLogger(__name__)


def make_embedder(settings: EmbedConfig, cfg: PipelineConfig) -> Embedder:
    """Build the (cached) embedder an embed section describes."""
    if settings.backend == "tfidf":
        return TfidfEmbedder(settings.tfidf_dimensions, cfg.run.seed)
    cache_dir = cfg.resolve(settings.cache_dir)
    inner: Embedder
    if settings.backend == "both":
        first = make_embedder(settings.model_copy(update={"backend": "sentence-transformers"}), cfg)
        second = make_embedder(settings.model_copy(update={"backend": "use-multilingual"}), cfg)
        return PairedEmbedder(first, second, frozenset(settings.languages or MINILM_LANGUAGES))
    model: SentenceTransformerEmbedder | UseEmbedder
    if settings.backend == "use-multilingual":
        model = UseEmbedder(cache_dir, settings.batch_size)
    else:
        model = SentenceTransformerEmbedder(settings.model, cache_dir, settings.batch_size)
    engine = engine_for(cfg.run)
    inner = model if engine is None else DaskEmbedder(model, _recipe(settings, model), engine)
    return CachedEmbedder(inner, EmbeddingCache(cache_dir / "embeddings.sqlite"))


def _recipe(settings: EmbedConfig, model: SentenceTransformerEmbedder | UseEmbedder) -> Recipe:
    """How a Dask worker builds the same model: the bundled package's, or the same folder path on the worker."""
    bundled = isinstance(model, UseEmbedder) or settings.model.lower() in BUNDLED_NAMES
    name = settings.model if bundled else str(model.folder)
    return Recipe(settings.backend, name, settings.batch_size, model.identity)


def embedders_by_question(cfg: PipelineConfig, settings_for: Callable[[str], EmbedConfig]) -> Callable[[str], Embedder]:
    """A question's embedder, built once per distinct embed settings (questions sharing settings share one)."""

    @cache
    def build(settings: EmbedConfig) -> Embedder:
        return make_embedder(settings, cfg)

    return lambda qid: build(settings_for(qid))


def step(cfg: PipelineConfig, paths: RunPaths) -> StageReport:
    """Split open answers into statements, choose each question's model from its languages, and embed."""
    questions = read_table(paths.questions)
    answers = read_table(paths.answers)
    qids = open_question_ids(questions)
    statements = build_statements(answers, qids, lambda q: cfg.for_question(q, "statements"), rules_from_config(cfg))
    choices = choose_models(statements, lambda q: cfg.for_question(q, "embed"))
    embedder_for = embedders_by_question(
        cfg, lambda q: choices[q].settings if q in choices else cfg.for_question(q, "embed")
    )
    vectors = run_embed(statements, embedder_for)
    embedded, reused = embed_counts(statements, embedder_for)
    phrases, phrase_vectors = embed_phrases(statements, embedder_for)
    write_table(paths.statements, with_vector_rows(statements, vectors))
    write_table(paths.phrases, phrases)
    for qid in qids:
        write_array(paths.vectors(qid), vectors[qid].table if qid in vectors else np.zeros((0, 0), dtype=np.float32))
        if qid in phrase_vectors:
            write_array(paths.phrase_vectors(qid), phrase_vectors[qid])
    used = list({id(e): e for e in map(embedder_for, qids)}.values())
    notices = [c.notice for c in choices.values() if c.notice]
    warnings = [c.warning for c in choices.values() if c.warning]
    facts = {
        "model": {"ids": sorted(e.identity for e in used), "backend": cfg.embed.backend, "name": cfg.embed.model},
        "statements": len(statements),
        "title_candidates": len(phrases),
        "computed": sum(getattr(e, "computed", 0) for e in used),
        "embedded": embedded,
        "reused": reused,
        "questions": {qid: _question_facts(choice, embedder_for(qid)) for qid, choice in choices.items()},
        "notices": notices,
        "warnings": warnings,
    }
    for line in notices + warnings:
        log.info("%s", line)
    return StageReport(facts=facts)


def _question_facts(choice: ModelChoice, embedder: Embedder) -> dict[str, object]:
    """What the manifest records per question: model, backend, languages of the answers, notice, warning."""
    return {
        "model": embedder.identity,
        "backend": choice.settings.backend,
        "languages": choice.languages,
        "notice": choice.notice,
        "warning": choice.warning,
    }
