"""Campaign mentions and candidates (the function `check` calls)."""

from __future__ import annotations

from generator.ingest.campaigns import find_candidates, find_mentions, variant_index
from generator.model import Campaign

REGISTRY = [
    {"id": "zhijian-lijian", "name": "质检利剑", "variants": ["质检利剑"]},
    {"id": "hongdun-wangjian", "name": "红盾网剑", "variants": ["2016红盾网剑专项行动", "2016网络市场监管专项行动"]},
]


def test_mentions_as_written_in_order():
    text = "开展“2016网络市场监管专项行动”、“质检利剑”行动和“蚂蚁搬家”治理。"
    assert find_mentions(text, variant_index(REGISTRY)) == [
        {"id": "hongdun-wangjian", "name": "2016网络市场监管专项行动"},
        {"id": "zhijian-lijian", "name": "质检利剑"},
    ]


def test_unquoted_words_are_not_mentions():
    assert find_mentions("质检利剑行动", variant_index(REGISTRY)) == []


def test_candidates_skip_registered_and_known_non_campaigns():
    text = (
        "开展“质检利剑”行动、“春风”专项行动、“秋雨行动”和“蚂蚁搬家”治理，"
        "推进“商务诚信建设重点推进行动计划”，再开展“春风”专项行动，實施“標準化+”行動。"
    )
    assert find_candidates(text, REGISTRY, ["蚂蚁搬家"]) == ["春风", "秋雨行动", "標準化+"]


def test_candidates_accept_model_objects():
    campaigns = (Campaign(id="chunfeng", name="春风", kind="enforcement", first_year=2016, variants=("春风",)),)
    assert find_candidates("开展“春风”专项行动、“夏雨”行动。", campaigns, ()) == ["夏雨"]


def test_real_corpus_has_no_unreviewed_candidates():
    from pathlib import Path

    import yaml

    root = Path(__file__).resolve().parents[2]
    registry = yaml.safe_load((root / "data" / "campaigns.yaml").read_text(encoding="utf-8"))
    non_campaigns = yaml.safe_load((root / "data" / "non_campaigns.yaml").read_text(encoding="utf-8"))
    for source in sorted((root / "data" / "sources").glob("*.txt")):
        assert find_candidates(source.read_text(encoding="utf-8"), registry, non_campaigns) == [], source.name
