"""Forked workers: same results, in the same order, as running the jobs in this process."""

from __future__ import annotations

import os

import pytest

from typeset.core import parallel


def _square_plus(state: int, job: int) -> tuple[int, int]:
    return job * job + state, os.getpid()


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_fork_map_keeps_the_order_of_the_jobs(jobs: int) -> None:
    parallel.set_jobs(jobs)
    try:
        seen: list[int] = []
        results = parallel.fork_map(_square_plus, 5, range(10),
                                    on_result=lambda r: seen.append(r[0]))
    finally:
        parallel.set_jobs(None)
    assert [value for value, _ in results] == [k * k + 5 for k in range(10)]
    assert sorted(seen) == sorted(value for value, _ in results)  # told of every result
    pids = {pid for _, pid in results}
    if jobs == 1:
        assert pids == {os.getpid()}  # one worker: no fork at all
    else:
        assert os.getpid() not in pids and 1 <= len(pids) <= jobs


def test_state_reaches_the_workers_without_pickling() -> None:
    unpicklable = (lambda: 7, 1)  # a lambda cannot be pickled, a fork inherits it
    parallel.set_jobs(2)
    try:
        results = parallel.fork_map(_call_state, unpicklable, [1, 2])
    finally:
        parallel.set_jobs(None)
    assert results == [7, 14]
    assert parallel._STATE is None  # not kept alive after the step


def _call_state(state: tuple[object, int], job: int) -> int:
    function = state[0]
    assert callable(function)
    return int(function()) * job  # type: ignore[call-overload]


def test_workers_follow_the_option_then_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TYPESET_JOBS", "3")
    assert parallel.workers() == 3
    parallel.set_jobs(1)
    try:
        assert parallel.workers() == 1
    finally:
        parallel.set_jobs(None)
    monkeypatch.setenv("TYPESET_JOBS", "nonsense")
    assert 1 <= parallel.workers() <= parallel.MAX_WORKERS


@pytest.mark.parametrize(("count", "parts"), [(10, 3), (2, 5), (1, 1), (7, 1)])
def test_chunks_deal_every_item_once(count: int, parts: int) -> None:
    items = list(range(count))
    dealt = parallel.chunks(items, parts)
    assert len(dealt) == min(count, parts)
    assert all(dealt)  # no empty share
    assert sorted(x for part in dealt for x in part) == items
    sizes = [len(part) for part in dealt]
    assert max(sizes) - min(sizes) <= 1


class _Unpicklable(Exception):
    def __init__(self, a: int, b: int) -> None:
        super().__init__(f"{a} {b}")

    def __reduce__(self) -> tuple[object, ...]:
        # unpicklable whatever a library installs for exceptions (distributed makes plain
        # ones travel with their tracebacks)
        raise TypeError("cannot pickle _Unpicklable")


def _fail(state: None, job: int) -> int:
    if job == 3:
        raise ValueError(f"job {job} went wrong")
    if job == 4:
        raise _Unpicklable(1, 2)
    if job == 5:
        os._exit(9)  # as the kernel's out-of-memory killer would end it
    return job


@pytest.mark.parametrize(("bad", "error", "text"), [
    (3, ValueError, "job 3 went wrong"),
    (4, RuntimeError, "_Unpicklable: 1 2"),
    (5, parallel.WorkerDied, "try again with --jobs 1"),
])
def test_a_failing_worker_raises_instead_of_hanging(bad: int, error: type[Exception],
                                                     text: str) -> None:
    parallel.set_jobs(2)
    try:
        with pytest.raises(error, match=text) as caught:
            parallel.fork_map(_fail, None, [0, 1, bad, 2])
    finally:
        parallel.set_jobs(None)
    if bad == 3:  # the worker's traceback comes along
        assert any("in a worker process" in note for note in caught.value.__notes__)
