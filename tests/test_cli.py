"""The CLI in-process: help everywhere, one-line errors with exit code 1, README lists every command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from pipeline.cli import app
from tests.conftest import REPO

runner = CliRunner()


def command_paths() -> list[list[str]]:
    """Every command and sub-command of the app, as argument lists."""
    root = typer.main.get_command(app)
    paths: list[list[str]] = []

    def walk(cmd: Any, prefix: list[str]) -> None:
        if hasattr(cmd, "commands"):  # a group (typer vendors its own click)
            for name, sub in cmd.commands.items():
                walk(sub, [*prefix, name])
        else:
            paths.append(prefix)

    walk(root, [])
    assert len(paths) > 10
    return paths


def test_top_level_help_lists_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in ("run", "init", "ingest", "report", "schema"):
        assert name in result.output


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p))
def test_every_command_has_help(path: list[str]) -> None:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_readme_documents_every_command() -> None:
    readme = (REPO / "README.md").read_text()
    missing = [" ".join(p) for p in command_paths() if f"consolidate {' '.join(p)}" not in readme]
    assert missing == []


def test_schema_is_json_with_every_section() -> None:
    result = runner.invoke(app, ["schema"])
    schema = json.loads(result.output)
    assert {"input", "questions", "cluster", "findings", "closed", "report"} <= set(schema["properties"])


def _error(args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert "Traceback" not in result.output
    return lines[0]


def test_missing_config_is_one_line(tmp_path: Path) -> None:
    assert "consolidate init" in _error(["run", str(tmp_path / "nope.yaml")])


def test_missing_export_names_the_file(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("input:\n  path: missing.xlsx\n")
    assert "missing.xlsx" in _error(["ingest", str(config)])


def test_config_naming_a_missing_column(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    sample = REPO / "data" / "sample" / "consultation.xlsx"
    config.write_text(
        f"input:\n  path: {sample}\nquestions:\n  - column: What is the main strenght of the ITU?\n"
        "    id: strength\n    kind: open\n"
    )
    message = _error(["ingest", str(config)])
    assert "main strenght" in message and "What is the main strength of the ITU?" in message


def test_stage_before_its_inputs_says_what_to_run(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(f"input:\n  path: {REPO / 'data' / 'sample' / 'consultation.xlsx'}\n")
    assert "run" in _error(["cluster", str(config)])


def test_verbose_shows_the_traceback(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--verbose", "run", str(tmp_path / "nope.yaml")])
    assert result.exit_code != 0
    assert result.exception is not None


def _entry(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run the console-script entry point (`consolidate ...`) in a fresh process."""
    code = "import sys; from pipeline.launch import main; sys.argv = ['consolidate', *sys.argv[1:]]; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=tmp_path)


def test_entry_point_keeps_exit_codes_and_output(tmp_path: Path) -> None:
    """The fast-exit entry point flushes what it printed and returns the command's exit code."""
    ok = _entry(["schema"], tmp_path)
    assert ok.returncode == 0 and json.loads(ok.stdout)["title"]
    failed = _entry(["run", str(tmp_path / "nope.yaml")], tmp_path)
    assert failed.returncode == 1
    assert failed.stderr.strip().startswith("Error: ") and len(failed.stderr.strip().splitlines()) == 1
    assert _entry(["no-such-command"], tmp_path).returncode == 2


def test_entry_point_writes_files_before_exiting(tmp_path: Path) -> None:
    """`init` writes its config through the fast-exit entry point; the file is complete."""
    export = REPO / "data" / "sample" / "consultation.xlsx"
    result = _entry(["init", str(export), "--out", str(tmp_path / "c.yaml")], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "questions:" in (tmp_path / "c.yaml").read_text(encoding="utf-8")


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "c.yaml"
    target.write_text("keep me")
    message = _error(["init", str(REPO / "data" / "sample" / "consultation.xlsx"), "--out", str(target)])
    assert "--force" in message
    assert target.read_text() == "keep me"
