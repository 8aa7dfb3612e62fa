"""Typed pipeline configuration, loaded once from YAML and validated as a whole.

Relative paths in a config file are resolved against the folder that holds the config file, so a config works
from any working directory. Every stage receives its own typed section; per-question overrides of any stage
setting are merged once, so stages never see raw dicts.

Modules: `model` (PipelineConfig, questions and overrides, loading), `sections` (one section per stage),
`defaults` (value types and default reply lists), `checks` (rules on paths, names and encodings, with the messages
users see).
"""

from pipeline.config.checks import inside, run_name_problem
from pipeline.config.defaults import (
    CLOSED_KINDS,
    DEFAULT_COURTESY_REPLIES,
    DEFAULT_NON_ANSWERS,
    DEFAULT_NOTHING_REPLIES,
    MASK_KINDS,
    REPORT_FORMATS,
    ExportFormat,
    Kind,
    MaskKind,
    ReportFormat,
)
from pipeline.config.model import (
    PipelineConfig,
    QuestionConfig,
    QuestionOverrides,
    config_json,
    json_schema,
    load_config,
    parse_config,
)
from pipeline.config.sections import (
    ClosedConfig,
    ClusterConfig,
    EmbedConfig,
    FindingsConfig,
    InputConfig,
    ReportConfig,
    ReportPart,
    ReviewConfig,
    RunConfig,
    StatementsConfig,
    WriterConfig,
)

__all__ = [
    "CLOSED_KINDS",
    "DEFAULT_COURTESY_REPLIES",
    "DEFAULT_NON_ANSWERS",
    "DEFAULT_NOTHING_REPLIES",
    "MASK_KINDS",
    "REPORT_FORMATS",
    "ClosedConfig",
    "ClusterConfig",
    "EmbedConfig",
    "ExportFormat",
    "FindingsConfig",
    "InputConfig",
    "Kind",
    "MaskKind",
    "PipelineConfig",
    "QuestionConfig",
    "QuestionOverrides",
    "ReportConfig",
    "ReportFormat",
    "ReportPart",
    "ReviewConfig",
    "RunConfig",
    "StatementsConfig",
    "WriterConfig",
    "config_json",
    "inside",
    "json_schema",
    "load_config",
    "parse_config",
    "run_name_problem",
]
