"""Metadata from page tables and from the document's own lines."""

from __future__ import annotations

import pytest

from generator.ingest.furniture import Furniture
from generator.ingest.metadata import printed_date, read_metadata
from generator.ingest.paragraphs import Paragraph, make_paragraphs


@pytest.mark.parametrize(
    ("printed", "iso"),
    [("2016年04月04日", "2016-04-04"), ("2016年4月4日", "2016-04-04"), ("2016.10.25", "2016-10-25"), ("2023-02-06", "2023-02-06"),
     ("二〇二四年五月八日", "2024-05-08"), ("二○二四年十二月三十一日", "2024-12-31"), ("二零一九年一月二十四日", "2019-01-24")],
)
def test_printed_dates(printed, iso):
    assert printed_date(printed) == {"printed": printed, "iso": iso}


def test_not_a_date():
    assert printed_date("01.06.2016  22:50") is None


def paragraphs(*texts: str) -> list[Paragraph]:
    return [Paragraph(text=text, first_line=n, last_line=n) for n, text in enumerate(texts, start=1)]


def test_title_doc_number_issuer_and_date_from_the_document_itself():
    meta = read_metadata(
        [],
        paragraphs(
            "安徽省人民政府办公厅关于 印发贯彻质量发展纲要推进质量安徽建设2016年行动计划的通知 皖政办秘〔2016〕76号",
            "各市、县人民政府:",
            "安徽省人民政府办公厅",
            "2016年5月24日",
            "为贯彻落实《国务院办公厅关于印发贯彻实施质量发展纲要2016年行动计划的通知》(国办发〔2016〕18号)要求,制定本计划。",
        ),
        [],
        "simplified",
    )
    assert meta.doc_number == "皖政办秘〔2016〕76号"
    assert meta.full_title == "安徽省人民政府办公厅关于印发贯彻质量发展纲要推进质量安徽建设2016年行动计划的通知"
    assert meta.title == "贯彻质量发展纲要推进质量安徽建设2016年行动计划"
    assert meta.issuers == ["安徽省人民政府办公厅"]
    assert (meta.level, meta.region, meta.year) == ("provincial", "安徽省", 2016)


def test_cited_doc_number_is_not_the_documents_own():
    meta = read_metadata(
        [],
        paragraphs("《重庆市行动计划》已经市政府同意。", "重庆市人民政府办公厅", "2016年6月23日",
                   "根据《通知》（国办发〔2016〕18号）要求，制定本计划。"),
        [],
        "simplified",
    )
    assert meta.doc_number is None and meta.title == "重庆市行动计划"
    assert (meta.level, meta.region) == ("municipal", "重庆市")


def test_traditional_table_with_two_issuers_and_an_empty_doc_number():
    table = [
        Furniture("beijing-metadata", 1, "2. [發文機構] 中共中央"),
        Furniture("beijing-metadata", 2, "3. [聯合發文單位] 國務院"),
        Furniture("beijing-metadata", 3, "5. [成文日期] 2023-02-06"),
        Furniture("beijing-metadata", 4, "6. [發文字號] 〔〕"),
        Furniture("beijing-metadata", 5, "8. [發佈日期] 2023-02-07"),
    ]
    meta = read_metadata(table, paragraphs("近日,中共中央、國務院印發了《品質強國建設綱要》。"), [], "traditional")
    assert meta.issuers == ["中共中央", "国务院"]
    assert meta.doc_number is None
    assert (meta.title, meta.title_as_printed) == ("质量强国建设纲要", "品質強國建設綱要")
    assert meta.date_published == {"printed": "2023-02-07", "iso": "2023-02-07"}
    assert (meta.level, meta.region, meta.year) == ("national", None, 2023)


def test_pkulaw_table():
    table = [
        Furniture("pkulaw-metadata", 1, "•【制定机关】广东省人民政府办公厅"),
        Furniture("pkulaw-metadata", 2, "•【公布日期】2016.10.25"),
        Furniture("pkulaw-metadata", 3, "•【字号】粤府办〔2016〕112号"),
        Furniture("pkulaw-metadata", 4, "•【施行日期】2016.10.25"),
        Furniture("pkulaw-metadata", 5, "•【主题分类】质量管理和监督"),
    ]
    meta = read_metadata(table, [], [], "simplified")
    assert meta.issuers == ["广东省人民政府办公厅"] and meta.doc_number == "粤府办〔2016〕112号"
    assert meta.date_effective["iso"] == "2016-10-25" and meta.subject == "质量管理和监督"


def test_a_sites_publish_line_gives_the_date_published():
    line = "发布时间：2024-05-10 10:30   来源：某某省人民政府办公厅"
    meta = read_metadata([Furniture("site-publish-line", 2, line)], paragraphs("某某省人民政府关于加快建设质量强省的实施意见"), [], "simplified")
    assert meta.date_published == {"printed": "2024-05-10", "iso": "2024-05-10"}
    assert meta.year == 2024


def test_a_bare_title_line_without_关于_is_the_title():
    meta = read_metadata([], paragraphs("某某省质量奖管理办法", "第一章 总则"), [], "simplified")
    assert (meta.full_title, meta.title) == ("某某省质量奖管理办法", "某某省质量奖管理办法")
    for title in ("某某市质量提升三年行动计划（2024—2026年）", "某某省质量奖管理办法（试行）"):
        # Its own paragraph although prose without a label follows it.
        found = make_paragraphs([(1, title), (2, "为推动质量提升，制定本计划。"), (3, "一、重点任务")])
        assert [p.text for p in found][:2] == [title, "为推动质量提升，制定本计划。"]
        assert read_metadata([], found, [], "simplified").title == title
    # A sentence is never a title.
    meta = read_metadata([], paragraphs("为推动质量强省建设，制定本办法。"), [], "simplified")
    assert meta.full_title is None


def test_a_date_in_characters_under_the_signature_dates_the_plan():
    meta = read_metadata([], paragraphs("某某省人民政府关于加快建设质量强省的实施意见"), paragraphs("某某省人民政府", "二〇二四年五月八日"), "simplified")
    assert meta.date_written == {"printed": "二〇二四年五月八日", "iso": "2024-05-08"} and meta.year == 2024
    assert printed_date("二〇二四年十三月一日") is None


def test_a_provincial_portals_table_gives_number_dates_and_title():
    lines = [
        "发布机构：\t安徽省人民政府办公厅\t生成日期：\t2024-03-05",
        "文\u3000\u3000号：\t皖政办〔2024〕5号\t发布日期：\t2024-03-08",
        "名\u3000\u3000称：\t安徽省人民政府办公厅关于印发安徽省质量提升行动方案的通知",
    ]
    furniture = [Furniture("portal-metadata", number, line) for number, line in enumerate(lines, start=2)]
    meta = read_metadata(furniture, [], [], "simplified")
    assert meta.doc_number == "皖政办〔2024〕5号" and meta.issuers == ["安徽省人民政府办公厅"]
    assert (meta.date_written["iso"], meta.date_published["iso"]) == ("2024-03-05", "2024-03-08")
    assert meta.title == "安徽省质量提升行动方案" and (meta.level, meta.region) == ("provincial", "安徽省")


def test_an_impossible_date_is_no_date_and_is_named_for_review():
    assert printed_date("2024年2月30日") is None and printed_date("二〇二四年二月三十日") is None
    meta = read_metadata([], paragraphs("某某市人民政府关于加强质量工作的意见", "某某市人民政府", "2023年2月30日"), [], "simplified")
    assert meta.date_written is None and meta.impossible_dates == ["2023年2月30日"]
