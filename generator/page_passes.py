"""MkDocs' two page passes on forked processes that keep their pages from the first pass to the second.

The processes are forked once, before the first pass. In it they take the
pages a few at a time from a shared counter, so none waits for a slower one,
and send each batch's outcome back as soon as it is done: not the page's
HTML, which stays where it was made, but what the build's global steps and
the other pages' templates read (the title, the metadata, the table of
contents, the anchors). Before the second pass each process gets the same of
every page it does not hold, and builds the pages it read. At 10,000
measures the first pass then ends half a second after the slower process's
work, where it ended about two seconds after it when each process took every
other page and sent all of them, HTML included, at the end.

A worker sees the build's global objects as they stood when it was forked;
what changes them between the passes is the `on_env` event, which is
therefore refused like the page events (generator.parallel_build).

The log records each page produced are replayed here in page order, through
the loggers that made them, so the messages, `--strict` and the order are
those of the serial build; a pass stops, as MkDocs' loop does, at the first
page that raised, and raises its exception here.
"""

from __future__ import annotations

import gc
import io
import logging
import multiprocessing
import multiprocessing.connection
import pickle
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any

from mkdocs.exceptions import BuildError
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

# Apart from MkDocs' loggers, so a benchmark can read it alone: each pass's time per process.
timings = logging.getLogger("generator.parallel_build")

# Page attributes that are the navigation graph, identical in every process.
_GRAPH = frozenset({"file", "parent", "previous_page", "next_page", "children"})
# What only the page's own process needs: its source and its HTML, the bulk of what a page holds.
_OWN = frozenset({"markdown", "content"})
# Pages a process takes at a time: small enough to even out the end, large enough that taking is cheap.
_BATCH = 8

PageWork = Callable[[Page], None]


class PagePasses:
    """`with PagePasses(read, build, ...) as passes: passes.first(); (global steps); passes.second()`."""

    def __init__(self, read: PageWork, build: PageWork, config: Any, files: Files, nav: Navigation, pages: list[Page], jobs: int) -> None:
        self.read, self.build = read, build
        self.pages = pages
        self.jobs = min(jobs, len(pages)) or 1
        # Whatever a page's attributes refer to among these travels as its index and
        # is the receiving process's own object again on arrival.
        objects: list[Any] = [config, files, nav, *files, *pages, *_nav_items(nav.items)]
        objects += [file.page for file in files if file.page is not None]
        self.objects = objects
        self.index = {id(obj): i for i, obj in enumerate(objects)}
        self.workers: list[tuple[Any, Connection]] = []
        self.owner: dict[int, int] = {}
        """After the first pass: the process (0: this one) that read each page and holds its HTML."""
        self.shown: dict[int, dict] = {}
        """After the first pass: each page's attributes that another process may read."""

    def __enter__(self) -> PagePasses:
        return self

    def __exit__(self, *_: object) -> None:
        for process, connection in self.workers:
            if process.is_alive():
                process.terminate()
            process.join()
            connection.close()
        self.workers = []
        gc.unfreeze()

    def first(self) -> None:
        """`read(page)` for every page; the other processes then wait for `second`.

        The pages are taken a batch at a time from a shared counter, so no
        process waits for a slower one, and each batch's outcome is sent as
        soon as it is done, so that sending overlaps the work.
        """
        started = time.monotonic()
        gc.collect()
        gc.freeze()  # the forks then share the heap instead of copying it as the collector walks it
        context = multiprocessing.get_context("fork")
        self.counter = context.Value("l", 0)
        for share in range(1, self.jobs):
            connection, theirs = context.Pipe()
            process = context.Process(target=self._worker, args=(share, theirs), name=f"mkdocs-build-{share}")
            process.start()
            theirs.close()
            self.workers.append((process, connection))
        outcomes: dict[int, tuple] = {}
        seconds = [0.0] * self.jobs
        done: set[int] = set()
        cpu = time.process_time()
        for batch in self._batches():
            mine = self._run(batch, self.read, _shown)
            outcomes.update(mine)
            self.owner.update(dict.fromkeys(mine, 0))
            self._receive(outcomes, seconds, done, wait=False)
        seconds[0] = time.process_time() - cpu
        while len(done) < len(self.workers):
            self._receive(outcomes, seconds, done, wait=True)
        self.shown = {i: attributes for i, (_, attributes, _) in outcomes.items()}
        self._log("Markdown", started, seconds)
        self._replay(outcomes)

    def second(self) -> None:
        """`build(page)` for every page, each on the process that read it."""
        started = time.monotonic()
        for share, (_, connection) in enumerate(self.workers, start=1):
            others = {i: attributes for i, attributes in self.shown.items() if self.owner[i] != share}
            connection.send_bytes(self._pickled(others))
        outcomes: dict[int, tuple] = {}
        seconds = [0.0] * self.jobs
        cpu = time.process_time()
        outcomes.update(self._run([i for i in range(len(self.pages)) if self.owner.get(i) == 0], self.build, _unsent))
        seconds[0] = time.process_time() - cpu
        done: set[int] = set()
        while len(done) < len(self.workers):
            self._receive(outcomes, seconds, done, wait=True)
        self._log("Templates", started, seconds)
        self._replay(outcomes)

    def _worker(self, share: int, connection: Connection) -> None:
        cpu = time.process_time()
        mine: list[int] = []
        failed = False
        for batch in self._batches():
            outcomes = self._run(batch, self.read, _shown)
            mine.extend(outcomes)
            failed = failed or any(error is not None for _, _, error in outcomes.values())
            connection.send_bytes(self._sendable(share, ("pages", outcomes)))
        connection.send_bytes(self._sendable(share, ("done", time.process_time() - cpu)))
        if failed:
            return
        try:
            shown = self._unpickle(connection.recv_bytes())
        except EOFError:  # the build stopped between the passes
            return
        for i, attributes in shown.items():
            vars(self.pages[i]).update(attributes)
        cpu = time.process_time()
        outcomes = self._run(mine, self.build, _changed)
        connection.send_bytes(self._sendable(share, ("pages", outcomes)))
        connection.send_bytes(self._sendable(share, ("done", time.process_time() - cpu)))
        connection.close()

    def _batches(self):
        """The next pages no process has taken, a few at a time, in page order, until none is left."""
        while True:
            with self.counter.get_lock():
                start = self.counter.value
                self.counter.value = min(start + _BATCH, len(self.pages))
            if start >= len(self.pages):
                return
            yield range(start, min(start + _BATCH, len(self.pages)))

    def _run(self, batch: Iterable[int], work: PageWork, sent: Callable[[Page, dict], dict]) -> dict[int, tuple]:
        """page index -> (log records, attributes to send, exception) for these pages, in order.

        A page that raised stops this process and, through the counter, the
        others once they finish the pages they hold: every page before it in
        page order has been taken already, so its outcome still arrives.
        """
        outcomes = {}
        for i in batch:
            page = self.pages[i]
            before = dict(vars(page))
            error = None
            with _captured_records() as records:
                try:
                    work(page)
                except Exception as exc:  # noqa: BLE001 - carried to the parent, raised there
                    error = _portable(exc)
            outcomes[i] = (records, sent(page, before), error)
            if error is not None:
                with self.counter.get_lock():
                    self.counter.value = len(self.pages)
                break
        return outcomes

    def _receive(self, outcomes: dict[int, tuple], seconds: list[float], done: set[int], wait: bool) -> None:
        """Every message the workers have sent (with `wait`, at least one): pages' outcomes, or done with its CPU seconds."""
        connections = [connection for share, (_, connection) in enumerate(self.workers, start=1) if share not in done]
        ready = multiprocessing.connection.wait(connections, timeout=None if wait else 0)
        for share, (process, connection) in enumerate(self.workers, start=1):
            if connection not in ready:
                continue
            try:
                kind, sent = self._unpickle(connection.recv_bytes())
            except EOFError:
                process.join()
                raise BuildError(f"build worker {share} died (exit status {process.exitcode})") from None
            if kind == "error":
                raise sent
            if kind == "done":
                seconds[share] = sent
                done.add(share)
            else:
                outcomes.update(sent)
                self.owner.update(dict.fromkeys(sent, share))

    def _replay(self, outcomes: dict[int, tuple]) -> None:
        for i, page in enumerate(self.pages):
            if i not in outcomes:
                raise BuildError(f"no build process reported page '{page.file.src_uri}'")
            records, attributes, error = outcomes[i]
            vars(page).update(attributes)
            for name, record in records:
                logging.getLogger(name).handle(record)
            if error is not None:
                raise error

    def _log(self, name: str, started: float, seconds: list[float]) -> None:
        timings.debug(
            f"{name}: {len(self.pages)} pages on {self.jobs} processes in {time.monotonic() - started:.2f} s "
            f"(CPU seconds per process: {', '.join(f'{s:.2f}' for s in seconds)})"
        )

    def _sendable(self, share: int, message: tuple[str, Any]) -> bytes:
        try:
            return self._pickled(message)
        except Exception as exc:  # noqa: BLE001 - a plugin put something on a page that cannot travel
            return pickle.dumps(("error", BuildError(f"build worker {share} cannot send its pages back: {exc}")))

    def _pickled(self, value: Any) -> bytes:
        buffer = io.BytesIO()
        _Pickler(buffer, self.index).dump(value)
        return buffer.getvalue()

    def _unpickle(self, payload: bytes) -> Any:
        return _Unpickler(io.BytesIO(payload), self.objects).load()


def _nav_items(items) -> list:
    found = []
    for item in items:
        found.append(item)
        found += _nav_items(item.children or [])
    return found


def _shown(page: Page, before: dict) -> dict:
    """What the other processes may read of a page after the first pass."""
    return {key: value for key, value in vars(page).items() if key not in _GRAPH and key not in _OWN}


def _unsent(page: Page, before: dict) -> dict:
    """Nothing: the page is this process's own."""
    return {}


def _changed(page: Page, before: dict) -> dict:
    """What the second pass changed on a page, for this process's copy of it."""
    return {key: value for key, value in vars(page).items() if key not in _GRAPH and before.get(key, _MISSING) is not value}


_MISSING = object()


class _Pickler(pickle.Pickler):
    def __init__(self, file, index: dict[int, int]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.shared = index

    def persistent_id(self, obj):
        return self.shared.get(id(obj))


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, objects: list) -> None:
        super().__init__(file)
        self.objects = objects

    def persistent_load(self, pid):
        return self.objects[pid]


@contextmanager
def _captured_records() -> Iterator[list[tuple[str, logging.LogRecord]]]:
    """Every log record made meanwhile, in order, instead of handled; as (logger name, record).

    Taken where a logger handles a record, after its level check and before
    its filters, so that replaying through `Logger.handle` in the parent
    applies the filters (MkDocs' duplicate filter) and handlers (its
    `--strict` counter) exactly once, in page order.
    """
    records: list[tuple[str, logging.LogRecord]] = []
    original = logging.Logger.handle

    def capture(logger: logging.Logger, record: logging.LogRecord) -> None:
        records.append((logger.name, _portable_record(record)))

    logging.Logger.handle = capture  # type: ignore[method-assign,assignment]
    try:
        yield records
    finally:
        logging.Logger.handle = original  # type: ignore[method-assign]


def _portable_record(record: logging.LogRecord) -> logging.LogRecord:
    if record.exc_info:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.exc_info = None
    try:
        pickle.dumps((record.msg, record.args))
    except Exception:  # noqa: BLE001 - any unpicklable argument: send the finished message
        record.msg, record.args = record.getMessage(), None
    return record


class _RemoteTraceback(Exception):
    def __str__(self) -> str:
        return self.args[0]


def _portable(exc: Exception) -> Exception:
    """`exc`, picklable, with the worker's traceback as its cause (shown with --debug / -v)."""
    text = "".join(traceback.format_exception(exc))
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001
        exc = BuildError(f"{type(exc).__name__}: {exc}")
    exc.__cause__ = _RemoteTraceback(f'\n"""\n{text}"""')
    exc.__traceback__ = None
    return exc
