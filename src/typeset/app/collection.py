"""``typeset archive``: every edition of the collection as a BagIt bag, made and checked.

::

    typeset archive [ISSUES_DIR] -o DIR [--jobs N] [--scheduler tcp://HOST:8786 | local]
    typeset archive --check DIR [--jobs N] [--scheduler tcp://HOST:8786 | local]

Each edition is one task, run in this process (``--jobs 1``), in a pool of local processes
(``--jobs N``) or on a Dask cluster (``--scheduler``, :mod:`typeset.app.cluster`): the same
function wherever it runs, so the bags are the same bytes. This process plans the tasks (each
carries what the worker must find: :class:`~typeset.app.cluster.Checkout`), and writes each bag
as it comes back, in one step (:func:`~typeset.app.bags.write_bag`). A failed edition is
reported and the others go on.

The check validates every bag's manifests here, then rebuilds each edition from the sources
in its bag (in a temporary folder, as a task) and compares the bag with the one it makes.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import re
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from ..core.errors import EditionError, TypesetError
from ..core.parallel import set_jobs, workers
from .bags import (
    Bag,
    LayoutMemo,
    Problem,
    Source,
    bag_edition,
    bag_sources,
    check_fixity,
    compare_rebuilt,
    digests,
    find_sources,
    first_errors,
    rebag,
    write_bag,
)
from .cluster import (
    Checkout,
    CheckoutDiffers,
    checkout_of,
    dask_map,
    git_commit,
    refuse_unless_same,
    software,
)
from .outputs import locked

T = TypeVar("T")
R = TypeVar("R")

BAG_NAME = re.compile(r"\d{4}-\d{3}")


# -- the tasks: what runs on a worker -------------------------------------------------------------

@dataclass(frozen=True)
class ArchiveTask:
    folder: str
    """The edition folder, as the client and the workers see it."""
    checkout: Checkout
    jobs: int | None
    """Page workers for the build (1 on a cluster: its workers are the parallelism)."""


@dataclass(frozen=True)
class CheckTask:
    name: str
    """The bag's folder name, ``<YYYY>-<NNN>``."""
    sources: dict[str, bytes]
    software: dict[str, str]
    jobs: int | None


@dataclass
class Outcome:
    """What a task sends back: a bag, or why there is none."""

    name: str
    bag: Bag | None
    message: str = ""


def archive_task(task: ArchiveTask) -> Outcome:
    """Build one edition from the shared repository and bag it (runs on a worker)."""
    def build() -> Outcome:
        sources = find_sources(Path(task.folder))
        refuse_unless_same(task.checkout, digests(sources.read()))
        bag, held = bag_edition(sources)
        if digests(held) != task.checkout.inputs:
            raise CheckoutDiffers(f"{task.folder}: its files changed while it was being "
                                  "built; archive it again")
        return Outcome(task.folder, bag)
    return _guarded(task.folder, task.jobs, build)


def check_task(task: CheckTask) -> Outcome:
    """Make a bag again from the sources of another (runs on a worker)."""
    def build() -> Outcome:
        changed = sorted(k for k, v in task.software.items() if software().get(k) != v)
        if changed:
            raise CheckoutDiffers(f"this worker runs other software than the client: "
                                  f"{', '.join(changed)}")
        return Outcome(task.name, rebag(task.sources))
    return _guarded(task.name, task.jobs, build)


def _guarded(name: str, jobs: int | None, build: Callable[[], Outcome]) -> Outcome:
    """A task never raises: an edition's errors, a refusal or a bug come back as its message."""
    return_large_buffers()
    set_jobs(jobs)
    try:
        return build()
    except EditionError as exc:
        return Outcome(name, None, first_errors(exc))
    except TypesetError as exc:
        return Outcome(name, None, str(exc))
    except Exception as exc:  # a bug: report it with the edition and go on with the others
        return Outcome(name, None, f"unexpected {type(exc).__name__}: {exc}")
    finally:
        set_jobs(None)


def return_large_buffers() -> None:
    """Bags travel as bytes of megabytes each. glibc raises its mmap threshold when the first
    such buffer is freed, so that the next ones come from the heap and fragment it: a client's
    memory grew by 100 MB over its first eight editions. With the threshold fixed, each buffer
    is returned when freed and the client stays flat."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(M_MMAP_THRESHOLD, 128 * 1024)
    except (OSError, AttributeError):  # not glibc: its allocator has its own ways
        pass


M_MMAP_THRESHOLD = -3
"""glibc's malloc.h"""


# -- where the tasks run --------------------------------------------------------------------------

Runner = Callable[[Callable[[Any], Outcome], Iterable[Any]],
                  Generator[tuple[Any, Any], None, None]]
"""Runs a task function over tasks; yields (task, outcome or exception) as each finishes."""


def runner(scheduler: str | None, jobs: int | None) -> tuple[Runner, int | None]:
    """Where the tasks run, and how many page workers each build may use."""
    if scheduler:
        return partial(dask_map, scheduler=scheduler, workers=jobs or workers()), 1
    count = max(1, jobs or 1)
    if count == 1:
        return in_process, None
    # editions side by side share the cores: each measures and renders with fewer workers
    return partial(process_pool, jobs=count), max(1, workers() // count)


def in_process(function: Callable[[T], R], tasks: Iterable[T]
               ) -> Generator[tuple[T, R], None, None]:
    for task in tasks:
        yield task, function(task)


def process_pool(function: Callable[[T], R], tasks: Iterable[T],
                 jobs: int) -> Generator[tuple[T, R | BaseException], None, None]:
    """The tasks in ``jobs`` local processes, two each in flight; Ctrl-C cancels the rest."""
    todo = iter(tasks)
    pending: dict[Future[R], T] = {}
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        try:
            def fill() -> None:
                while len(pending) < 2 * jobs and (task := next(todo, None)) is not None:
                    pending[pool.submit(function, task)] = task
            fill()
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in sorted(done, key=lambda f: str(pending[f])):
                    task = pending.pop(future)
                    error = future.exception()
                    yield task, error if error is not None else future.result()
                fill()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


# -- typeset archive ------------------------------------------------------------------------------

@dataclass
class Archived:
    folder: str
    ok: bool
    message: str


def archive_collection(folders: list[Path], out: Path, run: Runner, jobs: int | None,
                       advance: Callable[[Archived], None]) -> list[Archived]:
    """Bag every edition of ``folders`` into ``out``; a failed one is reported, not fatal."""
    return_large_buffers()
    results: list[Archived] = []

    def record(result: Archived) -> None:
        results.append(result)
        advance(result)

    # closed at once on Ctrl-C, even while a bag is written: the tasks are cancelled then
    with contextlib.closing(run(archive_task, _plan(folders, jobs, record))) as finished:
        for task, outcome in finished:
            if isinstance(outcome, BaseException):
                record(Archived(task.folder, False, f"the task failed: {outcome!r}"))
            elif outcome.bag is None:
                record(Archived(task.folder, False, outcome.message))
            else:
                with locked(out):
                    written = write_bag(out, outcome.bag)
                record(Archived(task.folder, True, f"{outcome.bag.key}: "
                                                   f"{'written' if written else 'unchanged'}"))
    return sorted(results, key=lambda r: r.folder)


def _plan(folders: list[Path], jobs: int | None,
          failed: Callable[[Archived], None]) -> Iterator[ArchiveTask]:
    """One task per edition, each with the checkout the worker must find; an edition whose
    sources cannot be named (no newspaper.toml, a missing layout) fails here."""
    memo: LayoutMemo = {}
    commits: dict[Path, str | None] = {}
    seen: dict[Path, str] = {}
    for folder in folders:
        try:
            sources = find_sources(folder, memo)
        except EditionError as exc:
            failed(Archived(str(folder), False, first_errors(exc)))
            continue
        except TypesetError as exc:
            failed(Archived(str(folder), False, str(exc)))
            continue
        if sources.root not in commits:
            commits[sources.root] = git_commit(sources.root)
        inputs = {name: _digest(src, seen) for name, src in sources.files.items()}
        yield ArchiveTask(str(sources.folder),
                          checkout_of(sources.root, inputs, commits[sources.root]), jobs)


def _digest(source: Source, seen: dict[Path, str]) -> str:
    """A source's SHA-256; the files of a layout are read once for all the editions using it."""
    if isinstance(source, bytes):
        return digests({"": source})[""]
    if source not in seen:
        seen[source] = digests({"": source.read_bytes()})[""]
    return seen[source]


# -- typeset archive --check ----------------------------------------------------------------------

@dataclass
class Checked:
    bags: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def check_collection(collection: Path, run: Runner, jobs: int | None,
                     advance: Callable[[str], None]) -> Checked:
    """Every problem of the bags in ``collection``: damaged, missing and extra files (from the
    manifests), and every file that differs from the bag its own sources make again."""
    return_large_buffers()
    entries = sorted(p for p in collection.iterdir() if not p.name.startswith("."))
    checked = Checked(bag_names(collection))
    checked.problems += [Problem(p.name, "extra: not a bag (bags are folders <YYYY>-<NNN>)")
                         for p in entries if p.name not in checked.bags]
    fixity: dict[str, list[Problem]] = {}

    def tasks() -> Iterator[CheckTask]:
        for name in checked.bags:
            found = fixity[name] = check_fixity(collection / name)
            checked.problems.extend(found)
            if any(p.path.startswith(f"{name}/data/sources/") for p in found):
                checked.problems.append(Problem(name, "not rebuilt: its sources are damaged "
                                                      "or unreadable (above)"))
                advance(name)
                continue
            yield CheckTask(name, bag_sources(collection / name), software(), jobs)

    with contextlib.closing(run(check_task, tasks())) as finished:
        for task, outcome in finished:
            if isinstance(outcome, BaseException):
                checked.problems.append(Problem(task.name, f"the rebuild failed: {outcome!r}"))
            elif outcome.bag is None:
                checked.problems.append(Problem(task.name, "cannot be rebuilt from its "
                                                           f"sources: {outcome.message}"))
            else:
                _compare(collection / task.name, outcome.bag, fixity[task.name], checked)
            advance(task.name)
    checked.problems.sort(key=lambda p: p.path)
    return checked


def bag_names(collection: Path) -> list[str]:
    """The bags of a collection: its folders named ``<YYYY>-<NNN>``."""
    return sorted(p.name for p in collection.iterdir()
                  if p.is_dir() and BAG_NAME.fullmatch(p.name))


def _compare(folder: Path, rebuilt: Bag, fixity: list[Problem], checked: Checked) -> None:
    """Add what the rebuild shows; a file the manifests call damaged but that is the same as
    the rebuild's is intact: the damage is in the manifest's line for it."""
    known = {p.path for p in fixity}
    for problem in fixity:
        path = problem.path.removeprefix(f"{folder.name}/")
        if problem.what.startswith("damaged") and path in rebuilt.files \
                and (folder / path).read_bytes() == rebuilt.files[path]:
            checked.problems.remove(problem)
            listed = "manifest-sha256.txt" if path.startswith("data/") \
                else "tagmanifest-sha256.txt"
            checked.problems.append(Problem(problem.path, f"intact (the rebuild makes the same "
                                                          f"bytes); its line in {listed} is "
                                                          "damaged"))
    checked.problems += compare_rebuilt(folder, rebuilt, known)

