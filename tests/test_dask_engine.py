"""`run.engine: dask`: a real scheduler and two worker processes on loopback give the local engine's findings."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml

from pipeline import engine
from pipeline.config import load_config
from pipeline.errors import NotInstalledError
from pipeline.runner import run_stages
from tests.conftest import REPO
from tests.test_pipeline_e2e import SAMPLE_CONFIG, sample_config

distributed = pytest.importorskip("distributed")
STAGES = ["ingest", "embed", "cluster", "findings"]


class TaskNames(distributed.diagnostics.plugin.SchedulerPlugin):  # type: ignore[misc]
    """The names (key prefixes) of the tasks that finished on the cluster."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def transition(self, key: Any, start: str, finish: str, *args: Any, **kwargs: Any) -> None:
        from dask.utils import key_split

        if finish == "memory":
            self.names.add(key_split(key))


@pytest.fixture(scope="module")
def loopback() -> Iterator[tuple[str, TaskNames]]:
    """A scheduler and two single-threaded worker processes over TCP on 127.0.0.1, stopped after the tests."""
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        protocol="tcp",
        dashboard_address=None,
        silence_logs=40,
    ) as cluster:
        seen = TaskNames()
        cluster.scheduler.add_plugin(seen)
        yield cluster.scheduler_address, seen


def findings(run_dir: Path) -> list[tuple[str, str, int, list[str]]]:
    """(question, title, respondents, members) of every finding, in order."""
    data = json.loads((run_dir / "05_findings" / "findings.json").read_text())
    drafts = data.values() if isinstance(data, dict) else data
    return [
        (str(d["question_id"]), f["title"], f["n_respondents"], list(f["members"]))
        for d in drafts
        for f in d["findings"]
    ]


def small_question(tmp: Path, name: str, backend: str = "sentence-transformers", **run: str) -> Path:
    """One open question: 150 of the sample's open answers, a few sent again retyped (a campaign)."""
    cfg = load_config(SAMPLE_CONFIG)
    export = pd.read_excel(cfg.resolve(cfg.input.path), dtype=str)
    columns = [q.column for q in cfg.questions if q.kind == "open"]
    answers = [a for c in columns for a in export[c].dropna().astype(str) if len(a.split()) >= 3][:150]
    answers += [answers[0].upper(), answers[0] + "!", answers[1]] * 4
    tmp.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"id": range(1, len(answers) + 1), "answer": answers}).to_csv(tmp / "answers.csv", index=False)
    config = {
        "input": {"path": str(tmp / "answers.csv"), "format": "generic", "id_column": "id"},
        "questions": [{"column": "answer", "id": "q", "kind": "open", "text": "What should change?"}],
        "run": {"name": name, "output_dir": str(tmp / "outputs"), **run},
        "embed": {"cache_dir": str(tmp / "cache"), "backend": backend},
        "statements": {"split": "none"},
        "review": {"dir": str(tmp / "reviews")},
    }
    (tmp / "config.yaml").write_text(yaml.safe_dump(config))
    return tmp / "config.yaml"


@pytest.mark.model
def test_dask_engine_gives_the_local_engines_findings(tmp_path: Path, loopback: tuple[str, TaskNames]) -> None:
    address, seen = loopback
    local = small_question(tmp_path / "local", "local")
    on_dask = small_question(tmp_path / "dask", "dask", engine="dask", scheduler=address)
    # each run in a fresh process of its own, the same but for the engine: torch stays out of this process (tests
    # check that others do not import it); BLAS threads no longer matter (`stages.shared.threads`)
    run_here = "import sys, pathlib; from pipeline.config import load_config; from pipeline.runner import run_stages; "
    run_here += f"run_stages(load_config(pathlib.Path(sys.argv[1])), {STAGES!r})"
    for config in (local, on_dask):
        subprocess.run([sys.executable, "-c", run_here, str(config)], check=True, capture_output=True, cwd=REPO)
    manifest = json.loads((tmp_path / "dask/outputs/dask/manifest.json").read_text())
    facts = manifest["stages"]["embed"]["facts"]
    assert facts["computed"] > 100 and facts["reused"] >= 12  # its own cache: embedded on the workers; copies reused
    assert {"embed_on_worker", "most_similar"} <= seen.names
    for path in sorted((tmp_path / "local/outputs/local/03_embed/vectors").glob("*.npy")):
        there = np.load(tmp_path / "dask/outputs/dask/03_embed/vectors" / path.name)
        assert np.array_equal(np.load(path), there), (
            f"{path.name}: max difference {np.abs(np.load(path) - there).max()}"
        )
    for name in ("03_embed/statements.parquet", "04_cluster/clusters.parquet"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(tmp_path / "local/outputs/local" / name),
            pd.read_parquet(tmp_path / "dask/outputs/dask" / name),
        )
    a, b = findings(tmp_path / "local/outputs/local"), findings(tmp_path / "dask/outputs/dask")
    assert a == b and len(a) >= 3


def test_an_unreachable_scheduler_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setattr(engine, "CONNECT_TIMEOUT_S", 2)
    cfg = load_config(
        sample_config(
            tmp_path, embed={"backend": "tfidf"}, run={"engine": "dask", "scheduler": f"tcp://127.0.0.1:{port}"}
        )
    )
    run_stages(cfg, ["ingest"])
    with pytest.raises(engine.EngineError, match=rf"Cannot reach the Dask scheduler at tcp://127.0.0.1:{port} "):
        run_stages(cfg, ["embed", "cluster"])


def test_a_worker_with_another_model_refuses_to_embed() -> None:
    recipe = engine.Recipe("sentence-transformers", "default", 64, "all-MiniLM-L6-v2@not-the-same-weights")
    with pytest.raises(NotInstalledError, match="has the model all-MiniLM-L6-v2@.* the run uses .*not-the-same"):
        engine.embed_on_worker(["a text"], recipe)


def test_engine_settings_do_not_change_what_is_stored(tmp_path: Path) -> None:
    """A run done on one engine is kept (not redone) on the other: the outputs are the same."""
    from pipeline.artifacts import RunPaths
    from pipeline.runner import fingerprint

    local = load_config(sample_config(tmp_path, embed={"backend": "tfidf"}))
    dask = load_config(sample_config(tmp_path, embed={"backend": "tfidf"}, run={"engine": "dask"}))
    paths = RunPaths(local.run_dir)
    assert fingerprint(local, paths, "embed") == fingerprint(dask, paths, "embed")


def test_a_scheduler_address_without_its_protocol_is_a_config_error(tmp_path: Path) -> None:
    from pipeline.errors import ConfigError

    config = sample_config(tmp_path, run={"engine": "dask", "scheduler": "127.0.0.1:8786"})
    with pytest.raises(ConfigError, match=r"run.scheduler: must be a Dask scheduler address such as tcp://host:8786"):
        load_config(config)
