"""Permanent ids from pypinyin: polyphonic readings, doc numbers, titles."""

from __future__ import annotations

import pytest

from generator.ingest.metadata import Metadata
from generator.ingest.plan import make_plan_id
from generator.ingest.regions import RegionPrefixes
from generator.slugs import PHRASE_HINTS, doc_number_slug, plain_slug_holders, region_slug, slug_joined, slug_words


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("重庆", "chongqing"),
        ("银行", "yinhang"),
        ("银行业", "yinhangye"),
        ("人行重庆营管部", "renhangchongqingyingguanbu"),
        ("护航", "huhang"),
        ("重点", "zhongdian"),
        ("质检总局", "zhijianzongju"),
        ("发展改革委", "fazhangaigewei"),
        ("市场监管总局", "shichangjianguanzongju"),
    ],
)
def test_polyphonic_readings(text, slug):
    assert slug_joined(text) == slug


def test_every_hint_is_used_as_given():
    for word, readings in PHRASE_HINTS.items():
        assert len(word) == len(readings)


@pytest.mark.parametrize(
    ("number", "slug"),
    [
        ("国办发〔2016〕18号", "guobanfa-2016-18"),
        ("皖政办秘〔2016〕76号", "wanzhengbanmi-2016-76"),
        ("粤府办〔2016〕112号", "yuefuban-2016-112"),
        ("国办发〔2016〕068号", "guobanfa-2016-68"),
        ("〔〕", None),
        ("重要文件", None),
    ],
)
def test_doc_numbers(number, slug):
    assert doc_number_slug(number) == slug


def test_campaign_and_title_words():
    assert slug_words("质检利剑") == "zhijian-lijian"
    assert slug_words("春潮行动") == "chunchao-xingdong"
    assert slug_words("红盾质量维权") == "hongdun-zhiliang-weiquan"
    assert slug_words("2016红盾网剑") == "2016-hongdun-wangjian"


def test_region_slug():
    assert region_slug("重庆市") == "chongqing"
    assert region_slug("安徽省") == "anhui"
    assert region_slug("广西壮族自治区") == "guangxizhuangzu"


def test_plan_id_without_doc_number():
    chongqing = Metadata(title="重庆市贯彻实施质量发展纲要2016年行动计划", region="重庆市", level="municipal",
                         date_written={"printed": "2016年6月23日", "iso": "2016-06-23"})
    assert make_plan_id(chongqing, RegionPrefixes()) == "chongqing-2016-zhiliang-fazhan-gangyao-xingdong-jihua"
    national = Metadata(title="质量强国建设纲要", date_written={"printed": "2023-02-06", "iso": "2023-02-06"})
    assert make_plan_id(national, RegionPrefixes()) == "zhongyang-2023-zhiliang-qiangguo-jianshe-gangyao"


def test_plan_id_from_doc_number_wins():
    meta = Metadata(title="任何标题", doc_number="国办发〔2016〕18号", date_written={"printed": "x", "iso": "2016-04-04"})
    assert make_plan_id(meta, RegionPrefixes()) == "guobanfa-2016-18"


def test_namesakes_keep_the_plain_slug_only_when_one_surely_came_first():
    # Part by part: a region in the data (1) before one new in the run (2), whatever the years.
    assert plain_slug_holders({"山西省": (1, None), "陕西省": (2, 2010)}) == {"山西省"}
    assert plain_slug_holders({"山西省": (2, 2016), "陕西省": (2, 2019), "安徽省": (2, None)}) == {"山西省", "安徽省"}
    # An undated first plan leaves the order open: both are spelled with tones.
    assert plain_slug_holders({"山西省": (2, 2016), "陕西省": (2, None)}) == set()
