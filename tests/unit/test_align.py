"""generator.align: the method on small corpora built in memory, and on the real plans."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from generator.align import (
    MIN_SCORE,
    Override,
    align_corpus,
    alignment_records,
    bigrams,
    counterparts,
)
from generator.model import Agency, AgencyRef, CampaignRef, Node
from generator.corpus import Corpus
from generator.load import load_dataset

from builders import plan

LABELS = Path(__file__).resolve().parent.parent / "fixtures" / "alignment_labels" / "guobanfa-2016-18.yaml"


def measure(measure_id, text, heading="", agencies=(), campaigns=()):
    return Node(
        kind="measure",
        label="",
        ordinal=int(measure_id.rsplit("/", 1)[1]),
        heading=heading,
        text=text,
        id=measure_id,
        agencies=tuple(AgencyRef(id=a, name=a, role="lead") for a in agencies),
        campaigns=tuple(CampaignRef(id=c, name=c) for c in campaigns),
    )


NATIONAL = plan(
    "nat",
    [
        measure("nat/01", "以空气净化器、电饭煲为重点，开展改善消费品供给专项行动。", "深入开展质量提升行动。"),
        measure("nat/02", "推进国际贸易单一窗口建设，实现信息互换、监管互认、执法互助。", "推动外贸优进优出。"),
        measure("nat/03", "严厉打击利用电子商务平台走私和通过蚂蚁搬家方式进出口侵权假冒商品。", "促进电子商务产业提质升级。"),
        measure("nat/04", "开展质量工作考核，完善考核指标体系。", "加强质量工作考核。"),
    ],
    level="national",
)


def local_plan(nodes, plan_id="loc", implements="nat"):
    return plan(plan_id, nodes, implements=implements)


def corpus(*plans, agencies=()):
    return Corpus(plans=tuple(plans), agencies=tuple(agencies), campaigns=())


def top(alignment, local_id):
    return next((p for p in alignment.pairings if p.local_measure_id == local_id and p.rank == 1), None)


def test_bigrams_stay_inside_runs_of_text():
    assert bigrams("单一窗口，质检") == ["单一", "一窗", "窗口", "质检"]
    # Full-width digits read as ASCII, so "２０１６" meets "2016".
    assert bigrams("２０１６年") == bigrams("2016年")


def test_each_local_measure_finds_the_national_measure_it_rewords():
    local = local_plan(
        [
            measure("loc/01", "加快国际贸易单一窗口建设，提高通关效率。"),
            measure("loc/02", "以家用电器为重点，开展改善消费品供给专项行动。"),
            measure("loc/03", "打击通过蚂蚁搬家方式进出口侵权假冒商品的违法行为。"),
        ]
    )
    alignment = align_corpus(corpus(NATIONAL, local))
    assert top(alignment, "loc/01").national_measure_id == "nat/02"
    assert top(alignment, "loc/02").national_measure_id == "nat/01"
    assert top(alignment, "loc/03").national_measure_id == "nat/03"
    assert all(p.source == "computed" for p in alignment.pairings)


def test_rare_shared_phrase_outweighs_shared_boilerplate():
    boilerplate = "按照职责分工加强组织领导，"
    national = plan(
        "nat",
        [
            measure("nat/01", boilerplate + "推进单一窗口建设。"),
            measure("nat/02", boilerplate + "打击蚂蚁搬家。"),
            measure("nat/03", boilerplate + "开展质量考核。"),
        ],
        level="national",
    )
    local = local_plan([measure("loc/01", boilerplate + "严查蚂蚁搬家。")])
    alignment = align_corpus(corpus(national, local))
    # A phrase every measure has weighs nothing: only 蚂蚁搬家 pairs the two.
    assert [(p.national_measure_id, p.rank) for p in alignment.pairings] == [("nat/02", 1)]


def test_a_local_measure_sharing_nothing_is_a_local_addition():
    local = local_plan(
        [
            measure("loc/01", "推进国际贸易单一窗口建设。"),
            measure("loc/02", "推动创建中德智慧产业园。"),
        ]
    )
    alignment = align_corpus(corpus(NATIONAL, local))
    (plan_alignment,) = alignment.plans
    assert plan_alignment.additions == ("loc/02",)
    assert top(alignment, "loc/02") is None
    # National measures nobody carries out are the plan's gaps.
    assert plan_alignment.gaps == ("nat/01", "nat/03", "nat/04")


def test_same_campaign_written_differently_still_pairs():
    national = plan(
        "nat",
        [
            measure("nat/01", "开展2016红盾网剑专项行动。", campaigns=["hongdun-wangjian"]),
            measure("nat/02", "开展专项行动，加强监管。"),
        ],
        level="national",
    )
    local = local_plan([measure("loc/01", "开展2016网络市场监管专项行动。", campaigns=["hongdun-wangjian"])])
    alignment = align_corpus(corpus(national, local))
    best = top(alignment, "loc/01")
    assert best.national_measure_id == "nat/01"


def test_corresponding_agencies_decide_between_equal_texts():
    national = plan(
        "nat",
        [
            measure("nat/01", "加强标准化工作。", agencies=["jiaotongbu"]),
            measure("nat/02", "加强标准化工作。", agencies=["zhijianzongju"]),
            measure("nat/03", "推进单一窗口建设。", agencies=["zhijianzongju"]),
        ],
        level="national",
    )
    local = local_plan([measure("loc/01", "加强标准化工作。", agencies=["anhui-zhijianju"])])
    agencies = [
        Agency(id="zhijianzongju", name="质检总局", full_name="质检总局", level="national"),
        Agency(id="jiaotongbu", name="交通运输部", full_name="交通运输部", level="national"),
        Agency(
            id="anhui-zhijianju",
            name="省质监局",
            full_name="安徽省质量技术监督局",
            level="provincial",
            region="安徽省",
            national_counterpart="zhijianzongju",
        ),
    ]
    alignment = align_corpus(corpus(national, local, agencies=agencies))
    assert top(alignment, "loc/01").national_measure_id == "nat/02"
    # Without the registry the tie is broken by document order, not by agencies.
    assert top(align_corpus(corpus(national, local)), "loc/01").national_measure_id == "nat/01"


def test_agencies_alone_never_make_a_pairing():
    national = plan("nat", [measure("nat/01", "推进国际贸易单一窗口建设。", agencies=["zhijianzongju"])], level="national")
    local = local_plan([measure("loc/01", "推动创建中德智慧产业园。", agencies=["anhui-zhijianju"])])
    agencies = [
        Agency(id="zhijianzongju", name="质检总局", full_name="质检总局", level="national"),
        Agency(id="anhui-zhijianju", name="省质监局", full_name="省质监局", level="provincial", national_counterpart="zhijianzongju"),
    ]
    alignment = align_corpus(corpus(national, local, agencies=agencies))
    assert alignment.pairings == ()
    assert alignment.plans[0].additions == ("loc/01",)


def test_a_local_plan_is_compared_only_with_the_plan_it_implements():
    other = plan("other", [measure("other/01", "推进国际贸易单一窗口建设。")], level="national")
    local = local_plan([measure("loc/01", "推进国际贸易单一窗口建设。")], implements="nat")
    alignment = align_corpus(corpus(NATIONAL, other, local))
    assert {p.national_measure_id for p in alignment.pairings} == {"nat/02"}
    assert [(pa.local_plan_id, pa.national_plan_id) for pa in alignment.plans] == [("loc", "nat")]


def test_plans_that_implement_nothing_or_a_missing_plan_are_not_aligned():
    orphan = local_plan([measure("loc/01", "推进国际贸易单一窗口建设。")], implements="missing")
    assert align_corpus(corpus(NATIONAL, orphan)).plans == ()


def test_heading_only_group_is_read_with_its_items():
    # 重庆 style: the group heading says which national measure the terse item carries out.
    item = measure("loc/01", "加快建设内陆开放高地。")
    group = Node(kind="group", label="（一）", ordinal=1, heading="推动外贸优进优出。", text="", children=(item,))
    alignment = align_corpus(corpus(NATIONAL, local_plan([group])))
    assert top(alignment, "loc/01").national_measure_id == "nat/02"


def test_ranks_are_one_based_and_scores_descend():
    local = local_plan([measure("loc/01", "开展质量工作考核，推进单一窗口建设，开展改善消费品供给专项行动。")])
    alignment = align_corpus(corpus(NATIONAL, local))
    pairings = [p for p in alignment.pairings if p.local_measure_id == "loc/01"]
    assert [p.rank for p in pairings] == list(range(1, len(pairings) + 1))
    assert len(pairings) >= 2
    assert [p.score for p in pairings] == sorted((p.score for p in pairings), reverse=True)
    assert all(0 < p.score <= 1 for p in pairings)


def test_pin_wins_and_is_marked_reviewed():
    local = local_plan([measure("loc/01", "推进国际贸易单一窗口建设。")])
    pins = [Override(local="loc/01", national="nat/04", decision="pin", note="editor knows")]
    alignment = align_corpus(corpus(NATIONAL, local), pins)
    first = top(alignment, "loc/01")
    assert (first.national_measure_id, first.source) == ("nat/04", "reviewed")
    second = [p for p in alignment.pairings if p.rank == 2]
    assert [(p.national_measure_id, p.source) for p in second] == [("nat/02", "computed")]
    assert "nat/04" not in alignment.plans[0].gaps


def test_reject_removes_a_pairing_and_the_next_one_moves_up():
    local = local_plan([measure("loc/01", "开展质量工作考核，推进单一窗口建设。")])
    before = align_corpus(corpus(NATIONAL, local))
    rejected = top(before, "loc/01").national_measure_id
    after = align_corpus(corpus(NATIONAL, local), [Override(local="loc/01", national=rejected, decision="reject")])
    assert rejected not in {p.national_measure_id for p in after.pairings}
    assert top(after, "loc/01") is not None and top(after, "loc/01").national_measure_id != rejected


def test_alignment_is_deterministic():
    local = local_plan([measure(f"loc/{i:02d}", text) for i, text in enumerate(["单一窗口", "蚂蚁搬家", "考核"], 1)])
    assert align_corpus(corpus(NATIONAL, local)) == align_corpus(corpus(NATIONAL, local))


def test_records_have_the_open_data_fields():
    local = local_plan([measure("loc/01", "推进国际贸易单一窗口建设。")])
    records = alignment_records(align_corpus(corpus(NATIONAL, local)))
    assert records[0] == {
        "local_measure_id": "loc/01",
        "national_measure_id": "nat/02",
        "score": records[0]["score"],
        "rank": 1,
        "source": "computed",
    }
    assert isinstance(records[0]["score"], float) and records[0]["score"] >= MIN_SCORE


def test_counterparts_work_from_either_side():
    local = local_plan(
        [measure("loc/01", "推进国际贸易单一窗口建设。"), measure("loc/02", "加快单一窗口建设，信息互换。")]
    )
    alignment = align_corpus(corpus(NATIONAL, local))
    assert [other for other, _, _ in counterparts(alignment, "loc/01")] == ["nat/02"]
    national_side = counterparts(alignment, "nat/02")
    assert {other for other, _, _ in national_side} == {"loc/01", "loc/02"}
    assert [score for _, score, _ in national_side] == sorted((s for _, s, _ in national_side), reverse=True)
    assert counterparts(alignment, "nat/04") == []


def test_ten_thousand_measures_align_each_to_its_source():
    # Scale: one national plan per region pair, local measures reword national ones.
    # Speed is the benchmark's business; this proves the result stays right at size.
    words = ["质量", "标准", "计量", "认证", "品牌", "电梯", "食品", "药品", "农资", "网络", "口岸", "信用"]
    plans = []
    for n in range(250):
        nat_id, loc_id = f"nat{n}", f"loc{n}"
        nat_measures, loc_measures = [], []
        for i in range(20):
            rare = f"{words[i % 12]}{words[(i * 5 + n) % 12]}{n}号{i}项"
            nat_measures.append(measure(f"{nat_id}/{i + 1:02d}", f"开展{rare}专项工作，加强监督管理。"))
            loc_measures.append(measure(f"{loc_id}/{i + 1:02d}", f"我省继续开展{rare}工作。"))
        plans.append(plan(nat_id, nat_measures, level="national"))
        plans.append(plan(loc_id, loc_measures, implements=nat_id))
    big = Corpus(plans=tuple(plans), agencies=(), campaigns=())
    assert sum(len(p.measures) for p in big.plans) == 10_000
    alignment = align_corpus(big)
    tops = {p.local_measure_id: p.national_measure_id for p in alignment.pairings if p.rank == 1}
    assert len(tops) == 5_000
    assert all(local.replace("loc", "nat") == national for local, national in tops.items())


def real_corpus():
    from generator.load import load_corpus

    return load_corpus(Path(__file__).resolve().parents[2] / "data")


def test_whole_real_corpus_alignment_time(record_property):
    # A hook for the benchmark: measured and reported, not asserted (speed depends on the machine).
    corpus_ = real_corpus()
    started = time.perf_counter()
    alignment = align_corpus(corpus_)
    elapsed = time.perf_counter() - started
    record_property("align_corpus_seconds", elapsed)
    print(f"align_corpus on data/: {elapsed * 1000:.1f} ms, {len(alignment.pairings)} pairings")
    assert alignment.plans, "data/ holds plans that implement another"


def test_aligning_on_two_processes_gives_the_same_alignment():
    corpus_ = real_corpus()
    overrides = load_dataset(Path(__file__).resolve().parents[2] / "data").overrides
    serial = align_corpus(corpus_, overrides)
    assert serial.plans
    assert align_corpus(corpus_, overrides, jobs=2) == serial


def agreement(alignment, local_plan_id):
    """Top-1 agreement with the labelled set: the best computed counterpart is one a reader named
    (or, for a measure the reader called a local addition, there is none)."""
    labels = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    national = labels["national_plan"]
    rows = labels["local_plans"][local_plan_id]
    agreed, misses = 0, []
    for row in rows:
        local_id = f"{local_plan_id}/{row['local']}"
        wanted = {f"{national}/{n}" for n in row["national"]}
        best = top(alignment, local_id)
        ok = best.national_measure_id in wanted if wanted else best is None
        agreed += ok
        if not ok:
            misses.append((local_id, sorted(wanted), best and best.national_measure_id))
    return agreed / len(rows), misses


@pytest.mark.parametrize(
    "local_plan_id, required",
    [("wanzhengbanmi-2016-76", 0.9), ("chongqing-2016-zhiliang-fazhan-gangyao-xingdong-jihua", 0.9)],
)
def test_top1_agreement_with_the_labelled_set(local_plan_id, required, record_property):
    corpus_ = real_corpus()
    # The computed alignment alone, without reviewed pins: it is the method being measured.
    alignment = align_corpus(corpus_)
    labels = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    assert len(corpus_.plan(local_plan_id).measures) == len(labels["local_plans"][local_plan_id])
    score, misses = agreement(alignment, local_plan_id)
    record_property(f"top1_{local_plan_id}", score)
    print(f"top-1 agreement {local_plan_id}: {score:.1%}; misses: {misses}")
    assert score >= required, misses


def test_method_page_states_the_measured_agreement():
    corpus_ = real_corpus()
    alignment = align_corpus(corpus_)
    page = (Path(__file__).resolve().parents[2] / "docs" / "alignment-method.md").read_text(encoding="utf-8")
    for name, plan_id in (("安徽", "wanzhengbanmi-2016-76"), ("重庆", "chongqing-2016-zhiliang-fazhan-gangyao-xingdong-jihua")):
        score, misses = agreement(alignment, plan_id)
        total = len(corpus_.plan(plan_id).measures)
        agreed = total - len(misses)
        assert f"{name} {agreed}/{total}（{score:.1%}".replace(".0%", "%") in page


@pytest.mark.parametrize(
    "text",
    [
        "加强质量监管，推进“放管服”改革；",
        "全角ＡＢＣ１２３：（一）　空格",
        "Ａ\u0301 and ｅ\u0308",  # a full-width letter followed by a combining mark composes
        "㈠⑴①℃½ﬁ",  # compatibility forms that become several characters
        "\u2f00\u2f08 ︵ ＂",  # Kangxi radicals and presentation forms
        "",
    ],
)
def test_bigrams_normalise_exactly_as_nfkc(text):
    import unicodedata

    from generator.align import _nfkc

    assert _nfkc(text) == unicodedata.normalize("NFKC", text)
