"""`mkdocs build` on several processes, through MkDocs' own build steps.

Why this can be done without giving anything up: `mkdocs.commands.build.build`
(MkDocs 1.6) first gathers everything global (config, files, nav), then makes
two passes over the pages that only meet through the Page objects: pass one
turns each page's Markdown into HTML (`_populate_page`: links checked, anchors
collected, the title found), pass two puts each page into the theme
(`_build_page`: template rendered, file written). Between and after the passes
come the global steps (`on_env`, static files, sitemap and 404, cross-page
anchor validation, `on_post_build`). So this module runs the global steps
exactly as MkDocs does, once, in this process, and spreads the passes over
forked processes (generator.page_passes): a fork sees every global structure
as it stands, and what a page pass changes lives on its Page.

What a worker cannot send back is state a plugin keeps outside the Page while
handling a page event, and what a worker cannot see is a change `on_env`
makes after it was forked; a build whose plugins handle these events is
therefore refused (see `_refuse_plugins_in_passes`) rather than built wrong.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import sys
import time
from collections.abc import Sequence
from typing import Any

import mkdocs.config
from mkdocs import utils
from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from click import ClickException
from mkdocs.exceptions import Abort, BuildError, ConfigurationError
from mkdocs.structure.files import Files, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page

from generator import forked
from generator.page_passes import PagePasses, timings

log = logging.getLogger("mkdocs.commands.build")

# Events MkDocs fires once per page, inside the two passes that run in workers.
PAGE_EVENTS = ("pre_page", "page_read_source", "page_markdown", "page_content", "page_context", "post_page")


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
    _refuse_plugins_in_passes(config)

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
        doc_files = files.documentation_pages(inclusion=inclusion)
        pages = _pages(doc_files, config)
        # Compiled once here rather than once per worker.
        env.get_template("main.html")
        with PagePasses(
            lambda page: _read_page(page, config, files),
            lambda page: mkdocs_build._build_page(page, config, doc_files, nav, env, excluded=page.file.inclusion.is_excluded()),
            config, files, nav, pages, jobs,
        ) as passes:
            passes.first()

            env = config.plugins.on_env(env, config=config, files=files)
            log.debug("Copying static assets.")
            files.copy_static_files(inclusion=inclusion)
            for template in config.theme.static_templates:
                mkdocs_build._build_theme_template(template, env, files, config, nav)
            for template in config.extra_templates:
                mkdocs_build._build_extra_template(template, files, config, nav)

            log.debug("Building markdown pages.")
            passes.second()

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


def _refuse_plugins_in_passes(config: MkDocsConfig) -> None:
    # A plugin that handles a page event may keep what it sees (a search index,
    # a list of tags) in itself; in a worker that state would be lost and the
    # site silently incomplete. One that handles on_env changes, between the
    # passes, the theme's environment the workers forked before it already hold.
    origins = getattr(config.plugins, "_event_origins", {})
    for event in (*PAGE_EVENTS, "env"):
        for handler in config.plugins.events[event]:
            name = origins.get(handler, getattr(handler, "__qualname__", repr(handler)))
            where = "what it keeps from a page would stay in a worker process" if event != "env" else (
                "the worker processes, forked before it runs, would not see what it changes")
            raise ConfigurationError(f"plugin '{name}' handles on_{event}: {where} (build with one job)")


def _read_page(page: Page, config: MkDocsConfig, files: Files) -> None:
    log.debug(f"Reading: {page.file.src_uri}")
    mkdocs_build._populate_page(page, config, files)


def _pages(doc_files: Sequence, config: MkDocsConfig) -> list[Page]:
    for file in doc_files:
        if file.page is None and file.inclusion.is_not_in_nav():
            Page(None, file, config)
        assert file.page is not None
    return [file.page for file in doc_files]


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
