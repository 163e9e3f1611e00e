"""The Atom feed of an edition's news: the documents and measures it adds (generator.editions).

An XML file, so it has its own Jinja environment escaping for XML
(escape.escape_xml) rather than the pages' Markdown escaper. Entry ids are
`tag:` URIs made from permanent paths and the edition that added them, so they
stay the same wherever the site is served; links are absolute with a site_url,
otherwise relative to the feed (whats-new/feed.xml), which Atom allows.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator import urls
from generator.editions import edition_changes
from generator.model import MeasureLocator, Plan
from generator.corpus import Corpus
from generator.render.environment import document_date, strict_environment
from generator.render.escape import escape_xml
from generator.render.links import checked, relative_link
from generator.render.whats_new import group_by_plan

TEMPLATE = "whats_new_feed.xml.j2"
TAG_AUTHORITY = "quality-policy-site"
"""The tagging entity of the feed's tag: URIs (RFC 4151); never changes, or readers see every entry anew."""


@dataclass(frozen=True)
class FeedEntry:
    id: str
    title: str
    href: str
    updated: str
    """RFC 3339 date-time (the document's date at midnight UTC)."""
    summary: str


def render_whats_new_feed(corpus: Corpus, edition: int, site_url: str) -> dict[str, str]:
    """Path (relative to docs/) -> the Atom feed of what edition `edition` adds; `corpus` is the whole corpus."""
    changes = edition_changes(corpus, edition)
    feed_path = urls.whats_new_feed_path()

    def href(path: str) -> str:
        checked(path)
        if site_url:
            return f"{site_url.rstrip('/')}/{edition}/{path}"
        # Relative to the feed file, to the served directory (not its index.md).
        return relative_link(feed_path, path) or "./"

    new_plans = {plan.id for plan in changes.plans}
    entries = [_plan_entry(plan, edition, href, _measures_of(changes.measures, plan.id)) for plan in changes.plans]
    for plan, locators in group_by_plan(changes.measures):
        if plan.id not in new_plans:
            entries.append(_measures_entry(plan, edition, href, locators))
    entries.sort(key=lambda entry: (entry.updated, entry.id), reverse=True)
    content = strict_environment(escape_xml).get_template(TEMPLATE).render(
        edition=edition,
        feed_id=f"tag:{TAG_AUTHORITY},{edition}:{feed_path}",
        self_href=href(feed_path),
        page_href=href(urls.whats_new_path()),
        updated=entries[0].updated if entries else f"{edition}-01-01T00:00:00Z",
        entries=entries,
    )
    return {feed_path: content}


def _timestamp(plan: Plan) -> str:
    date = document_date(plan)
    return f"{date}T00:00:00Z" if len(date) == 10 else f"{date}-01-01T00:00:00Z"


def _plan_entry(plan: Plan, edition: int, href, measures: list[MeasureLocator]) -> FeedEntry:
    path = urls.plan_path(plan.id)
    number = f"（{plan.doc_number}）" if plan.doc_number else ""
    where = plan.region or "全国"
    return FeedEntry(
        id=f"tag:{TAG_AUTHORITY},{edition}:{path}",
        title=f"新增文件：《{plan.title}》{number}",
        href=href(path),
        updated=_timestamp(plan),
        summary=f"{'、'.join(plan.issuers)}，{where}，{document_date(plan)}；本版新增措施 {len(measures)} 项："
        + "；".join(locator.measure.title for locator in measures),
    )


def _measures_entry(plan: Plan, edition: int, href, measures: list[MeasureLocator]) -> FeedEntry:
    path = urls.plan_path(plan.id)
    return FeedEntry(
        id=f"tag:{TAG_AUTHORITY},{edition}:{path}#new-measures",
        title=f"《{plan.title}》新增措施 {len(measures)} 项",
        href=href(path),
        updated=_timestamp(plan),
        summary="；".join(locator.measure.title for locator in measures),
    )


def _measures_of(locators: tuple[MeasureLocator, ...], plan_id: str) -> list[MeasureLocator]:
    return [locator for locator in locators if locator.plan.id == plan_id]

