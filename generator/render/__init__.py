"""Markdown pages of one edition, rendered from the corpus with Jinja templates.

One module per job: `escape` (the one escaper), `links` (the one way to make a
link), `environment` (the Jinja environment), `site` (what the pages of an
edition share), `jsonld`, and one function per page kind in `pages`,
`comparison` and `whats_new`. `render_pages` makes them all; generator.build
calls it with the edition's alignment, computed once.
"""

from __future__ import annotations

from typing import Iterable

from generator import urls
from generator.align import Alignment
from generator.errors import GeneratorError
from generator.corpus import Corpus
from generator.render.comparison import render_comparison_pages, render_comparisons_index
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
from generator.render.regions import render_region_pages
from generator.render.site import Site
from generator.render.whats_new import render_whats_new_page

__all__ = [
    "Site",
    "escape_markdown",
    "pinyin_initial",
    "relative_link",
    "render_pages",
    "template_env",
]


def render_pages(
    corpus: Corpus,
    edition: int,
    *,
    alignment: Alignment,
    open_data_files: Iterable[str],
    site_url: str | None = None,
) -> dict[str, str]:
    """Every generated page of the edition `edition`: path relative to docs → content.

    Markdown pages, and the Atom feed of what is new (whats-new/feed.xml).

    `corpus` is the whole corpus; the edition shows the plans published up to
    its year. `alignment` is the edition's (generator.build computes it once for
    the pages and the open data); `open_data_files` are the names written under
    data/ beside the pages (the open data page links them).
    """
    if edition not in corpus.years:
        raise GeneratorError(f"no plan was published in {edition}; editions: {', '.join(map(str, corpus.years))}")
    edition_corpus = corpus.up_to(edition)
    env = template_env()
    comparisons = render_comparison_pages(edition_corpus, env, alignment)
    whats_new = render_whats_new_page(corpus, edition, env)
    site = Site(edition_corpus, edition, site_url, alignment, env, comparisons)

    pages: dict[str, str] = {}
    pages[urls.markdown_file(urls.home_path())] = render_home_page(site, whats_new)
    pages[urls.markdown_file(urls.plans_index_path())] = render_plans_index(site)
    for plan in site.corpus.plans:
        pages[urls.markdown_file(urls.plan_path(plan.id))] = render_plan_page(site, plan)
        for locator in plan.locators:
            pages[urls.markdown_file(urls.measure_path(locator.measure.id or ""))] = render_measure_page(site, locator)
    pages[urls.markdown_file(urls.agencies_index_path())] = render_agencies_index(site)
    for agency in site.corpus.agencies:
        pages[urls.markdown_file(urls.agency_path(agency.id))] = render_agency_page(site, agency)
    pages[urls.markdown_file(urls.campaigns_index_path())] = render_campaigns_index(site)
    for campaign in site.corpus.campaigns:
        pages[urls.markdown_file(urls.campaign_path(campaign.id))] = render_campaign_page(site, campaign)
    pages[urls.markdown_file(urls.comparisons_index_path())] = render_comparisons_index(site, comparisons)
    pages[urls.markdown_file(urls.open_data_path())] = render_open_data_page(site, sorted(open_data_files))
    feed = render_whats_new_feed(corpus, edition, site.site_url)
    for group in (comparisons, whats_new, render_region_pages(site), feed):
        for path in group:
            if path in pages:
                raise GeneratorError(f"two page kinds both write {path}")
        pages.update(group)
    return pages
