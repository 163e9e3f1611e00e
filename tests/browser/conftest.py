"""Fixtures of the browser tests: the published site on 127.0.0.1, headless Chromium, axe-core.

The site is published once per test run (into the run's shared temp folder,
under a lock) and served by a plain ``http.server`` thread, as a visitor's
static server would. Each test opens tabs through ``open_tab``; a tab records
every request, console error and axe-core finding of its pages, and its
teardown fails the test if a page fetched anything from another host, logged
an error, or had a serious or critical accessibility violation.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ROOT = Path(__file__).resolve().parents[2]
DESK = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
SCREENSHOT_MAX_HEIGHT = 5000
# axe-core is fetched from the npm registry at run time and kept outside the
# repository, so nothing third-party is committed and a second run is offline.
AXE_CACHE = Path(os.environ.get("QP_AXE_CACHE", Path.home() / ".cache" / "quality-policy-site" / "axe-core"))
AXE_SPEC = "axe-core@4"
# A developer re-running the browser tests can point this at a folder made by
# `python -m generator publish --out DIR` to skip publishing; CI never sets it.
PUBLISHED_ENV = "QP_PUBLISHED_SITE"

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}));
}"""


@pytest.fixture(scope="session")
def published_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The static tree `publish` exports: every edition, built once per test run."""
    if os.environ.get(PUBLISHED_ENV):
        site = Path(os.environ[PUBLISHED_ENV])
        assert (site / "versions.json").is_file(), f"{PUBLISHED_ENV}={site} holds no published site"
        return site
    # The browser tests share the xdist group "browser", but pytest-xdist 3.8
    # ignores groups under pytest 9.2 (pytest-xdist#1386), so both workers may
    # get browser tests: the first to take the lock publishes into the run's
    # shared temp folder and the other reuses it (the recipe of xdist's docs).
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    work = shared / "browser-published"
    with open(shared / "browser-published.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (work / "outcome").exists():
            try:
                _publish(work)
            except Exception as error:  # recorded, so the other worker does not retry
                (work / "outcome").write_text(f"publishing for the browser tests failed: {error!r}", encoding="utf-8")
        outcome = (work / "outcome").read_text(encoding="utf-8")
    assert outcome == "ok", outcome
    return work / "site"


def _publish(work: Path) -> None:
    """Publish a copy of the project into work/site, writing work/outcome: "ok" or why it failed.

    The copy keeps the test away from the project's own files: publish writes
    data/urls.lock and docs/_generated/, and mike commits a gh-pages branch;
    other tests building the site at the same moment share none of them.
    """
    project = work / "project"
    work.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT, project, ignore=_not_copied, symlinks=True)
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--data", str(project / "data"), "publish", "--out", str(work / "site")],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=900,
    )
    outcome = "ok" if result.returncode == 0 else (
        f"python -m generator publish failed (exit {result.returncode}):\n{result.stdout}\n{result.stderr}"
    )
    (work / "outcome").write_text(outcome, encoding="utf-8")


# What .gitignore keeps out of the repository, plus .git itself: outputs of
# earlier runs would only slow the copy and could mask a missing build step.
_IGNORED_AT_TOP = {".git", ".nox", ".venv", "site", "public", "build", "bench-results", "test-artifacts"}
_IGNORED_ANYWHERE = {"_generated", "__pycache__", ".pytest_cache", ".hypothesis"}


def _not_copied(folder: str, names: list[str]) -> set[str]:
    top = Path(folder) == ROOT
    return {
        name for name in names
        if name in _IGNORED_ANYWHERE or name.endswith(".egg-info") or (top and name in _IGNORED_AT_TOP)
    }


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(published_site: Path):
    """Base URL (ending in "/") of the published site served on a free port of 127.0.0.1."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(published_site)))
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe.min.js, installed with npm into a cache outside the repository on first use."""
    script = AXE_CACHE / "node_modules" / "axe-core" / "axe.min.js"
    if script.is_file():
        return script
    npm = shutil.which("npm")
    assert npm, "the browser tests need npm to install axe-core (apt-get install npm)"
    AXE_CACHE.parent.mkdir(parents=True, exist_ok=True)
    # Install beside the cache and rename, so an interrupted install never
    # leaves a half-filled cache that later runs would trust.
    staging = Path(tempfile.mkdtemp(prefix="axe-core-", dir=AXE_CACHE.parent))
    result = subprocess.run(
        [npm, "install", "--prefix", str(staging), "--no-audit", "--no-fund", "--no-save", AXE_SPEC],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"npm install {AXE_SPEC} failed:\n{result.stderr}"
    try:
        staging.rename(AXE_CACHE)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)  # another run won the race
    assert script.is_file(), f"npm installed no {script}"
    return script


@dataclass
class Tab:
    """One browser tab at one screen size, and what its pages did."""

    page: object
    size: str
    """"desk" or "phone": names the screenshots."""
    site_url: str
    axe_script: Path
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    """Serious and critical axe-core findings of the pages checked."""

    def goto(self, path: str) -> None:
        """Open `path` (relative to the site root) as if typed into the address bar."""
        response = self.page.goto(self.site_url + path.lstrip("/"), wait_until="load")
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"

    @property
    def path(self) -> str:
        """Path of the current page relative to the site root."""
        return urlsplit(self.page.url).path.lstrip("/")

    def heading(self):
        return self.page.locator("article h1").first

    def wait_for_path(self, path: str) -> None:
        """Wait until the tab shows the page at `path` (relative to the site root), any query or hash."""
        pattern = re.compile(r"^" + re.escape(self.site_url + path.lstrip("/")) + r"(?:[?#].*)?$")
        try:
            self.page.wait_for_url(pattern, timeout=10_000)
        except PlaywrightTimeoutError:
            raise AssertionError(f"expected to land on {path}, but the tab shows {self.path}") from None

    def follow(self, text: str, path: str) -> None:
        """Click the link in the page's content that reads `text` and leads to `path`, and wait for it."""
        links = self.page.locator("article a").filter(has_text=text)
        hrefs = links.evaluate_all("links => links.map(link => link.href.split(/[?#]/)[0])")
        target = self.site_url + path.lstrip("/")
        assert target in hrefs, f"{self.page.url}: no link {text!r} to {path}; links with that text: {hrefs}"
        links.nth(hrefs.index(target)).click()
        self.wait_for_path(path)

    def check_page(self) -> None:
        """What every tested page must satisfy: Chinese lang, no serious a11y violation, no sideways scroll."""
        page = self.page
        page.wait_for_load_state("load")
        # Material draws the version selector after fetching versions.json;
        # wait for it so axe always sees the finished page.
        try:
            page.locator(".md-version").first.wait_for(state="attached", timeout=10_000)
        except PlaywrightTimeoutError:
            raise AssertionError(f"{page.url}: the version selector never appeared (is versions.json served?)") from None
        lang = page.evaluate("document.documentElement.lang")
        assert lang.startswith("zh"), f"{page.url}: <html lang={lang!r}>, expected zh"
        if not page.evaluate("typeof window.axe === 'object'"):
            page.add_script_tag(path=str(self.axe_script))
        # Recorded, not asserted here: the test goes on to check what the page
        # does, and its teardown reports every violation of every page at once.
        self.violations += [
            f"{page.url}: axe {v['impact']} {v['id']}: {v['help']} at {v['nodes']}"
            for v in page.evaluate(AXE_RUN)
        ]
        widths = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], (
            f"{page.url} at {self.size}: content is {widths[0]}px wide in a {widths[1]}px window "
            f"(widest: {self.widest_elements()})"
        )

    def widest_elements(self) -> list[str]:
        """The elements reaching furthest right, to say what overflows."""
        return self.page.evaluate(
            """() => [...document.querySelectorAll("body *")]
                 .map(e => [e.getBoundingClientRect().right, e])
                 .filter(([r]) => r > window.innerWidth + 0.5)
                 .sort((a, b) => b[0] - a[0]).slice(0, 3)
                 .map(([r, e]) => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")} right=${Math.round(r)}`)"""
        )

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        target = SCREENSHOTS / f"{name}-{self.size}.png"
        # The whole page, but no taller than a few screens: a full comparison
        # page on a phone is tens of thousands of pixels, too slow to take.
        height = min(self.page.evaluate("document.scrollingElement.scrollHeight"), SCREENSHOT_MAX_HEIGHT)
        width = self.page.viewport_size["width"]
        self.page.screenshot(path=str(target), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height})
        return target

    def problems(self) -> list[str]:
        foreign = [url for url in self.requests if not _is_local(url)]
        return (
            [f"request to another host: {url}" for url in foreign]
            + [f"console error: {message}" for message in self.console_errors]
            + self.violations
        )


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    # data: and blob: URLs are made inside the page and never reach a network.
    return parts.scheme in ("data", "blob", "about") or parts.hostname == "127.0.0.1"


@pytest.fixture
def open_tab(browser, site_url: str, axe_script: Path):
    """open_tab(size="desk"|"phone") -> Tab.

    At teardown it fails the test if any page of its tabs requested another
    host, logged an error, or had a serious or critical axe-core violation.
    """
    contexts = []
    tabs: list[Tab] = []

    def open_tab(size: str = "desk") -> Tab:
        options = {"viewport": DESK, "locale": "zh-CN"}
        if size == "phone":
            options = {"viewport": PHONE, "locale": "zh-CN", "is_mobile": True, "has_touch": True,
                       "device_scale_factor": 2}
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        tab = Tab(page=page, size=size, site_url=site_url, axe_script=axe_script)
        page.on("request", lambda request: tab.requests.append(request.url))
        page.on("console", lambda message: message.type == "error" and tab.console_errors.append(
            f"{message.text} ({message.location.get('url', '')})"))
        page.on("pageerror", lambda error: tab.console_errors.append(f"uncaught {error}"))
        tabs.append(tab)
        return tab

    yield open_tab
    problems = [problem for tab in tabs for problem in tab.problems()]
    for context in contexts:
        context.close()
    if problems:
        pytest.fail("\n".join(dict.fromkeys(problems)), pytrace=False)


@pytest.fixture(scope="session")
def versions(published_site: Path) -> list[dict]:
    """mike's versions.json at the site root."""
    return json.loads((published_site / "versions.json").read_text(encoding="utf-8"))
