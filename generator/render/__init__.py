"""Markdown pages of one edition, rendered from the corpus with Jinja templates.

One function per page kind is the only place that page is made; every path
comes from generator.urls. Text from data reaches Markdown through one filter,
`escape_markdown`, which the environment applies to every `{{ … }}` that is not
already trusted markup: a measure that contains `<script>`, `[x](y)`,
`{{ }}` or starts with `#` is shown as those characters, never interpreted.
Templates that need raw HTML or a computed link get it as `Markup` from Python
(link(), |tojson, or `|safe` on template literals), never from data.
"""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import jinja2
from markupsafe import Markup
from pypinyin import Style, lazy_pinyin

from generator import urls
from generator.align import Alignment, counterparts
from generator.compare import comparison_pages
from generator.editions import edition_pages
from generator.errors import GeneratorError
from generator.link import Links, link_corpus
from generator.model import Corpus, MeasureLocator, Node, Plan

TEMPLATES = Path(__file__).parent.parent / "templates"

LEVEL_NAMES = {"national": "国家", "provincial": "省级", "municipal": "市级"}
ROLE_NAMES = {"lead": "牵头", "assisting": "协助"}
CAMPAIGN_KINDS = {"enforcement": "执法检查", "promotion": "宣传推广", "training": "培训", "certification": "认证"}
OPEN_DATA_DESCRIPTIONS = {
    "plans.json": "全部文件及其元数据",
    "measures.json": "全部措施：全文、责任单位及其作用、专项行动",
    "measures.csv": "全部措施（表格，可用电子表格软件打开）",
    "agencies.json": "责任单位名录：全称、别称、对应机构、继任机构",
    "campaigns.json": "专项行动名录：写法、类别、说明",
    "alignments.json": "国家与地方措施的对应关系及其得分",
}

# ASCII punctuation becomes a numeric character reference: Markdown and its
# extensions (attr_list, tabbed, admonition, md_in_html) only ever give meaning
# to ASCII punctuation, and a character reference is shown as the character
# itself. Left alone: the few marks no syntax here uses, so the half-width
# commas of some captures stay readable. Chinese punctuation passes unchanged.
_PLAIN = set(",;?@%/")
_ESCAPES = {ord(char): f"&#{ord(char)};" for char in string.punctuation if char not in _PLAIN}
_ESCAPES.update({ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;"})
_ESCAPE_OF = {chr(code): text for code, text in _ESCAPES.items()}
_SPECIAL = re.compile("[" + re.escape("".join(_ESCAPE_OF)) + "]")
_LEADING_BLANKS = re.compile(r"(?m)^[ \t]+")
_SAFE_PATH = re.compile(r"[A-Za-z0-9_./-]*")


def escape_markdown(value: Any) -> Markup:
    """`value` as Markdown that renders to exactly its characters; markup passes unchanged.

    Line breaks become <br> so an escaped value is always one Markdown line and
    fits a table cell or a list item.
    """
    if isinstance(value, Markup):
        return value
    text = str(value)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # A regular expression finds the few ASCII marks in mostly Chinese text far
    # faster than str.translate, which looks up every character in the table.
    text = _SPECIAL.sub(_escape_special, text)
    # Leading blanks would make an indented code block or a tab's content.
    text = _LEADING_BLANKS.sub(_escape_blanks, text)
    return Markup(text.replace("\n", "<br>"))


def _escape_special(match: re.Match) -> str:
    return _ESCAPE_OF[match.group()]


def _escape_blanks(match: re.Match) -> str:
    return "".join(f"&#{ord(c)};" for c in match.group())


def _memoised_escape() -> Callable[[Any], Markup]:
    """escape_markdown remembering every text it escaped: a name or title is printed on many pages."""
    memo: dict[str, Markup] = {}

    def escape(value: Any) -> Markup:
        # Only exact str: 1, 1.0 and True are equal keys but print differently.
        if type(value) is str:
            found = memo.get(value)
            if found is None:
                found = memo[value] = escape_markdown(value)
            return found
        return escape_markdown(value)

    return escape


def template_env() -> jinja2.Environment:
    """The Jinja environment of every page template (also used by compare and editions).

    `{{ value }}` is escaped for Markdown and HTML unless it is Markup; `|join`
    and `|e` escape the same way. Wrap trusted HTML built in Python in Markup.
    """
    escape = _memoised_escape()

    def join(items: Iterable[Any], separator: str = "", attribute: str | None = None) -> Markup:
        if attribute is not None:
            items = (getattr(item, attribute) for item in items)
        return escape(separator).join(escape(item) for item in items)

    def finalize(value: Any) -> Any:
        if value is None:
            raise GeneratorError("a template printed None; use a default in the template")
        return escape(value)

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        # One environment serves one build: templates never change meanwhile,
        # and checking their files before every page costs a stat per page.
        auto_reload=False,
    )
    env.filters.update(
        e=escape,
        escape=escape,
        join=join,
        md=escape,
        plain_id=lambda value: Markup(_checked(str(value))),
        paragraphs=paragraphs,
        level_name=lambda level: LEVEL_NAMES.get(level, level),
        role_name=lambda role: ROLE_NAMES.get(role, role),
        kind_name=lambda kind: CAMPAIGN_KINDS.get(kind, kind),
    )
    env.globals.update(link=_link, urls=urls, **_link_helpers(escape))
    # ensure_ascii keeps front matter plain ASCII YAML; |tojson also escapes <>&'
    # so JSON placed inside <script> cannot close it.
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": True}
    return env


def paragraphs(text: str) -> list[str]:
    """The non-empty lines of a text: each one is a paragraph of the page."""
    return [line for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


@jinja2.pass_context
def _link(context: jinja2.runtime.Context, target: str) -> Markup:
    """Relative link from the page being rendered to the page or file at `target`."""
    return Markup(relative_link(urls.markdown_file(context["page_path"]), urls.markdown_file(_checked(target))))


def _link_helpers(escape: Callable[[Any], Markup]) -> dict[str, Any]:
    """Names and Markdown links of plans, measures, agencies and campaigns, as Markup.

    They stand in every per-item loop of the templates (a measure page lists its
    neighbours and agencies, an agency page hundreds of measures), so they are
    Python rather than Jinja macros: 10,000 measures make a few hundred thousand
    calls, and a macro call costs many times a function call. Text is escaped
    with the environment's `escape`; link targets are checked paths.
    """

    def href(context: jinja2.runtime.Context, target: str) -> str:
        return relative_link(urls.markdown_file(context["page_path"]), urls.markdown_file(_checked(target)))

    def plan_name(plan: Plan) -> Markup:
        """《title》（doc number）."""
        name = f"《{escape(plan.title)}》"
        return Markup(f"{name}（{escape(plan.doc_number)}）" if plan.doc_number else name)

    @jinja2.pass_context
    def plan_link(context: jinja2.runtime.Context, plan: Plan) -> Markup:
        return Markup(f"[{plan_name(plan)}]({href(context, urls.plan_path(plan.id))})")

    @jinja2.pass_context
    def measure_link(context: jinja2.runtime.Context, measure: Node) -> Markup:
        return Markup(f"[{escape(measure_title(measure))}]({href(context, urls.measure_path(measure.id))})")

    @jinja2.pass_context
    def agency_link(context: jinja2.runtime.Context, agency_id: str, name: str) -> Markup:
        return Markup(f"[{escape(name)}]({href(context, urls.agency_path(agency_id))})")

    @jinja2.pass_context
    def campaign_link(context: jinja2.runtime.Context, campaign) -> Markup:
        return Markup(f"[{escape(campaign.name)}]({href(context, urls.campaign_path(campaign.id))})")

    return {
        "plan_name": plan_name,
        "plan_link": plan_link,
        "measure_link": measure_link,
        "agency_link": agency_link,
        "campaign_link": campaign_link,
    }


def relative_link(from_file: str, to_file: str) -> str:
    """posixpath.relpath between two files relative to docs/, without touching the file system."""
    here = from_file.split("/")[:-1]
    there = to_file.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:])


def _checked(path: str) -> str:
    # Paths are made from ids; an id that is not plain ASCII would reach HTML
    # attributes unescaped, so it stops the build instead.
    if not _SAFE_PATH.fullmatch(path):
        raise GeneratorError(f"unsafe characters in page path {path!r} (ids must be ASCII letters, digits and -)")
    return path


def measure_title(measure: Node) -> str:
    """Label and heading in mainland Simplified; the start of the text where there is no heading."""
    heading = measure.heading_simplified or measure.heading
    if not heading:
        text = measure.text_simplified or measure.text
        heading = text[:30] + ("…" if len(text) > 30 else "")
    return measure.label + heading


def pinyin_key(name: str) -> str:
    return "".join(lazy_pinyin(name)).lower()


def pinyin_initial(name: str) -> str:
    # The whole name, not its first character: pypinyin reads polyphones from
    # the phrase (重庆 is chongqing, 重 alone zhong).
    initial = (lazy_pinyin(name, style=Style.FIRST_LETTER) or ["#"])[0][:1].upper()
    return initial if "A" <= initial <= "Z" else "#"


class Site:
    """What every page of one edition shares while it is rendered."""

    def __init__(
        self,
        corpus: Corpus,
        edition: int,
        site_url: str | None,
        alignment: Alignment,
        env: jinja2.Environment,
        compare_pages: Iterable[str],
    ):
        self.corpus = corpus
        self.edition = edition
        self.site_url = (site_url or "").rstrip("/")
        self.links: Links = link_corpus(corpus)
        self.plans = {plan.id: plan for plan in corpus.plans}
        self.agencies = {agency.id: agency for agency in corpus.agencies}
        self.campaigns = {campaign.id: campaign for campaign in corpus.campaigns}
        self.env = env
        self.alignment = alignment
        """National ↔ local pairings of the edition (generator.align)."""
        self.compare_pages = frozenset(compare_pages)
        """Markdown files of the comparison pages of the edition."""
        self._plan_jsonld: dict[str, dict] = {}

    def render(self, template: str, page_path: str, **context: Any) -> str:
        return self.env.get_template(template).render(
            page_path=page_path,
            edition=self.edition,
            corpus=self.corpus,
            links=self.links,
            plans=self.plans,
            agencies=self.agencies,
            campaigns=self.campaigns,
            measure_title=measure_title,
            **context,
        )

    def plan_jsonld(self, plan: Plan) -> dict:
        """plan_jsonld, made once per plan: every measure page of the plan embeds it (read only)."""
        found = self._plan_jsonld.get(plan.id)
        if found is None:
            found = self._plan_jsonld[plan.id] = plan_jsonld(plan, self)
        return found

    def cite_urls(self, path: str) -> tuple[Markup, Markup]:
        """The frozen edition URL and the living latest URL of a page."""
        path = _checked(path)
        return (
            Markup(f"{self.site_url}/{self.edition}/{path}"),
            Markup(f"{self.site_url}/latest/{path}"),
        )


def make_site(corpus: Corpus, edition: int, alignment: Alignment, site_url: str | None = None) -> "Site":
    """What the pages of edition `edition` share; `corpus` is the whole corpus, `alignment` the edition's."""
    if edition not in corpus.years:
        raise GeneratorError(f"no plan was published in {edition}; editions: {', '.join(map(str, corpus.years))}")
    edition_corpus = corpus.up_to(edition)
    env = template_env()
    compare = comparison_pages(edition_corpus, env, alignment)
    return Site(edition_corpus, edition, site_url, alignment, env, compare)


def render_pages(
    corpus: Corpus,
    edition: int,
    *,
    alignment: Alignment,
    open_data_files: Iterable[str],
    site_url: str | None = None,
) -> dict[str, str]:
    """Every generated Markdown page of the edition `edition`: path relative to docs → content.

    Called by generator.build.build_edition, which computes `alignment` once
    for the pages and the open data. `corpus` is the whole corpus; the edition
    shows the plans published up to its year. `open_data_files` are the names
    written under data/ beside the pages (the open data page links them).
    """
    site = make_site(corpus, edition, alignment, site_url)
    extra = _extension_pages(corpus, site)
    pages: dict[str, str] = {}
    pages[urls.markdown_file(urls.home_path())] = render_home_page(site, extra)
    pages[urls.markdown_file(urls.plans_index_path())] = render_plans_index(site)
    for plan in site.corpus.plans:
        pages[urls.markdown_file(urls.plan_path(plan.id))] = render_plan_page(site, plan)
        for measure in plan.measures:
            locator = site.links.measures[measure.id]
            pages[urls.markdown_file(urls.measure_path(measure.id))] = render_measure_page(site, locator)
    pages[urls.markdown_file(urls.agencies_index_path())] = render_agencies_index(site)
    for agency in site.corpus.agencies:
        pages[urls.markdown_file(urls.agency_path(agency.id))] = render_agency_page(site, agency)
    pages[urls.markdown_file(urls.campaigns_index_path())] = render_campaigns_index(site)
    for campaign in site.corpus.campaigns:
        pages[urls.markdown_file(urls.campaign_path(campaign.id))] = render_campaign_page(site, campaign)
    pages[urls.markdown_file(urls.comparisons_index_path())] = render_comparisons_index(site, extra["compare"])
    pages[urls.markdown_file(urls.open_data_path())] = render_open_data_page(site, sorted(open_data_files))
    for group in extra.values():
        for path in group:
            if path in pages:
                raise GeneratorError(f"two page kinds both write {path}")
        pages.update(group)
    return pages


def _extension_pages(corpus: Corpus, site: Site) -> dict[str, dict[str, str]]:
    """Pages other modules make: comparisons (generator.compare), what is new (generator.editions)."""
    return {
        "compare": dict(comparison_pages(site.corpus, site.env, site.alignment)),
        "editions": dict(edition_pages(corpus, site.edition, site.env)),
    }


def render_home_page(site: Site, extra: Mapping[str, Mapping[str, str]]) -> str:
    plans = site.corpus.plans
    figures = {
        "plans": len(plans),
        "measures": sum(len(plan.measures) for plan in plans),
        "agencies": len(site.corpus.agencies),
        "campaigns": len(site.corpus.campaigns),
    }
    edition_links = [_page_path_of(path) for path in sorted(extra["editions"])]
    return site.render(
        "home.md.j2",
        urls.home_path(),
        figures=figures,
        by_year=_plans_by_year(plans),
        by_region=_plans_by_region(plans),
        edition_links=edition_links,
    )


def render_plans_index(site: Site) -> str:
    return site.render(
        "index_plans.md.j2",
        urls.plans_index_path(),
        by_year=_plans_by_year(site.corpus.plans),
        by_region=_plans_by_region(site.corpus.plans),
    )


def render_plan_page(site: Site, plan: Plan) -> str:
    return site.render(
        "plan.md.j2",
        urls.plan_path(plan.id),
        plan=plan,
        traditional=plan.source.script == "traditional",
        lead_names=_lead_names,
        jsonld=plan_jsonld(plan, site),
    )


def render_measure_page(site: Site, locator: MeasureLocator) -> str:
    measure = locator.measure
    path = urls.measure_path(measure.id)
    edition_url, latest_url = site.cite_urls(path)
    return site.render(
        "measure.md.j2",
        path,
        plan=locator.plan,
        measure=measure,
        ancestors=locator.ancestors,
        traditional=locator.plan.source.script == "traditional",
        previous=_locator_or_none(site, site.links.previous[measure.id]),
        next=_locator_or_none(site, site.links.next[measure.id]),
        counterparts=_counterparts(site, locator),
        edition_url=edition_url,
        latest_url=latest_url,
        jsonld=measure_jsonld(locator, site),
    )


def _counterparts(site: Site, locator: MeasureLocator) -> list[dict]:
    """The measures aligned with this one (national ↔ local), best first, with the comparison page."""
    found = []
    for other_id, score, source in counterparts(site.alignment, locator.measure.id):
        other = site.links.measures.get(other_id)
        if other is None:
            continue
        national = locator.plan if other.plan.implements == locator.plan.id else other.plan
        comparison = urls.comparison_path(national.id)
        found.append({
            "locator": other,
            "score": score,
            "reviewed": source == "reviewed",
            "comparison": comparison if urls.markdown_file(comparison) in site.compare_pages else None,
        })
    return found


def render_agencies_index(site: Site) -> str:
    return site.render(
        "index_agencies.md.j2",
        urls.agencies_index_path(),
        groups=_by_initial(site.corpus.agencies),
    )


def render_agency_page(site: Site, agency) -> str:
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
    return site.render(
        "index_campaigns.md.j2",
        urls.campaigns_index_path(),
        groups=_by_initial(site.corpus.campaigns),
    )


def render_campaign_page(site: Site, campaign) -> str:
    return site.render(
        "campaign.md.j2",
        urls.campaign_path(campaign.id),
        campaign=campaign,
        mentions=site.links.campaign_mentions.get(campaign.id, ()),
    )


def render_comparisons_index(site: Site, compare_pages: Mapping[str, str]) -> str:
    compared = [
        plan
        for plan in site.corpus.plans
        if urls.markdown_file(urls.comparison_path(plan.id)) in compare_pages
    ]
    return site.render(
        "index_comparisons.md.j2",
        urls.comparisons_index_path(),
        compared=compared,
        implemented=[plan for plan in site.corpus.plans if plan.id in site.links.implemented_by],
    )


def render_open_data_page(site: Site, files: list[str]) -> str:
    return site.render("open_data.md.j2", urls.open_data_path(), files=files, descriptions=OPEN_DATA_DESCRIPTIONS)


def plan_jsonld(plan: Plan, site: Site) -> dict:
    """schema.org Legislation describing a plan (serialised by |tojson in the page)."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "identifier": plan.doc_number or plan.id,
        "name": plan.title,
        "inLanguage": "zh-Hans",
        "legislationPassedBy": [{"@type": "Organization", "name": issuer} for issuer in plan.issuers],
        "legislationJurisdiction": plan.region or "中华人民共和国",
        "url": str(site.cite_urls(urls.plan_path(plan.id))[1]),
    }
    if plan.full_title:
        data["alternateName"] = plan.full_title
    if plan.date_written:
        data["legislationDate"] = plan.date_written.iso
    if plan.date_published:
        data["datePublished"] = plan.date_published.iso
    if plan.date_effective:
        data["legislationDateVersion"] = plan.date_effective.iso
    return data


def measure_jsonld(locator: MeasureLocator, site: Site) -> dict:
    measure = locator.measure
    return {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "identifier": measure.id,
        "name": measure_title(measure),
        "inLanguage": "zh-Hans",
        "url": str(site.cite_urls(urls.measure_path(measure.id))[1]),
        "legislationPassedBy": [{"@type": "Organization", "name": issuer} for issuer in locator.plan.issuers],
        "isPartOf": site.plan_jsonld(locator.plan),
        **({"legislationDate": locator.plan.date_written.iso} if locator.plan.date_written else {}),
    }


def _page_path_of(markdown_path: str) -> str:
    return markdown_path[: -len("index.md")] if markdown_path.endswith("index.md") else markdown_path


def _locator_or_none(site: Site, measure_id: str | None) -> MeasureLocator | None:
    return site.links.measures[measure_id] if measure_id else None


def _lead_names(measure: Node) -> list[str]:
    return [ref.name for ref in measure.agencies if ref.role == "lead"]


def _plans_by_year(plans: Iterable[Plan]) -> list[tuple[int, list[Plan]]]:
    years: dict[int, list[Plan]] = {}
    for plan in plans:
        years.setdefault(plan.year, []).append(plan)
    return sorted(years.items(), reverse=True)


def _plans_by_region(plans: Iterable[Plan]) -> list[tuple[str, list[Plan]]]:
    order = {"national": 0, "provincial": 1, "municipal": 2}
    groups: dict[tuple, list[Plan]] = {}
    for plan in plans:
        name = LEVEL_NAMES[plan.level] if plan.level == "national" else plan.region or LEVEL_NAMES[plan.level]
        groups.setdefault((order.get(plan.level, 3), pinyin_key(name), name), []).append(plan)
    return [(key[2], items) for key, items in sorted(groups.items())]


def _by_initial(items) -> list[tuple[str, list]]:
    groups: dict[str, list] = {}
    for item in sorted(items, key=lambda item: (pinyin_key(item.name), item.id)):
        groups.setdefault(pinyin_initial(item.name), []).append(item)
    return sorted(groups.items())
