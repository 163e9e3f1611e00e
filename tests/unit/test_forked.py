"""generator.forked: tasks on forked processes give what they give in one process, in order, errors included."""

from __future__ import annotations

import os
import threading
import time

import pytest

from generator import forked


def test_results_come_back_in_task_order_from_every_process() -> None:
    # Each takes a moment, as a page does, so the worker is up before the parent has taken them all.
    tasks = [lambda i=i: (time.sleep(0.005), i * i, os.getpid())[1:] for i in range(200)]
    results = forked.run_tasks(tasks, jobs=2)
    assert [value for value, _ in results] == [i * i for i in range(200)]
    assert len({pid for _, pid in results}) == 2, "both processes took tasks"
    assert forked.run_tasks(tasks[:20], jobs=1) == [(i * i, os.getpid()) for i in range(20)]


class Broken(Exception):
    pass


def fails_in_a_worker(parent: int) -> int:
    time.sleep(0.005)
    if os.getpid() != parent:
        raise Broken("in the worker")
    return 1


def test_an_exception_in_a_worker_is_raised_here_as_itself() -> None:
    parent = os.getpid()
    with pytest.raises(Broken, match="in the worker"):
        # Enough tasks that the worker surely takes some.
        forked.run_tasks([lambda: fails_in_a_worker(parent)] * 200, jobs=2)


def test_an_exception_that_cannot_travel_arrives_as_its_text() -> None:
    parent = os.getpid()

    def unpicklable() -> int:
        time.sleep(0.005)
        if os.getpid() != parent:
            error = Broken("carries a lock")
            error.lock = __import__("threading").Lock()  # type: ignore[attr-defined]
            raise error
        return 1

    with pytest.raises((forked.TaskFailed, Broken), match="carries a lock"):
        forked.run_tasks([unpicklable] * 200, jobs=2)


def test_the_processes_a_build_uses_are_known_inside_the_block_only() -> None:
    assert forked.processes_in_use() == 1
    with forked.processes(3):
        assert forked.processes_in_use() == 3
    assert forked.processes_in_use() == 1


def test_a_build_forks_for_its_own_work_only_while_no_other_thread_runs() -> None:
    assert 1 <= forked.spare_processes() <= 8
    assert forked.spare_processes(limit=1) == 1
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        # As under `mkdocs serve`, whose web server is a thread a fork would not carry.
        assert forked.spare_processes() == 1
    finally:
        release.set()
        thread.join()
