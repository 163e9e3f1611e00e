"""MkDocs glue: `mkdocs build` and `mkdocs serve` render the edition's pages themselves.

Thin on purpose: the pages come from generator.render (which knows nothing of
MkDocs); this hook only picks the edition, writes the pages into
docs/_generated/ and hands them to MkDocs at their real URLs, the way
mkdocs-gen-files does. Environment: QP_EDITION=<year> (default: the newest),
QP_DATA=<folder> (default: data/ beside mkdocs.yml), QP_SITE_URL=<url> (where
the tree of editions is served, e.g. https://example.org/quality/; gives the
sitemap and the "cite this" boxes absolute URLs).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from generator import urls
from generator.align import align_corpus
from generator.errors import GeneratorError
from generator.export import write_open_data
from generator.load import load_alignment_overrides, load_corpus
from generator.permalinks import redirect_maps
from generator.render import render_pages, write_tree
from generator.search import build_search_index, search_documents

GENERATED = "_generated"

_state: dict = {}


def data_dir(config: MkDocsConfig) -> Path:
    base = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
    return (base / os.environ.get("QP_DATA", "data")).resolve()


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    try:
        _generate(config)
    except GeneratorError as error:
        # One line, as the CLI does; MkDocs prints a PluginError without a traceback.
        raise PluginError(str(error)) from None
    return config


def _generate(config: MkDocsConfig) -> None:
    data = data_dir(config)
    corpus = load_corpus(data)
    if not corpus.plans:
        raise GeneratorError(f"{data}/plans: no plan YAML (run `python -m generator ingest` first)")
    edition = int(os.environ.get("QP_EDITION") or corpus.years[-1])
    if edition not in corpus.years:
        raise GeneratorError(
            f"QP_EDITION={edition}: no plan was published that year (editions: {', '.join(map(str, corpus.years))})"
        )
    edition_corpus = corpus.up_to(edition)
    generated = Path(config.docs_dir) / GENERATED
    base_url = (os.environ.get("QP_SITE_URL") or config.site_url or "").rstrip("/")
    if base_url:
        # Each edition lives under /<year>/ of the tree mike publishes.
        config.site_url = f"{base_url}/{edition}/"

    # Aligned once: the measure and comparison pages and alignments.json show the same pairings.
    alignment = align_corpus(edition_corpus, load_alignment_overrides(data))
    with tempfile.TemporaryDirectory(prefix="qp-open-data-") as scratch:
        open_data = Path(scratch) / "tree"
        write_open_data(edition_corpus, open_data / "data", with_urls=True, alignment=alignment)
        names = sorted(p.name for p in (open_data / "data").iterdir() if p.is_file())
        pages = render_pages(
            corpus,
            edition,
            open_data_files=names,
            site_url=base_url or None,
            alignment=alignment,
        )
        # Unchanged output is not rewritten, so `mkdocs serve` (which watches
        # docs/) does not rebuild forever.
        write_tree(pages, generated, extra=open_data)
        # What was written, so on_files need not walk the tree it just wrote.
        written = set(pages) | _relative_files(open_data)

    _state.update(
        data=data,
        edition=edition,
        generated=generated,
        generated_files=sorted(written, key=lambda path: path.split("/")),
        sources=sorted({plan.source.file for plan in edition_corpus.plans}),
        pages=urls.page_paths(edition_corpus),
    )
    # The site's own Chinese search (generator/search/), made from the data
    # and handed to MkDocs in memory by on_files.
    _state["search_files"] = build_search_index(search_documents(edition_corpus))
    _set_redirects(config, data, _state["pages"])
    config.extra["edition"] = edition


def _relative_files(root: Path) -> set[str]:
    """Every file under `root`, as a path relative to it with "/"."""
    found = set()
    for folder, _, names in os.walk(root):
        relative = Path(folder).relative_to(root).as_posix()
        found.update(name if relative == "." else f"{relative}/{name}" for name in names)
    return found


def _set_redirects(config: MkDocsConfig, data: Path, pages: set[str]) -> None:
    # Declared moves (data/redirects.yaml) become mkdocs-redirects pages.
    if "redirects" not in config.plugins:
        return
    try:
        maps = redirect_maps(data, pages)
    except GeneratorError as error:
        raise PluginError(str(error)) from None
    config.plugins["redirects"].config["redirect_maps"] = maps


# Before the plugins' on_files (priority 0): mkdocs-redirects lists the pages a
# redirect may point to in its on_files, and the generated pages must be among them.
@event_priority(50)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    generated = str(_state["generated"])
    for file in list(files):
        if file.src_uri.startswith(GENERATED + "/"):
            files.remove(file)
    for src_uri in _state["generated_files"]:
        _add(files, File.generated(config, src_uri, abs_src_path=os.path.join(generated, src_uri)))
    # Each edition carries the verbatim sources of its own plans, so a plan
    # page links a copy that can never drift from what it was built from.
    sources = _state["data"] / "sources"
    for name in _state["sources"]:
        _add(files, File.generated(config, urls.source_path(name), abs_src_path=str(sources / name)))
    for src_uri, content in _state["search_files"].items():
        _add(files, File.generated(config, src_uri, content=content))
    return files


def _add(files: Files, file: File) -> None:
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None:
        raise PluginError(f"docs/{file.src_uri} is a hand-written file where the generator writes a page; rename it")
    files.append(file)


def on_serve(server, config: MkDocsConfig, builder):
    server.watch(str(_state.get("data") or data_dir(config)))
    return server
