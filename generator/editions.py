"""Which yearly editions exist, what each holds, and what each adds.

An edition is a year: edition Y shows every plan published in Y or before
(Corpus.up_to), and there is one for every year in which a plan was published.
The newest one is also served as `latest`. Pure functions over the model; the
"what is new" page is rendered from generator/templates/whats_new.md.j2.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

import jinja2
from markupsafe import Markup

from generator.model import Agency, Campaign, Corpus, MeasureLocator, Node, Plan
from generator.urls import (
    agency_path,
    campaign_path,
    markdown_file,
    measure_path,
    plan_path,
    whats_new_path,
)

LATEST = "latest"
"""The alias under which the newest edition is also served."""

WHATS_NEW_TEMPLATE = "whats_new.md.j2"


def edition_years(corpus: Corpus) -> tuple[int, ...]:
    """Every edition, oldest first."""
    return corpus.years


def newest_edition(corpus: Corpus) -> int | None:
    return corpus.years[-1] if corpus.years else None


def previous_edition(corpus: Corpus, edition: int) -> int | None:
    """The edition before `edition`, None for the first one."""
    earlier = [year for year in corpus.years if year < edition]
    return earlier[-1] if earlier else None


@dataclass(frozen=True)
class EditionChanges:
    """What an edition holds that the one before it did not."""

    edition: int
    previous: int | None
    """The previous edition, None when this is the first."""
    plans: tuple[Plan, ...]
    """Plans new in this edition, in corpus order."""
    measures: tuple[MeasureLocator, ...]
    """Measures new in this edition, in document order."""
    agencies: tuple[Agency, ...]
    """Agencies first named as responsible by a measure of this edition, by id (pinyin)."""
    campaigns: tuple[Campaign, ...]
    """Campaigns first mentioned by a measure of this edition, by id (pinyin)."""


def edition_changes(corpus: Corpus, edition: int) -> EditionChanges:
    """Compare edition `edition` with the one before it (or with nothing)."""
    previous = previous_edition(corpus, edition)
    now = corpus.up_to(edition)
    before = corpus.up_to(previous) if previous is not None else Corpus(plans=(), agencies=(), campaigns=())
    known_plans = {plan.id for plan in before.plans}
    known_measures = {measure.id for plan in before.plans for measure in plan.measures}
    known_agencies = _named_agencies(before)
    known_campaigns = _mentioned_campaigns(before)
    agencies_by_id = {agency.id: agency for agency in corpus.agencies}
    campaigns_by_id = {campaign.id: campaign for campaign in corpus.campaigns}
    return EditionChanges(
        edition=edition,
        previous=previous,
        plans=tuple(plan for plan in now.plans if plan.id not in known_plans),
        measures=tuple(
            locator
            for plan in now.plans
            for locator in _measure_locators(plan)
            if locator.measure.id not in known_measures
        ),
        # A reference to an unregistered id is check's finding, not this page's: skip it.
        agencies=tuple(
            agencies_by_id[agency_id]
            for agency_id in sorted(_named_agencies(now) - known_agencies)
            if agency_id in agencies_by_id
        ),
        campaigns=tuple(
            campaigns_by_id[campaign_id]
            for campaign_id in sorted(_mentioned_campaigns(now) - known_campaigns)
            if campaign_id in campaigns_by_id
        ),
    )


def edition_pages(corpus: Corpus, edition: int, env: jinja2.Environment) -> dict[str, str]:
    """The pages this module adds to an edition: its "what is new" page.

    Returns Markdown file path (relative to docs/) -> content, like render_pages.
    `env` is the site's (generator.render.template_env): it escapes every printed
    value for Markdown, so data text reaches the page as its literal characters.
    """
    page = markdown_file(whats_new_path())
    changes = edition_changes(corpus, edition)
    here = posixpath.dirname(page)

    def link(path: str) -> Markup:
        # Links point at Markdown files, so `mkdocs build --strict` proves each resolves.
        # Paths are made from ASCII ids by generator.urls: trusted, not escaped.
        return Markup(posixpath.relpath(markdown_file(path), here))

    content = env.get_template(WHATS_NEW_TEMPLATE).render(
        changes=changes,
        edition=edition,
        link=link,
        plan_path=plan_path,
        measure_path=measure_path,
        agency_path=agency_path,
        campaign_path=campaign_path,
        measure_name=measure_name,
        measures_by_plan=_group_by_plan(changes.measures),
    )
    return {page: content}


def measure_name(measure: Node) -> str:
    """A short name for a measure in a list: its number and heading, or its opening words."""
    heading = measure.heading_simplified or measure.heading
    if heading:
        return f"{measure.label}{heading}"
    text = measure.text_simplified or measure.text
    opening = text.split("\n", 1)[0]
    if len(opening) > 40:
        opening = opening[:40] + "…"
    return f"{measure.label}{opening}"


def _measure_locators(plan: Plan) -> list[MeasureLocator]:
    found: list[MeasureLocator] = []

    def visit(node: Node, ancestors: tuple[Node, ...]) -> None:
        if node.is_measure:
            found.append(MeasureLocator(plan=plan, measure=node, ancestors=ancestors))
        for child in node.children:
            visit(child, ancestors + (node,))

    for node in plan.nodes:
        visit(node, ())
    return found


def _group_by_plan(locators: tuple[MeasureLocator, ...]) -> list[tuple[Plan, list[MeasureLocator]]]:
    groups: dict[str, tuple[Plan, list[MeasureLocator]]] = {}
    for locator in locators:
        groups.setdefault(locator.plan.id, (locator.plan, []))[1].append(locator)
    return list(groups.values())


def _named_agencies(corpus: Corpus) -> set[str]:
    return {ref.id for plan in corpus.plans for measure in plan.measures for ref in measure.agencies}


def _mentioned_campaigns(corpus: Corpus) -> set[str]:
    return {ref.id for plan in corpus.plans for measure in plan.measures for ref in measure.campaigns}
