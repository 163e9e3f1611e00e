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
from typing import Callable, Iterable, Mapping

from generator import urls
from generator.align import Alignment, PlanAlignment, align_corpus
from generator.errors import GeneratorError
from generator.export import OPEN_DATA_NAMES, open_data_files
from generator.corpus import Corpus, Dataset, Override
from generator.model import Plan
from generator.permalinks import locked_paths, redirect_maps
from generator.forked import run_tasks
from generator.render import PageTask, page_tasks
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


@dataclass(frozen=True)
class Output:
    """One piece of an edition's files: the paths it makes, where known before it runs, and how to make them."""

    paths: tuple[str, ...] | None
    """Relative to docs/, in the order `make` makes them; None where only making them tells (the search index)."""
    make: Callable[[], Mapping[str, bytes]]

    def __call__(self) -> Mapping[str, bytes]:
        """Path -> bytes: exactly the declared paths, in their order, or a GeneratorError."""
        made = self.make()
        if self.paths is not None and tuple(made) != self.paths:
            raise GeneratorError(f"an output made {sorted(made)} where it declared {sorted(self.paths)}")
        return made


@dataclass(frozen=True)
class EditionPlan:
    """An edition before its files are made: what it publishes, where, and the work that makes it."""

    edition: int
    redirects: Mapping[str, str]
    sources: Mapping[str, Path]
    page_paths: frozenset[str]
    pages: tuple[Output, ...]
    """The Markdown pages (and the feed), in the order MkDocs reads them: by path."""
    data: tuple[Output, ...]
    """The search index and the open data, the longest first."""

    def announced(self) -> tuple[str, ...]:
        """Every path known before its file is made: the pages' in reading order, then the open data's."""
        paths = tuple(path for output in self.pages + self.data if output.paths is not None for path in output.paths)
        if len(set(paths)) < len(paths):
            twice = sorted({path for path in paths if paths.count(path) > 1})
            raise GeneratorError(f"two outputs both write {', '.join(twice)}")
        return paths

    def run(self, jobs: int = 1) -> EditionOutput:
        """Every file, made on `jobs` processes (generator.forked): what `build_edition` returns."""
        # The longest first, taken while the other processes render pages.
        made = run_tasks([*self.data, *self.pages], jobs)
        files: dict[str, bytes] = {}
        for output in made[len(self.data):] + made[:len(self.data)]:
            add_files(files, output)
        return EditionOutput(self.edition, files, self.redirects, self.sources, self.page_paths)


def add_files(files: dict[str, bytes], made: Mapping[str, bytes]) -> None:
    """Add what one Output made; a path made twice is a bug, never a silent overwrite."""
    for path, content in made.items():
        if path in files:
            raise GeneratorError(f"two outputs both write {path}")
        files[path] = content


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
    return plan_edition(dataset, edition, settings, alignments, jobs).run(jobs)


def plan_edition(
    dataset: Dataset,
    edition: int | None = None,
    settings: Settings = Settings(),
    alignments: AlignmentCache | None = None,
    jobs: int = 1,
) -> EditionPlan:
    """What `build_edition` makes, before making it: aligned (on `jobs` processes), nothing rendered yet."""
    corpus = dataset.corpus
    year = newest_edition(dataset) if edition is None else edition
    if year not in corpus.years:
        raise GeneratorError(f"no plan was published in {year}; editions: {', '.join(map(str, corpus.years))}")
    edition_corpus = corpus.up_to(year)
    if alignments is None:
        alignment = align_corpus(edition_corpus, dataset.overrides, jobs)
    else:
        alignment = alignments.align(edition_corpus, dataset.overrides)
    names = sorted(OPEN_DATA_NAMES)
    tasks = page_tasks(corpus, year, alignment=alignment, open_data_files=names, site_url=settings.site_url or None)

    def encoded(task: PageTask) -> Output:
        return Output(task.paths, lambda: {path: content.encode("utf-8") for path, content in task().items()})

    def open_data() -> dict[str, bytes]:
        made = open_data_files(edition_corpus, alignment, with_urls=True)
        return {urls.open_data_file(name): content for name, content in sorted(made.items())}

    page_paths = frozenset(locked_paths(edition_corpus))
    sources_dir = Path(dataset.data_dir) / "sources"
    return EditionPlan(
        edition=year,
        redirects=redirect_maps(dataset.redirects, page_paths),
        sources={urls.source_path(name): sources_dir / name for name in sorted({plan.source.file for plan in edition_corpus.plans})},
        page_paths=page_paths,
        pages=tuple(sorted((encoded(task) for task in tasks), key=lambda output: min(map(reading_order, output.paths or ()), default=[]))),
        data=(
            Output(None, lambda: build_search_index(search_documents(edition_corpus))),
            Output(tuple(urls.open_data_file(name) for name in names), open_data),
        ),
    )


def reading_order(path: str) -> list[str]:
    """The sort key of the order the hook lists the files in, which MkDocs reads the pages in: folder by folder."""
    return path.split("/")
