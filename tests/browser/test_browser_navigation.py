"""A visitor follows links from the home page to a plan, a measure, an agency and a campaign, on a desk and on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

EDITION = "latest/"
PLAN = "plans/guobanfa-2016-18/"
MEASURE = "plans/guobanfa-2016-18/06/"
AGENCY = "agencies/zhijianzongju/"
CAMPAIGN = "campaigns/zhijian-lijian/"


@pytest.mark.parametrize("size", ["desk", "phone"])
def test_home_plan_measure_agency_campaign_by_links(open_tab, size):
    tab = open_tab(size)
    tab.goto(EDITION)
    expect(tab.heading()).not_to_be_empty()
    expect(tab.page.locator("article")).to_contain_text("贯彻实施质量发展纲要2016年行动计划")
    tab.check_page()
    tab.screenshot("home")

    tab.follow("贯彻实施质量发展纲要2016年行动计划", EDITION + PLAN)
    expect(tab.heading()).to_contain_text("贯彻实施质量发展纲要2016年行动计划")
    expect(tab.page.locator("article")).to_contain_text("国办发〔2016〕18号")
    tab.check_page()

    tab.follow("加强质量整治淘汰落后产能和化解过剩产能", EDITION + MEASURE)
    expect(tab.heading()).to_contain_text("加强质量整治淘汰落后产能和化解过剩产能")
    expect(tab.page.locator("article")).to_contain_text("在煤炭、钢铁、电解铝、石油化工等高能耗、高污染行业")
    tab.check_page()
    tab.screenshot("measure")

    tab.follow("质检总局", EDITION + AGENCY)
    expect(tab.heading()).to_contain_text("质检总局")
    expect(tab.page.locator("article")).to_contain_text("国家质量监督检验检疫总局")
    tab.check_page()
    tab.screenshot("agency")

    # An agency page lists its measures, not campaigns: a visitor reaches a
    # campaign through one of the agency's measures.
    tab.follow("加强质量整治淘汰落后产能和化解过剩产能", EDITION + MEASURE)
    expect(tab.heading()).to_contain_text("加强质量整治淘汰落后产能和化解过剩产能")
    tab.follow("质检利剑", EDITION + CAMPAIGN)
    expect(tab.heading()).to_contain_text("质检利剑")
    expect(tab.page.locator("article")).to_contain_text("贯彻实施质量发展纲要2016年行动计划")
    tab.check_page()
    tab.screenshot("campaign")
