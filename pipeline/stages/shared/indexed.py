"""Vectors stored once per distinct row: statement i's vector is `table[index[i]]`.

A campaign sent 500,000 times has one vector, not 500,000: the embed stage writes each question's distinct vectors
(`03_embed/vectors/<question>.npy`) and each statement's row among them (statements' `vector_row`), and the cluster
and findings stages read them as an `Indexed`. Whatever they compute over statements they compute here in chunks of
CHUNK statements, gathered from the table, in the statements' order: a sum, a mean or a product over rows gives the
same bytes as over the full matrix (numpy sums the rows of a column one after another, and a row's products do not
depend on the other rows), while memory holds one chunk at a time instead of one vector per statement.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

CHUNK = 8192  # statements gathered at a time


@dataclass(frozen=True)
class Indexed:
    """Row i is `table[index[i]]`; rows sharing a vector share a table row."""

    table: np.ndarray  # distinct rows (m x dim)
    index: np.ndarray  # int64, one table row per statement

    @classmethod
    def full(cls, matrix: np.ndarray) -> Indexed:
        """Every row its own (a matrix with one row per statement, as older runs stored it)."""
        return cls(matrix, np.arange(len(matrix), dtype=np.int64))

    def __len__(self) -> int:
        return len(self.index)

    @property
    def dim(self) -> int:
        """Columns of a row (0 for an empty table)."""
        return int(self.table.shape[1]) if self.table.ndim == 2 else 0

    def rows(self, which: np.ndarray | slice | None = None) -> np.ndarray:
        """The vectors of the statements `which` (positions or a boolean mask; None: all), one per statement."""
        found: np.ndarray = self.table[self.index if which is None else self.index[which]]
        return found

    def astype(self, dtype: type[np.floating]) -> Indexed:
        """The same rows in another dtype (the table converted, not one row per statement)."""
        return Indexed(self.table.astype(dtype), self.index)

    def subset(self, which: np.ndarray) -> Indexed:
        """The statements `which` (positions or a boolean mask), sharing this table."""
        return Indexed(self.table, self.index[which])

    def chunks(self, which: np.ndarray | None = None, size: int = CHUNK) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(positions, their vectors) for the statements `which` (positions; None: all), CHUNK at a time."""
        wanted = np.arange(len(self)) if which is None else np.asarray(which)
        for start in range(0, wanted.size, size):
            part = wanted[start : start + size]
            yield part, self.table[self.index[part]]

    def mean(self, which: np.ndarray) -> np.ndarray:
        """Mean of the statements `which` (a boolean mask or positions): the bytes of `rows(which).mean(axis=0)`."""
        positions = np.flatnonzero(which) if which.dtype == bool else which
        if positions.size <= CHUNK:
            return np.asarray(self.rows(positions).mean(axis=0))
        total = np.zeros(self.dim, dtype=self.table.dtype)
        for _, block in self.chunks(positions):  # row after row, as numpy's own sum over axis 0
            total = np.add.reduce(np.vstack([total[None, :], block]), axis=0)
        return np.asarray(total / positions.size, dtype=self.table.dtype)

    def times(self, other: np.ndarray, which: np.ndarray | None = None) -> np.ndarray:
        """`rows(which) @ other` (a vector or a matrix), a chunk at a time."""
        wanted = np.arange(len(self)) if which is None else np.asarray(which)
        if wanted.size <= CHUNK:
            return np.asarray(self.rows(wanted) @ other)
        return np.concatenate([block @ other for _, block in self.chunks(wanted)])


def as_indexed(vectors: np.ndarray | Indexed) -> Indexed:
    """`vectors` as an `Indexed` (a matrix: every row its own)."""
    return vectors if isinstance(vectors, Indexed) else Indexed.full(vectors)
