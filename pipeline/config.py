"""Typed pipeline configuration, loaded once from YAML and validated as a whole.

Relative paths in a config file are resolved against the folder that holds the config file, so a config works
from any working directory. Every stage receives its own typed section; per-question overrides of any stage
setting are merged here, once, so stages never see raw dicts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from pipeline.config_checks import (
    COMMON_ENCODINGS,
    check_delimiter,
    check_encoding,
    inside,
    run_name_problem,
)
from pipeline.errors import ConfigError
from pipeline.labels import NON_SUBSTANTIVE
from pipeline.yamlsafe import YamlRefused, load_yaml

__all__ = ["inside", "run_name_problem"]

Kind = Literal["open", "likert", "single", "multi", "meta", "personal", "attachment", "ignore"]
ExportFormat = Literal[
    "auto", "msforms", "google", "qualtrics", "surveymonkey", "limesurvey", "eusurvey", "polis", "generic"
]
ReportFormat = Literal["md", "html", "docx"]
REPORT_FORMATS: tuple[ReportFormat, ...] = ("md", "html", "docx")
CLOSED_KINDS: frozenset[str] = frozenset({"likert", "single", "multi"})
MaskKind = Literal["email", "phone"]
MASK_KINDS: tuple[MaskKind, ...] = ("email", "phone")

# Replies that say nothing about the question, matched whole (case, spacing and surrounding punctuation ignored).
# Non-answers in words ("None at this time", "Nothing to add at this stage", "Rien à ajouter"), pointers elsewhere,
# links, courtesy and keyboard mash are recognised by their shape besides (`pipeline.detect.noise`).
DEFAULT_NON_ANSWERS: list[str] = [
    "",
    "-",
    "--",
    ".",
    "..",
    "...",
    "n/a",
    "na",
    "n.a.",
    "no comment",
    "no comments",
    "no answer",
    "nothing to add",
    "not applicable",
    "see written response",
    "see attached",
    "sans objet",
    "sans commentaire",
    "sin comentarios",
]


# Replies that only say "no", "none" or "nothing" (alone, combined or with fillers: "No, nothing at all, thanks."):
# non-answers, counted as such. To "What could be improved?" they mean "nothing to improve": the report's base line
# says how many respondents answered so (NHS Friends and Family Test data: 734 of 2,395 answers to one question).
DEFAULT_NOTHING_REPLIES: list[str] = [
    "no",
    "none",
    "nothing",
    "nil",
    "nope",
    "not a thing",
    "not really",
    "nothing to improve",
    "nothing comes to mind",
    "nothing springs to mind",
    "can't think of anything",
    "cannot think of anything",
    "i can't think of anything",
    "i cannot think of anything",
    "non",
    "rien",
    "aucun",
    "aucune",
    "nada",
    "ninguno",
    "ninguna",
    "nein",
    "nichts",
]


# Statements that only thank, greet or sign off ("Thank you.", "Kind regards", "Saludos"): they say nothing about the
# question, so they join no finding (the respondent's other statements still do); see cluster/replies.py.
DEFAULT_COURTESY_REPLIES: list[str] = [
    "thank you", "thanks", "thank you very much", "many thanks", "thanks a lot", "regards", "best regards",
    "kind regards", "warm regards", "best wishes", "cheers", "greetings", "sincerely", "yours sincerely",
    "merci", "merci beaucoup", "cordialement", "bien cordialement", "salutations", "bien à vous",
    "gracias", "muchas gracias", "saludos", "un saludo", "un cordial saludo", "atentamente", "cordiales saludos",
    "danke", "vielen dank", "mit freundlichen grüßen", "viele grüße", "grazie", "cordiali saluti", "obrigado",
]  # fmt: skip


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
        "placed by their multilingual neighbours (pipeline/stages/model_choice.py).",
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
    catchall_share: float = Field(
        0.25, gt=0.0, le=1.0, description="A theme holding more than this share of respondents is split if mixed."
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


class ReportConfig(_Model):
    """The final document."""

    title: str = "Results of the consultation"
    subtitle: str | None = Field(None, description="Line under the title (e.g. the consultation's full name).")
    language: Literal["en", "fr", "es"] = Field(
        "en", description="Language of the report's own text (headings, method, sentences); answers stay as written."
    )
    formats: list[ReportFormat] = Field(
        default_factory=lambda: list(REPORT_FORMATS), description="At least one of md, html, docx."
    )
    date: str | None = Field(
        None, description="Date printed on the report (e.g. '20 February 2025'); default: none, so reruns match."
    )

    @field_validator("formats")
    @classmethod
    def _some_format(cls, value: list[ReportFormat]) -> list[ReportFormat]:
        if not value:
            raise ValueError("is empty, so no report would be written; list at least one of md, html, docx")
        return value


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

    @field_validator("name")
    @classmethod
    def _plain_name(cls, value: str | None) -> str | None:
        if value is not None:
            problem = run_name_problem(value)
            if problem:
                raise ValueError(problem)
        return value


class QuestionOverrides(_Model):
    """Per-question overrides of any stage setting (only the keys given are replaced)."""

    statements: dict[str, Any] = Field(default_factory=dict)
    embed: dict[str, Any] = Field(default_factory=dict)
    cluster: dict[str, Any] = Field(default_factory=dict)
    findings: dict[str, Any] = Field(default_factory=dict)
    closed: dict[str, Any] = Field(default_factory=dict)


class QuestionConfig(_Model):
    """One column (or question) of the export and what it is."""

    column: str = Field(
        "", description="Header of the column in the export (Qualtrics: the row-1 id or text); default: columns[0]."
    )
    columns: list[str] = Field(
        default_factory=list,
        description="multi only: a select-all exported one column per option (a ticked cell = chosen), in the "
        "order of `options` (default: each column's option label from its header).",
    )
    id: str = Field(description="Short stable id used in outputs.")
    kind: Kind
    text: str | None = Field(None, description="Question text in the report; default: the column header.")
    options: list[str] = Field(default_factory=list, description="Ordered options (likert scale order).")
    block: str | None = Field(None, description="Block/section; likert statements of one block share a chart.")
    other_of: str | None = Field(None, description="For 'Other, please specify' text: id of its choice question.")
    overrides: QuestionOverrides = Field(default_factory=QuestionOverrides)

    @model_validator(mode="before")
    @classmethod
    def _first_column(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("column") and data.get("columns"):
            return {**data, "column": data["columns"][0]}
        return data

    @model_validator(mode="after")
    def _one_or_more_columns(self) -> QuestionConfig:
        if self.columns and self.kind != "multi":
            raise ValueError(f"question {self.id!r}: columns (one per option) is for kind multi only")
        if self.columns and self.options and len(self.options) != len(self.columns):
            raise ValueError(f"question {self.id!r}: give one option per column ({len(self.columns)}) or none")
        if not self.column:
            raise ValueError(f"question {self.id!r}: give its column")
        return self

    @field_validator("id")
    @classmethod
    def _safe_id(cls, value: str) -> str:
        if not value or any(not (c.isalnum() or c in "_-") for c in value):
            raise ValueError(f"question id {value!r} must use only letters, digits, '_' and '-'")
        return value


class PipelineConfig(_Model):
    """The whole configuration; `consolidate schema` prints its JSON schema."""

    input: InputConfig
    questions: list[QuestionConfig] = Field(default_factory=list)
    run: RunConfig = Field(default_factory=RunConfig)
    statements: StatementsConfig = Field(default_factory=StatementsConfig)
    embed: EmbedConfig = Field(default_factory=EmbedConfig)
    cluster: ClusterConfig = Field(default_factory=ClusterConfig)
    findings: FindingsConfig = Field(default_factory=FindingsConfig)
    closed: ClosedConfig = Field(default_factory=ClosedConfig)
    report: ReportConfig = Field(default_factory=ReportConfig)
    review: ReviewConfig = Field(default_factory=ReviewConfig)
    _base_dir: Path = PrivateAttr(default_factory=Path.cwd)

    @model_validator(mode="after")
    def _check_questions(self) -> PipelineConfig:
        problems = _question_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def question(self, question_id: str) -> QuestionConfig:
        """Return the config of one question by id."""
        for q in self.questions:
            if q.id == question_id:
                return q
        raise ConfigError(f"No question with id {question_id!r} in the config; ids are listed under 'questions'.")

    def resolve(self, path: Path) -> Path:
        """Resolve a config-relative path."""
        return path if path.is_absolute() else (self._base_dir / path).resolve()

    @property
    def base_dir(self) -> Path:
        """Folder of the config file; relative paths are resolved against it."""
        return self._base_dir

    @property
    def run_name(self) -> str:
        """Name of the run folder."""
        return self.run.name or "run"

    @property
    def run_dir(self) -> Path:
        """Folder of this run's outputs: `run.name` under `run.output_dir`, never anywhere else."""
        return inside(self.resolve(self.run.output_dir), self.run_name, "run.output_dir")

    def for_question(self, question_id: str, section: str) -> Any:
        """Return a stage section with this question's overrides applied."""
        base = getattr(self, section)
        extra = getattr(self.question(question_id).overrides, section) if self.questions else {}
        return _merge(base, extra) if extra else base


M = TypeVar("M", bound=BaseModel)


def _merge(base: M, extra: dict[str, Any]) -> M:
    return type(base).model_validate({**base.model_dump(), **extra})


def _question_problems(cfg: PipelineConfig) -> list[str]:
    problems: list[str] = []
    ids = [q.id for q in cfg.questions]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        problems.append(f"questions: duplicate ids {dupes}; give each question its own id")
    for i, q in enumerate(cfg.questions):
        if q.other_of is not None and q.other_of not in ids:
            problems.append(f"questions[{i}].other_of: {q.other_of!r} is not a question id")
        for section, values in q.overrides.model_dump().items():
            if values:
                try:
                    _merge(getattr(cfg, section), values)
                except ValidationError as exc:
                    for err in exc.errors():
                        loc = ".".join(str(p) for p in err["loc"])
                        problems.append(f"questions[{i}].overrides.{section}.{loc}: {err['msg']}")
    return problems


def _format_loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def parse_config(data: Any, base_dir: Path, source: str = "config") -> PipelineConfig:
    """Validate a parsed YAML mapping; raise ConfigError listing every problem with its YAML path."""
    if not isinstance(data, dict):
        raise ConfigError(
            f"{source} must be a YAML mapping with at least an 'input' section; got {type(data).__name__}."
        )
    try:
        cfg = PipelineConfig.model_validate(data)
    except ValidationError as exc:
        lines = [f"{_format_loc(tuple(e['loc']))}: {e['msg'].removeprefix('Value error, ')}" for e in exc.errors()]
        raise ConfigError(f"{source} has {len(lines)} problem(s): " + " | ".join(lines)) from exc
    if cfg.run.name is None:
        stem = Path(source).stem
        problem = run_name_problem(stem)
        if problem:
            raise ConfigError(f"{source}: the {problem}; set run.name to one (it defaults to the config file's name).")
        cfg = cfg.model_copy(update={"run": cfg.run.model_copy(update={"name": stem})})
    cfg._base_dir = base_dir.resolve()
    return cfg


def load_config(path: Path) -> PipelineConfig:
    """Load and validate a YAML config file."""
    if not path.is_file():
        raise ConfigError(f"Config file {path} not found; create one with `consolidate init EXPORT`.")
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except YamlRefused as exc:
        raise ConfigError(f"{path}: {exc}; then rerun.") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigError(f"{path} is not valid YAML ({first}); fix the syntax and rerun.") from exc
    return parse_config(data, path.resolve().parent, str(path))


def config_json(cfg: PipelineConfig) -> str:
    """Canonical JSON of a config (for manifests and fingerprints)."""
    return json.dumps(cfg.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)


def json_schema() -> dict[str, Any]:
    """JSON schema of the config file."""
    return PipelineConfig.model_json_schema()
