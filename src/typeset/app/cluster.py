"""Editions as tasks on a Dask distributed cluster, and how a worker knows it may build one.

The workers read the newspaper's repository from a path they share with the client (a network
mount, or a checkout at the same path on every machine). Each task carries what the client
sees there — the repository's commit, the SHA-256 of every file the edition is built from, and
the versions of the software that sets it — and a worker that sees anything else refuses the
task (:class:`CheckoutDiffers`) instead of archiving other bytes. Results come back to the
client, which writes them: workers need no access to the archive's folder.

``--scheduler local`` starts a :class:`~distributed.LocalCluster` of worker processes on this
machine (one thread each: an edition is built by one process; WeasyPrint and the page workers'
forks want a process of their own, never threads of one).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import platform
import signal
import subprocess
import threading
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from ..core.cache import code_digest
from ..core.errors import TypesetError, UsageError
from ..pdf.fontsubset import SUBSETTER
from ..render.engine import package_version, pango_version

T = TypeVar("T")
R = TypeVar("R")

LOCAL = "local"
"""``--scheduler local``: a cluster of worker processes on this machine."""


class CheckoutDiffers(TypesetError):
    """A worker sees another repository, other inputs or other software than the client."""


@dataclass(frozen=True)
class Checkout:
    """What the client sees of one edition, for the worker to compare with what it sees."""

    root: str
    """The repository's path, the same on the client and every worker."""
    commit: str
    """``git:<commit>`` of a git checkout, else ``inputs:<digest of the inputs>``."""
    inputs: dict[str, str]
    """SHA-256 of every file the edition is built from, by its path in the repository."""
    software: dict[str, str]


def checkout_of(root: Path, inputs: Mapping[str, str], commit: str | None) -> Checkout:
    """``commit``: :func:`git_commit` of ``root``."""
    return Checkout(str(root), f"git:{commit}" if commit else f"inputs:{inputs_digest(inputs)}",
                    dict(inputs), software())


def git_commit(root: Path) -> str | None:
    """The commit checked out at ``root``, or None when it is not a git checkout."""
    try:
        done = subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "HEAD"],
                              capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    # a repository inside another one (a test's temporary copy) is not a checkout of its own
    top = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel"],
                         capture_output=True, text=True, timeout=30, check=False)
    if done.returncode != 0 or Path(top.stdout.strip()).resolve() != root.resolve():
        return None
    return done.stdout.strip()


def inputs_digest(inputs: Mapping[str, str]) -> str:
    sha = hashlib.sha256()
    for name, digest in sorted(inputs.items()):
        sha.update(f"{name}\0{digest}\n".encode())
    return sha.hexdigest()


@lru_cache(maxsize=1)
def software() -> dict[str, str]:
    """What sets the bytes of a bag, besides its sources: typeset's own code and the libraries
    and system libraries it draws with."""
    found = {"typeset code": code_digest()[:16], "python": platform.python_version(),
             "pango": pango_version(), "subsetter": SUBSETTER}
    for package in ("weasyprint", "pydyf", "pyphen", "pikepdf", "Pillow", "fonttools",
                    "bagit"):
        found[package] = package_version(package)
    return found


def refuse_unless_same(expected: Checkout, inputs: Mapping[str, str]) -> None:
    """On a worker: raise :class:`CheckoutDiffers` unless it sees what the client saw."""
    where = f"worker {platform.node()}"
    mine = software()
    changed = [f"{name} {mine.get(name, 'missing')} here, {version} on the client"
               for name, version in sorted(expected.software.items())
               if mine.get(name) != version]
    if changed:
        raise CheckoutDiffers(f"{where} runs other software than the client: "
                              f"{'; '.join(changed)}; install the same versions everywhere")
    commit = checkout_of(Path(expected.root), inputs, git_commit(Path(expected.root))).commit
    if expected.commit.startswith("git:") and commit != expected.commit:
        seen = commit.removeprefix("git:") if commit.startswith("git:") else "no git checkout"
        raise CheckoutDiffers(
            f"{where}: {expected.root} is at {seen}, the client's at "
            f"{expected.commit.removeprefix('git:')}; check out the same commit there "
            f"(git -C {expected.root} checkout {expected.commit.removeprefix('git:')})")
    differ = sorted(name for name in expected.inputs.keys() | inputs.keys()
                    if expected.inputs.get(name) != inputs.get(name))
    if differ:
        shown = ", ".join(differ[:5]) + (f" and {len(differ) - 5} more" if len(differ) > 5
                                         else "")
        raise CheckoutDiffers(f"{where}: in {expected.root}, {shown} "
                              f"differ{'s' if len(differ) == 1 else ''} from the client's "
                              "copy; the workers must see the repository the client sees")


# -- running tasks on a cluster -------------------------------------------------------------------

def dask_map(function: Callable[[T], R], tasks: Iterable[T], scheduler: str,
             workers: int) -> Generator[tuple[T, R | BaseException], None, None]:
    """``function(task)`` for every task on a Dask cluster, each (task, result or exception)
    as it finishes. A few tasks per worker are in flight at a time, so that the tasks
    (which may carry a bag's sources) are made only as they are needed. Closing the iterator
    (Ctrl-C) cancels what is still queued or running and shuts a local cluster down."""
    from distributed import as_completed

    with contextlib.ExitStack() as stack:
        client = stack.enter_context(_client(scheduler, workers))
        pending: dict[Any, T] = {}
        todo = iter(tasks)
        running = as_completed()

        def submit() -> bool:
            task = next(todo, None)
            if task is None:
                return False
            [data] = client.scatter([task], hash=False)  # a task may carry megabytes
            future = client.submit(function, data, pure=False)
            pending[future] = task
            running.add(future)
            return True

        try:
            limit = max(2, 2 * _worker_count(client))
            while len(pending) < limit and submit():
                pass
            for future in running:
                task = pending.pop(future)
                try:
                    outcome: R | BaseException = future.result()
                except Exception as exc:  # a worker died, a task could not be unpickled…
                    outcome = exc
                future.release()
                limit = max(2, 2 * _worker_count(client))  # workers may join or leave
                while len(pending) < limit and submit():
                    pass
                yield task, outcome
        finally:
            if pending:
                client.cancel(list(pending), force=True)


def _worker_count(client: Any) -> int:
    return len(client.scheduler_info().get("workers", {}))


QUIET_WORKERS = {
    # the statistical profiler samples every thread's stack every 10 ms: on WeasyPrint's deep
    # stacks that cost a sixth of a build's CPU; the monitors tick less often for the same reason
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
}
"""Dask settings for the workers of ``--scheduler local`` (those of a remote cluster take them
from its own configuration: see the README)."""


@contextlib.contextmanager
def _client(scheduler: str, workers: int) -> Iterator[Any]:
    import dask
    from distributed import Client, LocalCluster

    if scheduler == LOCAL:
        # processes, one thread each; nothing listens beyond this machine; no dashboard.
        # The workers ignore Ctrl-C (they inherit that): this process cancels their tasks
        # and shuts them down, instead of each printing its own traceback.
        with _ctrl_c_ignored(), dask.config.set(QUIET_WORKERS):
            cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1,
                                   processes=True, host="127.0.0.1", dashboard_address=None,
                                   silence_logs=logging.ERROR)
        with cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(scheduler, timeout=20)
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {scheduler} ({exc}); start one "
                         f"with 'dask scheduler' and its workers with 'dask worker {scheduler} "
                         "--nthreads 1', or use --scheduler local") from exc
    with client:
        yield client


@contextlib.contextmanager
def _ctrl_c_ignored() -> Iterator[None]:
    """SIGINT ignored while worker processes are started (they keep it ignored)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
