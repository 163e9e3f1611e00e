"""A Traditional capture is read through Simplified characters and keeps its own (generator.ingest.reading_view)."""

from __future__ import annotations

from generator.ingest import ingest_source
from generator.ingest.agencies import AgencyRegistry
from generator.ingest.reading_view import Originals, reading_view
from generator.ingest.regions import RegionPrefixes

TRADITIONAL = """某某省人民政府關於加強質量工作的實施意見
某政發〔2024〕9號
一、重點任務
（一）加強監管。開展“質檢利劍”行動。（省市場監管局牽頭，省發展改革委、省財政廳參加）
（二）強化基礎。建設計量標準。（省市場監管局、省科技廳）
（三）培育品牌。（責任單位：省商務廳；完成時限：2024年底）
某某省人民政府
2024年5月8日
"""


def test_the_view_has_the_length_of_each_line_and_the_originals_come_back():
    lines = ["（省市場監管局牽頭，省財政廳參加）", "品質強國建設綱要"]
    view = reading_view(lines)
    assert view == ["（省市场监管局牵头，省财政厅参加）", "品质强国建设纲要"]
    assert [len(line) for line in view] == [len(line) for line in lines]
    originals = Originals(view, lines)
    assert originals.of("省财政厅") == "省財政廳"
    # Pieces joined across lines and texts of several paragraphs come back whole.
    assert originals.of("参加）品质\n强国") == "參加）品質\n強國"
    assert originals.of("不在其中") == "不在其中"
    spaced = ["國務院 關於 品質 的 意見"]
    assert Originals(reading_view(spaced), spaced).of("国务院关于品质的意见") == "國務院關於品質的意見"


def test_a_traditional_document_gets_its_metadata_agencies_and_campaigns(tmp_path):
    source = tmp_path / "trad.txt"
    source.write_text(TRADITIONAL, encoding="utf-8")
    (plan,) = ingest_source(source, AgencyRegistry([], RegionPrefixes()), {"质检利剑": "zhijian-lijian"})
    assert (plan["id"], plan["doc_number"], plan["source"]["script"]) == ("mouzhengfa-2024-9", "某政發〔2024〕9號", "traditional")
    assert (plan["full_title"], plan["date_written"]["iso"]) == ("某某省人民政府關於加強質量工作的實施意見", "2024-05-08")
    first, second, third = plan["nodes"][0]["children"]
    # The document's own characters, with the Simplified form beside them.
    assert (first["heading"], first["text"]) == ("加強監管。", "開展“質檢利劍”行動。")
    assert first["text_simplified"] == "开展“质检利剑”行动。"
    assert first["responsibility"] == "（省市場監管局牽頭，省發展改革委、省財政廳參加）"
    assert [(ref["name"], ref["role"], ref.get("wording")) for ref in first["agencies"]] == [
        ("省市場監管局", "lead", None), ("省發展改革委", "assisting", "參加"), ("省財政廳", "assisting", "參加"),
    ]
    assert first["campaigns"] == [{"id": "zhijian-lijian", "name": "質檢利劍"}]
    assert [(ref["name"], ref["role"]) for ref in second["agencies"]] == [("省市場監管局", "responsible"), ("省科技廳", "responsible")]
    assert third["responsibility_fields"] == {"完成時限": "2024年底"}
    assert [(ref["name"], ref["role"]) for ref in third["agencies"]] == [("省商務廳", "responsible")]
