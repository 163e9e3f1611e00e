"""The cite box, region pages and the feed link as a reader uses them, on a desk and a phone."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

MEASURE = "plans/guobanfa-2016-18/06/"
REFERENCE = re.compile(
    r"^国务院办公厅\. 国务院办公厅关于印发贯彻实施质量发展纲要2016年行动计划的通知: 国办发〔2016〕18号\[A/OL\]\. "
    r"\(2016-04-19\)\[(\d{4}-\d{2}-\d{2})\]\. (http://127\.0\.0\.1:\d+/\d{4}/plans/guobanfa-2016-18/06/)\.$"
)


@pytest.mark.parametrize("size", ["desk", "phone"])
@pytest.mark.parametrize("edition", ["2016", "latest"])
def test_cite_box_gives_full_urls_a_gbt_7714_reference_and_copies_it(open_tab, size, edition):
    tab = open_tab(size)
    tab.page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=tab.site_url.rstrip("/"))
    tab.goto(f"{edition}/{MEASURE}")
    box = tab.page.locator(".admonition.quote").filter(has_text="引用本条")
    frozen = "2016" if edition == "2016" else "2023"
    expect(box.locator("code[data-qp-url]").first).to_have_text(f"{tab.site_url}{frozen}/{MEASURE}")
    expect(box.locator("code[data-qp-url]").nth(1)).to_have_text(f"{tab.site_url}latest/{MEASURE}")
    expect(box).to_contain_text("发文字号：国办发〔2016〕18号")
    reference = box.locator(".qp-cite-reference").inner_text()
    match = REFERENCE.match(reference)
    assert match, reference
    assert match.group(1) == date.today().isoformat() and match.group(2) == f"{tab.site_url}{frozen}/{MEASURE}"

    button = box.get_by_role("button", name="复制参考文献")
    expect(button).to_be_visible()
    tab.page.evaluate("navigator.clipboard.writeText('')")
    button.click()
    expect(box.locator(".qp-cite-status")).to_have_text("已复制到剪贴板")
    assert tab.page.evaluate("navigator.clipboard.readText()") == reference
    tab.check_page()


@pytest.mark.parametrize("size", ["desk", "phone"])
def test_home_leads_to_a_region_page_and_on_to_its_plan(open_tab, size):
    tab = open_tab(size)
    tab.goto("2016/")
    tab.follow("安徽省", "2016/regions/anhui/")
    expect(tab.heading()).to_have_text(re.compile("安徽省"))
    expect(tab.page.locator("article")).to_contain_text("落实的国家措施")
    tab.check_page()
    tab.follow("贯彻质量发展纲要推进质量安徽建设2016年行动计划", "2016/plans/wanzhengbanmi-2016-76/")
    tab.check_page()


def test_a_comparison_link_opens_the_comparison_at_its_row(open_tab):
    tab = open_tab("desk")
    tab.goto(f"2016/{MEASURE}")
    link = tab.page.locator("article a", has_text="国家与地方对照").first
    href = link.get_attribute("href") or ""
    anchor = href.split("#", 1)[1]
    link.click()
    tab.page.wait_for_url(re.compile(re.escape(anchor) + "$"))
    target = tab.page.locator(f"[id='{anchor}']")
    expect(target).to_be_in_viewport()
