"""The config's sections, one typed model per stage, each with its defaults and bounds.

`input`, `statements`, `embed`, `cluster`, `findings`, `writer`, `closed`, `report`, `review` and `run`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pipeline.config.checks import COMMON_ENCODINGS, check_delimiter, check_encoding, run_name_problem
from pipeline.config.defaults import (
    DEFAULT_COURTESY_REPLIES,
    DEFAULT_NON_ANSWERS,
    DEFAULT_NOTHING_REPLIES,
    MASK_KINDS,
    REPORT_FORMATS,
    ExportFormat,
    MaskKind,
    ReportFormat,
)
from pipeline.config.report_language import normalise_language
from pipeline.labels import NON_SUBSTANTIVE


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InputConfig(_Model):
    """Where the export is and how to read it."""

    path: Path = Field(description="Survey export (xlsx or csv), relative to this config file.")
    format: ExportFormat = Field("auto", description="Survey tool that produced the export; auto = detect.")
    sheet: str | int | None = Field(None, description="Excel sheet name or 0-based index; default: first visible.")
    encoding: str = Field(
        "auto",
        description="CSV text encoding: auto (UTF-8 first, then Windows/Mac code pages) or a codec name.",
        examples=list(COMMON_ENCODINGS),
    )
    delimiter: str | None = Field(None, description="CSV delimiter (one character); default: detected.")
    header_rows: int | None = Field(None, ge=1, le=3, description="Header rows (generic format); default: 1.")
    id_column: str | None = Field(None, description="Column holding a respondent id; default: by format.")
    multi_separator: str | None = Field(None, description="Separator of multi-select cells; default: by format.")
    non_answers: list[str] = Field(
        default_factory=lambda: list(DEFAULT_NON_ANSWERS),
        description="Open-question cells that are not answers (case-insensitive, trimmed).",
    )
    reference_answers: bool = Field(
        True,
        description="Answers that only point elsewhere ('see attached', 'as above', 'voir pièce jointe') are "
        "non-answers; false keeps them as answers.",
    )
    keyboard_mash: bool = Field(True, description='Open answers that are keyboard mash ("Jsjdjdj") are non-answers.')
    mask: list[MaskKind] = Field(
        default_factory=lambda: list(MASK_KINDS),
        description="Replaced by [email] / [phone] in every answer before anything is written; [] = off.",
    )
    polis_unmoderated: Literal["auto", "keep", "drop"] = Field(
        "auto", description="Polis comments never moderated (0): auto = dropped when some comment was accepted."
    )

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str) -> str:
        return check_encoding(value)

    @field_validator("delimiter")
    @classmethod
    def _one_character(cls, value: str | None) -> str | None:
        return check_delimiter(value)


class StatementsConfig(_Model):
    """How open answers are split into statements before clustering."""

    split: Literal["none", "bullets", "sentences"] = Field(
        "sentences", description="sentences: one point per statement (best measured); bullets; none: whole answer."
    )
    min_chars: int = Field(3, ge=1, description="Shorter statements are kept with their neighbour.")


class EmbedConfig(_Model):
    """Which model turns statements into vectors."""

    backend: Literal["sentence-transformers", "tfidf", "use-multilingual", "both"] = Field(
        "sentence-transformers",
        description="use-multilingual: Google's USE multilingual v3 (16 languages, bundled) for every question; "
        "both: embed.model and use-multilingual side by side, answers in languages embed.model does not cover "
        "placed by their multilingual neighbours (pipeline/stages/embed/model_choice.py).",
    )
    model: str = Field("all-MiniLM-L6-v2", description="Model name or local path; the default is bundled.")
    languages: tuple[str, ...] | None = Field(
        None, description="Languages (ISO 639-1) embed.model covers; default: en (all-MiniLM-L6-v2 is English-only)."
    )
    multilingual: Literal["auto", "off"] = Field(
        "auto",
        description="auto: a question with answers in languages the model does not cover is embedded with both "
        "models (backend both), or with use-multilingual alone when most answers are in such languages, with a "
        "notice; off: never switch.",
    )
    multilingual_share: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="Below this share of answers (known language) in the model's languages, use-multilingual "
        "alone; from it up, both models whenever some answers are in other languages.",
    )
    batch_size: int = Field(64, ge=1, le=4096)
    cache_dir: Path = Field(Path("../outputs/.cache"), description="Embedding cache, relative to config.")
    tfidf_dimensions: int = Field(100, ge=2, le=1000, description="SVD dimensions of the tfidf backend.")


class ClusterConfig(_Model):
    """HDBSCAN settings. `auto` values are computed from the number of statements (see cluster.py)."""

    reduce: Literal["none", "pca", "umap"] = "pca"
    n_components: int | Literal["auto"] = Field(
        "auto", description="Dimensions after reduction; auto: 5 below 1,000 statements, 10 from 1,000."
    )
    min_cluster_size: int | Literal["auto"] = "auto"
    min_samples: int | Literal["auto"] = "auto"
    smooth_neighbors: int | Literal["auto"] = Field(
        "auto", description="Neighbours averaged per statement before clustering (0 = off); auto: see cluster.py."
    )
    smooth_steps: int = Field(3, ge=0, le=10, description="Rounds of neighbour averaging (0 = off).")
    cluster_selection_method: Literal["eom", "leaf"] = "eom"
    cluster_selection_epsilon: float = Field(0.0, ge=0.0)
    merge_similarity: float | None = Field(
        None, ge=0.0, le=1.0, description="Merge clusters whose centroids have at least this cosine similarity."
    )
    answer_context: float | Literal["auto"] = Field(
        "auto",
        description="Weight of the answer's mean vector added to each statement's (0 = off); auto: 1 where at least "
        "40% of a question's answers have two or more statements, else 0.",
    )
    theme_resolution: float | None = Field(
        2.0,
        gt=0.0,
        le=50.0,
        description="Modularity resolution of the merge of fine groups into themes: higher keeps more, smaller "
        "themes; null keeps every fine group as a finding.",
    )
    theme_neighbors: int = Field(10, ge=2, le=100, description="Neighbours per statement in the theme graph.")
    subpoint_agreement: float | None = Field(
        0.4,
        ge=-1.0,
        le=1.0,
        description="Fine groups of one theme whose centroids' cosine (average linkage) stays below this become "
        "themes of their own: a finding says one thing; null = off.",
    )
    same_theme: float | None = Field(
        0.8,
        ge=-1.0,
        le=1.0,
        description="Themes whose centroids' cosine (average linkage) reaches this say the same thing in other "
        "words and are merged; null = off.",
    )
    echo_share: float | None = Field(
        0.6,
        gt=0.0,
        le=1.0,
        description="A theme at least this share of whose answers also have statements in other themes is made of "
        "sentences that surround points made elsewhere: they join their answers' other themes; null = off.",
    )
    catchall_share: float = Field(
        0.25, gt=0.0, le=1.0, description="A theme holding more than this share of respondents is split if mixed."
    )
    max_share: float | None = Field(
        0.35,
        gt=0.0,
        le=1.0,
        description="A theme holding more than this share of respondents is split into its parts whatever its "
        "structure, unless it is one group saying one thing; null = off.",
    )
    assign_unclustered: bool = Field(
        True, description="Assign 'not grouped' statements to the nearest finding when similar enough."
    )
    assign_threshold: float = Field(0.6, ge=-1.0, le=1.0, description="Minimum cosine similarity to assign.")
    courtesy_replies: list[str] = Field(
        default_factory=lambda: list(DEFAULT_COURTESY_REPLIES),
        description='Statements saying only these words ("Thank you.", "Saludos") are courtesy: they join no finding, '
        "and an answer made only of them is a non-answer; [] = off.",
    )
    nothing_replies: list[str] = Field(
        default_factory=lambda: list(DEFAULT_NOTHING_REPLIES),
        description='Statements saying only these words ("No, nothing.") are non-answers: they join no finding, and '
        "an answer made only of them is counted as a non-answer (besides the built-in non-answer shapes).",
    )

    @field_validator("min_cluster_size", "min_samples")
    @classmethod
    def _at_least_two(cls, value: int | str) -> int | str:
        if isinstance(value, int) and value < 1:
            raise ValueError("must be 'auto' or an integer >= 1")
        return value

    @field_validator("answer_context")
    @classmethod
    def _context_weight(cls, value: float | str) -> float | str:
        if isinstance(value, int | float) and not 0 <= value <= 10:
            raise ValueError("must be 'auto' or a number from 0 to 10 (0 turns the answer context off)")
        return value

    @field_validator("n_components")
    @classmethod
    def _components(cls, value: int | str) -> int | str:
        if isinstance(value, int) and not 2 <= value <= 200:
            raise ValueError("must be 'auto' or an integer from 2 to 200")
        return value

    @field_validator("smooth_neighbors")
    @classmethod
    def _not_negative(cls, value: int | str) -> int | str:
        if isinstance(value, int) and value < 0:
            raise ValueError("must be 'auto' or an integer >= 0 (0 turns smoothing off)")
        return value


class FindingsConfig(_Model):
    """How clusters become findings."""

    top_n: int = Field(5, ge=1, le=50)
    quotes: int = Field(3, ge=0, le=20)
    title_words: int = Field(4, ge=1, le=5, description="Longest key phrase used as a title.")
    summary_chars: int = Field(300, ge=40, description="Summaries are trimmed at a sentence boundary.")
    coherence_floor: float = Field(
        0.45, ge=-1.0, le=1.0, description="A finding less coherent than this is flagged 'mixed: consider splitting'."
    )
    language_share: float = Field(
        0.2,
        gt=0.0,
        le=1.0,
        description="A finding's title, sentence and first quote come from its members in report.language when at "
        "least this share of them wrote in it (or at least half as many as in its most common language); otherwise "
        "from its most common language.",
    )
    breakdowns: list[str] | None = Field(
        None,
        description="Meta question ids (respondent attributes) each finding is broken down by; null: every meta "
        "question with at most `breakdown_values` values; [] = off.",
    )
    breakdown_values: int = Field(
        12, ge=2, le=100, description="Most values a meta question may have to be used by default."
    )
    breakdown_min_group: int = Field(
        5,
        ge=1,
        description="Groups with fewer respondents than this (or only this many outside them) are never flagged.",
    )
    breakdown_q: float = Field(
        0.05,
        gt=0.0,
        lt=1.0,
        description="A group is flagged over- or under-represented in a finding when Fisher's exact test against the "
        "rest of the question's respondents has a Benjamini-Hochberg q-value at most this (per question).",
    )


class CampaignsConfig(_Model):
    """Campaigns: one long text (a form letter, a template with a name or a sentence changed) sent by many.

    A campaign is a group of exact or near copies (`stages/shared/copies.py`: word 3-gram Jaccard >= 0.5) of an
    answer of at least 15 words, sent by at least `min_respondents` respondents. With `separate`, each campaign is
    one finding reported once in the question's "Campaigns" part, and the top findings are worked out on the other
    respondents (the campaign respondents stay in the question's base, and the report says so).

    Default `min_respondents` (null = auto): max(5, 0.1% of the question's respondents). In the shared data sets
    without organised copying (NHS feedback, COVID worry texts, Polis conversations, WWCO without its block) no text
    of 15 words or more is sent by more than 4 respondents (`benchmarks/campaigns.py`); WWCO's coordinated block is 6
    and Decide Madrid's copy-paste campaigns 14 to 62. The 0.1% floor keeps a handful of copy-pastes in a question of
    hundreds of thousands from being called a campaign.
    """

    separate: bool = Field(
        True, description="Report campaigns apart and find the top findings on the other respondents; false: as one."
    )
    min_respondents: int | None = Field(
        None, ge=2, description="Fewest respondents sending one long text for a campaign; null = max(5, 0.1%)."
    )


class WriterConfig(_Model):
    """Who writes finding titles and sentences: the extractive writer (default) or a language model.

    `openai` sends one request per finding to an OpenAI-compatible chat-completions endpoint (llama.cpp, Ollama,
    vLLM, Azure OpenAI, ...): the question and a sample of the finding's members, contact details masked.
    """

    backend: Literal["extractive", "openai"] = Field(
        "extractive", description="extractive: titles and sentences from the members' own words (no network)."
    )
    base_url: str | None = Field(
        None, description="The endpoint's base URL, up to `/v1` (e.g. http://127.0.0.1:8080/v1); openai only."
    )
    model: str | None = Field(None, description="Model name the endpoint serves; openai only.")
    api_key_env: str | None = Field(
        None, description="Name of the environment variable holding the API key (the key itself never goes here)."
    )
    temperature: float = Field(0.0, ge=0.0, le=2.0)
    timeout_s: float = Field(60.0, gt=0.0, le=3600.0, description="Per request, back-off on 429 included.")
    max_concurrency: int = Field(4, ge=1, le=64, description="Requests in flight at once.")
    sample: int = Field(20, ge=3, le=200, description="Member statements sent per finding, most central first.")
    statement_chars: int = Field(500, ge=50, le=5000, description="Each statement sent is cut at this length.")

    @model_validator(mode="after")
    def _endpoint(self) -> WriterConfig:
        if self.backend == "openai" and not (self.base_url and self.model):
            raise ValueError(
                "backend openai needs base_url and model (e.g. base_url: http://127.0.0.1:8080/v1, model: qwen2.5)"
            )
        return self


class ClosedConfig(_Model):
    """Statistics of likert / single / multi questions."""

    agree: list[str] | None = Field(None, description="Options counted as agreement; default: top two.")
    na_values: list[str] = Field(
        default_factory=lambda: list(NON_SUBSTANTIVE),
        description='Non-substantive options ("No opinion", "Don\'t know", N/A); "Other" is a real option.',
    )
    na_mode: Literal["exclude", "include"] = "exclude"
    threshold: float = Field(0.85, gt=0.0, le=1.0, description="Agree share listed in threshold sentences.")
    confidence: float = Field(0.95, gt=0.5, lt=1.0)
    breakdowns: list[str] = Field(default_factory=list, description="Meta question ids to break down by.")


class ReportPart(_Model):
    """One part of the report's results: a heading, an optional intro, and the questions it shows."""

    title: str | None = Field(None, description="Heading after 'Part N: '; default: 'Part N' alone.")
    questions: list[str] = Field(
        min_length=1,
        description="Ids of the closed and open questions it shows (in questionnaire order); the statements of a "
        "likert block go together.",
    )
    intro: str | None = Field(None, description="Paragraph(s) under the heading; **bold** and *italic* allowed.")


class ReportConfig(_Model):
    """The final document."""

    title: str = "Results of the consultation"
    subtitle: str | None = Field(None, description="Line under the title (e.g. the consultation's full name).")
    cover: list[str] = Field(
        default_factory=list,
        description="Lines under the title (meeting, dates of the consultation); **bold** and *italic* allowed.",
    )
    purpose: str | None = Field(
        None, description="The Purpose section's text (**bold**, *italic*); default: a generated paragraph."
    )
    action_required: str | None = Field(
        None, description="An 'Action required' section after the Purpose (e.g. what a meeting is invited to do)."
    )
    parts: list[ReportPart] = Field(
        default_factory=list,
        description="The results in parts, in this order; questions not listed follow in questionnaire order. "
        "Default: one part per run of closed questions and the open ones after them.",
    )
    language: str = Field(
        "en",
        description="Language of the report's own text (headings, method, sentences, numbers); answers stay as "
        "written. Built in: en, fr, es, ar, zh, ru; any other locale whose catalogue is under report.catalogues.",
    )
    catalogues: Path | None = Field(
        None,
        description="Folder (relative to this config file) of added report catalogues: "
        "<lang>/LC_MESSAGES/consolidate.po or .mo, for a report.language the package does not ship.",
    )
    formats: list[ReportFormat] = Field(
        default_factory=lambda: list(REPORT_FORMATS),
        description="At least one of md, html, docx, pdf (pdf is printed by Chromium, which must be installed).",
    )
    date: str | None = Field(
        None, description="Date printed on the report (e.g. '20 February 2025'); default: none, so reruns match."
    )

    @field_validator("language")
    @classmethod
    def _locale_name(cls, value: str) -> str:
        return normalise_language(value)

    @field_validator("formats")
    @classmethod
    def _some_format(cls, value: list[ReportFormat]) -> list[ReportFormat]:
        if not value:
            raise ValueError("is empty, so no report would be written; list at least one of md, html, docx, pdf")
        return value

    @field_validator("cover", mode="before")
    @classmethod
    def _lines(cls, value: object) -> object:
        return [line for line in value.splitlines() if line.strip()] if isinstance(value, str) else value


class ReviewConfig(_Model):
    """Where reviewer edits live (outside outputs/, so deleting outputs never deletes them)."""

    dir: Path = Field(Path("../reviews"), description="Reviewer sidecars, relative to this config file.")


class RunConfig(_Model):
    """Run-wide settings."""

    name: str | None = Field(
        None, description="Run folder name under output_dir (a plain folder name); default: config file stem."
    )
    output_dir: Path = Path("../outputs")
    seed: int = Field(42, ge=0, description="The one random seed of the whole pipeline.")
    on_mismatch: Literal["error", "warn"] = Field(
        "error",
        description="When config and data disagree (agree options a question lacks, answers mostly not among "
        "a question's options, header rows that look like responses): error, or warn (console + report annex).",
    )
    engine: Literal["local", "dask"] = Field(
        "local",
        description="Where the embedding of distinct texts and the nearest-centroid assignment run: local (this "
        "process) or dask (tasks on a Dask cluster; needs `pip install 'consolidate[dask]'`). Same findings.",
    )
    scheduler: str | None = Field(
        None,
        description="Address of an existing Dask scheduler (tcp://host:8786) for engine dask; absent: a local "
        "cluster of worker processes on this machine.",
    )

    @field_validator("scheduler")
    @classmethod
    def _address(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"(tcp|tls|ucx|inproc)://\S+", value):
            raise ValueError(f"must be a Dask scheduler address such as tcp://host:8786; got {value!r}")
        return value

    @field_validator("name")
    @classmethod
    def _plain_name(cls, value: str | None) -> str | None:
        if value is not None:
            problem = run_name_problem(value)
            if problem:
                raise ValueError(problem)
        return value
