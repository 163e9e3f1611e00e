"""The national-versus-local comparison: columns side by side on a desk, stacked on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from generator import urls

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

COMPARISON = "latest/" + urls.comparison_path("guobanfa-2016-18")
ROW = ".qp-row"
NATIONAL = ".qp-national"
LOCAL = ".qp-local"


def column_boxes(tab) -> tuple[dict, list[dict]]:
    """Bounding boxes of the national cell and the local cells of the first comparison row."""
    row = tab.page.locator(ROW).filter(has=tab.page.locator(LOCAL)).first
    expect(row).to_be_visible()
    national = row.locator(NATIONAL)
    expect(national).to_have_count(1)
    locals_ = row.locator(LOCAL)
    assert locals_.count() >= 2, "安徽 and 重庆 both implement guobanfa-2016-18"
    return national.bounding_box(), [locals_.nth(i).bounding_box() for i in range(locals_.count())]


def test_columns_side_by_side_on_desk(open_tab):
    tab = open_tab("desk")
    tab.goto(COMPARISON)
    expect(tab.heading()).to_contain_text("贯彻实施质量发展纲要2016年行动计划")
    national, locals_ = column_boxes(tab)
    columns = [national, *locals_]
    for left, right in zip(columns, columns[1:]):
        assert abs(right["y"] - left["y"]) <= 1, f"not on one row: {columns}"
        assert right["x"] >= left["x"] + left["width"] - 1, f"columns overlap or run backwards: {columns}"
    assert columns[-1]["x"] + columns[-1]["width"] <= 1280
    tab.check_page()
    tab.screenshot("comparison")


def test_columns_stack_on_phone(open_tab):
    tab = open_tab("phone")
    tab.goto(COMPARISON)
    expect(tab.heading()).to_contain_text("贯彻实施质量发展纲要2016年行动计划")
    national, locals_ = column_boxes(tab)
    columns = [national, *locals_]
    for above, below in zip(columns, columns[1:]):
        assert below["y"] >= above["y"] + above["height"] - 1, f"not stacked: {columns}"
        assert abs(below["x"] - above["x"]) <= 1, f"stacked cells do not line up: {columns}"
    for box in columns:
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, f"a cell leaves the screen: {box}"
    tab.check_page()
    tab.screenshot("comparison")
