"""generator.compare: the comparison pages, on corpora built in memory and on the real plans."""

from __future__ import annotations

import html as html_module
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import markdown
import pytest

from generator.align import Override, align_corpus
from generator.compare import compared_plan_ids, measure_anchor, pairing_anchor
from generator.shared_text import mark_shared
from generator.model import Agency, AgencyRef, CampaignRef, Node
from generator.corpus import Corpus

from builders import plan
from generator.urls import comparison_path, markdown_file

from generator.render import template_env
from generator.render.comparison import render_comparison_page
from generator.render.escape import escape_markdown
from generator.render.links import html_href


def comparison_pages(corpus_, env, alignment) -> dict[str, str]:
    """Every comparison page, as generator.render.page_tasks renders them (one task each)."""
    pages: dict[str, str] = {}
    for national_id in compared_plan_ids(corpus_, alignment):
        pages.update(render_comparison_page(corpus_, env, alignment, national_id))
    return pages


PAGE = markdown_file(comparison_path("nat"))


def measure(measure_id, text, heading="", label="", agencies=(), campaigns=()):
    return Node(
        kind="measure",
        label=label,
        ordinal=int(measure_id.rsplit("/", 1)[1]),
        heading=heading,
        text=text,
        id=measure_id,
        agencies=tuple(AgencyRef(id=a, name=name, role="lead") for a, name in agencies),
        campaigns=tuple(CampaignRef(id=c, name=name) for c, name in campaigns),
    )


AGENCIES = (
    Agency(id="zhijianzongju", name="质检总局", full_name="国家质量监督检验检疫总局", level="national"),
    Agency(
        id="anhui-zhijianju",
        name="安徽省质监局",
        full_name="安徽省质量技术监督局",
        level="provincial",
        region="安徽省",
        national_counterpart="zhijianzongju",
    ),
    Agency(id="anhui-jiaoyuting", name="安徽省教育厅", full_name="安徽省教育厅", level="provincial", region="安徽省"),
)


def national_plan(first_text="推进国际贸易单一窗口建设，实现信息互换、监管互认、执法互助。"):
    part = Node(
        kind="part",
        label="一、",
        ordinal=1,
        heading="培育竞争新优势",
        text="",
        children=(
            measure("nat/01", first_text, "推动外贸优进优出。", "（一）", agencies=[("zhijianzongju", "质检总局")]),
            measure("nat/02", "打击通过蚂蚁搬家方式进出口侵权假冒商品。", "促进电子商务产业提质升级。", "（二）"),
            measure("nat/03", "开展质量工作考核，完善考核指标体系。", "加强质量工作考核。", "（三）"),
        ),
    )
    return plan("nat", [part], level="national", title="国家行动计划")


def anhui_plan(first_text="加快国际贸易单一窗口建设，支持合肥跨境电子商务综合试验区建设，新增100家企业。"):
    return plan(
        "anhui",
        [
            measure(
                "anhui/01",
                first_text,
                "推动外贸优进优出。",
                "(一)",
                agencies=[("anhui-zhijianju", "省质监局"), ("anhui-jiaoyuting", "省教育厅")],
                campaigns=[("qingyuan", "清源")],
            ),
            measure("anhui/02", "推动创建中德智慧产业园。", "继续推进开发区转型升级。", "(二)"),
        ],
        implements="nat",
        title="安徽行动计划",
    )


def chongqing_plan():
    return plan(
        "chongqing",
        [
            measure("chongqing/01", "严厉打击通过蚂蚁搬家方式进出口侵权假冒商品的违法行为。", label="1．"),
            measure("chongqing/02", "开展质量工作考核，完成2015―2016年度考核任务。", label="2．"),
            measure("chongqing/03", "推进国际贸易单一窗口建设，推动渝新欧扩量增效。", label="3．"),
        ],
        implements="nat",
        region="重庆市",
        level="municipal",
        title="重庆行动计划",
    )


def corpus(*plans):
    return Corpus(plans=tuple(plans), agencies=AGENCIES, campaigns=())


def render(corpus_, overrides=()):
    return comparison_pages(corpus_, template_env(), align_corpus(corpus_, overrides))


def html_of(page: str) -> str:
    body = page.split("---\n", 2)[2]  # front matter
    return markdown.markdown(body, extensions=["toc", "tables", "md_in_html", "attr_list"])


def test_one_page_per_implemented_national_plan_at_its_path():
    other_national = plan("nat2", [measure("nat2/01", "别的计划。")], level="national")
    pages = render(corpus(national_plan(), other_national, anhui_plan(), chongqing_plan()))
    assert list(pages) == [PAGE]
    assert PAGE == "compare/nat/index.md"


def test_no_implementing_plan_no_page():
    assert render(corpus(national_plan())) == {}


def test_every_national_measure_has_a_row_with_one_column_per_implementing_plan():
    page = render(corpus(national_plan(), anhui_plan(), chongqing_plan()))[PAGE]
    html = html_of(page)
    for number in ("01", "02", "03"):
        assert f'id="{measure_anchor(f"nat/{number}")}"' in html
        for local in ("anhui", "chongqing"):
            assert f'id="{pairing_anchor(f"nat/{number}", local)}"' in html
    assert html.count('class="qp-row"') == 3
    # Markdown kept every row as raw HTML: no <p> wrapped around a block, no stray code block.
    assert "<p><div" not in html and "<pre>" not in html
    assert 'style="--qp-columns: 3"' in html
    # Headings of parts and measures reach the table of contents.
    assert "<h3" in html and "一、培育竞争新优势" in html
    assert "（一）推动外贸优进优出" in html


def test_counterparts_are_shown_with_score_and_shared_phrases_marked():
    page = render(corpus(national_plan(), anhui_plan(), chongqing_plan()))[PAGE]
    row = _section(page, pairing_anchor("nat/01", "anhui"))
    assert "../../plans/anhui/01/" in row
    assert re.search(r"得分 0\.\d\d · 最佳对应 · <span class=\"qp-source\">计算</span>", row)
    assert "<mark>国际贸易单一窗口建设，</mark>" in row
    # What the local plan adds: a figure and a place, a campaign, an agency without national counterpart.
    assert '<ins class="qp-add" title="地方增加">100</ins>' in row
    assert '<ins class="qp-add" title="地方增加">安徽</ins>' not in row  # 安徽 is not in this text …
    assert "新增行动：<ins" in row and "清源" in row
    assert '<a href="../../agencies/anhui-zhijianju/">省质监局</a>' in row
    assert re.search(r'<ins class="qp-add" title="国家措施中没有对应部门"><a href="../../agencies/anhui-jiaoyuting/">省教育厅</a></ins>', row)


def test_gaps_and_local_additions_appear():
    page = render(corpus(national_plan(), anhui_plan(), chongqing_plan()))[PAGE]
    assert "缺口：本计划没有措施落实这一条。" in _section(page, pairing_anchor("nat/02", "anhui"))
    assert "缺口" not in _section(page, pairing_anchor("nat/02", "chongqing"))
    additions = _section(page, "additions--anhui")
    assert "../../plans/anhui/02/" in additions and "中德智慧产业园" in additions
    assert "每一条措施都落实了" in _section(page, "additions--chongqing")
    summary = page[page.index('<table class="qp-summary">') : page.index("</table>")]
    assert 'href="#m-nat-02">（二）</a>' in summary


def test_reviewed_pairings_say_so():
    overrides = [Override(local="anhui/02", national="nat/03", decision="pin", note="考核")]
    page = render(corpus(national_plan(), anhui_plan()), overrides)[PAGE]
    cell = _section(page, pairing_anchor("nat/03", "anhui"))
    assert "../../plans/anhui/02/" in cell and "人工审定" in cell and "qp-reviewed" in cell
    assert "additions--anhui" in page and "中德智慧产业园" not in _section(page, "additions--anhui")


def test_coverage_svg_is_embedded_and_links_to_the_pairings():
    page = render(corpus(national_plan(), anhui_plan(), chongqing_plan()))[PAGE]
    svg = page[page.index("<svg") : page.index("</svg>") + len("</svg>")]
    root = ET.fromstring(svg)
    hrefs = [a.get("href") for a in root.iter("{http://www.w3.org/2000/svg}a")]
    assert hrefs == [f"#{pairing_anchor(f'nat/{n}', p)}" for n in ("01", "02", "03") for p in ("anhui", "chongqing")]
    html = html_of(page)
    for href in hrefs:
        assert f'id="{href[1:]}"' in html


def test_script_in_measure_text_shows_as_text():
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)> 单一窗口 **粗** [链接](http://evil)'
    national = national_plan(first_text=hostile)
    part = national.nodes[0]
    hostile_heading = replace(part.children[0], heading="<script>alert(2)</script>推动外贸。")
    national = replace(national, nodes=(replace(part, children=(hostile_heading,) + part.children[1:]),))
    page = render(corpus(national, anhui_plan(first_text=hostile + "，单一窗口建设。")))[PAGE]
    html = html_of(page)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "<script>alert(2)" not in page  # heading, coverage label and tooltip alike
    # Shown as its literal characters: escaped, so it reads back as the text itself.
    assert "&lt;script&gt;alert&#40;&quot;x&quot;&#41;&lt;/script&gt;" in page
    assert '<script>alert("x")</script>' in html_module.unescape(html)
    assert '<a href="http://evil"' not in html


def test_markdown_heading_text_is_escaped():
    # The comparison page's headings go through the one escaper, as every page's do.
    heading = markdown.markdown("# " + escape_markdown("a *b* [c](d) <e> #f"))
    assert heading.startswith("<h1>") and "<em>" not in heading and "<a " not in heading
    assert html_module.unescape(heading) == "<h1>a *b* [c](d) <e> #f</h1>"


def test_mark_shared_escapes_every_piece():
    marked = mark_shared("开展<b>质量提升行动</b>，新增5家", "深入开展质量提升行动。")
    assert str(marked) == (
        "开展&lt;b&gt;<mark>质量提升行动</mark>&lt;/b&gt;，新增"
        '<ins class="qp-add" title="地方增加">5</ins>家'
    )


def test_local_words_and_quoted_names_are_marked_as_additions():
    marked = str(mark_shared("全省推进“渝新欧”扩量，重庆口岸", "推进“一带一路”建设。", "重庆市"))
    assert '<ins class="qp-add" title="地方增加">全省</ins>' in marked
    assert '<ins class="qp-add" title="地方增加">“渝新欧”</ins>' in marked
    assert '<ins class="qp-add" title="地方增加">重庆</ins>' in marked
    # A quoted name the national text also has is shared, not added.
    shared = str(mark_shared("结合“一带一路”战略", "推动“一带一路”建设", None))
    assert shared == "结合<mark>“一带一路”</mark>战略"


def test_html_href_works_from_a_comparison_page():
    assert html_href("compare/nat/", "plans/nat/01/") == "../../plans/nat/01/"
    assert html_href("compare/nat/", "alignment-method/") == "../../alignment-method/"


def _section(page: str, element_id: str) -> str:
    """The element with `element_id`, up to its own closing tag (same-named tags nest)."""
    start = page.index(f'id="{element_id}"')
    tag = page.rfind("<", 0, start)
    name = re.match(r"<(\w+)", page[tag:]).group(1)
    depth = 0
    for match in re.finditer(rf"<(/?){name}\b[^>]*>", page[tag:]):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return page[tag : tag + match.end()]
    raise AssertionError(f"unclosed <{name}> #{element_id}")


def real_corpus():
    from generator.load import load_corpus

    return load_corpus(Path(__file__).resolve().parents[2] / "data")


def test_real_comparison_page_for_guobanfa_2016_18():
    corpus_ = real_corpus()
    implementing = [p for p in corpus_.plans if p.implements == "guobanfa-2016-18"]
    assert {p.region for p in implementing} >= {"安徽省", "重庆市"}
    pages = comparison_pages(corpus_, template_env(), align_corpus(corpus_))
    page = pages[markdown_file(comparison_path("guobanfa-2016-18"))]
    html = html_of(page)
    assert html.count('class="qp-row"') == 18
    for measure_ in corpus_.plan("guobanfa-2016-18").measures:
        for local in implementing:
            assert f'id="{pairing_anchor(measure_.id, local.id)}"' in html
    assert "<svg" in page and "缺口" in page and "地方新增措施" in page
    assert "<p><div" not in html and "<pre>" not in html


@pytest.mark.parametrize("anchor", ["m-guobanfa-2016-18-13--wanzhengbanmi-2016-76"])
def test_real_anhui_leaves_e_commerce_to_others(anchor):
    # 安徽 has no measure on 电子商务 (national （十三）): a careful reader's gap.
    corpus_ = real_corpus()
    page = comparison_pages(corpus_, template_env(), align_corpus(corpus_))["compare/guobanfa-2016-18/index.md"]
    assert "缺口" in _section(page, anchor)


def test_two_plans_of_one_region_get_distinct_columns():
    second = replace(anhui_plan(), id="anhui2", doc_number="皖政办〔2017〕1号", year=2017)
    second = replace(second, nodes=tuple(replace(m, id=m.id.replace("anhui/", "anhui2/")) for m in second.nodes))
    page = render(corpus(national_plan(), anhui_plan(), second))[PAGE]
    assert ">安徽省（anhui）<" not in page
    assert '<p class="qp-col-head">安徽省</p>' not in page
    assert "安徽省（皖政办〔2017〕1号）" in page and "安徽省（2016）" in page


def test_many_implementing_plans_wrap_at_four_columns_a_line():
    copies = []
    for n in range(5):
        copy = replace(anhui_plan(), id=f"a{n}", region=f"省{n}")
        copies.append(replace(copy, nodes=tuple(replace(m, id=m.id.replace("anhui/", f"a{n}/")) for m in copy.nodes)))
    page = render(corpus(national_plan(), *copies))[PAGE]
    assert page.count('style="--qp-columns: 4"') == 3
    assert page.count('class="qp-cell qp-local"') == 15
