"""Named furniture rules, and the documents found in one file."""

from __future__ import annotations

import pytest

from generator.ingest.furniture import RULES, find_furniture, match_rule
from generator.ingest.segments import find_segments

SAMPLES = {
    "gov-cn-breadcrumb": "首页 > 信息公开 > 国务院文件 > 质量监督收藏留言",
    "gov-cn-metadata": "发文字号：\t国办发〔2016〕18号\t发布日期：\t2016年04月19日",
    "gov-cn-share": "扫一扫在手机打开当前页",
    "beijing-breadcrumb": "政務公開 > 政策公開 > 國務院文件",
    "beijing-metadata": "7. [發文字號] 〔〕",
    "font-size-control": "字號:",
    "share-buttons": "分享:",
    "related-links": "相关文档",
    "leave-site-notice": "您訪問的連結即將離開“首都之窗”門戶網站 是否繼續?",
    "download-banner": "合集下载",
    "download-disclaimer": "1. 1、下载文档前请自行甄别文档内容的完整性。",
    "pkulaw-metadata": "•【公布日期】2016.10.25",
    "capture-timestamp": "01.06.2016 \u00a022:50",
    "font-size-switch": "【字体：大 中 小】",
    "portal-metadata": "发布机构：\t安徽省人民政府办公厅\t生成日期：\t2024-03-05",
    "print-close": "【打印本页】 【关闭窗口】",
    "site-publish-line": "发布时间：2024-05-10 10:30   来源：某某省人民政府办公厅",
    "site-controls": "【字体：大 中 小】【打印】【关闭】",
    "editor-credit": "责任编辑：张三",
    "site-footer": "主办单位：某某市人民政府办公室　承办单位：某某市大数据中心　网站标识码：3301000001　浙ICP备05012345号",
}


def test_every_rule_has_a_sample():
    assert sorted(SAMPLES) == sorted(rule.name for rule in RULES)


@pytest.mark.parametrize(("rule", "line"), sorted(SAMPLES.items()))
def test_rule_matches_its_sample(rule, line):
    assert match_rule(line.strip()) == rule


@pytest.mark.parametrize(
    "line",
    [
        "（一）深入开展质量提升行动。",
        "1．围绕汽车开展质量提升专项行动。",
        "2016年4月4日",
        "国办发〔2016〕18号",
        "为贯彻落实《质量发展纲要（2011—2020年）》，制定本行动计划。",
        "分享经济发展成果。",
        "打印机质量抽查。",
        "来源地管理制度。",
        "字体设计行业标准。",
        "名称：各地区质量提升行动。",
        "文号统一编制。",
        "编辑：要把质量工作纳入考核。",
        "责任编辑制度。",
        "主办单位：省市场监管局",
        "加强知识产权保护，严厉打击侵犯版权行为。",
        "依法保护版权所有人的合法权益。",
        "版权所有人享有的权利",
    ],
)
def test_document_lines_are_not_furniture(line):
    assert match_rule(line) is None


def test_running_title_is_a_repeated_whole_line():
    lines = ["中共中央国务院印发《质量强国建设纲要》", "（一）指导思想。", "中共中央 国务院印发《质量强国建设纲要》", "广东省人民政府办公厅", "广东省人民政府办公厅"]
    assert [(item.rule, item.line) for item in find_furniture(lines)] == [("running-title", 1), ("running-title", 3)]


def test_a_forwarding_notice_and_the_forwarded_document_are_two_segments():
    lines = [
        "广东省人民政府办公厅转发国务院办公厅关于印发消费品标准和质量提升规划的通知",
        "一、加强组织领导。",
        "广东省人民政府办公厅",
        "2016年10月25日",
        "国务院办公厅关于印发消费品标准和质量提升规划的通知",
        "一、总体要求",
    ]
    assert find_segments(lines, set()) == [(1, 4), (5, 6)]


def test_one_document_is_one_segment():
    assert find_segments(["国务院办公厅关于印发行动计划的通知", "一、总体要求"], set()) == [(1, 2)]


@pytest.mark.parametrize("line", ["字号：【大】【中】【小】", "打印本页 关闭窗口", "【打印】【关闭】", "发布日期：2024年5月10日",
                                  "分享到：", "相关链接：", "【字体：大 中 小】 【打印本页】 【关闭窗口】 【返回顶部】"])
def test_other_spellings_of_site_furniture(line):
    assert match_rule(line) in ("font-size-switch", "print-close", "site-publish-line", "share-buttons", "related-links", "site-controls")
