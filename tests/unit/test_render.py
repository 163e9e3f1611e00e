"""Rendering: the escaping filter and the pages of an edition, as generator.build makes them."""

from __future__ import annotations

import html
from pathlib import Path

import jinja2
import markdown
import pytest

from generator import urls
from generator.errors import GeneratorError
from generator.build import Settings, build_edition
from generator.commands import render_edition
from generator.load import load_corpus
from generator.corpus import Corpus, Dataset
from generator.render import (
    escape_markdown,
    pinyin_initial,
    template_env,
)

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "corpus_small"

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    "[click](javascript:alert(3))",
    "![pic](http://evil.example/x.png)",
    "<!-- hidden -->",
    "{{ 7*7 }} {% if true %}x{% endif %}",
    "# not a heading",
    "---",
    "    four spaces, not code",
    "*em* _em_ `code` | pipe ~~del~~ \\ back",
    "{: .attr-injection }",
    '=== "tab"',
    "!!! warning",
    "1. not a list",
    "&amp; stays &amp;",
]


def to_html(text: str) -> str:
    # The extensions of mkdocs.yml that could give ASCII punctuation a meaning.
    return markdown.markdown(
        text, extensions=["tables", "attr_list", "md_in_html", "admonition", "pymdownx.tabbed", "pymdownx.superfences"]
    )


def render_pages(corpus: Corpus, edition: int, site_url: str = "") -> dict[str, str]:
    """The Markdown pages of the edition, through the one function that builds every edition."""
    output = build_edition(Dataset(corpus=corpus, data_dir=FIXTURE.as_posix()), edition, Settings(site_url=site_url))
    return {path: content.decode("utf-8") for path, content in output.files.items() if path.endswith(".md")}


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(FIXTURE)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_escaped_text_renders_as_its_literal_characters(hostile):
    rendered = to_html(str(escape_markdown(hostile)))
    assert rendered.startswith("<p>") and rendered.endswith("</p>")
    inner = rendered[len("<p>") : -len("</p>")]
    assert "<" not in inner, inner
    assert html.unescape(inner) == hostile


def test_escaping_keeps_a_multiline_value_on_one_markdown_line():
    escaped = str(escape_markdown("第一行\n# 第二行\r\n    第三行"))
    assert "\n" not in escaped
    assert html.unescape(to_html(escaped)) == "<p>第一行<br># 第二行<br>    第三行</p>"


def test_chinese_text_passes_unchanged():
    assert escape_markdown("（一）深入开展“质检利剑”行动。") == "（一）深入开展“质检利剑”行动。"


def test_every_printed_value_is_escaped_by_default_and_markup_is_not():
    env = template_env()
    template = env.from_string("{{ text }}|{{ items|join('、') }}|{{ text|e }}|{{ trusted }}")
    from markupsafe import Markup

    out = template.render(text="<b>[x]</b>", items=["*a*", "#b"], trusted=Markup("<mark>ok</mark>"))
    assert out == (
        "&lt;b&gt;&#91;x&#93;&lt;/b&gt;|&#42;a&#42;、&#35;b|"
        "&lt;b&gt;&#91;x&#93;&lt;/b&gt;|<mark>ok</mark>"
    )


def test_numbers_print_as_the_escaper_writes_them_and_are_not_confused_with_text():
    # {{ }} prints what the escaper returns as is (no second escape): every kind of value still reaches it.
    template = template_env().from_string("{{ a }}|{{ b }}|{{ c }}|{{ d }}|{{ e }}|{{ f }}|{{ a }}")
    out = template.render(a=-1, b="-1", c=True, d=1.5, e=1, f="<1>")
    assert out == "&#45;1|&#45;1|True|1&#46;5|1|&lt;1&gt;|&#45;1"


def test_the_environment_refuses_undefined_names():
    with pytest.raises(jinja2.UndefinedError):
        template_env().from_string("{{ missing }}").render()


def test_an_edition_has_a_page_for_every_plan_measure_agency_and_campaign(corpus):
    pages = render_pages(corpus, 2016)
    edition = corpus.up_to(2016)
    for path in urls.page_paths(edition):
        assert urls.markdown_file(path) in pages, path
    for index in ("index.md", "plans/index.md", "agencies/index.md", "campaigns/index.md", "compare/index.md", "data/index.md"):
        assert index in pages
    # The 2023 plan is not in the 2016 edition.
    assert not any(path.startswith("plans/zhonggong-2023") for path in pages)
    assert "zhonggong-2023" in "".join(render_pages(corpus, 2023))


def test_every_character_of_a_measure_reaches_its_page(corpus):
    pages = render_pages(corpus, 2023)
    for plan in corpus.plans:
        for measure in plan.measures:
            page = html.unescape(pages[urls.markdown_file(urls.measure_path(measure.id))])
            for part in (measure.label + measure.heading, measure.responsibility, *measure.text.split("\n")):
                assert part in page, (measure.id, part)
            if measure.text_simplified:
                assert measure.text_simplified in page


def test_the_traditional_plan_shows_simplified_with_the_original_in_a_tab(corpus):
    page = render_pages(corpus, 2023)["plans/zhonggong-2023-zhiliang-qiangguo-jianshe-gangyao/02/index.md"]
    simplified, original = page.index('=== "简体"'), page.index('=== "原文（繁体）"')
    assert simplified < page.index("实施“质检利剑”行动。") < original < page.index("實施「質檢利劍」行動。")


def test_a_measure_page_cites_its_edition_and_latest_urls(corpus):
    page = render_pages(corpus, 2016, site_url="https://example.org/q/")["plans/guobanfa-2016-18/02/index.md"]
    assert '<code data-qp-url="2016/plans/guobanfa-2016-18/02/">https://example.org/q/2016/plans/guobanfa-2016-18/02/</code>' in page
    assert '<code data-qp-url="latest/plans/guobanfa-2016-18/02/">https://example.org/q/latest/plans/guobanfa-2016-18/02/</code>' in page
    assert "[质检总局](../../../agencies/zhijianzongju/index.md) | 牵头" in page
    assert "[工商总局](../../../agencies/gongshangzongju/index.md) | 协助" in page
    assert "上一条：[（一）深入开展质量提升行动。](../01/index.md)" in page


def test_jsonld_in_front_matter_is_valid_yaml_with_script_safe_json(corpus):
    import yaml

    page = render_pages(corpus, 2016)["plans/guobanfa-2016-18/index.md"]
    front = yaml.safe_load(page.split("---\n")[1])
    assert front["title"] == "贯彻实施质量发展纲要2016年行动计划"
    assert front["jsonld"]["@type"] == "Legislation"
    assert front["jsonld"]["identifier"] == "国办发〔2016〕18号"
    assert front["jsonld"]["legislationPassedBy"] == [{"@type": "Organization", "name": "国务院办公厅"}]


def test_a_page_path_with_unsafe_characters_stops_the_build(corpus):
    with pytest.raises(GeneratorError, match="unsafe characters"):
        template_env().from_string("{{ link('plans/x\"onmouseover=1/') }}").render(page_path="")


def test_an_edition_without_plans_is_refused(corpus):
    with pytest.raises(GeneratorError, match="no plan was published in 2019"):
        render_pages(corpus, 2019)


def test_titles_and_pinyin_initials():
    from generator.model import Node

    assert Node(kind="measure", label="(一)", ordinal=1, heading="推動。", text="", heading_simplified="推动。").title == "(一)推动。"
    assert Node(kind="measure", label="", ordinal=1, heading="", text="甲" * 40).title == "甲" * 30 + "…"
    assert [pinyin_initial(name) for name in ("质检总局", "安徽省质监局", "重庆市质监局", "2016行动")] == ["Z", "A", "C", "#"]


def test_render_edition_writes_the_newest_edition_by_default(tmp_path, capsys):
    assert render_edition(FIXTURE, tmp_path / "md") == 0
    assert (tmp_path / "md/plans/zhonggong-2023-zhiliang-qiangguo-jianshe-gangyao/index.md").is_file()
    assert "edition 2023" in capsys.readouterr().out
    # The open data page lists the files written beside it, as in the built site.
    assert "[measures&#46;json](measures.json)" in (tmp_path / "md/data/index.md").read_text(encoding="utf-8")
    assert (tmp_path / "md/data/measures.json").is_file()


def test_a_measure_page_links_its_aligned_counterparts_both_ways(corpus):
    pages = render_pages(corpus, 2016)
    national = pages["plans/guobanfa-2016-18/02/index.md"]
    local = pages["plans/wanzhengbanmi-2016-76/02/index.md"]
    assert "## 对应措施" in national and "](../../wanzhengbanmi-2016-76/02/index.md)：得分" in national
    assert "](../../guobanfa-2016-18/02/index.md)：得分" in local
    # Each link lands on the pair's cell of the comparison, not the page's top.
    assert "[国家与地方对照](../../../compare/guobanfa-2016-18/index.md#m-guobanfa-2016-18-02--wanzhengbanmi-2016-76)" in local
    assert "[国家与地方对照](../../../compare/guobanfa-2016-18/index.md#m-guobanfa-2016-18-02--wanzhengbanmi-2016-76)" in national


@pytest.mark.parametrize(
    "source, target",
    [
        ("index.md", "plans/index.md"),
        ("plans/a/index.md", "plans/a/01/index.md"),
        ("plans/a/01/index.md", "plans/a/index.md"),
        ("plans/a/01/index.md", "agencies/x/index.md"),
        ("agencies/x/index.md", "about.md"),
        ("plans/a/index.md", "sources/f.txt"),
        ("plans/a/index.md", "plans/ab/index.md"),
    ],
)
def test_relative_link_agrees_with_relpath(source, target):
    import posixpath

    from generator.render import relative_link

    assert relative_link(source, target) == posixpath.relpath(target, posixpath.dirname(source) or ".")


def test_the_last_measure_of_an_incomplete_capture_says_so(corpus):
    import dataclasses

    from generator.corpus import Corpus

    plan = dataclasses.replace(corpus.plan("guobanfa-2016-18"), incomplete=True, incomplete_note="截断于第九行。")
    pages = render_pages(Corpus(plans=(plan,), agencies=corpus.agencies, campaigns=corpus.campaigns), 2016)
    assert '!!! warning "采集不完整"' in pages["plans/guobanfa-2016-18/index.md"]
    assert "截断于第九行。" in pages["plans/guobanfa-2016-18/03/index.md"]
    assert "采集不完整" not in pages["plans/guobanfa-2016-18/02/index.md"]


def test_the_traditional_preamble_is_shown_simplified_with_the_original_one_tab_away():
    from generator.load import load_corpus

    real = load_corpus(Path(__file__).resolve().parents[2] / "data")
    page = render_pages(real, 2023)["plans/zhongyang-2023-zhiliang-qiangguo-jianshe-gangyao/index.md"]
    simplified = page.index("近日，中共中央、国务院印发了《质量强国建设纲要》，并发出通知")
    original = page.index("近日,中共中央、國務院印發了《品質強國建設綱要》")
    assert page.index('=== "简体"') < simplified < page.index('=== "原文（繁体）"') < original
