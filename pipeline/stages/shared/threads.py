"""One BLAS/OpenMP thread for the numeric work whose result must not depend on the state of the process.

OpenBLAS splits a matrix product or an SVD between its threads, and the split changes the order in which floats
are summed: the cluster stage's PCA of the same vectors differs in the last bits (up to 5e-15) with 1 thread or 2.
HDBSCAN is not continuous at ties, and mutual-reachability distances tie by construction (the largest of two core
distances and a distance; duplicated answers at distance 0), so such bits reorder equal edges of its spanning
tree and change the groups: on the Dask test's 150-answer question, 33% of the fine groups and 34% of the
statements' labels in clusters.parquet changed between 1 and 2 threads (a finding of 16 respondents against one
of 20). The number of threads is process state, not input or config: OMP_NUM_THREADS / OPENBLAS_NUM_THREADS, the
number of cores, a `threadpoolctl` limit set by a library or a test, a Dask nanny (which sets one for its worker).
So the stages whose output is decided by such sums (cluster, findings, and the tasks they send to workers) run
under `fixed_threads`: one thread on any machine, so the same input and config give the same bytes in any
process (docs/performance.md, "Found on the way"). It costs little: the BLAS work of a 20,000-statement question
(neighbour search, PCA, nearest centroids) took 2.6-4.5 s with one thread against 14.6-14.8 s with two on the
shared 2-core development machine; HDBSCAN, the stage's largest cost, is single-threaded anyway.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

NUMERIC_THREADS = 1  # BLAS and OpenMP threads of the numeric work below; any fixed number gives fixed bytes

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def fixed_threads() -> Iterator[None]:
    """Run the block with NUMERIC_THREADS BLAS and OpenMP threads; the process's own limits come back after.

    threadpoolctl limits only the libraries loaded when the block starts, and scipy loads its own OpenBLAS (the
    one its SVD uses) and scikit-learn its OpenMP on first import: without the imports here, the first question
    of a fresh process ran its PCA with every core and gave other labels than the questions after it.
    """
    import scipy.linalg  # noqa: F401  (loads scipy's OpenBLAS)
    import sklearn  # noqa: F401  (loads scikit-learn's OpenMP)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=NUMERIC_THREADS):
        yield


def with_fixed_threads(fn: Callable[P, R]) -> Callable[P, R]:
    """`fn` run under `fixed_threads` (a decorator; the result is picklable by name, for Dask workers)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with fixed_threads():
            return fn(*args, **kwargs)

    return wrapper
