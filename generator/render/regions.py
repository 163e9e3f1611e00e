"""One page per region (安徽省, 重庆市 …): its plans, its agencies, the national measures its plans take up.

The region's id is made from its name by generator.urls.region_ids; the pairings
come from the edition's alignment (generator.align), the same the comparison
pages and the open data show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from generator import urls
from generator import compare  # a module import: compare itself imports render.escape
from generator.model import Agency, MeasureLocator, Plan
from generator.render.pages import pinyin_key, plans_by_date
from generator.render.site import Site


@dataclass(frozen=True)
class Region:
    """A region the edition has plans of."""

    id: str
    """Permanent ASCII id (urls.region_ids): anhui."""
    name: str
    """As the data spells it: 安徽省."""
    plans: tuple[Plan, ...]
    """Its plans, newest first."""
    agencies: tuple[Agency, ...]
    """Its agencies (Agency.region), by pinyin."""


@dataclass(frozen=True)
class TakenUp:
    """A national measure that plans of the region carry out."""

    national: MeasureLocator
    local: tuple[MeasureLocator, ...]
    """The region's measures paired with it, in document order."""
    comparison: str
    """The comparison page's path; "" when the edition has none."""
    anchor: str
    """The id of the region's first cell in that page's row of the national measure."""


def regions(site: Site) -> list[Region]:
    """Every region with a plan in the edition, by pinyin id."""
    ids = site.corpus.region_ids
    return [
        Region(
            id=ids[name],
            name=name,
            plans=tuple(plans_by_date(plan for plan in site.corpus.plans if plan.region == name)),
            agencies=tuple(sorted((a for a in site.corpus.agencies if a.region == name), key=lambda a: (pinyin_key(a.name), a.id))),
        )
        for name in _by_id(ids)
    ]


def _by_id(ids: Mapping[str, str]) -> list[str]:
    """The regions' names in the order of their ids: the order of their pages."""
    return sorted(ids, key=ids.__getitem__)


def taken_up(site: Site, region: Region) -> list[tuple[Plan, list[TakenUp]]]:
    """For each national plan the region's plans implement: its measures they take up, in document order."""
    local_plans = {plan.id for plan in region.plans}
    found: dict[str, dict[str, list[str]]] = {}
    for plan_alignment in site.alignment.plans:
        if plan_alignment.local_plan_id not in local_plans:
            continue
        by_national = found.setdefault(plan_alignment.national_plan_id, {})
        for pairing in plan_alignment.pairings:
            by_national.setdefault(pairing.national_measure_id, []).append(pairing.local_measure_id)
    groups = []
    for national_id, by_measure in found.items():
        national = site.plans.get(national_id)
        if national is None:
            continue
        comparison = urls.comparison_path(national_id)
        has_page = urls.markdown_file(comparison) in site.compare_pages
        items = []
        for locator in national.locators:
            local_ids = by_measure.get(locator.measure.id or "")
            if not local_ids:
                continue
            local = sorted(
                (site.links.measures[i] for i in set(local_ids) if i in site.links.measures),
                key=lambda other: (other.plan.id, [n.ordinal for n in other.ancestors], other.measure.ordinal),
            )
            anchor = compare.pairing_anchor(locator.measure.id or "", local[0].plan.id) if local else ""
            items.append(TakenUp(national=locator, local=tuple(local), comparison=comparison if has_page else "", anchor=anchor))
        groups.append((national, items))
    return groups


def region_files(site: Site) -> tuple[str, ...]:
    """The Markdown files render_region_pages makes, in its order."""
    ids = site.corpus.region_ids
    return tuple(urls.markdown_file(urls.region_path(ids[name])) for name in _by_id(ids))


def render_region_pages(site: Site) -> dict[str, str]:
    """Markdown file (relative to docs/) -> content, one page per region."""
    pages = {}
    for region in regions(site):
        path = urls.region_path(region.id)
        pages[urls.markdown_file(path)] = site.render(
            "region.md.j2",
            path,
            region=region,
            taken_up=taken_up(site, region),
            # Every role the documents print (牵头, 负责, 协助, 指导), summed: what the region asks of the agency.
            counts={agency.id: sum(site.links.role_counts(agency.id).values()) for agency in region.agencies},
        )
    return pages
