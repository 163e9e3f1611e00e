"""The "what is new" page of an edition, from generator.editions.edition_changes (pure data)."""

from __future__ import annotations

import jinja2
from markupsafe import Markup

from generator import urls
from generator.editions import edition_changes
from generator.model import MeasureLocator, Plan
from generator.corpus import Corpus
from generator.render.links import markdown_href

TEMPLATE = "whats_new.md.j2"


def render_whats_new_page(corpus: Corpus, edition: int, env: jinja2.Environment) -> dict[str, str]:
    """Markdown file (relative to docs/) -> content of the edition's "what is new" page.

    `corpus` is the whole corpus: the page compares the edition with the one before it.
    """
    page_path = urls.whats_new_path()
    changes = edition_changes(corpus, edition)

    def link(path: str) -> Markup:
        return markdown_href(page_path, path)

    content = env.get_template(TEMPLATE).render(
        changes=changes,
        edition=edition,
        link=link,
        plan_path=urls.plan_path,
        measure_path=urls.measure_path,
        agency_path=urls.agency_path,
        campaign_path=urls.campaign_path,
        measures_by_plan=group_by_plan(changes.measures),
        feed_path=urls.whats_new_feed_path(),
    )
    return {urls.markdown_file(page_path): content}


def group_by_plan(locators: tuple[MeasureLocator, ...]) -> list[tuple[Plan, list[MeasureLocator]]]:
    """The measures of each plan, plans in the order of their first measure (the page and the feed)."""
    groups: dict[str, tuple[Plan, list[MeasureLocator]]] = {}
    for locator in locators:
        groups.setdefault(locator.plan.id, (locator.plan, []))[1].append(locator)
    return list(groups.values())
