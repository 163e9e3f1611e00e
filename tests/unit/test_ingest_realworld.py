"""Eight real gov.cn documents (tests/fixtures/realworld/) against their hand-made answer key.

The documents are not the seeds: they print responsibility in forms the seeds
do not use (labelled fields, a first-listed rule stated once, lists ending in
等, 会同, mid-paragraph attributions). Ingest must find every numbered
measure and read names and roles with F1 >= 0.95 per document.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import yaml

from generator.ingest import ingest_files
from registries import copy_registries

ROOT = Path(__file__).resolve().parents[2]
REALWORLD = ROOT / "tests" / "fixtures" / "realworld"
KEY = json.loads((REALWORLD / "answer_key.json").read_text(encoding="utf-8"))
DOCUMENTS = sorted(path.stem for path in REALWORLD.glob("gov_*.txt"))
# The key has two roles; a document that names no lead makes every 负责 body a lead.
KEY_ROLE = {"lead": "lead", "responsible": "lead", "assisting": "assisting", "guiding": "guiding"}
COMPOUND_MARKS = ("等", "会同", "和各", "、", "，", "负责", "牵头")


@pytest.fixture(scope="module")
def ingested(tmp_path_factory) -> tuple[dict[str, dict], list[dict]]:
    data = tmp_path_factory.mktemp("data")
    copy_registries(data)
    sources = data / "sources"
    sources.mkdir()
    for stem in DOCUMENTS:
        # The README's two "# " lines say where the capture came from; the page text follows.
        lines = (REALWORLD / f"{stem}.txt").read_text(encoding="utf-8").splitlines(keepends=True)
        (sources / f"{stem}.txt").write_text("".join(lines[2:]), encoding="utf-8")
    assert ingest_files(sorted(sources.glob("*.txt")), data_dir=data) == 0
    plans = {}
    for path in (data / "plans").glob("*.yaml"):
        plan = yaml.safe_load(path.read_text(encoding="utf-8"))
        plans[Path(plan["source"]["file"]).stem] = plan
    registry = yaml.safe_load((data / "agencies.yaml").read_text(encoding="utf-8"))
    return plans, registry


def _measures(nodes):
    for node in nodes:
        if node["kind"] == "measure":
            yield node
        yield from _measures(node.get("children") or [])


def _f1(found: Counter, expected: Counter) -> float:
    if not found and not expected:
        return 1.0
    hits = sum((found & expected).values())
    if hits == 0:
        return 0.0
    precision, recall = hits / sum(found.values()), hits / sum(expected.values())
    return 2 * precision * recall / (precision + recall)


def test_every_document_becomes_a_plan(ingested):
    plans, _registry = ingested
    assert sorted(plans) == DOCUMENTS


@pytest.mark.parametrize("stem", sorted(KEY))
def test_every_numbered_measure_is_found_in_order(ingested, stem):
    plans, _registry = ingested
    labels = [measure["label"] for measure in _measures(plans[stem]["nodes"])]
    assert labels == [entry["label"] for entry in KEY[stem]]


@pytest.mark.parametrize("stem", sorted(KEY))
def test_agency_names_and_roles_match_the_key(ingested, stem):
    plans, _registry = ingested
    measures = list(_measures(plans[stem]["nodes"]))
    names, pairs, expected_names, expected_pairs = Counter(), Counter(), Counter(), Counter()
    for measure, entry in zip(measures, KEY[stem]):
        for ref in measure["agencies"]:
            names[ref["name"]] += 1
            pairs[(measure["label"], ref["name"], KEY_ROLE[ref["role"]])] += 1
        for name, role in entry["agencies"]:
            expected_names[name] += 1
            expected_pairs[(entry["label"], name, role)] += 1
    assert _f1(names, expected_names) >= 0.95, (names - expected_names, expected_names - names)
    assert _f1(pairs, expected_pairs) >= 0.95, (pairs - expected_pairs, expected_pairs - pairs)


def test_the_negative_control_gets_no_agencies(ingested):
    plans, _registry = ingested
    measures = list(_measures(plans["gov_guofa_2019_4_zhijiao"]["nodes"]))
    assert len(measures) == 20
    assert all(measure["agencies"] == [] and measure["responsibility"] == "" for measure in measures)
    assert any("（技工院校内由人力资源社会保障行政部门负责）" in measure["text"] for measure in measures)


def test_the_first_listed_rule_is_recorded_on_the_plan(ingested):
    plans, _registry = ingested
    assert plans["gov_guofa_2018_39_jiuye"]["lead_rule"] == "列第一位者为牵头单位，下同"
    assert plans["gov_guofa_2019_3_zonghe_baoshuiqu"]["lead_rule"] == "排在第一位的部门为牵头部门，下同"
    assert "lead_rule" not in plans["gov_guofa_2018_38_zimaoqu"]


def test_labelled_scope_is_kept_as_its_own_field(ingested):
    plans, _registry = ingested
    measures = {m["label"]: m for m in _measures(plans["gov_guofa_2018_38_zimaoqu"]["nodes"])}
    assert measures["（三十）"]["responsibility_fields"] == {"适用范围": "河南自贸试验区"}
    assert [ref["name"] for ref in measures["（三十）"]["agencies"]] == ["民航局"]
    assert "负责部门" not in measures["（三十）"]["text"]


def test_a_trailing_等_is_dropped_and_recorded(ingested):
    plans, _registry = ingested
    third = next(m for m in _measures(plans["gov_guofa_2018_42_nongji"]["nodes"]) if m["label"] == "（三）")
    last = third["agencies"][-1]
    assert (last["name"], last["printed"]) == ("农业农村部", "农业农村部等")


def test_mid_paragraph_attributions_are_read(ingested):
    plans, _registry = ingested
    plan = plans["gov_guobanfa_2018_128_wufei_chengshi"]
    refs = [ref for measure in _measures(plan["nodes"]) for ref in measure["agencies"]]
    assert Counter(ref["role"] for ref in refs)["guiding"] >= 37
    assert ("生态环境部", "lead") in {(ref["name"], ref["role"]) for ref in refs}


def test_no_compound_name_enters_the_registry(ingested):
    _plans, registry = ingested
    compounds = [entry["name"] for entry in registry if any(mark in entry["name"] for mark in COMPOUND_MARKS)]
    assert compounds == []
    drafted = [entry for entry in registry if entry.get("draft")]
    assert drafted, "new names are drafted for review"
    assert all(entry["collective"] for entry in drafted if entry["name"].startswith(("各", "有关")))
    collectives = {entry["name"] for entry in drafted if entry["collective"]}
    assert collectives == {"有关部门", "有关部门和单位", "各有关部门和单位", "各省级人民政府", "各有关省级人民政府", "试点城市政府"}


def test_one_sentence_measures_stay_text(ingested):
    plans, _registry = ingested
    measures = list(_measures(plans["gov_guobanfa_2018_117_jili"]["nodes"]))
    assert len(measures) == 30 and all(measure["text"] for measure in measures)
    second = measures[1]
    assert second["heading"] == "" and second["text"].startswith("对促进外贸、外资稳定增长") and second["responsibility"] == "（商务部负责）"


def test_headings_on_their_own_line_and_labels_restarting_per_part(ingested):
    plans, _registry = ingested
    vocational = list(_measures(plans["gov_guofa_2019_4_zhijiao"]["nodes"]))
    assert all(measure["heading"] and measure["text"] for measure in vocational)
    ids = [measure["id"] for measure in _measures(plans["gov_guofa_2019_3_zonghe_baoshuiqu"]["nodes"])]
    assert len(ids) == len(set(ids)) == 25


def test_every_character_of_a_provision_reaches_the_yaml(ingested):
    # Label + heading + text + responsibility of each provision and everything under it,
    # in order, is its source lines run together.
    plans, _registry = ingested

    def printed(node) -> str:
        own = node["label"] + node["heading"] + node["text"].replace("\n", "") + node.get("responsibility", "")
        return own + "".join(printed(child) for child in node["children"])

    def last_line(node) -> int:
        return max([node["lines"][1]] + [last_line(child) for child in node["children"]])

    for stem, plan in plans.items():
        source = (REALWORLD / f"{stem}.txt").read_text(encoding="utf-8").split("\n")[2:]
        for node in plan["nodes"]:
            lines = source[node["lines"][0] - 1 : last_line(node)]
            assert printed(node) == "".join(line.strip() for line in lines), (stem, node["label"])


def test_task_paragraphs_with_their_own_attributions_become_tasks(ingested):
    plans, _registry = ingested
    tasks = plans["gov_guobanfa_2018_128_wufei_chengshi"]["nodes"][1]["children"]
    assert [group["kind"] for group in tasks] == ["group"] * 6
    assert sum(len(group["children"]) for group in tasks) == 20
    first = tasks[0]["children"][0]
    assert first["heading"] == "建立“无废城市”建设指标体系，发挥导向引领作用。"
    assert first["label"] == "" and first["agencies"]
    numbered = [node for part in plans["gov_guobanfa_2018_128_wufei_chengshi"]["nodes"] for node in part["children"]]
    assert len(numbered) == 19 and all(node["label"] for node in numbered)
