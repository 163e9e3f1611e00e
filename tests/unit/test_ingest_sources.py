"""Ingest of the five real sources: counts, metadata, relations, agencies, campaigns, fidelity."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator.ingest import ingest_files
from generator.load import load_corpus
from registries import copy_registries

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "data" / "sources"
NATIONAL_2016 = "guobanfa-2016-18"
GANGYAO = "zhongyang-2023-zhiliang-qiangguo-jianshe-gangyao"
GUANGDONG = "yuefuban-2016-112"
PLAN_68 = "guobanfa-2016-68"
ANHUI = "wanzhengbanmi-2016-76"
CHONGQING = "chongqing-2016-zhiliang-fazhan-gangyao-xingdong-jihua"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("data")
    copy_registries(data)
    shutil.copytree(SOURCES, data / "sources")
    assert ingest_files(sorted((data / "sources").glob("*.txt")), data_dir=data, force=False) == 0
    return data


@pytest.fixture(scope="module")
def plans(data_dir) -> dict[str, dict]:
    loaded = {}
    for path in sorted((data_dir / "plans").glob("*.yaml")):
        plan = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert path.stem == plan["id"]
        loaded[plan["id"]] = plan
    return loaded


def walk(nodes):
    for node in nodes:
        yield node
        yield from walk(node.get("children") or [])


def measures(plan: dict) -> list[dict]:
    return [node for node in walk(plan["nodes"]) if node["kind"] == "measure"]


def kinds(plan: dict, kind: str) -> list[dict]:
    return [node for node in walk(plan["nodes"]) if node["kind"] == kind]


def squeeze(text: str) -> str:
    return "".join(text.split())


def test_six_plans_from_five_sources(plans):
    assert sorted(plans) == sorted([NATIONAL_2016, GANGYAO, GUANGDONG, PLAN_68, ANHUI, CHONGQING])


def test_registry_agencies_were_all_known(data_dir):
    # Ingest appends drafts for unknown agencies; the real corpus needs none.
    assert (data_dir / "agencies.yaml").read_text(encoding="utf-8") == (ROOT / "data" / "agencies.yaml").read_text(encoding="utf-8")


def test_output_loads_into_the_model(data_dir):
    corpus = load_corpus(data_dir)
    assert {plan.id: len(plan.measures) for plan in corpus.plans} == {
        NATIONAL_2016: 18, GANGYAO: 32, GUANGDONG: 3, PLAN_68: 47, ANHUI: 17, CHONGQING: 75,
    }


def test_national_2016_plan(plans):
    plan = plans[NATIONAL_2016]
    assert [part["label"] for part in kinds(plan, "part")] == ["一、", "二、", "三、", "四、", "五、"]
    assert [m["label"] for m in measures(plan)][:3] == ["（一）", "（二）", "（三）"]
    assert measures(plan)[-1]["label"] == "（十八）"
    assert measures(plan)[5]["id"] == "guobanfa-2016-18/06"
    assert plan["doc_number"] == "国办发〔2016〕18号"
    assert plan["issuers"] == ["国务院办公厅"]
    assert (plan["level"], plan["region"], plan["year"]) == ("national", None, 2016)
    assert plan["date_written"] == {"printed": "2016年04月04日", "iso": "2016-04-04"}
    assert plan["date_published"] == {"printed": "2016年04月19日", "iso": "2016-04-19"}
    assert plan["subject"] == "市场监管、安全生产监管\\质量监督"
    assert plan["title"] == "贯彻实施质量发展纲要2016年行动计划"
    assert plan["full_title"] == "国务院办公厅关于印发贯彻实施质量发展纲要2016年行动计划的通知"
    assert plan["closing"].startswith("地方各级人民政府要加强")
    first = measures(plan)[0]
    assert first["heading"] == "深入开展质量提升行动。"
    assert first["responsibility"].startswith("（发展改革委、科技部") and first["responsibility"].endswith("按职责分工负责）")
    assert {ref["role"] for m in measures(plan) for ref in m["agencies"]} == {"responsible"}


def test_collective_agency(plans, data_dir):
    tenth = measures(plans[NATIONAL_2016])[9]
    assert [(ref["name"], ref["role"]) for ref in tenth["agencies"]] == [
        ("全国质量工作部际联席会议成员单位", "responsible"), ("银监会", "responsible"),
    ]
    registry = {entry["id"]: entry for entry in yaml.safe_load((data_dir / "agencies.yaml").read_text(encoding="utf-8"))}
    assert registry[tenth["agencies"][0]["id"]]["collective"] is True


def test_traditional_gangyao(plans):
    plan = plans[GANGYAO]
    assert plan["title"] == "质量强国建设纲要"
    assert plan["title_as_printed"] == "品質強國建設綱要"
    assert plan["source"]["script"] == "traditional"
    assert plan["issuers"] == ["中共中央", "国务院"]
    assert plan["doc_number"] is None
    assert plan["date_written"]["iso"] == "2023-02-06" and plan["date_published"]["iso"] == "2023-02-07"
    assert plan["year"] == 2023
    assert len(kinds(plan, "part")) == 11
    assert [m["label"] for m in measures(plan)][0] == "(一)" and measures(plan)[-1]["label"] == "(三十二)"
    assert all(not m["agencies"] for m in measures(plan))
    goals = measures(plan)[1]
    assert goals["heading"] == "主要目標" and goals["heading_simplified"] == "主要目标"
    assert goals["text"].startswith("到2025年") and goals["text"].endswith("綜合實力達到更高水準。")
    assert goals["lines"] == [35, 51]
    assert "水平" in goals["text_simplified"] and "水準" not in goals["text_simplified"]
    for node in walk(plan["nodes"]):
        assert "heading_simplified" in node and "text_simplified" in node
        assert "中共中央國務院印發" not in node["text"]
    thirteenth = measures(plan)[12]
    assert "資訊" in thirteenth["text"] and "信息" in thirteenth["text_simplified"]
    assert "資訊" not in thirteenth["text_simplified"]
    rules = {item["rule"] for item in plan["furniture"]}
    assert {"running-title", "share-buttons", "related-links", "leave-site-notice", "beijing-metadata"} <= rules
    running = [item["line"] for item in plan["furniture"] if item["rule"] == "running-title"]
    assert running == [13, 71, 81, 91, 101, 111, 121, 135]


def test_guangdong_forwarding_notice(plans):
    plan = plans[GUANGDONG]
    assert plan["forwards"] == PLAN_68 and plan["implements"] is None
    assert (plan["level"], plan["region"]) == ("provincial", "广东省")
    assert plan["issuers"] == ["广东省人民政府办公厅"]
    assert plan["doc_number"] == "粤府办〔2016〕112号"
    assert plan["date_published"] == {"printed": "2016.10.25", "iso": "2016-10-25"}
    assert plan["date_effective"] == {"printed": "2016.10.25", "iso": "2016-10-25"}
    assert [m["label"] for m in measures(plan)] == ["一、", "二、", "三、"]
    assert [m["id"] for m in measures(plan)] == [f"{GUANGDONG}/01", f"{GUANGDONG}/02", f"{GUANGDONG}/03"]
    first = measures(plan)[0]
    assert first["heading"] == "加强组织领导。"
    # "建立\n健全" is one word broken by the capture.
    assert "建立健全质量激励" in first["text"] and len(first["text"].split("\n")) == 3
    assert plan["closing"] == "广东省人民政府办公厅\n2016年10月25日"
    assert plan["source"]["lines"] == [1, 48]
    assert {item["rule"] for item in plan["furniture"]} == {
        "running-title", "download-banner", "download-disclaimer", "pkulaw-metadata",
    }


def test_embedded_68_plan(plans):
    plan = plans[PLAN_68]
    assert plan["source"]["lines"] == [49, 403]
    assert plan["incomplete"] is True and "加。" in plan["incomplete_note"]
    assert plan["date_written"] == {"printed": "2016年9月6日", "iso": "2016-09-06"}
    assert plan["issuers"] == ["国务院办公厅"] and plan["level"] == "national"
    assert plan["title"] == "消费品标准和质量提升规划(2016—2020年)"
    parts = plan["nodes"]
    assert [(part["label"], part["heading"]) for part in parts] == [("一、", "总体要求"), ("二、", "主要任务")]
    assert [child["label"] for child in parts[0]["children"]] == ["(一)", "(二)", "(三)"]
    tasks = parts[1]["children"]
    assert [task["label"] for task in tasks] == ["(一)", "(二)", "(三)", "(四)", "(五)", "(六)", "(七)", "(八)"]
    assert all(task["kind"] == "measure" and task["text"] and task["children"] for task in tasks)
    first = tasks[0]
    assert first["id"] == "guobanfa-2016-68/2-01"
    assert [sub["heading"] for sub in first["children"]] == [
        "夯实消费品质量安全标准基础。", "提高消费品标准市场供给能力。", "加快国内外标准接轨。", "推动标准与科技协同。",
    ]
    assert first["children"][2]["id"] == "guobanfa-2016-68/2-01-03"
    assert first["children"][2]["label"] == "" and first["children"][2]["ordinal"] == 3
    assert "积极主导和参与国际标准制修订,推动我国优势产业" in first["children"][2]["text"]
    principles = parts[0]["children"][1]
    assert principles["kind"] == "group"
    assert [sub["heading"] for sub in principles["children"]] == [
        "坚持市场导向。", "坚持改革创新。", "坚持标准引领。", "坚持质量为本。", "坚持开放融合。",
    ]
    assert tasks[-1]["children"][-1]["text"].endswith("示范企业创建,加。")
    assert [item["text"] for item in plan["furniture"]] == ["相关文档", "最新文档"]


def test_anhui_plan(plans, data_dir):
    plan = plans[ANHUI]
    assert plan["implements"] == NATIONAL_2016
    assert (plan["level"], plan["region"]) == ("provincial", "安徽省")
    assert plan["date_written"] == {"printed": "2016年5月24日", "iso": "2016-05-24"}
    assert plan["date_published"] is None
    assert [item["rule"] for item in plan["furniture"]] == ["capture-timestamp"]
    assert len(kinds(plan, "part")) == 3 and len(measures(plan)) == 17
    sixth = measures(plan)[5]
    assert [(ref["id"], ref["name"], ref["role"]) for ref in sixth["agencies"]] == [
        ("anhui-zhijianju", "省质监局", "responsible"),
        ("anhui-lvyouju", "省旅游局", "responsible"),
        ("anhui-zhilianggongzuolingdaoxiaozuqitachengyuandanwei", "省质量工作领导小组其他成员单位", "assisting"),
    ]
    ninth = measures(plan)[8]
    assert [(ref["name"], ref["role"]) for ref in ninth["agencies"]] == [
        ("省质监局", "responsible"), ("省质量工作领导小组其他成员单位", "assisting"),
    ]
    registry = {entry["id"]: entry for entry in yaml.safe_load((data_dir / "agencies.yaml").read_text(encoding="utf-8"))}
    assert registry["anhui-zhijianju"]["national_counterpart"] == "zhijianzongju"
    assert "省质监局" in registry["anhui-zhijianju"]["aliases"]


def test_chongqing_plan(plans):
    plan = plans[CHONGQING]
    assert plan["doc_number"] is None and plan["implements"] == NATIONAL_2016
    assert (plan["level"], plan["region"]) == ("municipal", "重庆市")
    assert plan["date_written"]["iso"] == "2016-06-23"
    assert len(kinds(plan, "part")) == 5 and len(kinds(plan, "group")) == 17
    items = measures(plan)
    assert [item["label"] for item in items] == [f"{n}．" for n in range(1, 76)]
    assert items[28]["id"] == f"{CHONGQING}/29"
    assert all(item["agencies"] for item in items)
    assert all(group["text"] == "" and group["heading"] for group in kinds(plan, "group"))
    assert items[71]["responsibility"] == "（市文化委、市质监局按职责分工负责）"
    assert items[74]["agencies"][0]["id"] == "chongqing-zhilianggongzuobumenlianxihuiyichengyuandanwei"
    assert items[46]["agencies"] == [{"id": "chongqing-zhengfuyouguanbumen", "name": "市政府有关部门", "role": "responsible"}]


_TRAILING = re.compile(r"[（(]([^（）()]*(?:负责|协助|配合|牵头))[）)]?$")


def scan_parentheses(source: Path, first: int, last: int) -> dict[int, list[tuple[str, str]]]:
    """Independent reading: every source line ending in an agency parenthesis → [(name, role)]."""
    found = {}
    lines = source.read_text(encoding="utf-8").split("\n")
    for number in range(first, last + 1):
        match = _TRAILING.search(lines[number - 1].strip())
        if not match:
            continue
        pairs = []
        for clause in re.split(r"[，,]", match[1]):
            role = "assisting" if re.search(r"(协助|配合)$", clause) else "lead" if clause.endswith("牵头") else "responsible"
            clause = re.sub(r"(按职责分工负责|负责|协助|配合|牵头)$", "", clause)
            pairs.extend((name, role) for name in clause.split("、"))
        found[number] = pairs
    return found


@pytest.mark.parametrize("plan_id", [NATIONAL_2016, ANHUI, CHONGQING, GUANGDONG, PLAN_68, GANGYAO])
def test_every_parenthesis_agency_with_its_role(plans, plan_id):
    plan = plans[plan_id]
    first, last = plan["source"]["lines"]
    expected = scan_parentheses(SOURCES / plan["source"]["file"], first, last)
    actual = {
        m["lines"][1]: [(ref["name"], ref["role"]) for ref in m["agencies"]]
        for m in measures(plan) if m["agencies"]
    }
    assert actual == expected


def test_national_campaigns_in_the_right_measures(plans):
    by_measure = {m["id"]: [(c["id"], c["name"]) for c in m["campaigns"]] for m in measures(plans[NATIONAL_2016])}
    assert by_measure["guobanfa-2016-18/06"] == [
        ("huhang", "护航"), ("zhijian-lijian", "质检利剑"), ("hongdun-wangjian", "2016红盾网剑专项行动"),
        ("lvjian-hunong", "绿剑护农"), ("hongdun-hunong", "红盾护农"),
        ("hongdun-zhiliang-weiquan", "红盾质量维权"), ("qingfeng", "清风"),
    ]
    assert by_measure["guobanfa-2016-18/07"] == [("qingyuan", "清源")]
    assert ("chunchao-xingdong", "春潮行动") in by_measure["guobanfa-2016-18/02"]
    mentioned = {c for ids in by_measure.values() for c, _ in ids}
    assert "mayi-banjia" not in mentioned and len(by_measure["guobanfa-2016-18/13"]) == 0


def test_local_plans_repeat_the_campaigns(plans):
    anhui = {m["label"]: [c["id"] for c in m["campaigns"]] for m in measures(plans[ANHUI])}
    assert anhui["(十三)"] == [
        "zhijian-lijian", "hongdun-wangjian", "lvjian-hunong", "hongdun-hunong", "hongdun-zhiliang-weiquan", "qingfeng",
    ]
    assert anhui["(十四)"] == ["qingyuan"]
    chongqing = {m["id"].rsplit("/", 1)[1]: m["campaigns"] for m in measures(plans[CHONGQING])}
    assert {"id": "hongdun-wangjian", "name": "2016网络市场监管专项行动"} in chongqing["30"]
    assert [c["id"] for c in chongqing["30"]][:2] == ["huhang", "zhijian-lijian"]
    assert chongqing["43"] == [{"id": "qingyuan", "name": "清源"}]
    assert chongqing["18"] == [{"id": "chunchao-xingdong", "name": "春潮行动"}]


def _node_text(node: dict) -> str:
    return node["label"] + node["heading"] + node["text"] + node.get("responsibility", "")


@pytest.mark.parametrize("plan_id", [NATIONAL_2016, GANGYAO, GUANGDONG, PLAN_68, ANHUI, CHONGQING])
def test_fidelity_every_character_accounted_for(plans, plan_id):
    plan = plans[plan_id]
    source_lines = (SOURCES / plan["source"]["file"]).read_text(encoding="utf-8").split("\n")
    first, last = plan["source"]["lines"]
    furniture = {item["line"]: item for item in plan["furniture"]}
    for number, item in furniture.items():
        assert squeeze(item["text"]) == squeeze(source_lines[number - 1])
    body = "".join(source_lines[n - 1] for n in range(first, last + 1) if n not in furniture)
    parsed = plan["preamble"] + "".join(_node_text(node) for node in walk(plan["nodes"])) + plan["closing"]
    assert squeeze(parsed) == squeeze(body)


@pytest.mark.parametrize("plan_id", [NATIONAL_2016, GANGYAO, PLAN_68, ANHUI, CHONGQING])
def test_fidelity_per_measure(plans, plan_id):
    plan = plans[plan_id]
    source_lines = (SOURCES / plan["source"]["file"]).read_text(encoding="utf-8").split("\n")
    furniture = {item["line"] for item in plan["furniture"]}
    for measure in measures(plan):
        first, last = measure["lines"]
        own = "".join(source_lines[n - 1] for n in range(first, last + 1) if n not in furniture)
        assert squeeze(_node_text(measure)) == squeeze(own), measure["id"]
