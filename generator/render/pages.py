"""One function per page kind of the corpus: home, indexes, plan, measure, agency, campaign, open data.

Each is the only place its page is made; every path comes from generator.urls
and every template from generator/templates/. The comparison pages and the
"what is new" page have their own modules beside this one.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Sequence

from pypinyin import Style, lazy_pinyin

# `compare` as a module: it imports render.escape itself, so its names are read at call time.
from generator import compare, urls
from generator.align import counterparts
from generator.model import Agency, Campaign, MeasureLocator, Node, Plan
from generator.render.citation import citation
from generator.render.environment import LEVEL_NAMES, document_date
from generator.render.jsonld import measure_jsonld
from generator.render.plan_metadata import plan_metadata
from generator.render.site import Site

OPEN_DATA_DESCRIPTIONS = {
    "plans.json": "全部文件及其元数据",
    "measures.json": "全部措施：全文、责任单位及其作用、专项行动",
    "measures.csv": "全部措施（表格，可用电子表格软件打开）",
    "agencies.json": "责任单位名录：全称、别称、对应机构、继任机构",
    "campaigns.json": "专项行动名录：写法、类别、说明",
    "alignments.json": "国家与地方措施的对应关系及其得分",
}


def render_home_page(site: Site, whats_new: Iterable[str]) -> str:
    """The edition's front page; `whats_new` are the Markdown files of its "what is new" page."""
    plans = site.corpus.plans
    figures = {
        "plans": len(plans),
        "measures": sum(len(plan.measures) for plan in plans),
        "agencies": len(site.corpus.agencies),
        "campaigns": len(site.corpus.campaigns),
    }
    return site.render(
        "home.md.j2",
        urls.home_path(),
        figures=figures,
        plans_by_date=plans_by_date(plans),
        by_year=_plans_by_year(plans),
        by_region=_plans_by_region(plans),
        edition_links=[_page_path_of(path) for path in sorted(whats_new)],
    )


def render_plans_index(site: Site) -> str:
    return site.render(
        "index_plans.md.j2",
        urls.plans_index_path(),
        by_year=_plans_by_year(site.corpus.plans),
        by_region=_plans_by_region(site.corpus.plans),
    )


def render_plan_page(site: Site, plan: Plan) -> str:
    path = urls.plan_path(plan.id)
    comparison = urls.comparison_path(plan.id)
    return site.render(
        "plan.md.j2",
        path,
        plan=plan,
        metadata=plan_metadata(plan),
        region_path=urls.region_path(site.corpus.region_ids[plan.region]) if plan.region else None,
        comparison=comparison if urls.markdown_file(comparison) in site.compare_pages else None,
        cite=citation(plan, path, site.cite_urls(path)),
        traditional=plan.source.script == "traditional",
        jsonld=site.plan_jsonld(plan),
    )


def render_measure_page(site: Site, locator: MeasureLocator) -> str:
    measure = locator.measure
    path = urls.measure_path(measure.id or "")
    agency_rows = _agency_rows(site, measure)
    return site.render(
        "measure.md.j2",
        path,
        plan=locator.plan,
        measure=measure,
        ancestors=locator.ancestors,
        traditional=locator.plan.source.script == "traditional",
        previous=_locator_or_none(site, site.links.previous[measure.key]),
        next=_locator_or_none(site, site.links.next[measure.key]),
        counterparts=_counterparts(site, locator),
        agency_rows=agency_rows,
        show_wording=any(row["wording"] for row in agency_rows),
        cite=citation(locator.plan, path, site.cite_urls(path)),
        jsonld=measure_jsonld(locator, site.plan_jsonld(locator.plan), site.latest_url),
    )


def _counterparts(site: Site, locator: MeasureLocator) -> list[dict]:
    """The measures aligned with this one (national ↔ local), best first, with the comparison page."""
    found = []
    for other_id, score, source in counterparts(site.alignment, locator.measure.id or ""):
        other = site.links.measures.get(other_id)
        if other is None:
            continue
        national, local = (locator, other) if other.plan.implements == locator.plan.id else (other, locator)
        comparison = urls.comparison_path(national.plan.id)
        found.append({
            "locator": other,
            "score": score,
            "reviewed": source == "reviewed",
            "comparison": comparison if urls.markdown_file(comparison) in site.compare_pages else None,
            # The row's cell of the local plan: the pair side by side, not the page's top.
            "anchor": compare.pairing_anchor(national.measure.id or "", local.plan.id),
        })
    return found


def _agency_rows(site: Site, measure: Node) -> list[dict]:
    """The measure's agencies: the registry's name, the role as printed, and the wording where it differs."""
    rows = []
    for ref in measure.agencies:
        agency = site.agencies.get(ref.id)
        name = agency.name if agency else ref.name
        rows.append({"id": ref.id, "name": name, "role": ref.role_label, "wording": ref.name if ref.name != name else None})
    return rows


def render_agencies_index(site: Site) -> str:
    return site.render("index_agencies.md.j2", urls.agencies_index_path(), groups=_by_initial(site.corpus.agencies))


def render_agency_page(site: Site, agency: Agency) -> str:
    return site.render(
        "agency.md.j2",
        urls.agency_path(agency.id),
        agency=agency,
        groups=site.links.agency_measures.get(agency.id, ()),
        counts=site.links.agency_counts(agency.id),
        counterparts=[site.agencies[i] for i in site.links.local_counterparts.get(agency.id, ()) if i in site.agencies],
        predecessors=[site.agencies[i] for i in site.links.predecessors.get(agency.id, ()) if i in site.agencies],
    )


def render_campaigns_index(site: Site) -> str:
    return site.render("index_campaigns.md.j2", urls.campaigns_index_path(), groups=_by_initial(site.corpus.campaigns))


def render_campaign_page(site: Site, campaign: Campaign) -> str:
    return site.render(
        "campaign.md.j2",
        urls.campaign_path(campaign.id),
        campaign=campaign,
        mentions=site.links.campaign_mentions.get(campaign.id, ()),
    )


def render_open_data_page(site: Site, files: Sequence[str]) -> str:
    return site.render("open_data.md.j2", urls.open_data_path(), files=list(files), descriptions=OPEN_DATA_DESCRIPTIONS)


# Cached by name: the indexes, the region pages and the plan lists sort the
# same few hundred names again and again, and pypinyin reads each phrase slowly.
@lru_cache(maxsize=16384)
def pinyin_key(name: str) -> str:
    return "".join(lazy_pinyin(name)).lower()


@lru_cache(maxsize=16384)
def pinyin_initial(name: str) -> str:
    # The whole name, not its first character: pypinyin reads polyphones from
    # the phrase (重庆 is chongqing, 重 alone zhong).
    initial = (lazy_pinyin(name, style=Style.FIRST_LETTER) or ["#"])[0][:1].upper()
    return initial if "A" <= initial <= "Z" else "#"


def _page_path_of(markdown_path: str) -> str:
    return markdown_path[: -len("index.md")] if markdown_path.endswith("index.md") else markdown_path


def _locator_or_none(site: Site, measure_id: str | None) -> MeasureLocator | None:
    return site.links.measures[measure_id] if measure_id else None


LEVEL_ORDER = {"national": 0, "provincial": 1, "municipal": 2}


def plans_by_date(plans: Iterable[Plan]) -> list[Plan]:
    """Newest first by the date the document bears (成文日期, else 发布日期), national before local on one day."""

    def key(plan: Plan) -> tuple:
        return (document_date(plan), -LEVEL_ORDER.get(plan.level, 3), plan.id)

    return sorted(plans, key=key, reverse=True)


def _plans_by_year(plans: Iterable[Plan]) -> list[tuple[int, list[Plan]]]:
    years: dict[int, list[Plan]] = {}
    for plan in plans:
        years.setdefault(plan.year, []).append(plan)
    return sorted(years.items(), reverse=True)


def _plans_by_region(plans: Iterable[Plan]) -> list[tuple[str, list[Plan]]]:
    order = LEVEL_ORDER
    groups: dict[tuple, list[Plan]] = {}
    for plan in plans:
        name = LEVEL_NAMES[plan.level] if plan.level == "national" else plan.region or LEVEL_NAMES[plan.level]
        groups.setdefault((order.get(plan.level, 3), pinyin_key(name), name), []).append(plan)
    return [(key[2], items) for key, items in sorted(groups.items())]


def _by_initial(items: Iterable[Agency | Campaign]) -> list[tuple[str, list]]:
    groups: dict[str, list] = {}
    for item in sorted(items, key=lambda item: (pinyin_key(item.name), item.id)):
        groups.setdefault(pinyin_initial(item.name), []).append(item)
    return sorted(groups.items())
