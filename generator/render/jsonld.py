"""schema.org descriptions of plans and measures, embedded in their pages' front matter.

Plain dicts; the page templates serialise them with |tojson, which escapes
<>&' so nothing in them can close the <script> they end up in.
"""

from __future__ import annotations

from typing import Any, Callable

from generator import urls
from generator.model import MeasureLocator, Plan

LatestUrl = Callable[[str], str]
"""The living URL (/latest/<path>) of an edition-relative page path."""


def plan_jsonld(plan: Plan, latest_url: LatestUrl) -> dict[str, Any]:
    """schema.org Legislation describing a plan."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "identifier": plan.doc_number or plan.id,
        "name": plan.title,
        "inLanguage": "zh-Hans",
        "legislationPassedBy": [{"@type": "Organization", "name": issuer} for issuer in plan.issuers],
        "legislationJurisdiction": plan.region or "中华人民共和国",
        "url": latest_url(urls.plan_path(plan.id)),
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


def measure_jsonld(locator: MeasureLocator, plan_data: dict[str, Any], latest_url: LatestUrl) -> dict[str, Any]:
    """schema.org Legislation describing a measure, part of its plan's (`plan_data`, made once per plan)."""
    measure = locator.measure
    return {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "identifier": measure.id,
        "name": measure.title,
        "inLanguage": "zh-Hans",
        "url": latest_url(urls.measure_path(measure.id or "")),
        "legislationPassedBy": [{"@type": "Organization", "name": issuer} for issuer in locator.plan.issuers],
        "isPartOf": plan_data,
        **({"legislationDate": locator.plan.date_written.iso} if locator.plan.date_written else {}),
    }
