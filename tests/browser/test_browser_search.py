"""Search as a visitor uses it: type a Chinese name, read the results, click one."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from generator import urls
from generator.load import load_corpus

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ROOT = Path(__file__).resolve().parents[2]
EDITION = "latest/"
SEARCH_INPUT = ".md-search__input, input[data-md-component=search-query]"
RESULT = ".md-search-result__item"
MAX_RESULTS = 60
# The list shows the whole query typed (not a prefix rendered while typing,
# which the next run() clears) and its first result is the topmost thing at
# its place on screen. Queried afresh on every poll: a handle taken earlier
# may be a row the next run() removed.
SHOWN_ON_TOP = """query => {
  const root = document.querySelector("[data-qp-search]");
  if (root === null || root.getAttribute("data-qp-rendered") !== query) return false;
  const element = root.querySelector(".md-search-result__item");
  if (element === null) return false;
  const box = element.getBoundingClientRect();
  const x = box.left + Math.min(box.width / 2, 40), y = box.top + Math.min(box.height / 2, 12);
  const hit = document.elementFromPoint(x, y);
  return box.height > 0 && hit !== null && element.contains(hit);
}"""


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(ROOT / "data")


def search(tab, query: str) -> list[str]:
    """Type `query` into the site's search box; the paths (relative to the site root) of the results."""
    page = tab.page
    box = page.locator(SEARCH_INPUT).first
    magnifier = page.locator("label.md-header__button[for=__search]").first
    if magnifier.is_visible():
        # On a phone the search box opens from the magnifier button in the header.
        magnifier.click()
    box.click()
    page.keyboard.type(query)
    # An input method commits Chinese with a keyup; Playwright's type() of
    # characters off the US keyboard sends only input events, so add one.
    page.keyboard.press("End")
    results = page.locator(RESULT)
    expect(results.first).to_be_visible()
    # to_be_visible accepts an element clipped by a closed dialog; a person
    # sees a result only if it is the topmost thing at its place on screen.
    try:
        page.wait_for_function(SHOWN_ON_TOP, arg=query.strip(), timeout=10_000)
    except PlaywrightTimeoutError:
        shown = page.locator("[data-qp-search]").get_attribute("data-qp-rendered")
        raise AssertionError(f"{query}: the list shows {shown!r}, or its results are not on screen"
                             " (is the search dialog open?)") from None
    # Read the whole list as a person would: scroll it until no more results come.
    listing = page.locator(".md-search__scrollwrap").bounding_box()
    page.mouse.move(listing["x"] + listing["width"] / 2, listing["y"] + listing["height"] / 2)
    shown = 0
    while results.count() > shown and results.count() < MAX_RESULTS:
        shown = results.count()
        page.mouse.wheel(0, 4000)
        page.wait_for_timeout(600)
    hrefs = page.locator(f"{RESULT} a").evaluate_all("links => links.map(link => link.href.split(/[?#]/)[0])")
    return [href.removeprefix(tab.site_url) for href in hrefs]


@pytest.mark.parametrize("size", ["desk", "phone"])
def test_campaign_name_finds_campaign_and_measures_and_opens_result(open_tab, corpus, size):
    mentioning = {
        EDITION + urls.measure_path(measure.id)
        for plan in corpus.plans
        for measure in plan.measures
        if any(ref.id == "zhijian-lijian" for ref in measure.campaigns)
    }
    assert len(mentioning) >= 3  # the national plan, 安徽 and 重庆 all name it
    tab = open_tab(size)
    tab.goto(EDITION)
    found = search(tab, "质检利剑")
    campaign = EDITION + urls.campaign_path("zhijian-lijian")
    assert campaign in found
    assert mentioning <= set(found), f"measures naming 质检利剑 missing from the results: {mentioning - set(found)}"
    tab.check_page()

    tab.page.locator(f"{RESULT} a").nth(found.index(campaign)).click()
    tab.wait_for_path(campaign)
    expect(tab.heading()).to_contain_text("质检利剑")
    tab.check_page()


def test_simplified_query_finds_traditional_2023_document(open_tab, corpus):
    (plan,) = [plan for plan in corpus.plans if plan.year == 2023 and plan.source.script == "traditional"]
    tab = open_tab("desk")
    tab.goto(EDITION)
    found = search(tab, "质量强国")
    assert EDITION + urls.plan_path(plan.id) in found


def test_agency_abbreviation_finds_agency_page(open_tab):
    tab = open_tab("desk")
    tab.goto(EDITION)
    found = search(tab, "质检总局")
    assert EDITION + urls.agency_path("zhijianzongju") in found


@pytest.mark.parametrize(("size", "query"), [("desk", "国办发〔2016〕18号"), ("phone", "国办发〔2016〕18号"), ("desk", "18号"),
                                             ("phone", "18号"), ("desk", "国办发2016 18")])
def test_document_number_gives_the_national_plan_first(open_tab, corpus, size, query):
    (plan,) = [plan for plan in corpus.plans if plan.doc_number == "国办发〔2016〕18号"]
    tab = open_tab(size)
    tab.goto(EDITION)
    found = search(tab, query)
    assert found[0] == EDITION + urls.plan_path(plan.id), found[:5]
    tab.check_page()


@pytest.mark.parametrize("size", ["desk", "phone"])
def test_traditional_campaign_name_finds_the_campaign(open_tab, size):
    tab = open_tab(size)
    tab.goto(EDITION)
    found = search(tab, "質檢利劍")
    assert found[0] == EDITION + urls.campaign_path("zhijian-lijian"), found[:5]


def test_results_name_their_document_and_region(open_tab, corpus):
    tab = open_tab("desk")
    tab.goto(EDITION)
    found = search(tab, "质检利剑")
    items = tab.page.locator(RESULT)
    contexts = {path: items.nth(number).locator(".qp-search-result__context").inner_text()
                for number, path in enumerate(found)}
    for plan in corpus.plans:
        for measure in plan.measures:
            path = EDITION + urls.measure_path(measure.id)
            if path in contexts:
                # The measure's document, by title and number, and its region.
                assert f"《{plan.title}》" in contexts[path], contexts[path]
                assert (plan.doc_number or "") in contexts[path]
                assert contexts[path].endswith(plan.region or "全国"), contexts[path]
    assert sum("措施" in text for text in contexts.values()) >= 3
    assert contexts[EDITION + urls.campaign_path("zhijian-lijian")].startswith("专项行动")
    tab.check_page()


def test_search_interface_speaks_chinese(open_tab):
    tab = open_tab("desk")
    tab.goto(EDITION)
    search(tab, "质检利剑")
    page = tab.page
    meta_line = page.locator(".md-search-result__meta").inner_text()
    assert "个符合条件的结果" in meta_line, meta_line
    assert page.locator(".md-search__input").get_attribute("placeholder") == "搜索"
    assert page.locator(".md-search__options button[type=reset]").get_attribute("aria-label") == "清空当前内容"
    page.fill(".md-search__input", "质")
    page.wait_for_function("document.querySelector('.md-search-result__meta').textContent.includes('两个汉字')")
    page.fill(".md-search__input", "没有这样的文字")
    page.wait_for_function("document.querySelector('.md-search-result__meta').textContent.includes('没有找到')")
