"""The whole config (`PipelineConfig`), its questions with their per-question overrides, and loading it from YAML.

Per-question overrides of any stage setting are merged here, once, so stages never see raw dicts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, Field, PrivateAttr, ValidationError, field_validator, model_validator

from pipeline.config.checks import inside, run_name_problem
from pipeline.config.defaults import CLOSED_KINDS, Kind
from pipeline.config.report_language import check_report_language
from pipeline.config.sections import (
    CampaignsConfig,
    ClosedConfig,
    ClusterConfig,
    EmbedConfig,
    FindingsConfig,
    InputConfig,
    ReportConfig,
    ReviewConfig,
    RunConfig,
    StatementsConfig,
    WriterConfig,
    _Model,
)
from pipeline.errors import ConfigError
from pipeline.yamlsafe import YamlRefused, load_yaml


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
    explains: str | None = Field(
        None,
        description="open only: id of the closed question (likert, single, multi) this one explains ('Please "
        "explain your answer'); each finding then says how its respondents answered it.",
    )
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
    campaigns: CampaignsConfig = Field(default_factory=CampaignsConfig)
    findings: FindingsConfig = Field(default_factory=FindingsConfig)
    writer: WriterConfig = Field(default_factory=WriterConfig)
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
        problems += _explains_problems(cfg, i, q)
        for section, values in q.overrides.model_dump().items():
            if values:
                try:
                    _merge(getattr(cfg, section), values)
                except ValidationError as exc:
                    for err in exc.errors():
                        loc = ".".join(str(p) for p in err["loc"])
                        problems.append(f"questions[{i}].overrides.{section}.{loc}: {err['msg']}")
    return problems + _breakdown_problems(cfg) + _parts_problems(cfg)


def _explains_problems(cfg: PipelineConfig, i: int, q: QuestionConfig) -> list[str]:
    if q.explains is None:
        return []
    if q.kind != "open":
        return [f"questions[{i}].explains: only an open question explains another; remove it from {q.id!r}"]
    kinds = {other.id: other.kind for other in cfg.questions}
    closed = sorted(k for k, kind in kinds.items() if kind in CLOSED_KINDS)
    if kinds.get(q.explains) not in CLOSED_KINDS:
        return [
            f"questions[{i}].explains: {q.explains!r} is not a closed question; use one of {closed[:10]} or remove it"
        ]
    return []


def _breakdown_problems(cfg: PipelineConfig) -> list[str]:
    named = cfg.findings.breakdowns or []
    meta = [q.id for q in cfg.questions if q.kind == "meta"]
    wrong = [a for a in named if a not in meta]
    if wrong and cfg.questions:
        return [f"findings.breakdowns: {wrong} are not meta questions; use some of {meta[:12]}, or [] for none"]
    return []


def _parts_problems(cfg: PipelineConfig) -> list[str]:
    """report.parts: each id a closed or open question, in one part only, and a likert block's statements together."""
    known = {q.id: q for q in cfg.questions}
    shown = sorted(i for i, q in known.items() if q.kind in CLOSED_KINDS or q.kind == "open")
    problems: list[str] = []
    part_of: dict[str, int] = {}
    for i, part in enumerate(cfg.report.parts):
        where = f"report.parts[{i}].questions"
        for qid in part.questions:
            q = known.get(qid)
            if qid in part_of:
                problems.append(f"{where}: {qid!r} is already in part {part_of[qid] + 1}; list it in one part only")
            elif known and q is None:
                problems.append(f"{where}: {qid!r} is not a question id; use some of {shown[:10]}")
            elif q is not None and qid not in shown:
                problems.append(f"{where}: {qid!r} is a {q.kind} question, which the results do not show; remove it")
            part_of.setdefault(qid, i)
    return problems + _split_blocks(cfg, part_of)


def _split_blocks(cfg: PipelineConfig, part_of: dict[str, int]) -> list[str]:
    """A likert block is one chart, so its statements cannot be listed in different parts."""
    parts_of_block: dict[str, set[int]] = {}
    for q in cfg.questions:
        if q.kind == "likert" and q.block is not None and q.id in part_of:
            parts_of_block.setdefault(q.block, set()).add(part_of[q.id] + 1)
    return [
        f"report.parts: the statements of block {block!r} are in parts {sorted(parts)}; they share one chart, so "
        "list them in one part"
        for block, parts in parts_of_block.items()
        if len(parts) > 1
    ]


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
    extra = cfg.resolve(cfg.report.catalogues) if cfg.report.catalogues else None
    try:
        check_report_language(cfg.report.language, extra)
    except ConfigError as exc:
        raise ConfigError(f"{source}: {exc}") from exc
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
