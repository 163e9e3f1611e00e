"""Traditional (Taiwan phrasing) → mainland Simplified: OpenCC tw2sp plus the project's phrase list."""

from __future__ import annotations

from generator.ingest.script import detect_script, load_phrases, mainland_punctuation, to_mainland


def test_title_comes_out_as_the_mainland_title():
    assert to_mainland("品質強國建設綱要") == "质量强国建设纲要"


def test_taiwan_terms():
    assert to_mainland("開展消費投訴資訊公示") == "开展消费投诉信息公示"
    assert to_mainland("全面提高我國品質總體水準") == "全面提高我国质量总体水平"
    assert to_mainland("推動資源開放共用") == "推动资源开放共享"
    assert to_mainland("網路化、智慧化") == "网络化、智能化"


def test_mainland_品质_kept_where_the_original_says_it():
    assert to_mainland("增品種、提品質、創品牌") == "增品种、提品质、创品牌"
    assert to_mainland("推動高品質發展，享有高品質生活") == "推动高质量发展，享有高品质生活"


def test_phrase_list_is_longest_first_and_complete():
    phrases, pattern = load_phrases()
    assert phrases["品質"] == "质量" and phrases["資訊"] == "信息"
    assert pattern.match("提品質")[0] == "提品質"


def test_detect_script():
    assert detect_script("中共中央國務院印發《品質強國建設綱要》，要求各地區各部門結合實際認真貫徹落實。") == "traditional"
    assert detect_script("国务院办公厅关于印发贯彻实施质量发展纲要2016年行动计划的通知") == "simplified"


def test_it_vocabulary_swaps_of_tw2sp_are_blocked():
    # tw2sp alone gives 创建, 内核, 性能, 运行, 指针, 在线, 文件 here.
    assert to_mainland("建立以習近平同志為核心的品質基礎設施效能") == "建立以习近平同志为核心的质量基础设施效能"
    assert to_mainland("嚴格執行制度，完善統計指標，推進線上線下一體化，健全資訊檔案") == (
        "严格执行制度，完善统计指标，推进线上线下一体化，健全信息档案"
    )


def test_gangyao_simplified_text_has_no_it_swaps(tmp_path):
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    text = to_mainland((root / "data" / "sources" / "001_65449852ce879aa7.txt").read_text(encoding="utf-8"))
    for wrong in ("创建健全", "内核", "指针", "在线线下", "信道", "文本号"):
        assert wrong not in text
    assert "质量强国建设纲要" in text and "品質" not in text


def test_the_simplified_form_takes_mainland_full_width_punctuation():
    assert to_mainland("近日,中共中央、國務院印發了《品質強國建設綱要》,併發出通知") == (
        "近日，中共中央、国务院印发了《质量强国建设纲要》，并发出通知"
    )
    assert to_mainland("商貿、旅遊等服務品質明顯改善;産業") == "商贸、旅游等服务质量明显改善；产业"
    assert to_mainland("主要內容如下:\n是否繼續?") == "主要内容如下：\n是否继续？"
    assert to_mainland("真好!走吧") == "真好！走吧"
    # A figure before and a word after is Chinese punctuation too.
    assert to_mainland("指數達到86,服務業;合格率達到94%,工程") == "指数达到86，服务业；合格率达到94%，工程"
    # Parentheses turn as a pair where their content or a neighbour is Chinese.
    assert to_mainland("生物製品(疫苗)批簽發,首臺(套)重大技術") == "生物制品（疫苗）批签发，首台（套）重大技术"


def test_ascii_punctuation_among_figures_and_latin_letters_stays():
    for text in ("ISO 9001:2015", "1,000", "GB/T 19001(2016)", "A,b", "單位GDP, 下降"):
        assert mainland_punctuation(text) == text


def test_the_original_of_the_gangyao_keeps_the_captures_punctuation():
    from pathlib import Path

    from generator.load import load_corpus

    root = Path(__file__).resolve().parents[2]
    plan = load_corpus(root / "data").plan("zhongyang-2023-zhiliang-qiangguo-jianshe-gangyao")
    assert "近日,中共中央" in plan.preamble and "近日，中共中央" in (plan.preamble_simplified or "")
    simplified = [node.text_simplified or "" for node in plan.walk()] + [plan.preamble_simplified or ""]
    assert any("," in node.text for node in plan.walk())
    assert not any(mark in text for text in simplified for mark in ",;()")
    assert plan.subject == "國民經濟、國有資産監管/宏觀經濟"
    assert plan.subject_simplified == "国民经济、国有资产监管/宏观经济"
