"""Markdown pages of one edition, rendered from the corpus with Jinja templates.

One module per job: `escape` (the one escaper), `links` (the one way to make a
link), `environment` (the Jinja environment), `site` (what the pages of an
edition share), `jsonld`, and one function per page kind in `pages`,
`comparison` and `whats_new`. `page_tasks` lists them all, each with the files
it makes; generator.build runs them with the edition's alignment, computed once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any, Callable, Iterable

from generator import urls
from generator.align import Alignment
from generator.compare import compared_plan_ids
from generator.errors import GeneratorError
from generator.corpus import Corpus
from generator.render.comparison import comparison_files, render_comparison_page, render_comparisons_index
from generator.render.environment import template_env
from generator.render.escape import escape_markdown
from generator.render.feed import render_whats_new_feed
from generator.render.links import relative_link
from generator.render.pages import (
    pinyin_initial,
    render_agencies_index,
    render_agency_page,
    render_campaign_page,
    render_campaigns_index,
    render_home_page,
    render_measure_page,
    render_open_data_page,
    render_plan_page,
    render_plans_index,
)
from generator.render.regions import region_files, render_region_pages
from generator.render.site import Site
from generator.render.whats_new import render_whats_new_page

__all__ = [
    "PageTask",
    "Site",
    "escape_markdown",
    "pinyin_initial",
    "relative_link",
    "page_tasks",
    "template_env",
]


@dataclass(frozen=True)
class PageTask:
    """One piece of an edition's rendering, for one page or one group of pages.

    Its paths are known before it runs, so a build can list every page before
    rendering any (generator.streamed hands MkDocs the list, then the pages).
    """

    paths: tuple[str, ...]
    """The files it makes, relative to docs/, in the order it makes them."""
    render: Callable[[], dict[str, str]]

    def __call__(self) -> dict[str, str]:
        """Path relative to docs -> content (generator.build checks they are the declared paths)."""
        return self.render()


def page_tasks(
    corpus: Corpus,
    edition: int,
    *,
    alignment: Alignment,
    open_data_files: Iterable[str],
    site_url: str | None = None,
) -> list[PageTask]:
    """Every generated page of edition `edition` (Markdown, and the Atom feed of what is new), as independent tasks.

    `corpus` is the whole corpus; the edition shows the plans published up to
    its year. `alignment` is the edition's (generator.build computes it once for
    the pages and the open data); `open_data_files` are the names written under
    data/ beside the pages (the open data page links them). generator.forked can
    run the tasks side by side.

    What the pages share (which plans are compared, what is new, the links)
    is made here, once; each task then only reads it.
    """
    if edition not in corpus.years:
        raise GeneratorError(f"no plan was published in {edition}; editions: {', '.join(map(str, corpus.years))}")
    edition_corpus = corpus.up_to(edition)
    env = template_env()
    compared = compared_plan_ids(edition_corpus, alignment)
    whats_new = render_whats_new_page(corpus, edition, env)
    site = Site(edition_corpus, edition, site_url, alignment, env, comparison_files(compared))
    names = sorted(open_data_files)

    def page(path: str, render: Callable[..., str], *arguments: Any) -> PageTask:
        file = urls.markdown_file(path)
        return PageTask((file,), lambda: {file: render(site, *arguments)})

    tasks = [
        page(urls.home_path(), render_home_page, whats_new),
        page(urls.plans_index_path(), render_plans_index),
    ]
    for plan in site.corpus.plans:
        tasks.append(page(urls.plan_path(plan.id), render_plan_page, plan))
        tasks += [page(urls.measure_path(locator.measure.id or ""), render_measure_page, locator) for locator in plan.locators]
    tasks.append(page(urls.agencies_index_path(), render_agencies_index))
    tasks += [page(urls.agency_path(agency.id), render_agency_page, agency) for agency in site.corpus.agencies]
    tasks.append(page(urls.campaigns_index_path(), render_campaigns_index))
    tasks += [page(urls.campaign_path(campaign.id), render_campaign_page, campaign) for campaign in site.corpus.campaigns]
    tasks.append(page(urls.comparisons_index_path(), render_comparisons_index))
    tasks.append(page(urls.open_data_path(), render_open_data_page, names))
    # One task a comparison: each takes as long as a hundred measure pages.
    tasks += [
        PageTask(tuple(comparison_files([national_id])), partial(render_comparison_page, edition_corpus, env, alignment, national_id))
        for national_id in compared
    ]
    tasks.append(PageTask(tuple(whats_new), lambda: whats_new))
    tasks.append(PageTask(region_files(site), lambda: render_region_pages(site)))
    tasks.append(PageTask((urls.whats_new_feed_path(),), lambda: render_whats_new_feed(corpus, edition, site.site_url)))
    return tasks
