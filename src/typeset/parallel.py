"""Work spread over the machine's cores: forked workers that inherit the loaded fonts and CSS.

Measuring and page rendering are WeasyPrint layouts, CPU-bound and independent of each other.
Workers are forked *after* the parent has parsed the layout's CSS and loaded its fonts, so no
worker pays for them again; what a job needs beyond its own argument is handed over through
:data:`_STATE` (inherited by the fork, never pickled). Without ``fork`` (or with one job or
one core) the jobs run in the calling process, with the same results.

The number of workers is the number of usable cores, at most :data:`MAX_WORKERS`, or
``TYPESET_JOBS`` / ``typeset build --jobs``.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

J = TypeVar("J")
R = TypeVar("R")

MAX_WORKERS = 8
"""More workers than this gain nothing on an edition's 4–32 pages and cost memory."""

_STATE: Any = None
_JOBS: int | None = None


def set_jobs(jobs: int | None) -> None:
    """Use ``jobs`` worker processes (None: as many as there are usable cores)."""
    global _JOBS
    _JOBS = jobs


def workers() -> int:
    """How many worker processes a parallel step may use."""
    if _JOBS is not None:
        return max(1, _JOBS)
    env = os.environ.get("TYPESET_JOBS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def fork_map(function: Callable[[Any, J], R], state: Any, jobs: Iterable[J],
             on_result: Callable[[R], None] | None = None) -> list[R]:
    """``[function(state, job) for job in jobs]``, the jobs shared among forked workers.

    ``function`` must be a module-level function (it is named, not pickled, for the workers);
    ``state`` reaches them by inheritance. Results come back in the order of ``jobs``;
    ``on_result`` is told of each one as it arrives (for a progress bar).
    """
    global _STATE
    todo = list(jobs)
    count = min(len(todo), workers())
    results: list[R] = []
    if count <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for job in todo:
            results.append(function(state, job))
            if on_result is not None:
                on_result(results[-1])
        return results
    _STATE = state
    try:
        with multiprocessing.get_context("fork").Pool(count) as pool:
            done: dict[int, R] = {}
            for index, result in pool.imap_unordered(
                    _call_indexed, [(k, function, job) for k, job in enumerate(todo)]):
                done[index] = result
                if on_result is not None:
                    on_result(result)
    finally:
        _STATE = None
    return [done[k] for k in range(len(todo))]


def _call_indexed(job: tuple[int, Callable[[Any, Any], Any], Any]) -> tuple[int, Any]:
    index, function, argument = job
    return index, function(_STATE, argument)


def chunks(items: list[J], count: int) -> list[list[J]]:
    """``items`` dealt round-robin into at most ``count`` non-empty lists of similar work."""
    count = max(1, min(count, len(items)))
    return [items[k::count] for k in range(count)]
