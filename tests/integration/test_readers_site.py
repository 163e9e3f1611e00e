"""The built site as readers and their tools meet it (#12): canonical links, the sitemap's
edition prefix, the Atom feed, region pages, the cite script shipped beside the theme."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from theme_sites import CORPUS, build_site

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("readers-site")]

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory) -> Path:
    """Built as `mkdocs build` does by default: no site_url."""
    return build_site(tmp_path_factory.mktemp("readers-plain"), CORPUS)


@pytest.fixture(scope="module")
def hosted_site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("readers-hosted"), CORPUS, site_url="https://example.org/quality/")


def locations(site: Path) -> list[str]:
    tree = ElementTree.parse(site / "sitemap.xml")
    return [loc.text or "" for loc in tree.iter(f"{SITEMAP}loc")]


def test_without_a_site_url_the_sitemap_has_the_edition_prefix_and_no_localhost(plain_site):
    found = locations(plain_site)
    assert found and all(loc.startswith("https://site-url-not-set.invalid/2023/") for loc in found)
    assert "https://site-url-not-set.invalid/2023/plans/guobanfa-2016-18/" in found
    assert "localhost" not in (plain_site / "sitemap.xml").read_text(encoding="utf-8")


def test_without_a_site_url_pages_have_no_canonical_link(plain_site):
    # A canonical link must be absolute; the page's own address is only known in the browser.
    assert 'rel="canonical"' not in (plain_site / "plans" / "guobanfa-2016-18" / "index.html").read_text(encoding="utf-8")


def test_with_a_site_url_every_page_has_its_canonical_edition_url(hosted_site):
    page = (hosted_site / "plans" / "guobanfa-2016-18" / "02" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/quality/2023/plans/guobanfa-2016-18/02/">' in page
    assert "https://example.org/quality/2023/plans/guobanfa-2016-18/02/" in locations(hosted_site)
    assert all(loc.startswith("https://example.org/quality/2023/") for loc in locations(hosted_site))
    # The cite box is filled in at build time: the script has nothing to add.
    assert '<code data-qp-url="2023/plans/guobanfa-2016-18/02/">https://example.org/quality/2023/plans/guobanfa-2016-18/02/</code>' in page


def test_the_feed_is_published_and_parses_as_atom(plain_site, hosted_site):
    for site in (plain_site, hosted_site):
        feed = ElementTree.parse(site / "whats-new" / "feed.xml").getroot()
        assert feed.tag == f"{ATOM}feed" and feed.findall(f"{ATOM}entry")
    hrefs = [link.get("href") or "" for link in ElementTree.parse(hosted_site / "whats-new" / "feed.xml").iter(f"{ATOM}link")]
    assert all(href.startswith("https://example.org/quality/2023/") for href in hrefs)
    for href in (link.get("href") or "" for link in ElementTree.parse(plain_site / "whats-new" / "feed.xml").iter(f"{ATOM}link")):
        target = (plain_site / "whats-new" / href).resolve()
        assert target.is_file() or (target / "index.html").is_file(), href
    whats_new = (plain_site / "whats-new" / "index.html").read_text(encoding="utf-8")
    assert 'href="feed.xml"' in whats_new
    # No page names it in its head: Material's bundle would fetch whats-new/sitemap.xml beside it.
    assert 'rel="alternate"' not in whats_new.split("</head>")[0]


def test_region_pages_are_built_and_linked_from_home_and_plans(plain_site):
    region = (plain_site / "regions" / "anhui" / "index.html").read_text(encoding="utf-8")
    assert "<h1" in region and "安徽省" in region and "落实的国家措施" in region
    assert 'href="../../agencies/anhui-zhijianju/"' in region
    home = (plain_site / "index.html").read_text(encoding="utf-8")
    assert 'href="regions/anhui/"' in home
    plan = (plain_site / "plans" / "wanzhengbanmi-2016-76" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../regions/anhui/"' in plan


def test_comparison_links_land_on_ids_the_comparison_page_has(plain_site):
    comparison = (plain_site / "compare" / "guobanfa-2016-18" / "index.html").read_text(encoding="utf-8")
    ids = set(re.findall(r'id="([^"]+)"', comparison))
    linked = set()
    for page in plain_site.rglob("index.html"):
        linked.update(re.findall(r'href="[./]*compare/guobanfa-2016-18/#([^"]+)"', page.read_text(encoding="utf-8")))
    assert linked and linked <= ids, sorted(linked - ids)
    assert "对照方法" in comparison and "得分" in comparison


def test_the_cite_script_ships_with_every_page(plain_site):
    assert (plain_site / "assets" / "javascripts" / "qp-cite.js").is_file()
    page = (plain_site / "plans" / "guobanfa-2016-18" / "02" / "index.html").read_text(encoding="utf-8")
    assert 'src="../../../assets/javascripts/qp-cite.js"' in page
