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
import pickle
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

from .errors import TypesetError

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
    ``on_result`` is told of each one as it arrives (for a progress bar). An exception in a
    job is raised here with the worker's traceback; a worker that dies (killed for memory, a
    crash in a C library) raises :class:`WorkerDied` instead of hanging the build.
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
    done: dict[int, R] = {}
    try:
        with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = {pool.submit(_call, function, job): k for k, job in enumerate(todo)}
            try:
                for future in as_completed(futures):
                    ok, value = future.result()
                    if not ok:
                        raise value
                    done[futures[future]] = value
                    if on_result is not None:
                        on_result(value)
            except BaseException:
                for future in futures:
                    future.cancel()  # the other jobs are of no use now
                raise
    except BrokenProcessPool as exc:
        raise WorkerDied("a worker process died before finishing its job (out of memory, or a "
                         "crash in a library); try again with --jobs 1") from exc
    finally:
        _STATE = None
    return [done[k] for k in range(len(todo))]


class WorkerDied(TypesetError):
    """A worker process ended without finishing its job."""


class Pending(Generic[R]):
    """Jobs running in forked processes while this one goes on (:func:`fork_start`)."""

    def __init__(self, done: list[R] | None = None,
                 running: list[tuple[Any, Connection]] | None = None) -> None:
        self._done = done
        self._running = running or []

    def results(self) -> list[R]:
        """The jobs' results in their order, once every job has finished (an exception in a job
        is raised here, as :func:`fork_map` raises it)."""
        if self._done is None:
            done: list[R] = []
            try:
                for _, connection in self._running:
                    try:
                        ok, value = connection.recv()
                    except (EOFError, OSError) as exc:
                        raise WorkerDied("a worker process died before finishing its job (out "
                                         "of memory, or a crash in a library); try again with "
                                         "--jobs 1") from exc
                    if not ok:
                        raise value
                    done.append(value)
            finally:
                for process, connection in self._running:
                    connection.close()
                    if process.is_alive() and len(done) < len(self._running):
                        process.kill()
                    process.join()
            self._done = done
        return self._done


def fork_start(function: Callable[[Any, J], R], state: Any, jobs: Iterable[J]) -> Pending[R]:
    """Start ``[function(state, job) for job in jobs]``, one forked process a job, and return at
    once: this process goes on with other work (another step's :func:`fork_map`) and collects
    them with :meth:`Pending.results`. With one worker (or without ``fork``) the jobs run here,
    now."""
    todo = list(jobs)
    if workers() <= 1 or len(todo) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return Pending([function(state, job) for job in todo])
    context = multiprocessing.get_context("fork")
    running = []
    for job in todo:
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_run_one, args=(function, state, job, sender),
                                  daemon=True)
        process.start()
        sender.close()
        running.append((process, receiver))
    return Pending(running=running)


def _run_one(function: Callable[[Any, Any], Any], state: Any, job: Any,
             connection: Connection) -> None:
    global _STATE
    _STATE = state
    result = _call(function, job)
    try:
        connection.send(result)
    except Exception as exc:  # a result that cannot travel back
        connection.send((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
    connection.close()


def _call(function: Callable[[Any, Any], Any], job: Any) -> tuple[bool, Any]:
    """Run one job in a worker: (True, result), or (False, the exception) with the worker's
    traceback attached; an exception that cannot travel back is replaced by one that can."""
    try:
        return True, function(_STATE, job)
    except Exception as exc:
        exc.add_note("in a worker process:\n" + traceback.format_exc())
        try:
            pickle.loads(pickle.dumps(exc))
        except Exception:
            exc = RuntimeError(f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
        return False, exc


def chunks(items: list[J], count: int) -> list[list[J]]:
    """``items`` dealt round-robin into at most ``count`` non-empty lists of similar work."""
    count = max(1, min(count, len(items)))
    return [items[k::count] for k in range(count)]
