"""Bodies named in running text: recorded apart from printed responsibility, listed on the agency's page."""

from __future__ import annotations

from pathlib import Path

from generator.ingest.agencies import AgencyRegistry
from generator.ingest.regions import RegionPrefixes
from generator.link import link_corpus
from generator.load import load_corpus

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = [
    {"id": "zhijianzongju", "name": "质检总局", "aliases": [], "region": None},
    {"id": "guangdong-zhijianju", "name": "广东省质监局", "aliases": ["省质监局"], "region": "广东省"},
    {"id": "youguanbumen", "name": "有关部门", "aliases": [], "region": None, "collective": True},
    {"id": "draft-x", "name": "测试管理局", "aliases": [], "region": None, "draft": True},
]


def test_running_text_names_and_tasks_are_found_once_each():
    registry = AgencyRegistry([dict(entry) for entry in REGISTRY], RegionPrefixes())
    text = "省质监局要会同省有关部门定期对质检总局和测试管理局的工作开展检查，省质监局负责汇总。"
    assert registry.find_mentions(text, "广东省", printed=set()) == [
        {"id": "guangdong-zhijianju", "name": "省质监局", "task": True}, {"id": "zhijianzongju", "name": "质检总局"},
    ]
    # A local alias means nothing outside its region; printed agencies are not repeated.
    assert registry.find_mentions(text, "安徽省", printed={"zhijianzongju"}) == []


def test_the_2023_纲要_names_市场监管总局_in_its_text():
    links = link_corpus(load_corpus(ROOT / "data"))
    named = [locator.measure.id for locator in links.agency_mentions["shichangjianguanzongju"]]
    assert named and all(measure_id.startswith("zhongyang-2023-") for measure_id in named)
    assert "shichangjianguanzongju" not in links.agency_measures



def test_a_collective_of_each_place_in_a_regional_plan_is_the_regions_own():
    registry = AgencyRegistry([], RegionPrefixes())
    guangdong = registry.resolve("各地级以上市人民政府", "广东省", "provincial")
    assert registry.drafted[-1] | {"id": guangdong} == {
        "id": guangdong, "name": "广东省各地级以上市人民政府", "full_name": "广东省各地级以上市人民政府", "level": "provincial",
        "region": "广东省", "aliases": ["各地级以上市人民政府"], "national_counterpart": None, "successor": None,
        "collective": True, "draft": True,
    }
    assert registry.resolve("各地级以上市人民政府", "广东省", "provincial") == guangdong
    # Another province's cities are another body; a national plan's 各省级人民政府 stays national.
    assert registry.resolve("各地级以上市人民政府", "浙江省", "provincial") != guangdong
    national = registry.resolve("各省级人民政府", None, "national")
    assert registry.drafted[-1]["id"] == national and registry.drafted[-1]["region"] is None


def test_a_local_draft_gets_the_one_national_body_of_its_field_as_a_suggested_counterpart():
    national = [
        {"id": "shichangjianguanzongju", "name": "市场监管总局", "aliases": ["国家市场监督管理总局"], "level": "national", "region": None},
        {"id": "gongshangzongju", "name": "工商总局", "aliases": [], "level": "national", "region": None, "successor": "shichangjianguanzongju"},
        {"id": "shangwubu", "name": "商务部", "aliases": [], "level": "national", "region": None},
        {"id": "gongxinbu", "name": "工业和信息化部", "aliases": [], "level": "national", "region": None},
        {"id": "xinxizhongxin", "name": "国家信息中心", "aliases": [], "level": "national", "region": None},
    ]
    registry = AgencyRegistry([dict(entry) for entry in national], RegionPrefixes())
    for name, counterpart in (("省市场监管局", "shichangjianguanzongju"), ("省商务厅", "shangwubu"), ("省工商局", None),
                              ("省信息办", None), ("省有关单位", None)):
        registry.resolve(name, "广东省", "provincial")
        assert registry.drafted[-1]["national_counterpart"] == counterpart, name


def test_a_draft_whose_name_is_a_known_body_written_out_is_named_for_review():
    known = [
        {"id": "guangdong-shichangjianguanju", "name": "广东省市场监管局", "aliases": ["省市场监管局"], "level": "provincial",
         "region": "广东省"},
        {"id": "anhui-zhijianju", "name": "安徽省质监局", "aliases": [], "level": "provincial", "region": "安徽省"},
        {"id": "fazhangaigewei", "name": "国家发展改革委", "aliases": [], "level": "national", "region": None},
    ]
    registry = AgencyRegistry([dict(entry) for entry in known], RegionPrefixes())
    written = registry.resolve("广东省市场监督管理局", "广东省", "provincial")
    assert registry.written_out[written] == ("guangdong-shichangjianguanju", "广东省市场监管局")
    assert registry.written_out[registry.resolve("省质量技术监督局", "安徽省", "provincial")][0] == "anhui-zhijianju"
    # Another region's body of the same field is another body.
    assert registry.resolve("浙江省市场监督管理局", "浙江省", "provincial") not in registry.written_out
    assert registry.drafted[-1]["national_counterpart"] is None  # no national 市场监管 body in this registry
    # The national counterpart is found through the shortened name too.
    assert registry.drafted[0]["national_counterpart"] is None
    registry.resolve("广东省发展和改革委员会", "广东省", "provincial")
    assert registry.drafted[-1]["national_counterpart"] == "fazhangaigewei"


def test_a_national_body_named_with_and_without_its_prefix_in_one_run_is_named_for_review():
    registry = AgencyRegistry([], RegionPrefixes())
    full = registry.resolve("国家邮政局", None, "national")
    short = registry.resolve("邮政局", None, "national")
    assert registry.written_out == {short: (full, "国家邮政局")}
    # A prefix that would leave less than a name is no prefix: 国务院 is itself a body.
    registry.resolve("国务院", None, "national")
    assert len(registry.written_out) == 1
