"""The one place where a page's path is made, always from permanent ids.

Paths are relative to an edition's root (``/2016/``, ``/latest/``) and end with
"/", the form MkDocs' ``use_directory_urls`` serves. A published path is a
promise to the staff who cite it: change this module only together with a
redirect for every path it stops producing (see ``urls.lock``).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Mapping

from generator.slugs import plain_slug_holders, region_slug


def plan_path(plan_id: str) -> str:
    return f"plans/{plan_id}/"


def measure_path(measure_id: str) -> str:
    # A measure id already holds its plan id ("guobanfa-2016-18/06"), so the
    # measure page nests under its plan page.
    return f"plans/{measure_id}/"


def agency_path(agency_id: str) -> str:
    return f"agencies/{agency_id}/"


def campaign_path(campaign_id: str) -> str:
    return f"campaigns/{campaign_id}/"


def comparison_path(national_plan_id: str) -> str:
    return f"compare/{national_plan_id}/"


REGION_ID_LENGTH = 60
"""Longest region id; every real region's pinyin is far shorter."""


def region_ids(first_years: Mapping[str, int]) -> dict[str, str]:
    """The permanent ASCII id of each region name: 安徽省 → anhui, 重庆市 → chongqing (pinyin, suffix dropped).

    `first_years` gives each region's name and the year of its first plan.
    Names that read alike without tones (山西省 and 陕西省, 福州市 and 抚州市)
    cannot share one page: the one whose plans came first keeps the plain id
    (it may have been published alone under it, and a published path is a
    promise), each later one is spelled with its tones (shan3xi1), and so are
    namesakes whose first plans came in the same year (slugs.plain_slug_holders,
    the rule ingest's ids follow too); names alike even so get a digest of the
    name. Editions only add later plans, so an id never changes from one
    edition to the next. Made from the names as the data spells them;
    the URL lock holds the paths, so `check` reports it if a pypinyin upgrade
    ever read a name otherwise. A name is free text, so a long id is cut and
    made unique by a digest of the whole name: a path part must stay a file
    name (255 bytes).
    """
    plain = {name: _bounded(region_slug(name), name) for name in sorted(first_years)}
    holders = plain_slug_holders({name: (year,) for name, year in first_years.items()}, slug=plain.__getitem__)
    ids = {name: slug if name in holders else _bounded(region_slug(name, tones=True), name) for name, slug in plain.items()}
    shared = Counter(ids.values())
    return {name: _with_digest(slug, name) if shared[slug] > 1 else slug for name, slug in ids.items()}


def _bounded(slug: str, name: str) -> str:
    return slug if len(slug) <= REGION_ID_LENGTH else _with_digest(slug, name)


def _with_digest(slug: str, name: str) -> str:
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return f"{slug[:REGION_ID_LENGTH - 9].rstrip('-')}-{digest}"


def region_path(region_id: str) -> str:
    return f"regions/{region_id}/"


def whats_new_path() -> str:
    # One per edition, at the same path in each: /2023/whats-new/ is 2023's news.
    return "whats-new/"


def whats_new_feed_path() -> str:
    """The edition's Atom feed of what is new, beside its "what is new" page."""
    return "whats-new/feed.xml"


def source_path(source_file: str) -> str:
    return f"sources/{source_file}"


def home_path() -> str:
    return ""


def plans_index_path() -> str:
    return "plans/"


def agencies_index_path() -> str:
    return "agencies/"


def campaigns_index_path() -> str:
    return "campaigns/"


def comparisons_index_path() -> str:
    return "compare/"


def open_data_path() -> str:
    """The page listing the open data files; the files themselves sit beside it."""
    return "data/"


def open_data_file(name: str) -> str:
    return f"data/{name}"


def region_paths(corpus) -> set[str]:
    """The region pages an edition built from `corpus` publishes (one per region with a plan)."""
    return {region_path(region_id) for region_id in corpus.region_ids.values()}


def markdown_file(path: str) -> str:
    """The Markdown file, relative to docs/, that MkDocs serves at `path`."""
    if path == "":
        return "index.md"
    return path.rstrip("/") + "/index.md" if path.endswith("/") else path


def page_paths(corpus) -> set[str]:
    """Every path an edition built from `corpus` publishes for its data pages.

    The URL lock records these per edition; `check` proves each one still
    resolves (or is redirected) in every later edition.
    """
    paths: set[str] = set()
    for plan in corpus.plans:
        paths.add(plan_path(plan.id))
        paths.update(measure_path(measure.id) for measure in plan.measures)
    paths.update(agency_path(agency.id) for agency in corpus.agencies)
    paths.update(campaign_path(campaign.id) for campaign in corpus.campaigns)
    return paths
