"""The theme on a desk and a phone: Chinese font and UI, tables that fit, the 404 page, print, hostile titles."""

from __future__ import annotations

import json
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import expect
from theme_sites import HOSTILE_PAGES, build_site, english_ui_in, hostile_data

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

EDITION = "latest/"
TESTED_PAGES = [
    "",
    "plans/",
    "agencies/",
    "campaigns/",
    "plans/guobanfa-2016-18/",
    "plans/guobanfa-2016-18/06/",
    "agencies/zhijianzongju/",
    "campaigns/zhijian-lijian/",
    "alignment-method/",
    "addresses/",
]
CJK_FONTS = ["PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei"]
SIZES = ["desk", "phone"]


# The text a reader sees and hears: visible text and the labels of controls.
UI_TEXT = """() => [document.title, document.body.innerText,
  ...[...document.querySelectorAll("[title], [aria-label], [placeholder], [alt]")].flatMap(
    e => ["title", "aria-label", "placeholder", "alt"].map(a => e.getAttribute(a) || ""))].join("\\n")"""


def assert_no_english_ui(tab) -> None:
    found = english_ui_in(tab.page.evaluate(UI_TEXT))
    assert not found, f"{tab.page.url}: English UI strings {found}"


@pytest.mark.parametrize("size", SIZES)
def test_chinese_font_and_ui_and_no_table_wider_than_the_screen(open_tab, size):
    tab = open_tab(size)
    for path in TESTED_PAGES:
        tab.goto(EDITION + path)
        tab.check_page()
        family = tab.page.evaluate("getComputedStyle(document.querySelector('article p')).fontFamily")
        assert any(font in family for font in CJK_FONTS), f"{path}: body text in {family}"
        assert_no_english_ui(tab)
        overflowing = tab.page.evaluate(
            """() => [...document.querySelectorAll("article table")].map(table => {
                 const box = table.closest(".md-typeset__scrollwrap") || table;
                 const style = getComputedStyle(box);
                 return {right: box.getBoundingClientRect().right, wide: table.scrollWidth > box.clientWidth + 1,
                         scrolls: ["auto", "scroll"].includes(style.overflowX),
                         hint: style.backgroundImage.includes("gradient")};
               })"""
        )
        width = tab.page.evaluate("window.innerWidth")
        for table in overflowing:
            assert table["right"] <= width + 0.5, f"{path} at {size}: a table reaches {table['right']}px of {width}"
            if table["wide"]:
                # Wider than the screen: it scrolls inside its box, and a shadow on the cut-off side
                # says so (headless Chromium hides scrollbars, so their styling cannot be measured here).
                assert table["scrolls"] and table["hint"], f"{path} at {size}: a cut-off table with no hint"


def test_home_tables_fit_or_scroll_visibly_on_a_phone(open_tab):
    tab = open_tab("phone")
    tab.goto(EDITION)
    tab.check_page()
    tables = tab.page.locator("article .md-typeset__scrollwrap")
    assert tables.count() >= 1, "the home page has no table (wrapped by Material's script)"
    # The documents' titles (first column) keep a readable line: at least seven characters, not three.
    font = tab.page.evaluate("parseFloat(getComputedStyle(document.querySelector('article td')).fontSize)")
    widths = tab.page.locator("article table tbody tr td:first-child").evaluate_all(
        "cells => cells.map(cell => cell.getBoundingClientRect().width)"
    )
    assert widths and min(widths) >= 7 * font, f"first-column cells narrower than 7 characters of {font}px: {widths}"
    tab.screenshot("home-tables")


@pytest.mark.parametrize("size", SIZES)
def test_a_printed_page_keeps_its_edition_and_address(open_tab, size):
    tab = open_tab(size)
    tab.goto("2016/plans/guobanfa-2016-18/06/")
    tab.check_page()
    notice = tab.page.locator(".qp-print-notice")
    expect(notice).to_be_hidden()
    outdated = tab.page.locator("[data-md-component=outdated] .md-banner")
    expect(outdated).to_be_visible()
    tab.page.emulate_media(media="print")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("2016年版")
    expect(notice).to_contain_text(tab.site_url + "2016/plans/guobanfa-2016-18/06/")
    expect(outdated).to_be_visible()
    expect(outdated).to_contain_text("较早的年度版本")


class _NotFoundHandler(SimpleHTTPRequestHandler):
    """A static server that answers a missing path with the 404.html of the edition it names, as hosts do."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_error(self, code, message=None, explain=None):
        root = Path(self.directory)
        edition = self.path.lstrip("/").split("/", 1)[0]
        page = next((p for p in (root / edition / "404.html", root / "404.html") if edition and p.is_file()), None)
        if code != 404 or page is None:
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def not_found_url(published_site: Path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_NotFoundHandler, directory=str(published_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("edition", ["latest", "2016"])
def test_the_404_page_is_chinese_and_styled_at_any_depth(open_tab, not_found_url, size, edition):
    tab = open_tab(size)
    tab.site_url = not_found_url
    response = tab.page.goto(f"{not_found_url}{edition}/plans/no-such-plan/06/", wait_until="load")
    assert response is not None and response.status == 404
    # The browser reports the missing page itself as a failed load; nothing else may fail.
    tab.console_errors.clear()
    expect(tab.heading()).to_have_text("页面不存在")
    assert tab.page.title() == "页面不存在 - 质量政策参考"
    # Styled: Material's stylesheet applies (a coloured header, icons at their size).
    header = tab.page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
    assert header not in ("rgba(0, 0, 0, 0)", "transparent"), header
    icons = tab.page.evaluate("""[...document.querySelectorAll('.md-header svg')]
        .map(svg => svg.getBoundingClientRect().width).filter(width => width > 0)""")
    assert icons and max(icons) <= 40, f"header icons {icons}px wide: the stylesheet did not load"
    home = tab.page.get_by_role("link", name="回到首页")
    assert home.evaluate("a => a.href") == f"{not_found_url}{edition}/"
    tab.check_page()
    assert_no_english_ui(tab)
    tab.screenshot(f"404-{edition}")
    home.click()
    tab.page.wait_for_url(f"{not_found_url}{edition}/")
    expect(tab.heading()).to_contain_text("质量政策参考")


@pytest.fixture(scope="module")
def hostile_site_url(tmp_path_factory):
    """The hostile data's site (one edition, under /2023/ beside a versions.json), served on 127.0.0.1."""
    base = tmp_path_factory.mktemp("browser-hostile")
    tree = base / "tree"
    build_site(base / "project", hostile_data(base / "data"), site=tree / "2023")
    (tree / "versions.json").write_text(json.dumps([{"version": "2023", "title": "2023", "aliases": []}]))
    handler = partial(_NotFoundHandler, directory=str(tree))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/2023/"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("size", SIZES)
def test_hostile_titles_run_nothing_and_show_as_text(browser, hostile_site_url, size):
    context = browser.new_context(viewport={"width": 1280, "height": 800} if size == "desk" else
                                  {"width": 390, "height": 844}, locale="zh-CN")
    try:
        page = context.new_page()
        dialogs, errors = [], []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: errors.append(str(error)))
        for path, hostile in HOSTILE_PAGES.items():
            page.goto(hostile_site_url + path, wait_until="load")
            # Material's script read its settings (a heading "__config" must not take their id)
            # and drew the version selector.
            page.locator(".md-version").first.wait_for(state="attached", timeout=10_000)
            assert page.evaluate("document.querySelectorAll('[onload], [onerror], [onclick]').length") == 0, path
            assert hostile in page.title(), f"{path}: title {page.title()!r}"
            topic = page.locator("[data-md-component=header-topic]").first.text_content()
            assert hostile in " ".join(topic.split()), f"{path}: header {topic!r}"
        assert not dialogs, f"dialogs opened: {dialogs}"
        assert not errors, f"script errors: {errors}"
    finally:
        context.close()
