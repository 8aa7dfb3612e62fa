"""Small projects on disk (export + config) and in-process CLI calls with the fake embedder, for hardening tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner, Result

from pipeline.cli import app
from pipeline.config import EmbedConfig, PipelineConfig
from tests.conftest import FakeEmbedder

runner = CliRunner()


def fake_embedder(settings: EmbedConfig, cfg: PipelineConfig) -> FakeEmbedder:
    """Stands in for `pipeline.steps.embed.make_embedder`: no model, deterministic."""
    return FakeEmbedder()


@dataclass
class Project:
    """A project folder: `data/`, `configs/`, `outputs/`, `reviews/`."""

    root: Path

    def config(self, name: str = "survey", **sections: Any) -> Path:
        """Write `configs/<name>.yaml` with the given sections (input.path relative to configs/)."""
        data: dict[str, Any] = {"run": {"output_dir": "../outputs"}, "review": {"dir": "../reviews"}}
        data["embed"] = {"cache_dir": "../outputs/.cache"}
        for key, value in sections.items():
            data[key] = {**data.get(key, {}), **value} if isinstance(value, dict) else value
        path = self.root / "configs" / f"{name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        return path

    def csv(self, name: str, data: bytes | str) -> str:
        """Write `data/<name>`; returns the path relative to configs/."""
        path = self.root / "data" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return f"../data/{name}"

    def run_dir(self, name: str = "survey") -> Path:
        """The run folder of a config."""
        return self.root / "outputs" / name


def cli(*args: str | Path) -> Result:
    """Run `consolidate ARGS` in-process."""
    return runner.invoke(app, [str(a) for a in args])


def one_line_error(result: Result) -> str:
    """The one `Error: ...` line of a failed command (exit 1, no traceback)."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip() and not line.startswith("WARNING")]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert "unexpected" not in lines[0], lines[0]
    return lines[0]
