"""The theme's side of the site, checked in HTML built by the real `mkdocs build --strict`.

Titles from data are escaped exactly once wherever the theme prints them;
heading ids never take Material's element ids; the copies of Material's
partials still match the installed Material; UI strings, the 404 page and the
redirect pages are Chinese; the engineering pages stay out of the site.
"""

from __future__ import annotations

import re
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import material
import mike.commands
import pytest
from theme_sites import (
    END_TITLE,
    HOSTILE_PAGES,
    MATERIAL_ID,
    ROOT,
    SVG,
    build_site,
    english_ui_in,
    hostile_data,
)

pytestmark = pytest.mark.slow

MATERIAL_TEMPLATES = Path(material.__file__).parent / "templates"
OVERRIDES = ROOT / "overrides"
SITE_NAME = "质量政策参考"
ENGINEERING_PAGES = ["bad-input", "data-format", "editors", "performance", "search", "urls"]


class Page(HTMLParser):
    """What the tests look at in one built page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.shapes: set[tuple[str, str]] = set()
        self.ids: list[str] = []
        self.heading_ids: list[str] = []
        self.headerlink_titles: list[str] = []
        self.title = ""
        self.header_topic = ""
        self._in: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.shapes.add((tag, ""))
        self.shapes.update((tag, name) for name, _ in attrs)
        if "id" in attributes:
            self.ids.append(attributes["id"])
            if re.fullmatch("h[1-6]", tag):
                self.heading_ids.append(attributes["id"])
        if "headerlink" in (attributes.get("class") or "").split():
            self.headerlink_titles.append(attributes.get("title") or "")
        if tag == "title" and not self.title:
            self._in.append("title")
        if attributes.get("data-md-component") == "header-topic":
            self._in.append("topic")

    def handle_endtag(self, tag):
        if tag == "title" and "title" in self._in:
            self._in.remove("title")
        if tag == "div" and "topic" in self._in:
            self._in.remove("topic")

    def handle_data(self, data):
        if "title" in self._in:
            self.title += data
        if "topic" in self._in:
            self.header_topic += data


def pages(site: Path) -> dict[str, Page]:
    return {
        path.relative_to(site).parent.as_posix() + "/": Page(path.read_text(encoding="utf-8"))
        for path in sorted(site.rglob("index.html"))
    }


@pytest.fixture(scope="module")
def clean_site(tmp_path_factory) -> Path:
    from theme_sites import CORPUS

    return build_site(tmp_path_factory.mktemp("theme-clean"), CORPUS)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("theme-hostile")
    return build_site(base / "project", hostile_data(base / "data"))


def test_hostile_titles_add_no_element_or_attribute(clean_site, hostile_site):
    allowed = set().union(*(page.shapes for page in pages(clean_site).values()))
    for path, page in pages(hostile_site).items():
        extra = page.shapes - allowed
        assert not extra, f"{path}: markup a clean build does not have: {sorted(extra)}"


@pytest.mark.parametrize("path", sorted(HOSTILE_PAGES))
def test_a_hostile_title_shows_as_its_characters_in_title_and_header(hostile_site, path):
    page = pages(hostile_site)[path]
    hostile = HOSTILE_PAGES[path]
    # Decoded once by the parser, the text is the data's own characters: escaped
    # exactly once (twice would show "&lt;", not at all would be markup).
    assert hostile in page.title, page.title
    assert page.title.strip().endswith(" - " + SITE_NAME), page.title
    assert hostile in " ".join(page.header_topic.split()), page.header_topic


def test_the_raw_payload_is_in_no_page(hostile_site):
    for path in hostile_site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for payload in (SVG, END_TITLE, "<img src=x", "<svg onload"):
            assert payload not in text, f"{path.relative_to(hostile_site)} holds {payload!r} unescaped"


def test_no_heading_takes_an_id_of_materials_elements(hostile_site):
    for path, page in pages(hostile_site).items():
        assert page.ids.count(MATERIAL_ID) == 1, f"{path}: {page.ids.count(MATERIAL_ID)} elements with id {MATERIAL_ID}"
        taken = [id_ for id_ in page.heading_ids if id_.startswith("__")]
        assert not taken, f"{path}: headings with ids of Material's kind: {taken}"
    # The agency named "__config" still has its heading, under an id of its own.
    agency = pages(hostile_site)["agencies/gongshangzongju/"]
    assert agency.heading_ids and agency.heading_ids[0] == "config"


def test_anchor_links_have_a_chinese_tooltip(clean_site):
    titles = {title for page in pages(clean_site).values() for title in page.headerlink_titles}
    assert titles == {"本节的链接"}


def test_no_page_shows_an_english_ui_string(clean_site):
    for path in sorted(clean_site.rglob("*.html")):
        found = english_ui_in(UiText(path.read_text(encoding="utf-8")).text)
        assert not found, f"{path.relative_to(clean_site)}: {found}"


class UiText(HTMLParser):
    """The text a reader sees or hears: text outside scripts and code, and the labels of elements."""

    LABELS = ("title", "aria-label", "placeholder", "alt")

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0
        self.feed(page)
        self.close()

    @property
    def text(self) -> str:
        return "\n".join(self.parts)

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code", "pre", "svg"):
            self._hidden += 1
        self.parts += [value for name, value in attrs if name in self.LABELS and value]

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code", "pre", "svg") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def test_engineering_pages_stay_out_of_the_site(clean_site):
    for name in ENGINEERING_PAGES:
        assert (ROOT / "docs" / f"{name}.md").is_file(), f"docs/{name}.md: the developer documentation is gone"
        assert not (clean_site / name).exists(), f"{name}/ is published"
    published = pages(clean_site)
    for path, heading in (("addresses/", "网址规则"), ("alignment-method/", "对照方法")):
        assert heading in published[path].title
    method = (clean_site / "alignment-method" / "index.html").read_text(encoding="utf-8")
    assert "得分是什么意思" in method


def test_the_404_page_is_chinese_and_loads_from_its_edition_root(clean_site):
    text = (clean_site / "404.html").read_text(encoding="utf-8")
    page = Page(text)
    assert page.title.strip() == f"页面不存在 - {SITE_NAME}"
    assert "<h1>页面不存在</h1>" in text
    # Every asset and link is relative to the <base> the page sets first;
    # a URL from the host root would miss every edition (issue 12).
    urls = re.findall(r'(?:href|src)="([^"]*)"', text)
    assert urls and not [url for url in urls if url.startswith("/")], urls
    assert text.index("document.createElement(\"base\")") < text.index("stylesheets/main.")


def test_with_a_site_url_the_404_falls_back_to_its_edition_and_print_names_the_full_url(tmp_path):
    from theme_sites import CORPUS

    site = build_site(tmp_path, CORPUS, site_url="https://example.org/quality/")
    assert 'var root = "/quality/2023/";' in (site / "404.html").read_text(encoding="utf-8")
    plan = (site / "plans" / "guobanfa-2016-18" / "index.html").read_text(encoding="utf-8")
    assert "data-qp-page-url>https://example.org/quality/2023/plans/guobanfa-2016-18/</span>" in plan
    assert "2023年版" in plan[plan.index('class="qp-print-notice"'):]


def test_header_copy_differs_from_materials_only_by_its_changes():
    ours = (OVERRIDES / "partials" / "header.html").read_text(encoding="utf-8")
    theirs = (MATERIAL_TEMPLATES / "partials" / "header.html").read_text(encoding="utf-8")
    title = """            {% if page.meta and page.meta.title %}
              {{ page.meta.title }}
            {% else %}
              {{ page.title }}
            {% endif %}
"""
    search_start = '    {% if "material/search" in config.plugins %}\n'
    search_end = '        {% include "partials/search.html" %}\n      {% endif %}\n    {% endif %}\n'
    assert title in theirs and search_start in theirs and search_end in theirs, (
        "Material's header.html changed: re-copy it into overrides/partials/header.html and redo the marked changes"
    )
    search = theirs[theirs.index(search_start):theirs.index(search_end) + len(search_end)]
    expected = theirs.replace(title, "            {{ titles.page_title(page) }}\n").replace(
        search,
        "    {#- Always the site's own search (partials/search.html: button, dialog and\n"
        "        script); Material's condition on its search plugin is dropped because\n"
        "        that plugin is off. Otherwise a copy of Material 9.7's header. -#}\n"
        '    {% include "partials/search.html" %}\n',
    )
    assert _body(ours) == _body(expected)


def test_content_copy_differs_from_materials_only_by_the_title():
    ours = (OVERRIDES / "partials" / "content.html").read_text(encoding="utf-8")
    theirs = (MATERIAL_TEMPLATES / "partials" / "content.html").read_text(encoding="utf-8")
    heading = "  <h1>{{ page.title | d(config.site_name, true)}}</h1>\n"
    assert heading in theirs, "Material's content.html changed: re-copy it into overrides/partials/content.html"
    expected = theirs.replace(heading, "  <h1>{{ titles.page_title(page) or config.site_name | e }}</h1>\n")
    assert _body(ours) == _body(expected)


def test_site_meta_block_differs_from_materials_only_by_escaping():
    ours = (OVERRIDES / "main.html").read_text(encoding="utf-8")
    theirs = (MATERIAL_TEMPLATES / "base.html").read_text(encoding="utf-8")
    block = re.compile(r"^ *\{% block site_meta %\}\n.*?^ *\{% endblock %\}\n", re.S | re.M)
    expected = textwrap.dedent(block.search(theirs).group())
    for text in ("page.meta.description", "config.site_description", "page.meta.author", "config.site_author"):
        assert "{{ %s }}" % text in expected, "Material's site_meta changed: re-copy it into overrides/main.html"
        expected = expected.replace("{{ %s }}" % text, "{{ %s | e }}" % text)
    assert block.search(ours).group() == expected


def _body(template: str) -> str:
    """A template without its leading comment and the import of the title macro."""
    template = re.sub(r"\A\{#-.*?-#\}\n", "", template, flags=re.S)
    return template.replace('{% import "partials/page-title.html" as titles %}\n', "")


def test_mikes_root_redirect_template_is_chinese():
    template = mike.commands._redirect_template(str(OVERRIDES / "redirects" / "mike.html"))
    text = template.render(href="latest/")
    assert '<html lang="zh-CN">' in text
    assert "正在转到" in text and "Redirecting" not in text
    assert 'window.location.replace(\n      "latest/"' in text
    assert "<script>alert" not in template.render(href='"><script>alert(1)</script>')


def test_the_redirect_stub_template_is_chinese():
    # mkdocs-redirects fills its stub with str.format(url=…).
    text = (OVERRIDES / "redirects" / "page.html").read_text(encoding="utf-8").format(url="../new/")
    assert '<html lang="zh-CN">' in text
    assert "本页已移到" in text and "redirected" not in text
    assert text.count("../new/") == 4
