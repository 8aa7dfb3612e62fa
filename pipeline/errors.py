"""Errors users see. Every message says what was wrong, what was received and what to do."""

from __future__ import annotations


class PipelineError(Exception):
    """Base class for every error the CLI reports as one line (exit code 1)."""


class ConfigError(PipelineError):
    """The config file is missing, unreadable or invalid."""


class InputError(PipelineError):
    """The survey export (or another input file) cannot be read as asked."""


class StageError(PipelineError):
    """A stage cannot run, e.g. because an earlier stage has not produced its artifacts."""


class NotInstalledError(PipelineError):
    """An optional dependency is missing; the message names the package to install."""


class OutputError(PipelineError):
    """An output, review copy or config cannot be written (permissions, full disk, a path outside the run)."""
