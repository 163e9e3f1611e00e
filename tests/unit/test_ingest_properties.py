"""Property: on any document made of plausible pieces, ingest either refuses
with a GeneratorError or accounts for every character of the source."""

from __future__ import annotations


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
    source = tmp_path_factory.mktemp("src") / "doc.txt"
    text = "\n".join(["国务院办公厅", "2016年4月4日", *body]) + "\n"
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
