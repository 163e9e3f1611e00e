"""Property: on any document made of plausible pieces, ingest either refuses
with a GeneratorError or accounts for every character of the source."""

from __future__ import annotations


from functools import lru_cache

import opencc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import GeneratorError
from generator.ingest import ingest_source
from generator.ingest.agencies import AgencyRegistry
from generator.ingest.regions import RegionPrefixes

PIECES = [
    "一、", "二、", "三、", "（一）", "（二）", "(三)", "1．", "2．", "12．",
    "开展质量提升行动。", "加强监管", "推进标准化工作，", "“质检利剑”行动", "“春风", "（含国企）",
    "（发展改革委、质检总局按职责分工负责）", "（省质监局负责，省质量工作领导小组其他成员单位协助）",
    "（市质监局负责", "国务院办公厅", "2016年4月4日", "国办发〔2016〕18号", "扫一扫在手机打开当前页",
    "夯实标准基础。", "相关文档", "　　", " ", "\t", "为贯彻落实《质量发展纲要》（国办发〔2016〕18号）要求，",
    "第一部分　", "（省市场监管局、省公安厅）", "（2024年底前完成）", "责任单位：省市场监管局", "完成时限：2024年底",
    "（省市场监管局牵头，各市、县〔区〕人民政府参加）", "抄送：", "2024年3月18日印发", "（牵头单位：X局（牵头））",
    "（國家發展改革委、質檢總局按職責分工負責）", "開展品質提升行動。",
]

lines = st.lists(st.lists(st.sampled_from(PIECES), max_size=6).map("".join), min_size=1, max_size=40)


def walk(nodes):
    for node in nodes:
        yield node
        yield from walk(node["children"])


def squeeze(text: str) -> str:
    return "".join(text.split())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=lines)
def test_ingest_refuses_or_accounts_for_every_character(tmp_path_factory, body):
    _refuses_or_accounts(tmp_path_factory, "\n".join(["国务院办公厅", "2016年4月4日", *body]) + "\n")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=lines)
def test_a_traditional_capture_keeps_every_character_it_was_read_through(tmp_path_factory, body):
    # Read through Simplified characters (reading_view), every text comes back in the capture's own.
    _refuses_or_accounts(tmp_path_factory, to_traditional("\n".join(["國務院辦公廳", "2016年4月4日", *body]) + "\n"))


@lru_cache(maxsize=1)
def _to_taiwan() -> opencc.OpenCC:
    return opencc.OpenCC("s2twp")


def to_traditional(text: str) -> str:
    return _to_taiwan().convert(text)


def _refuses_or_accounts(tmp_path_factory, text: str) -> None:
    source = tmp_path_factory.mktemp("src") / "doc.txt"
    source.write_text(text, encoding="utf-8")
    try:
        plans = ingest_source(source, AgencyRegistry([], RegionPrefixes()), {"质检利剑": "zhijian-lijian"})
    except GeneratorError:
        return
    source_lines = text.split("\n")
    covered = ""
    for plan in plans:
        first, last = plan["source"]["lines"]
        furniture = {item["line"] for item in plan["furniture"]}
        parsed = plan["preamble"] + plan["closing"] + "".join(item["text"] for item in plan["furniture"])
        parsed += "".join(
            node["label"] + node["heading"] + node["text"] + node.get("responsibility", "") for node in walk(plan["nodes"])
        )
        own = "".join(source_lines[n - 1] for n in range(first, last + 1))
        assert sorted(squeeze(parsed)) == sorted(squeeze(own))
        covered += own
        ids = [node["id"] for node in walk(plan["nodes"]) if node["kind"] == "measure"]
        assert len(ids) == len(set(ids)) and all(i.startswith(plan["id"] + "/") for i in ids)
        assert furniture <= set(range(first, last + 1))
    assert squeeze(covered) == squeeze(text)
