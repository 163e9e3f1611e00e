"""An edition made on a forked process and handed over file by file, while the site engine works.

`mkdocs build` spends most of its time in its two passes over the pages, one
page after another on one core, and reads a page's Markdown only when its
first pass comes to it. So the edition need not be finished before MkDocs starts: once
the data is loaded and aligned, the list of files is known (every page task
declares its paths, generator.render.PageTask), and the pages can follow in
the order MkDocs reads them. `EditionStream` forks a process that loads,
aligns and sends that list first, then every page in reading order, then the
open data and the search index; the build waits only for the list, and its
pages are rendered on the spare core while MkDocs converts the ones before.

The MkDocs process never holds the corpus: it receives bytes. That also spares
the copy-on-write a fork shares a heap with (each process that reads an
object writes its reference count, so the kernel copies its memory page).

What goes wrong travels as an exception, raised where the build waits (the
header, a file, the rest). The making process must not warn through logging
instead: its log records would not reach the counter with which `--strict`
fails a build on a warning.

Engine-independent: generator.mkdocs_hook wraps the files for MkDocs.
"""

from __future__ import annotations

import atexit
import dataclasses
import multiprocessing
import os
import pickle
import signal
import threading
import time
import traceback
from dataclasses import dataclass
from typing import Any, Callable

from generator.build import EditionPlan, add_files
from generator.errors import GeneratorError
from generator.yamlio import gc_paused


@dataclass(frozen=True)
class EditionHeader:
    """What an edition publishes, known before any file is made."""

    plan: EditionPlan
    """The edition, its redirects, sources and locked paths; without the work (it stays in the making process)."""
    files: tuple[str, ...]
    """Every file whose path is known ahead, in the order they will come."""


@dataclass
class Receipt:
    """What the receiving process spent on a stream, for the benchmark: the edition's share of the build."""

    waited_for_content: float = 0.0
    """Seconds the build waited for files not yet made when it read them (the header and
    the rest are waited for in the hook's own events, which the benchmark times already)."""
    receiving_cpu: float = 0.0
    """CPU seconds of the thread that received the files. The maker's own are the build's
    children's, counted when close() reaps it."""


BATCH_BYTES = 1 << 20
"""Bytes of files sent in one message."""

last_receipt = Receipt()
"""The receipt of the last stream of this process (generator.mkdocs_hook starts one per build)."""


class EditionStream:
    """The edition `make_plan()` plans, made on a forked process; its files can be asked for as they come."""

    def __init__(self, make_plan: Callable[[], EditionPlan]) -> None:
        global last_receipt
        self.receipt = last_receipt = Receipt()
        context = multiprocessing.get_context("fork")
        self._receiver, sender = context.Pipe(duplex=False)
        # Not a daemon: it forks its own helpers to load and align. close() ends it.
        self._process = context.Process(target=_make, args=(make_plan, sender), name="edition")
        self._process.start()
        assert self._process.pid is not None
        self._group = self._process.pid
        # Its own process group (set here and in the process, whichever runs first), so
        # that close() ends it with the helpers it forked: they hold the pipe open too.
        _own_group(self._group)
        sender.close()
        atexit.register(self.close)
        self._arrived = threading.Condition()
        self._header: EditionHeader | None = None
        self._announced: frozenset[str] = frozenset()
        self._files: dict[str, bytes] = {}
        self._rest: dict[str, bytes] | None = None
        self._failure: BaseException | None = None
        # A thread drains the pipe as the files come: the maker never waits for the build to ask.
        self._thread = threading.Thread(target=self._receive, name="edition-receiver", daemon=True)
        self._thread.start()

    def header(self) -> EditionHeader:
        """The edition's header, once the data is loaded and aligned; the maker's error if it failed."""
        return self._wait(lambda: self._header)

    def content(self, path: str) -> bytes:
        """The bytes of `path`, one of the header's files, once made."""
        self.header()
        if path not in self._announced:
            raise GeneratorError(f"{path} is not a file of this edition")
        started = time.perf_counter()
        try:
            return self._wait(lambda: self._files.get(path), path)
        finally:
            self.receipt.waited_for_content += time.perf_counter() - started

    def rest(self) -> dict[str, bytes]:
        """The files whose paths only making them told (the search index), once everything is made."""
        return self._wait(lambda: self._rest)

    def close(self) -> None:
        """End the maker, at once if it is still working (the build stopped): reap it."""
        atexit.unregister(self.close)
        if self._process.is_alive() and self._rest is None:
            try:
                os.killpg(self._group, signal.SIGTERM)
            except ProcessLookupError:
                self._process.terminate()
        self._process.join()
        # The pipe ends when every process holding it has; a helper that outlived its
        # group's signal must not keep the build from exiting.
        self._thread.join(timeout=10)
        self._receiver.close()

    def _wait(self, found: Callable[[], Any], path: str = "") -> Any:
        with self._arrived:
            # The rest comes last: once it has, a file still missing will not come.
            while (value := found()) is None and self._failure is None and self._rest is None:
                self._arrived.wait()
            if value is None:
                raise self._failure or GeneratorError(f"{path} was announced but never made")
            return value

    def _receive(self) -> None:
        started = time.thread_time()
        failure: BaseException | None = None
        while failure is None:
            try:
                kind, value = pickle.loads(self._receiver.recv_bytes())
            except (EOFError, OSError):
                self._process.join()
                failure = GeneratorError(f"the process making the edition stopped (exit status {self._process.exitcode})")
                break
            with self._arrived:
                if kind == "header":
                    self._header, self._announced = value, frozenset(value.files)
                elif kind == "files":
                    self._files.update(value)
                elif kind == "failed":
                    failure = value
                else:
                    self._rest = value
                self._arrived.notify_all()
            if kind == "rest":
                break
        with self._arrived:
            self._failure = failure
            self._arrived.notify_all()
        self.receipt.receiving_cpu = time.thread_time() - started


def _make(make_plan: Callable[[], EditionPlan], sender) -> None:
    """The forked process: plan, send the header, then every file in the order it was announced."""
    _own_group(0)
    try:
        with gc_paused():
            plan = make_plan()
            announced = plan.announced()
            _send(sender, "header", EditionHeader(dataclasses.replace(plan, pages=(), data=()), announced))
            rest: dict[str, bytes] = {}
            batch: dict[str, bytes] = {}
            size = 0
            for output in plan.pages + plan.data:
                made = output()
                if output.paths is None:
                    add_files(rest, made)
                    continue
                batch.update(made)
                size += sum(map(len, made.values()))
                # A few messages rather than one a page: each wakes the receiving thread,
                # which then takes the interpreter from MkDocs for a moment.
                if size >= BATCH_BYTES:
                    _send(sender, "files", batch)
                    batch, size = {}, 0
            clash = sorted(set(rest) & set(announced))
            if clash:
                raise GeneratorError(f"two outputs both write {', '.join(clash)}")
            _send(sender, "files", batch)
            _send(sender, "rest", rest)
    except BaseException as error:  # noqa: BLE001 - every failure travels to the build, which raises it
        try:
            _send(sender, "failed", error)
        except Exception:  # noqa: BLE001 - an exception that cannot be pickled travels as its text
            _send(sender, "failed", GeneratorError("".join(traceback.format_exception(error)).strip()))
    finally:
        sender.close()


def _own_group(pid: int) -> None:
    try:
        os.setpgid(pid, 0)
    except OSError:
        pass  # the process has ended, or already leads its group


def _send(sender, kind: str, value: Any) -> None:
    sender.send_bytes(pickle.dumps((kind, value), protocol=pickle.HIGHEST_PROTOCOL))
