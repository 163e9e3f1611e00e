"""What search finds, made from the data the build already holds.

One record per page a reader can land on (a plan, a measure, an agency, a
campaign), with the words the reader will type: titles, document numbers,
names and short names, the provision's text as printed (and its Simplified
form beside a Traditional original). Nothing the site adds around the data is
indexed: no alignment notes ("得分 0.11，自动计算"), no sentences a campaign
page quotes from measures that already have their own record, no navigation
and no developer documentation, so a result is the page that says it.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator import urls
from generator.model import Node, Plan
from generator.corpus import Corpus

# Shown in front of every result's context: what sort of page it opens.
KIND_NAMES = {"plan": "文件", "measure": "措施", "agency": "责任单位", "campaign": "专项行动"}
# A page's kind decides its place among hits that are otherwise equal: the
# document, agency or campaign itself before the measures that mention it.
KIND_BOOST = {"plan": 30, "agency": 20, "campaign": 20, "measure": 10}
LEVEL_BOOST = {"national": 2, "provincial": 1, "municipal": 0}
NATIONAL = "全国"


@dataclass(frozen=True)
class SearchDocument:
    """One page as search sees it: a plain record, independent of any site engine."""

    url: str
    """Path of the page relative to the edition's root ("plans/guobanfa-2016-18/06/")."""
    title: str
    """The result's heading, as the page's own heading reads."""
    context: str
    """Which document and region the page belongs to, shown under the title."""
    text: str
    """The searchable text, one block (paragraph, responsibility line, name) per line."""
    kind: str
    """plan, measure, agency or campaign."""
    names: tuple[str, ...] = ()
    """Other names the page is known by (document number, full name, aliases,
    variants): a query equal to or inside one of them ranks like a title hit."""
    boost: int = 0
    """Among hits equally good by title, the higher boost is shown first."""


def search_documents(corpus: Corpus) -> list[SearchDocument]:
    """Every page an edition built from `corpus` offers to search, in a stable order."""
    documents: list[SearchDocument] = []
    for plan in corpus.plans:
        documents.append(_plan_document(plan))
        documents.extend(_measure_document(plan, measure) for measure in plan.measures)
    for agency in corpus.agencies:
        region = agency.region or NATIONAL
        documents.append(SearchDocument(
            url=urls.agency_path(agency.id),
            title=agency.name,
            context=_join(KIND_NAMES["agency"], agency.full_name, region),
            text=_lines(agency.name, agency.full_name, *agency.aliases),
            kind="agency",
            names=_distinct(agency.full_name, *agency.aliases, exclude=agency.name),
            boost=KIND_BOOST["agency"] + LEVEL_BOOST[agency.level],
        ))
    for campaign in corpus.campaigns:
        documents.append(SearchDocument(
            url=urls.campaign_path(campaign.id),
            title=campaign.name,
            context=_join(KIND_NAMES["campaign"], f"{campaign.first_year}年起"),
            text=_lines(campaign.name, *campaign.variants, campaign.description),
            kind="campaign",
            names=_distinct(*campaign.variants, exclude=campaign.name),
            boost=KIND_BOOST["campaign"],
        ))
    return documents


def plan_context(plan: Plan) -> str:
    """《title》（doc number）· region: the words that place a page in its document."""
    name = f"《{plan.title}》" + (f"（{plan.doc_number}）" if plan.doc_number else "")
    return _join(name, plan.region or NATIONAL)


def _plan_document(plan: Plan) -> SearchDocument:
    return SearchDocument(
        url=urls.plan_path(plan.id),
        title=plan.title,
        context=_join(KIND_NAMES["plan"], plan.doc_number or "", "、".join(plan.issuers), plan.region or NATIONAL,
                      f"{plan.year}年"),
        # Title, number and notice title are names (matched and shown as
        # such); the text is what the excerpt under the result quotes.
        text=_lines(
            "、".join(plan.issuers), plan.preamble_simplified, plan.preamble, plan.closing_simplified, plan.closing,
        ),
        kind="plan",
        names=_distinct(plan.doc_number, plan.full_title, plan.title_as_printed, exclude=plan.title),
        boost=KIND_BOOST["plan"] + LEVEL_BOOST[plan.level],
    )


def _measure_document(plan: Plan, measure: Node) -> SearchDocument:
    assert measure.id is not None  # every measure has a permanent id (validated on load)
    # The Simplified reading first, then the original where it is Traditional:
    # both are on the page, and a query in either script finds it.
    return SearchDocument(
        url=urls.measure_path(measure.id),
        title=measure.title,
        context=_join(KIND_NAMES["measure"], plan_context(plan)),
        text=_lines(
            measure.heading_simplified, measure.heading, measure.text_simplified, measure.text,
            measure.responsibility,
        ),
        kind="measure",
        boost=KIND_BOOST["measure"] + LEVEL_BOOST[plan.level],
    )


def _join(*parts: str) -> str:
    return " · ".join(part for part in parts if part)


def _lines(*blocks: str | None) -> str:
    """The blocks one per line, each once (a Simplified source has no second form)."""
    return "\n".join(_distinct(*blocks))


def _distinct(*values: str | None, exclude: str | None = None) -> tuple[str, ...]:
    return tuple(value for value in dict.fromkeys(values) if value and value != exclude)
