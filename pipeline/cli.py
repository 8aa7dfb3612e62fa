"""The `consolidate` command line: parses arguments, loads the config, delegates, maps errors to exit codes."""

from __future__ import annotations

import json
import logging
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.exceptions import TyperException

from pipeline.artifacts import STAGES, write_atomic
from pipeline.config import json_schema, load_config
from pipeline.errors import PipelineError

app = typer.Typer(
    name="consolidate",
    help="Turn a survey or consultation export into a reviewable results report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_state: dict[str, bool] = {"verbose": False}

ConfigArg = Annotated[Path, typer.Argument(help="Pipeline config (YAML), e.g. configs/sample.yaml.")]

STAGE_HELP: dict[str, str] = {
    "ingest": "Read the export into respondents, questions and answers tables, with per-question counts.",
    "closed": "Compute closed-question statistics (shares, agree rates with intervals, breakdowns) and charts.",
    "embed": "Split open answers into statements and embed them (cached by model and text).",
    "cluster": "Cluster the statements of each open question with HDBSCAN.",
    "findings": "Rank clusters by respondents and describe the top findings (title, summary, quotes).",
    "draft": "Write the reviewable drafts (Markdown + YAML sidecar) and the assignments table.",
    "report": "Assemble the final report (Markdown, HTML, Word) from statistics and reviewed drafts.",
}


@app.callback()
def main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show progress logs and full tracebacks.")] = False,
) -> None:
    """Consolidate: reproducible top findings from survey exports."""
    _state["verbose"] = verbose
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(message)s")
    from pipeline import progress

    progress.enable(sys.stderr.isatty())


@contextmanager
def _errors() -> Iterator[None]:
    """Print any failure as one line and exit 1; with --verbose, show the traceback.

    A PipelineError says what to fix. A file the system refuses (permissions, full disk) is named. Anything else
    is a bug: the line says so and how to get the traceback for a report.
    """
    try:
        yield
    except (typer.Exit, typer.Abort, TyperException):
        raise
    except Exception as exc:
        if _state["verbose"]:
            raise
        typer.echo(f"Error: {_one_line(_message(exc))}", err=True)
        raise typer.Exit(1) from None


def _message(exc: Exception) -> str:
    if isinstance(exc, PipelineError):
        return str(exc)
    if isinstance(exc, OSError):
        where = f" {exc.filename}" if exc.filename else ""
        return f"cannot use{where} ({exc.strerror or type(exc).__name__}); check the path and its permissions."
    if isinstance(exc, sqlite3.Error):
        return f"the embedding cache cannot be used ({exc}); check that embed.cache_dir is writable."
    return (
        f"unexpected {type(exc).__name__} ({exc}); this is a bug in consolidate: rerun with --verbose and report "
        "the traceback."
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _run(stages: list[str] | None, config: Path, force: bool = False) -> dict[str, Any]:
    from pipeline import progress
    from pipeline.runner import run_stages

    with _errors():
        cfg = load_config(config)
        manifest = run_stages(cfg, stages, force=force, notify=progress.announce, warn=_warning)
        for line in manifest.get("notices", []):
            typer.echo(f"Note: {_one_line(line)}", err=True)
        typer.echo(f"Outputs in {cfg.run_dir}")
        return manifest


@app.command()
def run(
    config: ConfigArg,
    force: Annotated[bool, typer.Option(help="Rerun every stage even when its inputs are unchanged.")] = False,
    dry_run_writer: Annotated[
        bool,
        typer.Option(
            "--dry-run-writer",
            help="Run up to the clusters and print how many requests and tokens the writer would send; send nothing.",
        ),
    ] = False,
) -> None:
    """Run every stage in order; stages whose inputs and config are unchanged are skipped."""
    if dry_run_writer:
        _dry_run_writer(config)
        return
    manifest = _run(None, config, force)
    for stage in STAGES:
        info = manifest["stages"].get(stage, {})
        typer.echo(f"  {stage:<9} {'skipped (unchanged)' if info.get('skipped') else 'done'}")
    _review_notice(manifest, config)


def _dry_run_writer(config: Path) -> None:
    """Print what `writer.backend: openai` would send for this config (stages up to cluster run as usual)."""
    from pipeline import progress
    from pipeline.artifacts import RunPaths
    from pipeline.runner import run_stages
    from pipeline.steps.findings import writer_plan

    with _errors():
        cfg = load_config(config)
        if cfg.writer.backend != "openai":
            typer.echo("writer.backend is extractive: a run sends nothing to a language model.")
            return
        run_stages(cfg, None, notify=progress.announce, warn=_warning, until="cluster")
        found = writer_plan(cfg, RunPaths(cfg.run_dir))
        typer.echo(
            f"The writer would send {found.requests} requests to {cfg.writer.model} at {cfg.writer.base_url}: about "
            f"{found.prompt_tokens:,} prompt tokens and {found.reply_tokens:,} reply tokens (one more request for "
            f"each reply that fails the checks). {found.cached} of the replies are cached, so "
            f"{found.requests - found.cached} would be sent. Nothing was sent."
        )


def _warning(line: str) -> None:
    typer.echo(f"Warning: {_one_line(line)}", err=True)


def _review_notice(manifest: dict[str, Any], config: Path) -> None:
    """One line per question whose reviewer edits could not be applied, and the command that lists them."""
    review = manifest["stages"].get("draft", {}).get("facts", {}).get("review", {})
    pending = {qid: facts.get("unapplied_edits", 0) for qid, facts in sorted(review.items())}
    pending = {qid: n for qid, n in pending.items() if n}
    for qid, n in pending.items():
        edits = "1 reviewer edit" if n == 1 else f"{n} reviewer edits"
        typer.echo(f"Warning: {qid}: {edits} not applied (kept in the review copy under `unapplied`).", err=True)
    if pending:
        typer.echo(f"Warning: see why with `consolidate review status {config}`.", err=True)


def _stage_command(stage: str) -> Callable[[Path], None]:
    def command(config: ConfigArg) -> None:
        manifest = _run([stage], config)
        if stage == "draft":
            _review_notice(manifest, config)

    command.__doc__ = STAGE_HELP[stage]
    return command


for _stage in STAGES:
    app.command(name=_stage, help=STAGE_HELP[_stage])(_stage_command(_stage))


@app.command()
def init(
    export: Annotated[Path, typer.Argument(help="Survey export to inspect (xlsx or csv).")],
    out: Annotated[Path | None, typer.Option(help="Config to write; default: configs/<export name>.yaml.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="Export format; default: detected.")] = "auto",
    sheet: Annotated[
        str | None,
        typer.Option(help="Excel sheet to read (name, or 0-based number); default: the first visible worksheet."),
    ] = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing config.")] = False,
) -> None:
    """Inspect an export and write a config draft whose comments explain every detected question kind."""
    from pipeline.init import draft

    with _errors():
        target = out or Path("configs") / f"{export.stem}.yaml"
        if target.exists() and not force:
            raise PipelineError(
                f"{target} already exists; pass --force to overwrite it or --out to choose another file."
            )
        drafted = draft(export, target.parent, fmt, sheet)
        write_atomic(target, drafted.text)
        typer.echo(f"Wrote {target}; check the detected kinds, then run `consolidate run {target}`.")
        for line in drafted.warnings:
            _warning(f"{target}: {line}")


@app.command()
def schema() -> None:
    """Print the JSON schema of the config file (for editor autocompletion)."""
    typer.echo(json.dumps(json_schema(), indent=2, sort_keys=True))


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold CSV (UTF-8): id, text, labels (joined by |)[, question].")],
    out: Annotated[Path, typer.Option(help="Folder for assignments.csv, metrics.json and metrics.md.")],
    config: Annotated[Path | None, typer.Option(help="Config to take settings from; default: defaults.")] = None,
) -> None:
    """Score the open-question findings against hand-coded answers (coverage, NMI, ARI, top-5 recall...)."""
    from pipeline.evaluate import default_config, evaluate_file

    with _errors():
        cfg = load_config(config) if config else default_config(gold)
        mean = evaluate_file(gold, cfg, out)
        typer.echo("  ".join(f"{k}={'-' if v is None else f'{v:.3f}'}" for k, v in mean.items()))
        typer.echo(f"Wrote {out / 'metrics.md'}")


review_app = typer.Typer(help="Follow the review of the findings drafts.", no_args_is_help=True)
app.add_typer(review_app, name="review")


@review_app.command("status")
def review_status(config: ConfigArg) -> None:
    """Per question: findings accepted / rejected / draft, and what needs attention (changed, unapplied edits)."""
    from pipeline.stages.review import render_status
    from pipeline.steps.review import review_status as collect

    with _errors():
        typer.echo(render_status(collect(load_config(config))))


@review_app.command("serve")
def review_serve(
    config: ConfigArg,
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 (0: any free port).", min=0, max=65535)] = 8765,
    browser: Annotated[bool, typer.Option("--browser/--no-browser", help="Open the page in the browser.")] = True,
) -> None:
    """Review the findings in the browser (127.0.0.1 only): every edit is written to the review copies."""
    from pipeline.review_web.serve import serve

    with _errors():
        serve(config, port, browser, typer.echo)


@app.command()
def diff(
    run_a: Annotated[Path, typer.Argument(help="First run folder, e.g. outputs/sample.")],
    run_b: Annotated[Path, typer.Argument(help="Second run folder.")],
) -> None:
    """Compare the finding assignments of two runs: share of statements unchanged and adjusted Rand index."""
    from pipeline.diff import diff_runs, render_diff

    with _errors():
        typer.echo(render_diff(diff_runs(run_a, run_b)))


@app.command()
def tune(
    config: ConfigArg,
    question: Annotated[str, typer.Option(help="Id of the open question to tune (run `consolidate embed` first).")],
    stability: Annotated[
        bool, typer.Option(help="Recluster 3 random subsets per setting for stability (4x the time; off for speed).")
    ] = True,
) -> None:
    """Try clustering settings around the current ones: findings, coverage, stability, cohesion, top titles."""
    from pipeline.tune import format_rows
    from pipeline.tune import tune as tune_question

    with _errors():
        for line in format_rows(tune_question(load_config(config), question, stability)):
            typer.echo(line)
