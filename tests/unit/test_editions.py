"""Editions: which exist, what each adds, and the "what is new" page."""

from __future__ import annotations

import pytest

from generator import editions
from generator.render import template_env
from generator.render.whats_new import render_whats_new_page
from generator.model import Agency, AgencyRef, Campaign, CampaignRef, Node, Plan, Source
from generator.corpus import Corpus

# The site's own environment: it escapes every printed value for Markdown.
TEMPLATES = template_env()


def measure(measure_id: str, ordinal: int, heading: str, *, agencies=(), campaigns=(), text="正文。") -> Node:
    return Node(
        kind="measure",
        label=f"（{ordinal}）",
        ordinal=ordinal,
        heading=heading,
        text=text,
        id=measure_id,
        agencies=tuple(AgencyRef(id=a, name=a, role="lead") for a in agencies),
        campaigns=tuple(CampaignRef(id=c, name=c) for c in campaigns),
    )


def plan(plan_id: str, year: int, *measures: Node, title: str | None = None) -> Plan:
    return Plan(
        id=plan_id,
        title=title or "计划" + "甲乙丙丁"[ord(plan_id[0]) - ord("a")],
        doc_number=None,
        issuers=("国务院办公厅",),
        level="national",
        region=None,
        year=year,
        source=Source(file=f"{plan_id}.txt", sha256="0" * 64, script="simplified"),
        nodes=(Node(kind="part", label="一、", ordinal=1, heading="部分", text="", children=measures),),
    )


@pytest.fixture
def corpus() -> Corpus:
    return Corpus(
        plans=(
            plan("a-2016-1", 2016, measure("a-2016-1/01", 1, "甲。", agencies=["zhijianzongju"], campaigns=["qingyuan"])),
            plan("b-2016-2", 2016, measure("b-2016-2/01", 1, "乙。", agencies=["zhijianzongju"])),
            plan(
                "c-2023-1",
                2023,
                measure("c-2023-1/01", 1, "丙。", agencies=["zhijianzongju", "shichangjianguanzongju"]),
                measure("c-2023-1/02", 2, "", text="没有标题的措施，" + "很长" * 30, campaigns=["qingyuan", "zhijian-lijian"]),
            ),
        ),
        agencies=(
            Agency(id="shichangjianguanzongju", name="市场监管总局", full_name="国家市场监督管理总局", level="national"),
            Agency(id="zhijianzongju", name="质检总局", full_name="国家质量监督检验检疫总局", level="national"),
            Agency(id="unused", name="未用", full_name="未用", level="national"),
        ),
        campaigns=(
            Campaign(id="qingyuan", name="清源", kind="enforcement", first_year=2016),
            Campaign(id="zhijian-lijian", name="质检利剑", kind="enforcement", first_year=2016),
        ),
    )


def test_editions_are_the_publication_years(corpus: Corpus) -> None:
    assert editions.edition_years(corpus) == (2016, 2023)
    assert editions.newest_edition(corpus) == 2023
    assert editions.previous_edition(corpus, 2023) == 2016
    assert editions.previous_edition(corpus, 2016) is None
    assert editions.newest_edition(Corpus(plans=(), agencies=(), campaigns=())) is None


def test_first_edition_adds_everything_it_holds(corpus: Corpus) -> None:
    changes = editions.edition_changes(corpus, 2016)
    assert changes.previous is None
    assert [p.id for p in changes.plans] == ["a-2016-1", "b-2016-2"]
    assert [m.measure.id for m in changes.measures] == ["a-2016-1/01", "b-2016-2/01"]
    assert [a.id for a in changes.agencies] == ["zhijianzongju"]
    assert [c.id for c in changes.campaigns] == ["qingyuan"]


def test_later_edition_adds_only_what_is_new(corpus: Corpus) -> None:
    changes = editions.edition_changes(corpus, 2023)
    assert changes.previous == 2016
    assert [p.id for p in changes.plans] == ["c-2023-1"]
    assert [m.measure.id for m in changes.measures] == ["c-2023-1/01", "c-2023-1/02"]
    assert [m.ancestors[0].label for m in changes.measures] == ["一、", "一、"]
    # Already named in 2016: not new; the registry entry never named stays out.
    assert [a.id for a in changes.agencies] == ["shichangjianguanzongju"]
    assert [c.id for c in changes.campaigns] == ["zhijian-lijian"]


def test_whats_new_page_links_every_addition_relative_to_itself(corpus: Corpus) -> None:
    pages = render_whats_new_page(corpus, 2023, TEMPLATES)
    assert list(pages) == ["whats-new/index.md"]
    page = pages["whats-new/index.md"]
    assert "# 2023 年版新增内容" in page
    assert "与 2016 年版相比" in page
    assert "[计划丙](../plans/c-2023-1/index.md)" in page
    assert "[（1）丙。](../plans/c-2023-1/01/index.md)" in page
    assert "[市场监管总局](../agencies/shichangjianguanzongju/index.md)（国家市场监督管理总局）" in page
    assert "[质检利剑](../campaigns/zhijian-lijian/index.md)" in page
    assert "计划甲" not in page and "[质检总局]" not in page and "[清源]" not in page
    assert "新增文件 1 件，措施 2 项，首次列为责任单位的机构 1 个，首次提及的专项行动 1 项。" in page


def test_whats_new_page_of_the_first_edition_says_so(corpus: Corpus) -> None:
    page = render_whats_new_page(corpus, 2016, TEMPLATES)["whats-new/index.md"]
    assert "这是本站的第一版" in page
    assert "[计划甲](../plans/a-2016-1/index.md)" in page
    assert "c-2023-1" not in page and "计划丙" not in page


def test_whats_new_page_says_when_a_section_is_empty() -> None:
    corpus = Corpus(plans=(plan("a-2016-1", 2016, measure("a-2016-1/01", 1, "甲。")),), agencies=(), campaigns=())
    page = render_whats_new_page(corpus, 2016, TEMPLATES)["whats-new/index.md"]
    assert "本版没有首次列为责任单位的机构。" in page
    assert "本版没有首次提及的专项行动。" in page


def test_a_measure_without_heading_is_named_by_its_opening_words() -> None:
    # The page lists measures by Node.title, the one short title of every page.
    long = measure("x/02", 2, "", text="没有标题的措施，" + "很长" * 30)
    assert long.title == "（2）没有标题的措施，" + "很长" * 11 + "…"
    assert measure("x/01", 1, "有标题。").title == "（1）有标题。"


def test_data_text_is_escaped_on_the_page() -> None:
    hostile = plan("h-2016-1", 2016, measure("h-2016-1/01", 1, "<script>alert(1)</script>"), title="<b>标题</b>")
    page = render_whats_new_page(Corpus(plans=(hostile,), agencies=(), campaigns=()), 2016, TEMPLATES)
    text = page["whats-new/index.md"]
    assert "<script>" not in text and "<b>" not in text
    assert "&lt;script&gt;" in text
