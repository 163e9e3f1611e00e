"""The hostile-data build (tests/integration/test_hostile_data.py) opened in Chromium: every page, and search.

The data has a payload of script, event handlers, `javascript:` links and
markup in every free string field. Opening every built page must open no
dialog, throw no script error, log no console error and fetch nothing from
another host; Material's own script must still run (it draws the version
selector); search results that quote the payload show it as text.
"""

from __future__ import annotations

import json
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from hostile_corpus import hostile_corpus
from playwright.sync_api import expect
from theme_sites import build_once

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

EDITION = "2023"
SEARCH_INPUT = ".md-search__input, input[data-md-component=search-query]"
ACTIVE = "[onload], [onerror], [onclick], [onmouseover], [onfocus], a[href^='javascript:' i], img[src*='evil.invalid']"
"""What a payload would add if it became markup."""
TITLED_FROM_DATA = ("plans/", "agencies/", "campaigns/", "compare/")
"""Sections whose pages (below the section's index) are titled by a name or title from data."""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """(base URL of the edition, its built pages): the hostile build under /2023/ beside a versions.json, on 127.0.0.1."""
    site = build_once(tmp_path_factory, "hostile-data", hostile_corpus)
    tree = tmp_path_factory.mktemp("hostile-tree")
    (tree / EDITION).symlink_to(site, target_is_directory=True)
    (tree / "versions.json").write_text(json.dumps([{"version": EDITION, "title": EDITION, "aliases": ["latest"]}]))
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(tree)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    pages = sorted(path.relative_to(site).parent.as_posix() + "/" for path in site.rglob("index.html"))
    yield f"http://127.0.0.1:{server.server_address[1]}/{EDITION}/", [page.removeprefix("./") for page in pages]
    server.shutdown()
    server.server_close()


@pytest.fixture
def watched_page(browser):
    """A tab that records dialogs, script errors, console errors and requests to other hosts; fails the test on any."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    page.on("dialog", lambda dialog: (problems.append(f"dialog {dialog.message!r} on {page.url}"), dialog.dismiss()))
    page.on("pageerror", lambda error: problems.append(f"script error {error} on {page.url}"))
    page.on("console", lambda message: message.type == "error" and problems.append(f"console error {message.text} on {page.url}"))
    page.on("request", lambda request: urlsplit(request.url).hostname not in ("127.0.0.1", None)
            and problems.append(f"request to {request.url} from {page.url}"))
    yield page, problems
    context.close()
    assert not problems, "\n".join(problems)


def test_every_hostile_page_runs_nothing_from_data(watched_page, hostile_site):
    page, problems = watched_page
    base, paths = hostile_site
    assert len(paths) > 20
    for path in paths:
        response = page.goto(base + path, wait_until="load")
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        # Material's script ran to the end of its setup: it drew the version selector.
        page.locator(".md-version").first.wait_for(state="attached", timeout=10_000)
        # Late handlers (an <img onerror> fires after load) would have run by now.
        page.wait_for_timeout(50)
        assert page.locator(ACTIVE).count() == 0, f"{path}: an element with a handler or script link from data"
        if path.startswith(TITLED_FROM_DATA) and path.count("/") >= 2:
            assert "<script>alert(" in page.title(), f"{path}: title {page.title()!r} lacks its payload"
    assert not problems


def test_search_results_show_the_payload_as_text(watched_page, hostile_site):
    page, problems = watched_page
    base, _ = hostile_site
    page.goto(base, wait_until="load")
    page.locator(SEARCH_INPUT).first.click()
    page.keyboard.type("质检总局")
    page.keyboard.press("End")
    # Read the list once it shows the whole query: a prefix's list, rendered
    # while typing, is cleared by the next run.
    page.locator('[data-qp-search][data-qp-rendered="质检总局"]').wait_for(state="attached", timeout=10_000)
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible()
    text = " ".join(results.all_text_contents())
    assert "<script>alert(" in text, text[:500]
    assert page.locator(f".md-search-result :is({ACTIVE}), .md-search-result script, .md-search-result img").count() == 0
    assert not problems
