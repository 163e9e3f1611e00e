"""The real `mkdocs build --strict`, run on a copy of the project in tmp, and checks of the HTML.

Each build copies mkdocs.yml, docs/ and overrides/ into a temporary folder and
points the hook at a data folder with QP_DATA. Nothing is rendered beforehand:
the build alone must produce every page, and it hands them to MkDocs in
memory, so docs/ holds after a build exactly what it held before.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from generator import urls
from generator.build import build_edition
from generator.link import link_corpus
from generator.load import load_corpus, load_dataset

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "corpus_small"
REAL_DATA = ROOT / "data"
MKDOCS = Path(sys.executable).with_name("mkdocs")

pytestmark = pytest.mark.slow


def copy_project(dest: Path) -> Path:
    """A throw-away copy of the site's own configuration; returns its mkdocs.yml."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "docs", dest / "docs")
    shutil.copytree(ROOT / "overrides", dest / "overrides")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    hook = (ROOT / "generator" / "mkdocs_hook.py").as_posix()
    config = config.replace("  - generator/mkdocs_hook.py", f"  - {hook}")
    assert hook in config, "mkdocs.yml no longer lists generator/mkdocs_hook.py"
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    return dest / "mkdocs.yml"


def build(project: Path, data: Path, edition: int | None = None) -> tuple[Path, str]:
    """Run the real `mkdocs build --strict`; returns the site folder and the log."""
    config = copy_project(project) if not (project / "mkdocs.yml").exists() else project / "mkdocs.yml"
    env = dict(os.environ, QP_DATA=str(data))
    env.pop("QP_EDITION", None)
    if edition is not None:
        env["QP_EDITION"] = str(edition)
    site = project / "site"
    result = subprocess.run(
        [str(MKDOCS), "build", "--strict", "-f", str(config), "-d", str(site)],
        cwd=project, env=env, capture_output=True, text=True, timeout=600,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert "WARNING" not in log, log
    return site, log


def has_real_data() -> bool:
    return any((REAL_DATA / "plans").glob("*.yaml"))


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("fixture-site"), FIXTURE)[0]


@pytest.fixture(scope="session")
def fixture_site_2016(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("fixture-site-2016"), FIXTURE, edition=2016)[0]


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    assert has_real_data(), "data/plans/ holds no plan YAML"
    return build(tmp_path_factory.mktemp("real-site"), REAL_DATA)[0]


class Page(HTMLParser):
    """The links, scripts and visible text of one built page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.attributes: list[tuple[str, str, str | None]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False
        self._banner = 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "aside" and "md-banner" in (attributes.get("class") or ""):
            self._banner += 1
        for name, value in attrs:
            self.attributes.append((tag, name, value))
            # The outdated-edition banner links the sibling edition of mike's
            # tree, which a single-edition build does not have.
            if name in ("href", "src") and value is not None and not self._banner:
                self.refs.append((tag, name, value))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "aside" and self._banner:
            self._banner -= 1
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)
        else:
            self.text.append(data)

    @property
    def visible(self) -> str:
        return "".join(self.text)


def page(site: Path, path: str) -> Page:
    target = site / path / "index.html" if path.endswith("/") or path == "" else site / path
    return Page(target.read_text(encoding="utf-8"))


def html_files(site: Path):
    return sorted(site.rglob("*.html"))


# -- the site has every page -------------------------------------------------


def test_the_build_alone_writes_a_page_for_every_plan_measure_agency_and_campaign(fixture_site):
    corpus = load_corpus(FIXTURE)
    for path in sorted(urls.page_paths(corpus)):
        assert (fixture_site / path / "index.html").is_file(), path
    for path in ("", "plans/", "agencies/", "campaigns/", "compare/", "data/", "about/", "cite/"):
        assert (fixture_site / path / "index.html").is_file(), path
    for plan in corpus.plans:
        copied = fixture_site / urls.source_path(plan.source.file)
        assert copied.read_bytes() == (FIXTURE / "sources" / plan.source.file).read_bytes()
    assert (fixture_site / "sitemap.xml").is_file()


def test_an_older_edition_holds_only_its_own_plans(fixture_site_2016):
    assert (fixture_site_2016 / "plans/guobanfa-2016-18/02/index.html").is_file()
    assert not (fixture_site_2016 / "plans/zhonggong-2023-zhiliang-qiangguo-jianshe-gangyao").exists()
    assert not (fixture_site_2016 / "sources/trad.txt").exists()
    assert "2016 年版" in page(fixture_site_2016, "").visible


def test_the_open_data_is_published_with_urls(fixture_site):
    import json

    data = fixture_site / "data"
    names = {p.name for p in data.iterdir() if p.is_file()}
    assert {"measures.json", "plans.json", "agencies.json", "campaigns.json", "measures.csv"} <= names
    measures = json.loads((data / "measures.json").read_text(encoding="utf-8"))
    first = next(m for m in measures if m.get("id") == "guobanfa-2016-18/02")
    assert first["url"] == "plans/guobanfa-2016-18/02/"
    listing = page(fixture_site, "data/")
    assert ("a", "href", "measures.json") in listing.refs
    assert ("a", "href", "data/") in page(fixture_site, "").refs


# -- a sample of each kind ---------------------------------------------------


def test_a_measure_page_has_its_text_roles_links_and_citation(fixture_site):
    measure = page(fixture_site, "plans/guobanfa-2016-18/02/")
    text = measure.visible
    assert '开展"质检利剑"行动和2016红盾网剑专项行动。查处违法行为。' in text
    assert "（质检总局负责，工商总局配合）" in text
    assert re.search(r"质检总局\s*牵头", text) and re.search(r"工商总局\s*协助", text)
    hrefs = {value for tag, name, value in measure.refs if tag == "a"}
    assert {"../../../agencies/zhijianzongju/", "../../../agencies/gongshangzongju/",
            "../../../campaigns/zhijian-lijian/", "../01/", "../03/", "../"} <= hrefs
    assert "/2023/plans/guobanfa-2016-18/02/" in text and "/latest/plans/guobanfa-2016-18/02/" in text
    assert "一、增强质量和品牌提升的动力" in text  # breadcrumb


def test_plan_and_measure_pages_carry_legislation_jsonld(fixture_site):
    import json

    for path in ("plans/guobanfa-2016-18/", "plans/guobanfa-2016-18/02/"):
        scripts = re.findall(
            r'<script type="application/ld\+json">(.*?)</script>',
            (fixture_site / path / "index.html").read_text(encoding="utf-8"), re.S,
        )
        assert len(scripts) == 1, path
        data = json.loads(scripts[0])
        assert data["@type"] == "Legislation"
        assert data["legislationPassedBy"] == [{"@type": "Organization", "name": "国务院办公厅"}]
    assert data["identifier"] == "guobanfa-2016-18/02"
    assert data["isPartOf"]["identifier"] == "国办发〔2016〕18号"


def test_a_plan_page_has_its_metadata_lineage_source_and_every_measure(fixture_site):
    plan = page(fixture_site, "plans/guobanfa-2016-18/")
    text = plan.visible
    for expected in ("发文机关", "国务院办公厅", "发文字号", "国办发〔2016〕18号", "成文日期", "2016年4月4日",
                     "发布日期", "2016年4月19日", "主题分类", "市场监管、安全生产监管\\质量监督", "本站采集", "不涉及文件的法律效力"):
        assert expected in text, expected
    hrefs = {value for tag, name, value in plan.refs if tag == "a"}
    assert {"01/", "02/", "03/", "../wanzhengbanmi-2016-76/", "../../sources/nat.txt"} <= hrefs
    local = page(fixture_site, "plans/wanzhengbanmi-2016-76/")
    assert ("a", "href", "../guobanfa-2016-18/") in local.refs
    assert "本文件落实" in local.visible


def test_the_traditional_plan_is_simplified_with_the_original_one_tab_away(fixture_site):
    measure = page(fixture_site, "plans/zhonggong-2023-zhiliang-qiangguo-jianshe-gangyao/01/")
    text = measure.visible
    assert "简体" in text and "原文（繁体）" in text
    assert text.index("加强信息化与网络建设。") < text.index("加強資訊化與網路建設。")
    # Both scripts are in the page's content, so whichever search indexes the
    # built pages finds the measure by either form.
    plan = page(fixture_site, "plans/zhonggong-2023-zhiliang-qiangguo-jianshe-gangyao/").visible
    assert "加强信息化与网络建设。" in plan and "加強資訊化與網路建設。" in plan


def test_an_agency_page_groups_measures_by_plan_with_roles_and_counts(fixture_site):
    agency = page(fixture_site, "agencies/anhui-zhijianju/")
    text = agency.visible
    assert "安徽省质量技术监督局" in text and "省质监局" in text
    assert ("a", "href", "../zhijianzongju/") in agency.refs  # national counterpart
    assert "牵头 2 条" in text
    national = page(fixture_site, "agencies/zhijianzongju/")
    assert ("a", "href", "../shichangjianguanzongju/") in national.refs  # successor
    assert ("a", "href", "../anhui-zhijianju/") in national.refs  # local counterpart
    successor = page(fixture_site, "agencies/shichangjianguanzongju/")
    assert ("a", "href", "../zhijianzongju/") in successor.refs  # predecessor


def test_a_campaign_page_lists_every_mention_with_sentence_variant_and_agencies(fixture_site):
    campaign = page(fixture_site, "campaigns/hongdun-wangjian/")
    text = campaign.visible
    assert "2016红盾网剑专项行动" in text and "2016网络市场监管专项行动" in text
    assert '开展"质检利剑"行动和2016网络市场监管专项行动。' in text
    hrefs = {value for tag, name, value in campaign.refs if tag == "a"}
    assert {"../../plans/guobanfa-2016-18/02/", "../../plans/wanzhengbanmi-2016-76/02/",
            "../../agencies/anhui-zhijianju/"} <= hrefs


def test_indexes_group_agencies_by_pinyin_initial(fixture_site):
    built = (fixture_site / "agencies" / "index.html").read_text(encoding="utf-8")
    article = built[built.index("<article"):]
    heading_a, heading_z = re.search(r"<h2[^>]*>A<", article).start(), re.search(r"<h2[^>]*>Z<", article).start()
    assert heading_a < article.index("安徽省质监局") < heading_z < article.index("质检总局")


# -- links, hosts, escaping --------------------------------------------------


def internal_link_problems(site: Path) -> list[str]:
    problems = []
    for file in html_files(site):
        for tag, name, value in Page(file.read_text(encoding="utf-8")).refs:
            parts = urlsplit(value)
            if parts.scheme or parts.netloc or not parts.path:
                continue  # external (checked by the host test) or a same-page anchor
            # Root-relative links (404.html has them) resolve against the site root.
            base = site if parts.path.startswith("/") else file.parent
            target = (base / unquote(parts.path).lstrip("/")).resolve()
            if value.endswith("/") or target.is_dir():
                target = target / "index.html"
            if not target.is_file() or site.resolve() not in target.parents:
                problems.append(f"{file.relative_to(site)}: {tag} {name}={value}")
    return problems


def test_every_internal_link_resolves(fixture_site):
    assert internal_link_problems(fixture_site) == []


def test_the_link_checker_sees_a_broken_link(tmp_path):
    (tmp_path / "index.html").write_text('<a href="missing/">x</a><img src="ok.png">', encoding="utf-8")
    (tmp_path / "ok.png").write_bytes(b"")
    assert internal_link_problems(tmp_path) == ["index.html: a href=missing/"]


FOREIGN = re.compile(r"^(https?:)?//", re.I)


def other_host_problems(site: Path) -> list[str]:
    problems = []
    for file in html_files(site):
        for tag, name, value in Page(file.read_text(encoding="utf-8")).refs:
            # Anything the browser would fetch by itself: scripts, styles, fonts, images, frames.
            if tag in ("script", "link", "img", "source", "iframe", "video", "audio", "embed") and FOREIGN.match(value):
                problems.append(f"{file.relative_to(site)}: <{tag} {name}={value}>")
    for css in site.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        for match in re.finditer(r"@import\s+(?:url\()?\s*['\"]?([^'\")\s;]+)|url\(\s*['\"]?([^'\")]+)", text):
            target = match.group(1) or match.group(2)
            if FOREIGN.match(target):
                problems.append(f"{css.relative_to(site)}: {target}")
    return problems


def test_the_site_requests_nothing_from_another_host(fixture_site):
    assert other_host_problems(fixture_site) == []
    assert "fonts.googleapis.com" not in (fixture_site / "index.html").read_text(encoding="utf-8")


def test_the_host_checker_sees_a_cdn(tmp_path):
    (tmp_path / "index.html").write_text('<script src="https://cdn.example/x.js"></script>', encoding="utf-8")
    (tmp_path / "a.css").write_text("@import url('//fonts.example/f.css');", encoding="utf-8")
    assert len(other_host_problems(tmp_path)) == 2


HOSTILE_LINES = [
    "<script>alert('xss')</script>",
    '<img src=x onerror="alert(2)">',
    "[click](javascript:alert(3)) ![pic](http://evil.example/x.png)",
    "<!-- hidden comment -->",
    "{{ 7*7 }} {% if true %}jinja{% endif %}",
    "# not a heading",
    "---",
    "{: onclick=\"alert(4)\" }",
]


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("hostile-data")
    shutil.copytree(FIXTURE, data, dirs_exist_ok=True)
    plan_file = data / "plans" / "guobanfa-2016-18.yaml"
    plan = yaml.safe_load(plan_file.read_text(encoding="utf-8"))
    measure = plan["nodes"][0]["children"][0]
    measure["text"] = "\n".join(HOSTILE_LINES)
    measure["heading"] = "# <b>标题</b> [x](y)"
    plan["nodes"][0]["heading"] = "<script>alert(5)</script>"
    plan_file.write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return build(tmp_path_factory.mktemp("hostile-site"), data)[0]


def test_hostile_text_from_data_renders_as_literal_text(hostile_site):
    built = (hostile_site / "plans/guobanfa-2016-18/01/index.html").read_text(encoding="utf-8")
    parsed = Page(built)
    for line in HOSTILE_LINES:
        assert line in parsed.visible, line
    assert "# <b>标题</b> [x](y)" in parsed.visible
    for file in (hostile_site / "plans/guobanfa-2016-18/01/index.html", hostile_site / "plans/guobanfa-2016-18/index.html"):
        parsed = Page(file.read_text(encoding="utf-8"))
        assert not any("alert" in script for script in parsed.scripts), file
        assert not any(name.startswith("on") for tag, name, value in parsed.attributes), file
        assert not any("javascript:" in (value or "") for tag, name, value in parsed.attributes), file
        assert not any(tag == "img" for tag, name, value in parsed.attributes), file
        assert not any(tag == "b" for tag, name, value in parsed.attributes), file
        assert "evil.example" not in " ".join(value or "" for tag, name, value in parsed.attributes), file
    assert "<script>alert(5)</script>" in Page((hostile_site / "plans/guobanfa-2016-18/index.html").read_text()).visible
    assert html.escape("{{ 7*7 }}", quote=False) in built or "{{ 7*7 }}" in Page(built).visible


def test_the_hook_regenerates_when_the_data_changes(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    project = tmp_path / "project"
    copy_project(project)
    docs_before = tree_digest(project / "docs")
    site, _ = build(project, data, edition=2016)
    assert "深入开展质量提升行动" in page(site, "plans/guobanfa-2016-18/01/").visible
    plan_file = data / "plans" / "guobanfa-2016-18.yaml"
    plan_file.write_text(plan_file.read_text(encoding="utf-8").replace("深入开展质量提升行动。", "全面开展质量提升行动。"), encoding="utf-8")
    site, _ = build(project, data, edition=2016)
    assert "全面开展质量提升行动" in page(site, "plans/guobanfa-2016-18/01/").visible
    # Nothing generated lands in docs/: the pages reach MkDocs in memory.
    assert tree_digest(project / "docs") == docs_before


def test_mkdocs_build_takes_the_edition_as_it_is_made_and_ships_every_file_of_it(tmp_path):
    # `mkdocs build` itself (not a parallel build, not serve) streams the edition (generator.streamed).
    config = copy_project(tmp_path / "project")
    site = tmp_path / "site"
    result = subprocess.run(
        [str(MKDOCS), "build", "--strict", "--verbose", "-f", str(config), "-d", str(site)],
        env=dict(os.environ, QP_DATA=str(FIXTURE)), capture_output=True, text=True, timeout=600,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert "made on a forked process as MkDocs reads them" in log
    made = build_edition(load_dataset(FIXTURE)).files
    others = [path for path in made if not path.endswith(".md")]
    assert any(path.startswith("search-index/") for path in others) and any(path.startswith("data/") for path in others)
    # The files that are not pages (the search index, last, and the open data) arrive as made.
    assert {path: (site / path).read_bytes() for path in others} == {path: made[path] for path in others}


def test_a_data_error_fails_the_build_with_one_line(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    (data / "sources" / "nat.txt").write_text("edited", encoding="utf-8")
    config = copy_project(tmp_path / "project")
    result = subprocess.run(
        [str(MKDOCS), "build", "--strict", "-f", str(config), "-d", str(tmp_path / "site")],
        env=dict(os.environ, QP_DATA=str(data)), capture_output=True, text=True, timeout=600,
    )
    assert result.returncode != 0
    assert "sha256" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


# -- the shipped data --------------------------------------------------------


def test_real_data_builds_strict_with_every_page_working_links_and_every_character(real_site):
    corpus = load_corpus(REAL_DATA)
    missing = [path for path in sorted(urls.page_paths(corpus)) if not (real_site / path / "index.html").is_file()]
    assert missing == []
    assert internal_link_problems(real_site) == []
    assert other_host_problems(real_site) == []
    # Fidelity: every character of every measure reaches its page (one build,
    # so this lives in the same test).
    for plan in corpus.plans:
        for measure in plan.measures:
            text = page(real_site, urls.measure_path(measure.id)).visible
            for part in (measure.label + measure.heading, measure.responsibility, *measure.text.split("\n")):
                assert part.strip() in text, (measure.id, part)
            for line in (measure.text_simplified or "").split("\n"):
                assert line.strip() in text, (measure.id, line)
            # Every responsible agency linked with its role, every campaign linked.
            built = page(real_site, urls.measure_path(measure.id))
            hrefs = {value for tag, name, value in built.refs if tag == "a"}
            for ref in measure.agencies:
                assert relative(urls.measure_path(measure.id), urls.agency_path(ref.id)) in hrefs, (measure.id, ref.id)
                role = ref.role_label
                shown = corpus.agency(ref.id).name
                # The wording is printed beside the name only where it differs from it.
                wording = re.escape(ref.name) if ref.name != shown else "(?:同左)?"
                assert re.search(re.escape(shown) + r"\s*" + role + r"\s*" + wording, text), (measure.id, ref)
            for ref in measure.campaigns:
                assert relative(urls.measure_path(measure.id), urls.campaign_path(ref.id)) in hrefs, (measure.id, ref.id)
    links = link_corpus(corpus)
    for agency in corpus.agencies:
        lead, assisting = links.agency_counts(agency.id)
        text = page(real_site, urls.agency_path(agency.id)).visible
        assert f"牵头 {lead} 条措施，协助 {assisting} 条" in text.replace("\n", ""), agency.id
    for campaign in corpus.campaigns:
        built = page(real_site, urls.campaign_path(campaign.id))
        hrefs = {value for tag, name, value in built.refs if tag == "a"}
        for mention in links.campaign_mentions.get(campaign.id, ()):
            assert relative(urls.campaign_path(campaign.id), urls.measure_path(mention.locator.measure.id)) in hrefs
            assert mention.sentence.strip() in built.visible, (campaign.id, mention.sentence)


def relative(from_path: str, to_path: str) -> str:
    """The href MkDocs writes from the page at `from_path` to the page at `to_path`."""
    return posixpath.relpath(to_path, from_path) + "/"


def test_a_site_url_gives_the_sitemap_and_citations_absolute_edition_urls(tmp_path):
    config = copy_project(tmp_path / "project")
    env = dict(os.environ, QP_DATA=str(FIXTURE), QP_EDITION="2016", QP_SITE_URL="https://example.org/quality/")
    result = subprocess.run(
        [str(MKDOCS), "build", "--strict", "-f", str(config), "-d", str(tmp_path / "site")],
        env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    sitemap = (tmp_path / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/quality/2016/plans/guobanfa-2016-18/02/</loc>" in sitemap
    text = page(tmp_path / "site", "plans/guobanfa-2016-18/02/").visible
    assert "https://example.org/quality/2016/plans/guobanfa-2016-18/02/" in text
    assert "https://example.org/quality/latest/plans/guobanfa-2016-18/02/" in text


def tree_digest(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes, for before/after comparisons."""
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.mark.parametrize(
    "breakage",
    [
        pytest.param(lambda data: (data / "agencies.yaml").write_text("- id: [unclosed\n", encoding="utf-8"), id="yaml-syntax"),
        pytest.param(
            lambda data: (data / "plans" / "guobanfa-2016-18.yaml").write_text(
                (data / "plans" / "guobanfa-2016-18.yaml").read_text(encoding="utf-8").replace("id: zhijianzongju", "id: no-such-agency", 1),
                encoding="utf-8",
            ),
            id="unknown-agency",
        ),
    ],
)
def test_a_failed_build_leaves_the_docs_and_the_site_as_they_were(tmp_path, breakage):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    project = tmp_path / "project"
    site, _ = build(project, data, edition=2016)
    docs = project / "docs"
    before_site, before_docs = tree_digest(site), tree_digest(docs)
    assert before_site and before_docs

    breakage(data)
    result = subprocess.run(
        [str(MKDOCS), "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(site)],
        cwd=project, env=dict(os.environ, QP_DATA=str(data), QP_EDITION="2016"),
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert tree_digest(site) == before_site
    assert tree_digest(docs) == before_docs
