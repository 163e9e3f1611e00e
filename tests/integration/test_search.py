"""The site's search on a real `mkdocs build` of data/: what ships, recall, bytes, the browser.

The site is built once per worker (the project's mkdocs.yml, overrides and
hook, copied into tmp so nothing is written into the repository), served by
`python -m http.server`'s handler on 127.0.0.1, and queried both by the Python
copy of the query algorithm and by assets/search/search.js in headless
Chromium.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from generator import urls
from generator.load import load_corpus
from generator.search import build_search_index, search_documents, search_site
from generator.search.build import INDEX_DIR
from generator.search.text import Normaliser, fold_map, query_tokens
from generator.urls import measure_path

ROOT = Path(__file__).resolve().parents[2]
CONFORMANCE = json.loads((ROOT / "tests" / "unit" / "search_conformance.json").read_text(encoding="utf-8"))

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("search-site")]


@pytest.fixture(scope="session")
def corpus():
    return load_corpus(ROOT / "data")


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("project")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    shutil.copytree(ROOT / "docs", project / "docs", ignore=shutil.ignore_patterns("_generated"))
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("generator/mkdocs_hook.py", str(ROOT / "generator" / "mkdocs_hook.py"))
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    out = project / "site"
    env = dict(os.environ, QP_DATA=str(ROOT / "data"))
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    return out


def serve(directory: Path):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


@pytest.fixture(scope="session")
def server(site):
    httpd = serve(site)
    yield f"http://127.0.0.1:{httpd.server_port}/"
    httpd.shutdown()


@pytest.fixture(scope="session")
def edition_server(site):
    """The same site one level down, as mike publishes an edition (/2016/, /latest/)."""
    httpd = serve(site.parent)
    yield f"http://127.0.0.1:{httpd.server_port}/{site.name}/"
    httpd.shutdown()


@pytest.fixture
def page(browser, server):
    page = browser.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    yield page
    page.close()


def type_query(page, query: str) -> None:
    page.click(".md-search__input")
    page.fill(".md-search__input", "")
    page.type(".md-search__input", query, delay=30)
    page.wait_for_selector(f'[data-qp-search][data-qp-rendered="{query}"]', state="attached", timeout=10_000)


def names_to_find(corpus) -> list[str]:
    names = set()
    for agency in corpus.agencies:
        names.update((agency.name, agency.full_name, *agency.aliases))
    for campaign in corpus.campaigns:
        names.update((campaign.name, *campaign.variants))
    return sorted(name for name in names if name)


# --- without a browser: the built index against scans -------------------------------


def test_the_build_writes_the_index_and_the_script(site):
    assert (site / "search-index" / "meta.json").is_file()
    assert (site / "assets" / "search" / "search.js").is_file()
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "data-qp-search" in html and "assets/search/search.js" in html
    # Material's own search dialog (which would fetch search_index.json) is not on the page.
    assert 'data-md-component="search"' not in html and 'name="search"' not in html


def test_every_agency_and_campaign_name_finds_every_measure_that_mentions_it(site, corpus):
    """Recall against a scan of the data: each measure page whose text names it."""
    normaliser = Normaliser(fold_map(set("".join(names_to_find(corpus)))))
    measures = [
        (measure, plan)
        for plan in corpus.plans
        for measure in plan.measures
    ]
    missed = []
    mentions = 0
    for name in names_to_find(corpus):
        if not query_tokens(normaliser.squeeze(name)):
            continue
        wanted = normaliser.squeeze(name)
        expected = set()
        for measure, _ in measures:
            blocks = [measure.heading_simplified or measure.heading, measure.responsibility]
            blocks += (measure.text_simplified or measure.text).split("\n")
            if any(wanted in normaliser.squeeze(block) for block in blocks):
                expected.add(measure_path(measure.id))
        found = search_site(site, name).pages
        missed.extend(f"{name}: {path}" for path in sorted(expected - found))
        mentions += len(expected)
    assert not missed, missed[:20]
    assert mentions > 100  # the scan did find the names in the data


def test_the_built_index_is_the_one_made_from_the_data(site, corpus):
    """What ships is what the tests query: the build's files equal build_search_index of the records."""
    expected = build_search_index(search_documents(corpus.up_to(corpus.years[-1])))
    built = {
        path.relative_to(site).as_posix(): path.read_bytes()
        for folder in (site / INDEX_DIR, site / "assets" / "search")
        for path in folder.rglob("*")
        if path.is_file()
    }
    assert built == expected


def test_only_data_pages_are_in_the_public_search(site, corpus):
    """Developer documentation (search design, performance …) is never a result."""
    store = [record for path in (site / INDEX_DIR / "s").glob("*.json")
             for record in json.loads(path.read_text(encoding="utf-8"))]
    assert {record[0] for record in store} == urls.page_paths(corpus)
    assert not any(hit.page.startswith(("search/", "performance/")) for hit in search_site(site, "市场监管总局").hits)


@pytest.mark.parametrize("query", ["质检利剑", "质量强国", "市场监管总局", "质检总局"])
def test_first_results_cost_at_most_300_kb_gzipped(site, query):
    result = search_site(site, query, limit=10)
    assert result.hits, query
    assert result.first_gzip_bytes <= 300_000, (query, result.first_gzip_bytes, result.first_files)


# --- in Chromium ---------------------------------------------------------------------


@pytest.mark.browser
def test_typing_a_campaign_lists_its_page_and_opens_it(page, server, site):
    page.goto(server + "plans/guobanfa-2016-18/")
    type_query(page, "质检利剑")
    first = page.locator(".md-search-result__item .md-search-result__link").first
    assert first.get_attribute("href").endswith("/campaigns/zhijian-lijian/")
    assert page.locator(".md-search-result__item mark").first.inner_text() == "质检利剑"
    links = page.locator(".md-search-result__link").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert any(re.search(r"/plans/guobanfa-2016-18/\d+/", link) for link in links), links

    fetched = [url[len(server):] for url in page.requests if "/search-index/" in url]
    gzipped = sum(len(gzip.compress((site / path).read_bytes(), 6, mtime=0)) for path in fetched)
    assert gzipped <= 300_000, fetched
    assert not any("search_index.json" in url or "/workers/search" in url for url in page.requests)

    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.getAttribute('href')") == first.get_attribute("href")
    first.click()
    page.wait_for_url("**/campaigns/zhijian-lijian/")
    assert page.locator("article h1").first.inner_text().strip().rstrip("¶") == "质检利剑"
    # Material's instant navigation keeps the header: search still answers.
    type_query(page, "质检总局")
    assert page.locator(".md-search-result__link").first.get_attribute("href").endswith("/agencies/zhijianzongju/")


@pytest.mark.browser
def test_search_works_inside_an_edition_folder(page, edition_server):
    page.goto(edition_server + "plans/guobanfa-2016-18/")
    type_query(page, "质检利剑")
    href = page.locator(".md-search-result__link").first.get_attribute("href")
    assert href == edition_server + "campaigns/zhijian-lijian/"
    assert all(edition_server in url for url in page.requests if "search-index" in url)


@pytest.mark.browser
def test_results_come_within_a_second_of_the_last_keystroke(page, server):
    page.goto(server)
    page.click(".md-search__input")
    elapsed = page.evaluate(
        """query => new Promise(resolve => {
            const root = document.querySelector('[data-qp-search]');
            const input = document.querySelector('.md-search__input');
            let started;
            root.addEventListener('qp-search-results', event => {
                if (event.detail.query === query) resolve(performance.now() - started);
            });
            input.value = query;
            started = performance.now();
            input.dispatchEvent(new Event('input'));
        })""",
        "市场监管总局",
    )
    assert elapsed < 1000, elapsed


@pytest.mark.browser
def test_simplified_query_finds_the_traditional_document(page, server):
    page.goto(server)
    type_query(page, "质量强国")
    links = page.locator(".md-search-result__link").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert any("/plans/zhongyang-2023-zhiliang-qiangguo-jianshe-gangyao/" in link for link in links), links


@pytest.mark.browser
def test_browser_finds_the_same_pages_as_the_python_query(page, server, site, corpus):
    page.goto(server)
    names = ["质检总局", "市场监管总局", "红盾网剑", "清源", "省质监局", "国家质量监督检验检疫总局"]
    names += [campaign.name for campaign in corpus.campaigns[:4]]
    for name in names:
        in_browser = set(page.evaluate("name => window.qpSearch.search(name)", name))
        assert in_browser == search_site(site, name).pages, name
        assert in_browser, name


@pytest.mark.browser
def test_chromium_runs_the_conformance_table(page, server, site):
    """search.js as served, in a Web Worker of Chromium (its own V8 and ICU), reproduces the table."""
    page.goto(server)
    worker_source = (
        (site / "assets" / "search" / "search.js").read_text(encoding="utf-8")
        + (ROOT / "tests" / "unit" / "search_conformance.js").read_text(encoding="utf-8")
        + "\nonmessage = event => postMessage(runSearchConformance(self.qpSearchRules, event.data));"
    )
    computed = page.evaluate(
        """([source, table]) => new Promise((resolve, reject) => {
            const worker = new Worker(URL.createObjectURL(new Blob([source], {type: "text/javascript"})));
            worker.onmessage = event => resolve(event.data);
            worker.onerror = event => reject(new Error(event.message));
            worker.postMessage(table);
        })""",
        [worker_source, CONFORMANCE],
    )
    for row, result in zip(CONFORMANCE["rows"], computed["rows"], strict=True):
        for column in ("normalised", "squeezed", "query_tokens", "fnv1a", "shards"):
            assert result[column] == row[column], (row["text"], column)
    assert computed["ids"] == [ids for ids, _ in CONFORMANCE["ids"]]


@pytest.mark.browser
def test_browser_text_rules_with_the_sites_fold_table_match_python(page, server, site):
    page.goto(server)
    meta = json.loads((site / INDEX_DIR / "meta.json").read_text(encoding="utf-8"))
    normaliser = Normaliser(dict(zip(meta["fold"][0], meta["fold"][1])))
    for text in [row["text"] for row in CONFORMANCE["rows"]]:
        squeezed = page.evaluate("text => window.qpSearch.squeeze(text)", text)
        assert squeezed == normaliser.squeeze(text), text
        assert page.evaluate("s => window.qpSearch.queryTokens(s)", squeezed) == query_tokens(squeezed), text


@pytest.mark.browser
def test_document_numbers_and_traditional_names_land_first_with_document_and_region(page, server):
    page.goto(server)
    for query, target in [("国办发〔2016〕18号", "plans/guobanfa-2016-18/"), ("18号", "plans/guobanfa-2016-18/"),
                          ("国办发2016 18", "plans/guobanfa-2016-18/"), ("質檢利劍", "campaigns/zhijian-lijian/")]:
        type_query(page, query)
        first = page.locator(".md-search-result__link").first
        assert first.get_attribute("href") == server + target, query
    contexts = page.locator(".qp-search-result__context").all_inner_texts()
    assert any("《贯彻实施质量发展纲要2016年行动计划》（国办发〔2016〕18号） · 全国" in text for text in contexts), contexts
    assert any(text.endswith("安徽省") for text in contexts), contexts


@pytest.mark.browser
def test_scrolling_to_the_end_verifies_the_next_screenful(page, server, site):
    page.goto(server)
    type_query(page, "质量")
    assert page.locator(".md-search-result__item").count() == 10
    assert "10+" in page.inner_text(".md-search-result__meta")
    page.eval_on_selector(".md-search__scrollwrap", "el => el.scrollTop = el.scrollHeight")
    page.wait_for_function("document.querySelectorAll('.md-search-result__item').length >= 20")
    shown = page.locator(".md-search-result__link").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    pages = [href[len(server):].split("#")[0] for href in shown]
    assert len(set(pages)) == len(pages)  # one result per page, sections folded in
    assert pages == [hit.page for hit in search_site(site, "质量", limit=len(pages)).hits][: len(pages)]
