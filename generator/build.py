"""One edition, built in one place: dataset + edition year + settings -> every file it publishes.

`build_edition` is what the MkDocs hook hands to MkDocs, what `render` and
`export` write, what the golden tests read and what the benchmark times, so
what is tested is what ships. It gathers everything first (the edition's
corpus, its alignment, once, with the reviewed overrides), then renders: the
pages and the open data show the same pairings. Nothing here touches the disk
except reading the verbatim sources' paths; writing is generator.write's job.
Given an AlignmentCache (the editor's preview), a local plan is aligned again
only when it or the plan it implements is not the very object aligned before.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, cast

from generator import urls
from generator.align import Alignment, PlanAlignment, align_corpus
from generator.errors import GeneratorError
from generator.export import OPEN_DATA_NAMES, open_data_files
from generator.corpus import Corpus, Dataset, Override
from generator.model import Plan
from generator.permalinks import locked_paths, redirect_maps
from generator.forked import run_tasks
from generator.render import merge_pages, page_tasks
from generator.search import build_search_index, search_documents


@dataclass(frozen=True)
class Settings:
    """How the site is served; nothing in data/ decides these."""

    site_url: str = ""
    """Where the tree of editions is served (https://example.org/quality/); "" for relative links only.

    Gives the sitemap and the "cite this" boxes absolute URLs."""


@dataclass(frozen=True)
class EditionOutput:
    """Everything one edition adds to the hand-written pages of docs/."""

    edition: int
    """The year of the edition."""
    files: Mapping[str, bytes]
    """Every generated file, by its path relative to docs/: the Markdown pages, the open data and the search index."""
    redirects: Mapping[str, str]
    """mkdocs-redirects' `redirect_maps`: the declared moves that apply to this edition (Markdown files)."""
    sources: Mapping[str, Path]
    """The verbatim source of each plan, by its path in the site (sources/…) -> the file in data/sources/."""
    page_paths: frozenset[str]
    """The paths the edition publishes that the URL lock keeps (generator.permalinks.locked_paths)."""

    @property
    def open_data(self) -> dict[str, bytes]:
        """The open data files alone, by file name (what `export` writes)."""
        prefix = urls.open_data_file("")
        return {path[len(prefix):]: content for path, content in self.files.items() if path.startswith(prefix) and path != urls.markdown_file(urls.open_data_path())}


def newest_edition(dataset: Dataset) -> int:
    years = dataset.corpus.years
    if not years:
        raise GeneratorError(f"{dataset.data_dir}/plans: no plan YAML (run `python -m generator ingest` first)")
    return years[-1]


class AlignmentCache:
    """The last alignment of each local plan, with the plan objects it was computed from.

    `align.align_plan` depends on the two plans, the agencies' national
    counterparts and the reviewed overrides, nothing else. Plans are frozen,
    so the same object is the same plan: a local plan whose object and whose
    national plan's object are those of the last build (generator.load's
    ReadCache hands back the same objects for unchanged files) keeps its
    alignment; any change to the counterparts or the overrides aligns all again.
    """

    def __init__(self) -> None:
        self._context: tuple = ()
        self._kept: dict[str, tuple[Plan, Plan, PlanAlignment]] = {}
        self.aligned = 0
        """Local plans aligned since the cache was made (the ones it could not reuse), for tests."""

    def align(self, corpus: Corpus, overrides: Iterable[Override]) -> Alignment:
        """What `align_corpus(corpus, overrides)` returns, computed only for the plans that changed."""
        decisions = tuple(overrides)
        context = (decisions, tuple((agency.id, agency.national_counterpart) for agency in corpus.agencies))
        if context != self._context:
            self._context, self._kept = context, {}
        # The plans align_corpus aligns, in its order: each that implements a plan of the corpus.
        by_id = corpus.plans_by_id
        pairs = [(plan, by_id[plan.implements]) for plan in corpus.plans if plan.implements is not None and plan.implements in by_id]
        stale = {local.id: national.id for local, national in pairs if not self._holds(local, national)}
        if stale:
            wanted = set(stale) | set(stale.values())
            subset = Corpus(plans=tuple(plan for plan in corpus.plans if plan.id in wanted), agencies=corpus.agencies, campaigns=corpus.campaigns)
            fresh = {found.local_plan_id: found for found in align_corpus(subset, decisions).plans}
            self.aligned += len(stale)
            for local, national in pairs:
                if local.id in stale:
                    self._kept[local.id] = (local, national, fresh[local.id])
        self._kept = {local.id: self._kept[local.id] for local, _ in pairs}
        return Alignment(plans=tuple(self._kept[local.id][2] for local, _ in pairs))

    def _holds(self, local: Plan, national: Plan) -> bool:
        kept = self._kept.get(local.id)
        return kept is not None and kept[0] is local and kept[1] is national


def build_edition(
    dataset: Dataset,
    edition: int | None = None,
    settings: Settings = Settings(),
    alignments: AlignmentCache | None = None,
    jobs: int = 1,
) -> EditionOutput:
    """Every file edition `edition` (default: the newest) publishes, made from `dataset`.

    `alignments` (the editor's preview) reuses the last build's alignment of each unchanged pair of plans.
    `jobs` > 1 aligns, renders the pages, the search index and the open data on that many forked
    processes (generator.forked): the same files, sooner, where the build uses every core anyway.
    """
    corpus = dataset.corpus
    year = newest_edition(dataset) if edition is None else edition
    if year not in corpus.years:
        raise GeneratorError(f"no plan was published in {year}; editions: {', '.join(map(str, corpus.years))}")
    edition_corpus = corpus.up_to(year)
    if alignments is None:
        alignment = align_corpus(edition_corpus, dataset.overrides, jobs)
    else:
        alignment = alignments.align(edition_corpus, dataset.overrides)
    tasks = page_tasks(
        corpus, year, alignment=alignment, open_data_files=sorted(OPEN_DATA_NAMES), site_url=settings.site_url or None
    )
    # The longest tasks first, taken while the other processes render pages.
    work: list[Callable[[], Mapping[str, Any]]] = [
        lambda: build_search_index(search_documents(edition_corpus)),
        lambda: open_data_files(edition_corpus, alignment, with_urls=True),
        *tasks,
    ]
    search_index, data_files, *rendered = run_tasks(work, jobs)
    pages = merge_pages(cast(list[dict[str, str]], rendered))
    files: dict[str, bytes] = {path: content.encode("utf-8") for path, content in pages.items()}
    outputs = {urls.open_data_file(name): content for name, content in data_files.items()}
    outputs.update(search_index)
    for path, content in outputs.items():
        if path in files:
            raise GeneratorError(f"two outputs both write {path}")
        files[path] = content
    page_paths = frozenset(locked_paths(edition_corpus))
    sources_dir = Path(dataset.data_dir) / "sources"
    return EditionOutput(
        edition=year,
        files=files,
        redirects=redirect_maps(dataset.redirects, page_paths),
        sources={urls.source_path(name): sources_dir / name for name in sorted({plan.source.file for plan in edition_corpus.plans})},
        page_paths=page_paths,
    )
