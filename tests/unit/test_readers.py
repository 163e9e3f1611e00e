"""What readers look for first (#12): the cite box's reference, region pages, the Atom feed,
plan metadata in gov.cn's order, the home page by date, comparison links on their row."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from generator import urls
from generator.build import Settings, build_edition
from generator.load import load_corpus
from generator.model import Furniture
from generator.corpus import Dataset
from generator.render.citation import reference_head
from generator.render.plan_metadata import plan_metadata, printed_index_number, printed_validity

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "corpus_small"
ATOM = "{http://www.w3.org/2005/Atom}"


def edition_files(data: Path, edition: int, site_url: str = "") -> dict[str, str]:
    corpus = load_corpus(data)
    output = build_edition(Dataset(corpus=corpus, data_dir=data.as_posix()), edition, Settings(site_url=site_url))
    return {path: content.decode("utf-8") for path, content in output.files.items() if path.endswith((".md", ".xml"))}


@pytest.fixture(scope="module")
def real_corpus():
    return load_corpus(ROOT / "data")


@pytest.fixture(scope="module")
def real_2016():
    return edition_files(ROOT / "data", 2016)


def test_reference_follows_gbt_7714_for_an_official_document_online(real_corpus):
    plan = real_corpus.plans_by_id["guobanfa-2016-18"]
    assert reference_head(plan) == "国务院办公厅. 国务院办公厅关于印发贯彻实施质量发展纲要2016年行动计划的通知: 国办发〔2016〕18号[A/OL]. (2016-04-19)"


def test_reference_of_a_joint_document_without_number_names_every_issuer(real_corpus):
    plan = real_corpus.plans_by_id["zhongyang-2023-zhiliang-qiangguo-jianshe-gangyao"]
    head = reference_head(plan)
    assert head.startswith("中共中央, 国务院. ") and head.endswith("[A/OL]. (2023-02-07)") and ": " not in head


def test_cite_box_holds_both_urls_the_doc_number_and_the_reference(real_2016):
    page = real_2016["plans/guobanfa-2016-18/06/index.md"]
    box = page[page.index('!!! quote "引用本条"'):]
    assert '<code data-qp-url="2016/plans/guobanfa-2016-18/06/">/2016/plans/guobanfa-2016-18/06/</code>' in box
    assert '<code data-qp-url="latest/plans/guobanfa-2016-18/06/">/latest/plans/guobanfa-2016-18/06/</code>' in box
    assert "发文字号：国办发〔2016〕18号" in box
    assert "&#91;A/OL&#93;" in box and "<span data-qp-cite-date>引用日期</span>" in box
    assert '<button type="button" class="md-button qp-cite-copy" hidden>复制参考文献</button>' in box
    plan_page = real_2016["plans/guobanfa-2016-18/index.md"]
    assert '!!! quote "引用本文件"' in plan_page and 'data-qp-page="plans/guobanfa-2016-18/"' in plan_page


def test_plan_metadata_in_gov_cn_order_with_the_printed_index_number(real_corpus):
    plan = real_corpus.plans_by_id["guobanfa-2016-18"]
    labels = [label for label, _ in plan_metadata(plan)]
    assert labels == ["索引号", "发文机关", "成文日期", "发文字号", "发布日期", "主题分类", "施行日期"]
    assert printed_index_number(plan) == "000014349/2016-00065"
    assert printed_validity(plan) is None  # gov.cn prints no 时效性: none is shown


def test_validity_only_where_the_source_states_it(real_corpus):
    plan = real_corpus.plans_by_id["yuefuban-2016-112"]
    assert printed_index_number(plan) is None
    assert ("时效性", "现行有效（据采集来源的标注）") in plan_metadata(plan)
    blank = dataclasses.replace(plan, furniture=(Furniture(rule="pkulaw-metadata", line=1, text="•【时效性】"),))
    assert printed_validity(blank) is None


def test_capture_status_is_not_legal_validity(real_2016):
    page = real_2016["plans/guobanfa-2016-18/index.md"]
    assert "| 状态 |" not in page
    assert "| 本站采集 | 全文（指本站收录的文本，不涉及文件的法律效力） |" in page
    assert "| 索引号 | 000014349/2016&#45;00065 |" in page


def test_home_lists_documents_newest_first(real_corpus):
    files = edition_files(ROOT / "data", 2023)
    home = files["index.md"]
    table = home[home.index("## 本版文件"):home.index("## 从这里开始")]
    order = [plan_id for plan_id in real_corpus.plans_by_id if f"(plans/{plan_id}/index.md)" in table]
    positions = sorted(order, key=lambda plan_id: table.index(f"(plans/{plan_id}/index.md)"))
    assert positions[0] == "zhongyang-2023-zhiliang-qiangguo-jianshe-gangyao"
    dates = [(real_corpus.plans_by_id[p].date_written or real_corpus.plans_by_id[p].date_published).iso for p in positions]
    assert dates == sorted(dates, reverse=True)


def test_a_region_page_lists_plans_agencies_with_counterparts_and_national_measures(real_2016):
    page = real_2016[urls.markdown_file(urls.region_path("anhui"))]
    assert page.startswith("---") and "# 安徽省" in page
    assert "](../../plans/wanzhengbanmi-2016-76/index.md)" in page
    assert "| [安徽省质监局](../../agencies/anhui-zhijianju/index.md) | [质检总局](../../agencies/zhijianzongju/index.md) |" in page
    assert "## 落实的国家措施" in page and "(../../plans/guobanfa-2016-18/01/index.md)" in page
    assert "(../../compare/guobanfa-2016-18/index.md#m-guobanfa-2016-18-" in page
    assert "regions/guangdong/index.md" in real_2016 and "regions/chongqing/index.md" in real_2016


def test_region_ids_are_pinyin_without_the_suffix():
    assert urls.region_ids({"安徽省": 2016, "重庆市": 2016, "广东省": 2017}) == {
        "安徽省": "anhui", "重庆市": "chongqing", "广东省": "guangdong"}


def test_regions_that_read_alike_each_get_a_page_and_the_first_keeps_its_id():
    # Real namesakes: two provinces, and two prefecture-level cities in different provinces.
    alone = urls.region_ids({"山西省": 2016, "福州市": 2016})
    assert alone == {"山西省": "shanxi", "福州市": "fuzhou"}
    # A namesake whose plans come later is spelled with its tones; the first keeps the path it was published at.
    later = urls.region_ids({"山西省": 2016, "陕西省": 2019, "福州市": 2016, "抚州市": 2020, "安徽省": 2016})
    assert later == {"山西省": "shanxi", "陕西省": "shan3xi1", "福州市": "fuzhou", "抚州市": "fu3zhou1", "安徽省": "anhui"}
    # First published in the same year: neither was ever alone under the plain id.
    same_year = urls.region_ids({"山西省": 2018, "陕西省": 2018})
    assert same_year == {"山西省": "shan1xi1", "陕西省": "shan3xi1"}
    # The same reading, tones and all (a name written twice with a different suffix): a digest of the name.
    alike = urls.region_ids({"山西省": 2018, "山西市": 2018})
    assert len(set(alike.values())) == 2 and all(value.startswith("shan1xi1-") for value in alike.values())


def test_plan_pages_link_their_region_and_their_comparison(real_2016):
    assert "[安徽省](../../regions/anhui/index.md)" in real_2016["plans/wanzhengbanmi-2016-76/index.md"]
    national = real_2016["plans/guobanfa-2016-18/index.md"]
    assert "逐条对照见[国家与地方对照](../../compare/guobanfa-2016-18/index.md)" in national


def test_every_comparison_link_lands_on_an_anchor_its_page_has(real_2016):
    import re

    for path, page in real_2016.items():
        for target, anchor in re.findall(r"\[国家与地方对照\]\(([^)#]+)#([^)]+)\)", page):
            compare_file = urls.markdown_file(urls.comparison_path(target.split("compare/")[1].split("/")[0]))
            assert f'id="{anchor}"' in real_2016[compare_file], (path, anchor)
    assert any("[国家与地方对照](" in page and "#m-" in page for page in real_2016.values())


def test_redundant_columns_are_gone(real_2016):
    plan = real_2016["plans/guobanfa-2016-18/index.md"]
    assert "| 编号 |" not in plan
    measure = real_2016["plans/guobanfa-2016-18/06/index.md"]
    # Every agency is printed as the registry names it: no 文中写作 column repeating it.
    assert "文中写作 |" not in measure and "| 单位 | 作用 |" in measure


def test_the_feed_is_atom_and_lists_what_is_new(real_2016):
    feed = ElementTree.fromstring(real_2016[urls.whats_new_feed_path()].encode("utf-8"))
    assert feed.tag == f"{ATOM}feed"
    for required in ("title", "id", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None
    entries = feed.findall(f"{ATOM}entry")
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(entries) == 5 and len(set(ids)) == 5 and all(i.startswith("tag:quality-policy-site,2016:plans/") for i in ids)
    links = {entry.find(f"{ATOM}link").get("href") for entry in entries}
    assert "../plans/guobanfa-2016-18/" in links
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert "新增文件：《贯彻实施质量发展纲要2016年行动计划》（国办发〔2016〕18号）" in titles
    # Linked from the page of what is new and from the home page.
    assert "[Atom 订阅源](feed.xml)" in real_2016["whats-new/index.md"]
    assert "(whats-new/feed.xml)" in real_2016["index.md"]


def test_the_feed_with_a_site_url_has_absolute_links():
    feed = ElementTree.fromstring(edition_files(FIXTURE, 2023, "https://example.org/q/")[urls.whats_new_feed_path()].encode("utf-8"))
    hrefs = [link.get("href") for link in feed.iter(f"{ATOM}link")]
    assert hrefs and all(href.startswith("https://example.org/q/2023/") for href in hrefs)


def test_the_feed_escapes_hostile_titles_as_xml(real_corpus):
    plan = dataclasses.replace(real_corpus.plans_by_id["guobanfa-2016-18"], title='<x>&"\'\n]]>')
    corpus = dataclasses.replace(real_corpus, plans=tuple(plan if p.id == plan.id else p for p in real_corpus.plans))
    output = build_edition(Dataset(corpus=corpus, data_dir=(ROOT / "data").as_posix()), 2016)
    feed = ElementTree.fromstring(output.files[urls.whats_new_feed_path()])
    assert any(entry.findtext(f"{ATOM}title") == '新增文件：《<x>&"\'\n]]>》（国办发〔2016〕18号）' for entry in feed.findall(f"{ATOM}entry"))
