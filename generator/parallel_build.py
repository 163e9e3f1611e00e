"""`mkdocs build` on several processes, through MkDocs' own build steps.

Why this can be done without giving anything up: `mkdocs.commands.build.build`
(MkDocs 1.6) first gathers everything global (config, files, nav), then makes
two passes over the pages that only meet through the Page objects: pass one
turns each page's Markdown into HTML (`_populate_page`: links checked, anchors
collected, the title found), pass two puts each page into the theme
(`_build_page`: template rendered, file written). Between and after the passes
come the global steps (`on_env`, static files, sitemap and 404, cross-page
anchor validation, `on_post_build`). So this module runs the global steps
exactly as MkDocs does, once, in this process, and spreads each pass over
forked processes: a fork sees every global structure as it stands, and what a
page pass changes lives on its Page, which is sent back. The log records each
page produced are replayed here in page order, through MkDocs' own loggers, so
the messages, `--strict` and the order are those of the serial build.

What a worker cannot send back is state a plugin keeps outside the Page while
handling a page event; a build whose plugins handle page events is therefore
refused (see `_refuse_page_event_plugins`) rather than built wrong.
"""

from __future__ import annotations

import argparse
import gc
import io
import logging
import multiprocessing
import os
import pickle
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from typing import Any

import mkdocs.config
from mkdocs import utils
from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from click import ClickException
from mkdocs.exceptions import Abort, BuildError, ConfigurationError
from mkdocs.structure.files import Files, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page

from generator import forked

log = logging.getLogger("mkdocs.commands.build")
# Apart from MkDocs' loggers, so a benchmark can read it alone: each pass's time per process.
timings = logging.getLogger("generator.parallel_build")

# Events MkDocs fires once per page, inside the two passes that run in workers.
PAGE_EVENTS = ("pre_page", "page_read_source", "page_markdown", "page_content", "page_context", "post_page")

# Page attributes that are the navigation graph, identical in every process.
_GRAPH = frozenset({"file", "parent", "previous_page", "next_page", "children"})


def build_site(config_file: str, jobs: int, **config_overrides: Any) -> None:
    """`mkdocs build` of `config_file` on `jobs` processes (1: MkDocs' own serial build).

    `config_overrides` are those of `mkdocs.config.load_config` (`site_dir=`,
    `strict=` …), as the `mkdocs build` command passes them.
    """
    config = mkdocs.config.load_config(config_file, **config_overrides)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config, jobs=jobs)
    finally:
        config.plugins.on_shutdown()


def build(config: MkDocsConfig, *, jobs: int) -> None:
    """`mkdocs.commands.build.build(config)` with the page passes on `jobs` processes.

    Step for step the function of MkDocs 1.6.1 (no `--dirty`, no `serve`),
    so that the output is the same bytes.
    """
    if jobs <= 1:
        mkdocs_build.build(config)
        return
    # The project's hook asks generator.forked how many, and renders on as many.
    with forked.processes(jobs):
        _build(config, jobs)


def _build(config: MkDocsConfig, jobs: int) -> None:
    if "fork" not in multiprocessing.get_all_start_methods():
        raise ConfigurationError("a parallel build forks its workers; this platform cannot (use jobs=1)")
    # Before on_config, so that a refused build has not yet run the plugins' own work.
    _refuse_page_event_plugins(config)

    warning_counter = utils.CountHandler()
    warning_counter.setLevel(logging.WARNING)
    if config.strict:
        logging.getLogger("mkdocs").addHandler(warning_counter)
    inclusion = InclusionLevel.is_included

    try:
        start = time.monotonic()
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        log.info("Cleaning site directory")
        utils.clean_directory(config.site_dir)
        log.info(f"Building documentation to directory: {config.site_dir}")

        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)

        log.debug("Reading markdown pages.")
        pages = _pages(files.documentation_pages(inclusion=inclusion), config)
        _Shared(config, files, nav, pages).run(jobs, lambda page: _read_page(page, config, files), send="all", work_name="Markdown")

        env = config.plugins.on_env(env, config=config, files=files)
        log.debug("Copying static assets.")
        files.copy_static_files(inclusion=inclusion)
        for template in config.theme.static_templates:
            mkdocs_build._build_theme_template(template, env, files, config, nav)
        for template in config.extra_templates:
            mkdocs_build._build_extra_template(template, files, config, nav)

        log.debug("Building markdown pages.")
        doc_files = files.documentation_pages(inclusion=inclusion)
        # Compiled once here rather than once per worker.
        env.get_template("main.html")
        # The same pages unless on_env changed the files.
        _Shared(config, files, nav, [file.page for file in doc_files if file.page is not None]).run(
            jobs,
            lambda page: mkdocs_build._build_page(
                page, config, doc_files, nav, env, excluded=page.file.inclusion.is_excluded()
            ),
            send="changed",
            work_name="Templates",
        )

        log_level = config.validation.links.anchors
        for file in doc_files:
            assert file.page is not None
            file.page.validate_anchor_links(files=files, log_level=log_level)

        config.plugins.on_post_build(config=config)

        if counts := warning_counter.get_counts():
            msg = ", ".join(f"{v} {k.lower()}s" for k, v in counts)
            raise Abort(f"Aborted with {msg} in strict mode!")

        log.info(f"Documentation built in {time.monotonic() - start:.2f} seconds")

    except Exception as e:
        config.plugins.on_build_error(error=e)
        if isinstance(e, BuildError):
            log.error(str(e))
            raise Abort("Aborted with a BuildError!")
        raise

    finally:
        logging.getLogger("mkdocs").removeHandler(warning_counter)


def _refuse_page_event_plugins(config: MkDocsConfig) -> None:
    # A plugin that handles a page event may keep what it sees (a search index,
    # a list of tags) in itself; in a worker that state would be lost and the
    # site silently incomplete.
    origins = getattr(config.plugins, "_event_origins", {})
    for event in PAGE_EVENTS:
        for handler in config.plugins.events[event]:
            name = origins.get(handler, getattr(handler, "__qualname__", repr(handler)))
            raise ConfigurationError(
                f"plugin '{name}' handles on_{event}: what it keeps from a page would stay in a "
                "worker process (build with one job)"
            )


def _read_page(page: Page, config: MkDocsConfig, files: Files) -> None:
    log.debug(f"Reading: {page.file.src_uri}")
    mkdocs_build._populate_page(page, config, files)


def _pages(doc_files: Sequence, config: MkDocsConfig) -> list[Page]:
    for file in doc_files:
        if file.page is None and file.inclusion.is_not_in_nav():
            Page(None, file, config)
        assert file.page is not None
    return [file.page for file in doc_files]


class _Shared:
    """The objects every process holds alike after a fork, and the page passes over them.

    A worker sends a page's attributes back pickled; whatever among them is
    one of these objects (a File, another Page, a Section, the config …)
    travels as its index here and is the parent's own object again on arrival.
    """

    def __init__(self, config: MkDocsConfig, files: Files, nav: Navigation, pages: list[Page]) -> None:
        self.pages = pages
        objects: list[Any] = [config, files, nav, *files, *pages, *_nav_items(nav.items)]
        objects += [file.page for file in files if file.page is not None]
        self.objects = objects
        self.index = {id(obj): i for i, obj in enumerate(objects)}

    def run(self, jobs: int, work: Callable[[Page], None], send: str, work_name: str) -> None:
        """`work(page)` for every page, page i on process i % jobs (this one is process 0).

        Replays every page's log records in page order and stops, like the
        serial loop, at the first page that raised: its exception is raised.
        """
        jobs = min(jobs, len(self.pages)) or 1
        started = time.monotonic()
        gc.collect()
        gc.freeze()  # the fork then shares the heap instead of copying it as the collector walks it
        context = multiprocessing.get_context("fork")
        workers = []
        try:
            for share in range(1, jobs):
                receiver, sender = context.Pipe(duplex=False)
                process = context.Process(
                    target=self._worker, args=(share, jobs, work, send, sender), name=f"mkdocs-build-{share}"
                )
                process.start()
                sender.close()
                workers.append((share, process, receiver))
            cpu = time.process_time()
            outcomes = dict(self._share(0, jobs, work, send=None))
            seconds = [time.process_time() - cpu]
            for share, process, receiver in workers:
                try:
                    payload = receiver.recv_bytes()
                except EOFError:
                    process.join()
                    raise BuildError(f"build worker {share} died (exit status {process.exitcode})") from None
                sent = self._unpickle(payload)
                if isinstance(sent, BuildError):
                    raise sent
                worker_seconds, worker_outcomes = sent
                seconds.append(worker_seconds)
                outcomes.update(worker_outcomes)
                process.join()
        finally:
            for _, process, receiver in workers:
                if process.is_alive():
                    process.terminate()
                    process.join()
                receiver.close()
            gc.unfreeze()
        timings.debug(
            f"{work_name}: {len(self.pages)} pages on {jobs} processes in {time.monotonic() - started:.2f} s "
            f"(CPU seconds per process: {', '.join(f'{s:.2f}' for s in seconds)})"
        )
        self._replay(outcomes)

    def _worker(self, share: int, jobs: int, work: Callable[[Page], None], send: str, sender) -> None:
        cpu = time.process_time()
        outcomes = self._share(share, jobs, work, send)
        buffer = io.BytesIO()
        try:
            _Pickler(buffer, self.index).dump((time.process_time() - cpu, outcomes))
        except Exception as exc:  # noqa: BLE001 - a plugin put something on a page that cannot travel
            buffer = io.BytesIO()
            pickle.dump(BuildError(f"build worker {share} cannot send its pages back: {exc}"), buffer)
        sender.send_bytes(buffer.getbuffer())
        sender.close()

    def _share(self, share: int, jobs: int, work: Callable[[Page], None], send: str | None):
        """(page index, (records, attributes to set, exception)) for this process's pages, in order."""
        outcomes = []
        for i in range(share, len(self.pages), jobs):
            page = self.pages[i]
            before = dict(vars(page))
            error = None
            with _captured_records() as records:
                try:
                    work(page)
                except Exception as exc:  # noqa: BLE001 - carried to the parent, raised there
                    error = _portable(exc)
            outcomes.append((i, (records, _changed(page, before, send), error)))
            if error is not None:
                break
        return outcomes

    def _unpickle(self, payload: bytes):
        return _Unpickler(io.BytesIO(payload), self.objects).load()

    def _replay(self, outcomes: dict) -> None:
        for i, page in enumerate(self.pages):
            if i not in outcomes:
                raise BuildError(f"no build process reported page '{page.file.src_uri}'")
            records, attributes, error = outcomes[i]
            vars(page).update(attributes)
            for name, record in records:
                logging.getLogger(name).handle(record)
            if error is not None:
                raise error


def _nav_items(items) -> list:
    found = []
    for item in items:
        found.append(item)
        found += _nav_items(item.children or [])
    return found


def _changed(page: Page, before: dict, send: str | None) -> dict:
    """What the parent must set on its copy of `page`: "all" attributes, those "changed" since `before`, or none."""
    if send is None:  # this process is the parent: the page is its own
        return {}
    return {
        key: value
        for key, value in vars(page).items()
        if key not in _GRAPH and (send == "all" or before.get(key, _MISSING) is not value)
    }


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
def _captured_records():
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

    logging.Logger.handle = capture  # type: ignore[method-assign,unused-ignore]
    try:
        yield records
    finally:
        logging.Logger.handle = original  # type: ignore[method-assign,unused-ignore]


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


def main(argv: list[str] | None = None) -> int:
    """`python -m generator.parallel_build [--jobs N] [-f mkdocs.yml] [-d site] [--strict]`."""
    parser = argparse.ArgumentParser(prog="python -m generator.parallel_build", description=main.__doc__)
    parser.add_argument("-j", "--jobs", type=int, default=multiprocessing.cpu_count())
    parser.add_argument("-f", "--config-file", default="mkdocs.yml")
    parser.add_argument("-d", "--site-dir")
    parser.add_argument("-s", "--strict", action="store_true", default=None)
    parser.add_argument("-c", "--clean", action="store_true", help="accepted as `mkdocs build` does; always clean")
    parser.add_argument("-q", "--quiet", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    # The `mkdocs` command's own logging: same lines, same colours (none when not on a terminal).
    from mkdocs.__main__ import State, _enable_warnings

    state = State()
    if not sys.stdout.isatty() or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        state.stream.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    state.logger.setLevel(logging.DEBUG if args.verbose else logging.ERROR if args.quiet else logging.INFO)
    if args.verbose:
        timings.setLevel(logging.DEBUG)
        timings.addHandler(state.stream)
    _enable_warnings()
    overrides = {key: value for key, value in (("site_dir", args.site_dir), ("strict", args.strict)) if value}
    try:
        build_site(args.config_file, args.jobs, **overrides)
    except ClickException as error:  # as the `mkdocs` command shows them: "Aborted …", "Error: …"
        if args.verbose:
            raise
        error.show()
        return error.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
