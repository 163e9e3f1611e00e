"""Yearly editions: the version selector, the notice on older editions, the root landing on latest."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from generator import urls

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

MEASURE = urls.measure_path("guobanfa-2016-18/06")
HEADING = "加强质量整治淘汰落后产能和化解过剩产能"
OUTDATED = "[data-md-component=outdated]"


def test_versions_json_has_2023_as_latest_and_2016(versions):
    by_version = {entry["version"]: entry for entry in versions}
    assert {"2016", "2023"} <= set(by_version)
    assert "latest" in by_version["2023"]["aliases"]
    assert "latest" not in by_version["2016"]["aliases"]


def test_2016_page_shows_notice_leading_to_same_page_in_latest(open_tab):
    tab = open_tab("desk")
    tab.goto("2016/" + MEASURE)
    expect(tab.heading()).to_contain_text(HEADING)
    notice = tab.page.locator(OUTDATED)
    expect(notice).to_be_visible()
    expect(notice).not_to_be_empty()
    tab.check_page()

    notice.locator("a").first.click()
    tab.wait_for_path("latest/" + MEASURE)
    expect(tab.heading()).to_contain_text(HEADING)
    expect(tab.page.locator(OUTDATED)).to_be_hidden()
    tab.check_page()


def test_version_selector_switches_2016_measure_to_same_measure_in_2023(open_tab):
    tab = open_tab("desk")
    tab.goto("2016/" + MEASURE)
    heading = tab.heading().inner_text()
    assert HEADING in heading
    selector = tab.page.locator(".md-version")
    expect(selector.locator(".md-version__current")).to_contain_text("2016")
    selector.hover()
    choices = selector.locator(".md-version__link")
    expect(choices.first).to_be_visible()
    listed = dict(zip(choices.evaluate_all("links => links.map(link => link.href)"), choices.all_inner_texts()))
    assert sorted(listed) == [tab.site_url + "2016/", tab.site_url + "2023/"], listed
    assert "2023" in listed[tab.site_url + "2023/"] and "2016" in listed[tab.site_url + "2016/"], listed
    # Titled in Chinese by publish (mike deploy title=…): the newest says it is the newest.
    assert listed[tab.site_url + "2023/"].strip() == "2023年版（最新）", listed
    assert listed[tab.site_url + "2016/"].strip() == "2016年版", listed

    choices.filter(has_text="2023").click()
    tab.wait_for_path("2023/" + MEASURE)
    expect(tab.heading()).to_have_text(heading)
    expect(tab.page.locator(OUTDATED)).to_be_hidden()
    tab.check_page()


def test_site_root_lands_on_latest(open_tab):
    tab = open_tab("desk")
    tab.goto("")
    # mike's root page redirects to latest/, which (depending on the alias
    # type) is a copy of 2023 or redirects on to it.
    tab.page.wait_for_url(lambda url: url.startswith((tab.site_url + "latest/", tab.site_url + "2023/")))
    expect(tab.heading()).not_to_be_empty()
    expect(tab.page.locator(".md-version__current")).to_contain_text("2023")
    expect(tab.page.locator(OUTDATED)).to_be_hidden()
    tab.check_page()
