"""Tasks a stage hands to the run's engine: the same pure function over chunks, in-process or on Dask workers.

A stage stays a pure function over arrays: it calls `map_tasks(fn, arguments)`, which runs `fn(*args)` for each
argument tuple in this process, or, inside `tasks_on(mapper)` (the step sets it when `run.engine: dask`), through
the engine's mapper on the cluster's workers. Either way the results come back in the order of the arguments, so
the stage's output does not depend on where its tasks ran.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import numpy as np

from pipeline.stages.shared.indexed import Indexed, as_indexed
from pipeline.stages.shared.threads import with_fixed_threads

Mapper = Callable[[Callable[..., Any], Iterable[tuple[Any, ...]]], list[Any]]
CHUNK = 8192  # rows per nearest-centroid task

_mapper: ContextVar[Mapper | None] = ContextVar("consolidate_task_mapper", default=None)


def map_tasks(fn: Callable[..., Any], arguments: Iterable[tuple[Any, ...]]) -> list[Any]:
    """`fn(*args)` for each argument tuple, in order: here, or through the mapper `tasks_on` set.

    Here, the arguments are built one at a time (a generator of chunks never holds them all).
    """
    mapper = _mapper.get()
    if mapper is None:
        return [fn(*args) for args in arguments]
    return mapper(fn, arguments)


@contextmanager
def tasks_on(mapper: Mapper | None) -> Iterator[None]:
    """Run the `map_tasks` calls inside the block through `mapper` (None: in this process)."""
    token = _mapper.set(mapper)
    try:
        yield
    finally:
        _mapper.reset(token)


@with_fixed_threads
def most_similar(rows: np.ndarray, matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each row, the index of the most similar row of `matrix` (dot product) and that similarity."""
    sims = rows @ matrix.T
    best = sims.argmax(axis=1)
    return best, sims[np.arange(len(rows)), best]


def nearest_centroids(
    vectors: np.ndarray | Indexed, matrix: np.ndarray, rows: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """`most_similar` of the given rows of `vectors` (default: all), one task per CHUNK rows (`map_tasks`).

    An `Indexed` is gathered a chunk at a time: a million statements never stand in memory a vector each.
    """
    found = as_indexed(vectors)
    wanted = np.arange(len(found)) if rows is None else rows
    if not wanted.size:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=found.table.dtype)
    chunks = ((found.rows(wanted[s : s + CHUNK]), matrix) for s in range(0, wanted.size, CHUNK))
    parts = map_tasks(most_similar, chunks)
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
