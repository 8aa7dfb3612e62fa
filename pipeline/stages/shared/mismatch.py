"""Config and data that disagree: an error, or (with `run.on_mismatch: warn`) warnings that are shown and kept."""

from __future__ import annotations

from pipeline.config import PipelineConfig
from pipeline.errors import ConfigError

WARN_HINT = "or set run.on_mismatch: warn to go on with a warning"


def settle(mismatches: list[str], cfg: PipelineConfig) -> list[str]:
    """Raise the mismatches as one ConfigError, or return them as warnings when `run.on_mismatch` is `warn`."""
    if not mismatches:
        return []
    if cfg.run.on_mismatch == "error":
        raise ConfigError(f"The config does not match the data: {' | '.join(mismatches)}; {WARN_HINT}.")
    return [f"config does not match the data: {m}" for m in mismatches]
