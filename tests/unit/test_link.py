"""Cross references: built once from the corpus, looked up by every page."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.link import link_corpus, mention_sentence
from generator.load import load_corpus
from generator.model import AgencyRef, Node

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "corpus_small"
NATIONAL = "guobanfa-2016-18"
ANHUI = "wanzhengbanmi-2016-76"
TRAD = "zhonggong-2023-zhiliang-qiangguo-jianshe-gangyao"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(FIXTURE)


@pytest.fixture(scope="module")
def links(corpus):
    return link_corpus(corpus)


def test_every_measure_is_located_with_its_ancestors(corpus, links):
    every = [m.id for plan in corpus.plans for m in plan.measures]
    assert sorted(links.measures) == sorted(every)
    locator = links.measures[f"{NATIONAL}/03"]
    assert locator.plan.id == NATIONAL
    assert [(node.label, node.heading) for node in locator.ancestors] == [("二、", "夯实质量发展基础")]


def test_previous_and_next_stay_inside_one_plan(links):
    assert links.previous[f"{NATIONAL}/01"] is None
    assert links.next[f"{NATIONAL}/01"] == f"{NATIONAL}/02"
    assert links.previous[f"{NATIONAL}/03"] == f"{NATIONAL}/02"
    assert links.next[f"{NATIONAL}/03"] is None
    assert links.previous[f"{ANHUI}/01"] is None


def test_agency_measures_are_grouped_by_plan_with_lead_and_assisting_apart(links):
    groups = links.agency_measures["zhijianzongju"]
    assert [group.plan.id for group in groups] == [NATIONAL]
    assert [loc.measure.id for loc in groups[0].lead] == [f"{NATIONAL}/01", f"{NATIONAL}/02", f"{NATIONAL}/03"]
    assert groups[0].assisting == ()
    gongshang = links.agency_measures["gongshangzongju"][0]
    assert gongshang.lead == ()
    assert [loc.measure.id for loc in gongshang.assisting] == [f"{NATIONAL}/02"]
    assert links.agency_counts("zhijianzongju") == (3, 0)
    assert links.agency_counts("anhui-fazhangaigewei") == (0, 1)
    assert links.agency_counts("shichangjianguanzongju") == (0, 0)


def test_campaign_mentions_cross_plans_and_levels_with_the_variant_written(links):
    mentions = links.campaign_mentions["zhijian-lijian"]
    assert [(m.locator.plan.id, m.written) for m in mentions] == [
        (NATIONAL, "质检利剑"),
        (ANHUI, "质检利剑"),
        (TRAD, "質檢利劍"),
    ]
    assert mentions[0].sentence == '开展"质检利剑"行动和2016红盾网剑专项行动。'
    assert [ref.id for ref in mentions[0].agencies] == ["zhijianzongju", "gongshangzongju"]
    hongdun = links.campaign_mentions["hongdun-wangjian"]
    assert [m.written for m in hongdun] == ["2016红盾网剑专项行动", "2016网络市场监管专项行动"]


def test_plan_lineage_and_agency_graph(links):
    assert [plan.id for plan in links.implemented_by[NATIONAL]] == [ANHUI]
    assert links.forwarded_by == {}
    assert links.local_counterparts["zhijianzongju"] == ("anhui-zhijianju",)
    assert set(links.predecessors["shichangjianguanzongju"]) == {"zhijianzongju", "gongshangzongju"}


def test_an_agency_named_twice_in_one_measure_counts_once_and_lead_wins():
    measure = Node(
        kind="measure", label="（一）", ordinal=1, heading="甲。", text="乙。", id="p-2016-1/01",
        agencies=(AgencyRef("a", "甲局", "assisting"), AgencyRef("a", "甲", "lead")),
    )
    from generator.model import Plan, Source
    from generator.corpus import Corpus

    plan = Plan(id="p-2016-1", title="t", doc_number=None, issuers=("x",), level="national",
                region=None, year=2016, source=Source("f.txt", "0" * 64, "simplified"), nodes=(measure,))
    links = link_corpus(Corpus(plans=(plan,), agencies=(), campaigns=()))
    group = links.agency_measures["a"][0]
    assert len(group.lead) == 1 and group.assisting == ()


def test_mention_sentence_falls_back_to_the_whole_text():
    node = Node(kind="measure", label="", ordinal=1, heading="标题。", text="第一句。第二句提到红盾。")
    assert mention_sentence(node, "红盾") == "第二句提到红盾。"
    assert mention_sentence(node, "不在文中") == "标题。第一句。第二句提到红盾。"
