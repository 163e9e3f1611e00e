"""Sites for the theme tests: one edition built by the real `mkdocs build --strict`, from clean or hostile data.

Shared by tests/integration/test_theme.py (the built HTML) and
tests/browser/test_browser_theme.py (the same pages in Chromium).
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

import material
import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "corpus_small"
MKDOCS = Path(sys.executable).with_name("mkdocs")

SVG = "<svg onload=alert(1)>"
END_TITLE = "</title><img src=x onerror=alert(1)>"
SHORT = "<i onclick=alert(2)>"
"""Short enough to stay whole in the 30 characters that title a measure without a heading."""
MATERIAL_ID = "__config"
"""The id of the element Material reads its settings from."""

HOSTILE_PAGES = {
    "plans/guobanfa-2016-18/": END_TITLE,
    "plans/guobanfa-2016-18/01/": SVG,
    "plans/guobanfa-2016-18/03/": END_TITLE,
    "plans/wanzhengbanmi-2016-76/": SVG,
    "plans/wanzhengbanmi-2016-76/01/": SHORT,
    "plans/zhonggong-2023-zhiliang-qiangguo-jianshe-gangyao/01/": SVG,
    "compare/guobanfa-2016-18/": END_TITLE,
    "agencies/zhijianzongju/": SVG,
    "agencies/gongshangzongju/": MATERIAL_ID,
    "campaigns/zhijian-lijian/": END_TITLE,
}
"""Page → the hostile text its title holds, in the site built from hostile_data()."""


def hostile_data(dest: Path) -> Path:
    """corpus_small with markup in plan titles, measure headings (Simplified form too), a measure text, an agency and a campaign name."""
    shutil.copytree(CORPUS, dest)

    def edit(name: str, change) -> None:
        path = dest / name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def national(plan: dict) -> None:
        plan["title"] = END_TITLE  # also the title of its comparison page
        first, second, third = _measures(plan["nodes"])[:3]
        first["heading"], second["heading"], third["heading"] = SVG, MATERIAL_ID, END_TITLE

    edit("plans/guobanfa-2016-18.yaml", national)
    def local(plan: dict) -> None:
        plan["title"] = SVG
        first = _measures(plan["nodes"])[0]
        # No heading: the page is titled by the start of the text.
        first["heading"], first["text"] = None, SHORT + first["text"]

    def traditional(plan: dict) -> None:
        _measures(plan["nodes"])[0]["heading_simplified"] = SVG

    edit("plans/wanzhengbanmi-2016-76.yaml", local)
    edit("plans/zhonggong-2023-zhiliang-qiangguo-jianshe-gangyao.yaml", traditional)
    edit("agencies.yaml", lambda agencies: _by_id(agencies, "zhijianzongju").update(name=SVG))
    edit("agencies.yaml", lambda agencies: _by_id(agencies, "gongshangzongju").update(name=MATERIAL_ID))
    edit("campaigns.yaml", lambda campaigns: _by_id(campaigns, "zhijian-lijian").update(name=END_TITLE))
    return dest


def _measures(nodes: list[dict]) -> list[dict]:
    found = []
    for node in nodes:
        if node["kind"] == "measure":
            found.append(node)
        found += _measures(node.get("children") or [])
    return found


def _by_id(items: list[dict], id_: str) -> dict:
    return next(item for item in items if item["id"] == id_)


def build_site(project: Path, data: Path, site: Path | None = None, site_url: str | None = None) -> Path:
    """Copy the site's configuration into `project`, run `mkdocs build --strict` on `data`; returns the site.

    The site goes to `site`, default project/site; `site_url` is passed as QP_SITE_URL.
    """
    site = site or project / "site"
    project.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "docs", project / "docs", ignore=shutil.ignore_patterns("_generated"))
    shutil.copytree(ROOT / "overrides", project / "overrides")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    hook = (ROOT / "generator" / "mkdocs_hook.py").as_posix()
    config = config.replace("  - generator/mkdocs_hook.py", f"  - {hook}")
    assert hook in config, "mkdocs.yml no longer lists generator/mkdocs_hook.py"
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    env = dict(os.environ, QP_DATA=str(data))
    env.pop("QP_EDITION", None)
    env.pop("QP_SITE_URL", None)
    if site_url:
        env["QP_SITE_URL"] = site_url
    result = subprocess.run(
        [str(MKDOCS), "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(site)],
        cwd=project, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def build_once(tmp_path_factory, name: str, make_data: Callable[[Path], object]) -> Path:
    """The site of the data `make_data(folder)` writes, built once per test run; returns the site.

    Shared by every module and xdist worker that asks for the same `name` (the
    hostile-data tests and their browser part use one build), in the run's
    shared temp folder under a lock, as tests/browser/conftest.py publishes.
    """
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    work = shared / f"site-{name}"
    with open(shared / f"site-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (work / "built").exists():
            shutil.rmtree(work, ignore_errors=True)  # what a failed attempt left
            make_data(work / "data")
            build_site(work / "project", work / "data", site=work / "site")
            (work / "built").touch()
    return work / "site"


def english_ui_strings() -> list[str]:
    """Every UI string of Material's English, and those of mike's and mkdocs-redirects' pages.

    A page that shows one of them has a string the Chinese UI missed.
    """
    source = (Path(material.__file__).parent / "templates" / "partials" / "languages" / "en.html").read_text()
    pairs = re.findall(r'^\s*"([^"]+)": "([^"]*)",?$', source, flags=re.M)
    strings = {value for key, value in pairs if not key.startswith(("language", "direction", "search.config"))}
    return sorted({s for s in strings if len(s) >= 4} | {"Permanent link", "Redirecting", "Not found", "redirected"})


def english_ui_in(text: str) -> list[str]:
    """The English UI strings in `text`, as whole words."""
    return [s for s in english_ui_strings() if re.search(r"(?<![A-Za-z])" + re.escape(s) + r"(?![A-Za-z])", text)]
