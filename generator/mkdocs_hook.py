"""MkDocs glue: `mkdocs build` and `mkdocs serve` add the edition's generated files themselves.

Thin on purpose: generator.build makes the edition (it knows nothing of
MkDocs); this hook only picks the edition and hands its files to MkDocs in
memory at their real URLs, the way mkdocs-gen-files does. Nothing is written
into docs/. Under `mkdocs build` the edition is made on a forked process
(generator.streamed) while MkDocs converts the pages already made; under
`mkdocs serve` and a parallel build it is made before MkDocs reads a page.
Environment: QP_EDITION=<year> (default: the newest), QP_DATA=<folder> (default: data/ beside mkdocs.yml), QP_SITE_URL=<url> (where
the tree of editions is served, e.g. https://example.org/quality/; gives the
sitemap and the "cite this" boxes absolute URLs).
"""

from __future__ import annotations

import logging
import os
from functools import partial
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from generator.build import EditionOutput, EditionPlan, Settings, build_edition, plan_edition, reading_order
from generator.corpus import Dataset
from generator.errors import GeneratorError
from generator import forked, preview
from generator.load import load_dataset
from generator.streamed import EditionStream
from generator.validate import parse_edition
from generator.yamlio import gc_paused

_current: dict[str, EditionOutput | EditionStream] = {}
_started: dict[str, str] = {}
log = logging.getLogger("mkdocs.hooks.generator")


def data_dir(config: MkDocsConfig) -> Path:
    base = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
    return (base / os.environ.get("QP_DATA", "data")).resolve()


def on_startup(command: str, dirty: bool) -> None:
    # Serve calls this once, with the first configuration only; preview keeps
    # its state in the package, which outlives the hook module.
    _started["command"] = command
    if command == "serve" and dirty:
        preview.track()


def _jobs() -> int:
    """The processes the edition's own work runs on.

    `mkdocs build` runs MkDocs' work on one core, so the edition's (aligning,
    rendering, the search index, the open data) takes the spare ones; a
    parallel build has said how many it uses. `mkdocs serve` stays in one
    process: its web server runs on threads, which a fork does not carry.
    """
    if forked.processes_in_use() > 1:
        return forked.processes_in_use()
    return forked.spare_processes() if _started.get("command") in ("build", "gh-deploy") else 1


def _streams() -> bool:
    """Whether the edition is made beside MkDocs' page pass (generator.streamed) rather than before it.

    In a plain `mkdocs build` (on one core too: the build then waits less for
    the data than it would for the whole edition). Not under a parallel build,
    whose page passes are forked processes that must find every page made, nor
    under `mkdocs serve`, which keeps the corpus between rebuilds (generator.preview).
    """
    return forked.processes_in_use() == 1 and _started.get("command") in ("build", "gh-deploy") and forked.fork_is_safe()


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _close()
    base_url = (os.environ.get("QP_SITE_URL") or config.site_url or "").rstrip("/")
    try:
        if _streams():
            stream = EditionStream(partial(_plan, data_dir(config), Settings(site_url=base_url), _jobs()))
            _current["edition"] = stream
            header = stream.header()
            edition, redirects = header.plan.edition, header.plan.redirects
            log.debug(f"Edition {edition}: {len(header.files)} files made on a forked process as MkDocs reads them (generator.streamed)")
        else:
            output = _build(config, Settings(site_url=base_url))
            _current["edition"] = output
            edition, redirects = output.edition, output.redirects
    except GeneratorError as error:
        # One line, as the CLI does; MkDocs prints a PluginError without a traceback.
        _close()
        raise PluginError(str(error)) from None
    config.extra["edition"] = edition
    if base_url:
        # Each edition lives under /<year>/ of the tree mike publishes.
        config.site_url = f"{base_url}/{edition}/"
    if "redirects" in config.plugins:
        config.plugins["redirects"].config["redirect_maps"] = dict(redirects)
        _use_redirect_template(config)
    return config


def _use_redirect_template(config: MkDocsConfig) -> None:
    # mkdocs-redirects (1.2.2) fills a module-level English page with str.format(url=…);
    # the theme's Chinese one (overrides/redirects/page.html) takes its place.
    import mkdocs_redirects.plugin

    custom_dir = config.theme.custom_dir
    template = Path(custom_dir) / "redirects" / "page.html" if custom_dir else None
    if template is not None and template.is_file():
        mkdocs_redirects.plugin.HTML_TEMPLATE = template.read_text(encoding="utf-8")


def _plan(data: Path, settings: Settings, jobs: int) -> EditionPlan:
    """The edition plan of the data (in the process generator.streamed forks)."""
    dataset = _dataset(data, None, jobs)
    return plan_edition(dataset, _edition(dataset), settings, jobs=jobs)


def _dataset(data: Path, reuse: preview.Reuse | None, jobs: int) -> Dataset:
    dataset = load_dataset(data, reuse.files if reuse else None, jobs=jobs)
    if not dataset.corpus.plans:
        raise GeneratorError(f"{data}/plans: no plan YAML (run `python -m generator ingest` first)")
    return dataset


def _edition(dataset: Dataset) -> int:
    return parse_edition(os.environ.get("QP_EDITION"), dataset.corpus.years)


def _build(config: MkDocsConfig, settings: Settings) -> EditionOutput:
    reuse = preview.reuse()
    before = (reuse.files.parsed, reuse.alignments.aligned) if reuse else (0, 0)
    # The edition keeps almost all it makes (the pages' bytes) or frees it by
    # reference count; the collector's passes over rendering's young objects
    # were a tenth of a preview rebuild and 7% of a full one at 10,000
    # measures, for 1% more memory (yamlio.gc_paused says why it may wait).
    with gc_paused():
        jobs = _jobs()
        dataset = _dataset(data_dir(config), reuse, jobs)
        output = build_edition(dataset, _edition(dataset), settings, reuse.alignments if reuse else None, jobs=jobs)
    if reuse is not None:
        log.info(f"Preview: {reuse.files.parsed - before[0]} data files parsed, {reuse.alignments.aligned - before[1]} plans aligned; the rest reused")
    return output


class _StreamedFile(File):
    """A generated file whose bytes come from the edition's stream when MkDocs first reads them."""

    stream: EditionStream

    @property
    def _content(self) -> bytes:
        # Every reader of a generated File (content_bytes, content_string, copy_file) reads _content.
        try:
            return self.stream.content(self.src_uri)
        except GeneratorError as error:
            raise PluginError(str(error)) from None

    @_content.setter
    def _content(self, value: bytes) -> None:
        pass  # File.generated sets a placeholder; the stream holds the bytes.

    @classmethod
    def of(cls, config: MkDocsConfig, uri: str, stream: EditionStream) -> _StreamedFile:
        file = cls.generated(config, uri, content=b"")
        assert isinstance(file, _StreamedFile)
        file.stream = stream
        return file


# Before the plugins' on_files (priority 0): mkdocs-redirects lists the pages a
# redirect may point to in its on_files, and the generated pages must be among them.
@event_priority(50)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    made = _current["edition"]
    if isinstance(made, EditionStream):
        header = made.header()
        for uri in sorted(header.files, key=reading_order):
            _add(files, _StreamedFile.of(config, uri, made))
        sources = header.plan.sources
    else:
        changed = preview.changed_files(config.site_dir, made.files)
        for uri in sorted(made.files, key=reading_order):
            _add(files, preview.GeneratedFile.with_content(config, uri, made.files[uri], uri in changed))
        if len(changed) < len(made.files):
            log.info(f"Preview: {len(changed)} of {len(made.files)} generated files changed")
        sources = made.sources
    # Each edition carries the verbatim sources of its own plans, so a plan
    # page links a copy that can never drift from what it was built from.
    for uri, path in sources.items():
        _add(files, File.generated(config, uri, abs_src_path=str(path)))
    return files


def _add(files: Files, file: File) -> None:
    # src_uris, not get_file_from_path: the latter makes a PurePath of every one of 12,000 paths.
    if file.src_uri in files.src_uris:
        raise PluginError(f"docs/{file.src_uri} is a hand-written file where the generator writes a page; rename it")
    files.append(file)


def on_serve(server, config: MkDocsConfig, builder):
    server.watch(str(data_dir(config)))
    return server


def on_post_build(config: MkDocsConfig) -> None:
    made = _current.get("edition")
    if isinstance(made, EditionStream):
        # The files only making them named (the search index): no page links them,
        # so they join the site here, copied by MkDocs' own File as the others were.
        try:
            rest = made.rest()
        except GeneratorError as error:
            raise PluginError(str(error)) from None
        for uri, content in rest.items():
            File.generated(config, uri, content=content).copy_file()
        _close()
    # The pages are written: the next dirty build compares with this one.
    preview.finished(config.site_dir)


def on_build_error(error: Exception) -> None:
    _close()


def _close() -> None:
    made = _current.pop("edition", None)
    if isinstance(made, EditionStream):
        made.close()
