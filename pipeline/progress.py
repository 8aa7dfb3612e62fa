"""Progress bars for long loops, shown on stderr by the CLI and silent everywhere else."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

_enabled = False


def enable(on: bool = True) -> None:
    """Turn progress bars on (the CLI does this when stderr is a terminal-like stream)."""
    global _enabled
    _enabled = on


def track(items: Iterable[T], description: str, total: int | None = None) -> Iterator[T]:
    """Iterate over `items`, showing a transient progress bar when enabled."""
    if not _enabled:
        yield from items
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True) as bar:
        yield from bar.track(items, total=total, description=description)


def announce(stage: str) -> None:
    """Say which stage starts (on stderr, when progress display is enabled)."""
    if _enabled:
        import sys

        sys.stderr.write(f"{stage} ...\n")


def track_weighted(items: Iterable[T], description: str, total: int, weight: Callable[[T], int]) -> Iterator[T]:
    """Iterate over `items`, the bar advancing by each item's `weight` (statements in a task) up to `total`."""
    if not _enabled:
        yield from items
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task(description, total=total)
        for item in items:
            yield item
            bar.advance(task, weight(item))
