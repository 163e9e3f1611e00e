"""Run independent pieces of work on several forked processes; their results come back in order.

An edition's pages are rendered from data every process holds alike once it
is forked (the corpus, the alignment, the Jinja environment), so a task needs
nothing sent to it, only its result sent back. Tasks are taken in turn from a
shared counter, so a process that drew a long task (the search index) simply
takes fewer pages. Used where the build already runs on every core
(generator.parallel_build); a plain `mkdocs build` and `mkdocs serve` run the
tasks here, one after the other.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import threading
import traceback
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Sequence, TypeVar

T = TypeVar("T")


_in_use = [1]


@contextmanager
def processes(jobs: int) -> Iterator[None]:
    """Within the block, the build under way in this process runs on `jobs` processes (generator.parallel_build)."""
    _in_use.append(jobs)
    try:
        yield
    finally:
        _in_use.pop()


def processes_in_use() -> int:
    """How many processes the build under way uses: 1 unless inside `processes(jobs)`."""
    return _in_use[-1]


def spare_processes(limit: int = 8) -> int:
    """How many processes a build that runs on one core may fork for its own work: the cores it may use.

    One while any other thread runs: a forked process has only the thread that
    forked it, and a lock another thread held at that moment stays locked in it.
    At most `limit`: each process holds the edition's corpus, and the tasks are few.
    """
    if not fork_is_safe():
        return 1
    return max(1, min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, limit))


def fork_is_safe() -> bool:
    """Whether this process may fork: the platform can, and no other thread runs (its locks would stay locked in the child)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


class TaskFailed(Exception):
    """A task raised in a worker and its exception could not travel back as itself."""


def run_tasks(tasks: Sequence[Callable[[], T]], jobs: int = 1) -> list[T]:
    """`[task() for task in tasks]`, on `jobs` processes (this one included) where the platform forks.

    The first exception a task raises is raised here, as itself where it can be pickled.
    """
    if jobs <= 1 or len(tasks) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [task() for task in tasks]
    context = multiprocessing.get_context("fork")
    counter = context.Value("l", 0)
    results: dict[int, Any] = {}
    # The workers then share the heap as it stands instead of copying it as the collector walks it.
    gc.collect()
    gc.freeze()
    workers = []
    try:
        for _ in range(min(jobs, len(tasks)) - 1):
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_worker, args=(tasks, counter, sender))
            process.start()
            sender.close()
            workers.append((process, receiver))
        failure = _take(tasks, counter, results)
        for process, receiver in workers:
            try:
                sent = pickle.loads(receiver.recv_bytes())
            except EOFError:
                process.join()
                raise TaskFailed(f"a worker died (exit status {process.exitcode})") from None
            process.join()
            if isinstance(sent, BaseException):
                failure = failure or sent
            else:
                results.update(sent)
    finally:
        for process, receiver in workers:
            if process.is_alive():
                process.terminate()
                process.join()
            receiver.close()
        gc.unfreeze()
    if failure is not None:
        raise failure
    return [results[index] for index in range(len(tasks))]


def _take(tasks: Sequence[Callable[[], Any]], counter, results: dict[int, Any]) -> BaseException | None:
    """Run the next task not yet taken until none is left; the exception that stopped it, if any."""
    while True:
        with counter.get_lock():
            index = counter.value
            counter.value += 1
        if index >= len(tasks):
            return None
        try:
            results[index] = tasks[index]()
        except Exception as error:  # noqa: BLE001 - raised by run_tasks in the parent
            with counter.get_lock():
                counter.value = len(tasks)  # the others stop after their current task
            return error


def _worker(tasks: Sequence[Callable[[], Any]], counter, sender) -> None:
    results: dict[int, Any] = {}
    failure = _take(tasks, counter, results)
    try:
        payload = pickle.dumps(failure if failure is not None else results, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - an exception that cannot be pickled travels as its text
        payload = pickle.dumps(TaskFailed("".join(traceback.format_exception(failure)) if failure else "a result cannot be sent back"))
    sender.send_bytes(payload)
    sender.close()
