"""Paragraphs and hierarchy: joins, kinds, headings, sub-tasks, closing."""

from __future__ import annotations

from generator.ingest.paragraphs import make_paragraphs
from generator.ingest.structure import parse_structure


def parse(lines: list[str]):
    return parse_structure(make_paragraphs(list(enumerate(lines, start=1))))


def test_broken_lines_are_joined_but_titles_dates_and_numbers_are_not():
    paragraphs = make_paragraphs(list(enumerate(["建立", "健全制度。", "国务院办公厅", "2016年4月4日", "国办发〔2016〕68号", "各省："], start=1)))
    assert [(p.text, p.first_line, p.last_line) for p in paragraphs] == [
        ("建立健全制度。", 1, 2), ("国务院办公厅", 3, 3), ("2016年4月4日", 4, 4),
        ("国办发〔2016〕68号", 5, 5), ("各省：", 6, 6),
    ]


def test_part_heading_is_never_continued():
    paragraphs = make_paragraphs([(1, "一、总体要求"), (2, "坚持市场导向，推进改革。")])
    assert [p.text for p in paragraphs] == ["一、总体要求", "坚持市场导向，推进改革。"]


def test_three_levels_make_parts_groups_and_measures():
    structure = parse([
        "为贯彻落实，制定本计划。",
        "一、实施工程",
        "（一）开展质量提升专项行动。",
        "1．围绕汽车开展行动。（市质监局负责）",
        "2．开展改善供给行动。（市工商局、市质监局按职责分工负责）",
        "各区县要加强组织领导。",
    ])
    (part,) = structure.nodes
    (group,) = part.children
    assert (part.kind, group.kind) == ("part", "group")
    assert [(m.kind, m.label, m.heading, m.text, m.responsibility) for m in group.children] == [
        ("measure", "1．", "", "围绕汽车开展行动。", "（市质监局负责）"),
        ("measure", "2．", "", "开展改善供给行动。", "（市工商局、市质监局按职责分工负责）"),
    ]
    assert [p.text for p in structure.preamble] == ["为贯彻落实，制定本计划。"]
    assert [p.text for p in structure.closing] == ["各区县要加强组织领导。"]


def test_numbered_parts_alone_are_measures():
    structure = parse(["一、加强组织领导。", "各地要高度重视。", "二、加强政策扶持。", "省各有关部门要统筹。"])
    assert [(n.kind, n.heading, n.text) for n in structure.nodes] == [
        ("measure", "加强组织领导。", "各地要高度重视。"), ("measure", "加强政策扶持。", "省各有关部门要统筹。"),
    ]


def test_sub_tasks_under_a_heading_only_provision():
    structure = parse([
        "一、主要任务",
        "(一)改革标准供给体系。",
        "加快建立政府主导与市场自主协同的新型标准体系。",
        "夯实安全标准基础。",
        "紧扣质量安全要素，加快制定标准。",
        "完善推荐性标准体系，推动标准转变。",
        "提高市场供给能力。",
        "支持社会团体和企业，发展团体标准。",
    ])
    task = structure.nodes[0].children[0]
    assert (task.kind, task.heading, task.text) == ("measure", "改革标准供给体系。", "加快建立政府主导与市场自主协同的新型标准体系。")
    assert [(s.label, s.number, s.heading, s.text) for s in task.children] == [
        ("", 1, "夯实安全标准基础。", "紧扣质量安全要素，加快制定标准。\n完善推荐性标准体系，推动标准转变。"),
        ("", 2, "提高市场供给能力。", "支持社会团体和企业，发展团体标准。"),
    ]


def test_heading_on_its_own_line_with_paragraphs():
    structure = parse(["一、总体要求", "(二)主要目标", "到2025年，质量水平全面提高。", "——品牌建设取得更大进展。"])
    goal = structure.nodes[0].children[0]
    assert (goal.kind, goal.heading, goal.text) == ("measure", "主要目标", "到2025年，质量水平全面提高。\n——品牌建设取得更大进展。")


def test_signature_after_the_last_provision_is_closing():
    structure = parse(["一、加强宣传。", "要倡导消费理念。", "广东省人民政府办公厅", "2016年10月25日"])
    assert [p.text for p in structure.closing] == ["广东省人民政府办公厅", "2016年10月25日"]
    assert structure.nodes[0].text == "要倡导消费理念。"


def test_table_rows_and_annex_headings_are_whole_lines():
    lines = ["附件", "重点任务分工表", "序号\t工作任务\t牵头单位", "1\t开展质量提升行动\t市市场监管局", "2\t加强监管\t市住房城乡建设局"]
    assert [p.text for p in make_paragraphs(list(enumerate(lines, start=1)))] == lines
    # A line broken mid-sentence is still joined.
    assert [p.text for p in make_paragraphs([(1, "建立"), (2, "健全制度。")])] == ["建立健全制度。"]


def test_items_numbered_with_a_comma_mark_are_measures():
    structure = parse([
        "一、重点任务",
        "1、提升产品质量。实施质量提升行动。（责任单位：市市场监管局）",
        "2、提升工程质量。强化工程质量监管。",
        "3、2025年底前建成平台。",
    ])
    part, = structure.nodes
    assert [(child.label, child.kind) for child in part.children] == [("1、", "measure"), ("2、", "measure"), ("3、", "measure")]
    assert part.children[0].responsibility == "（责任单位：市市场监管局）"
    assert part.children[2].text_paragraphs == ["2025年底前建成平台。"]


def test_role_fields_on_lines_of_their_own_are_one_responsibility():
    structure = parse([
        "一、提升产业质量",
        "1.实施制造业质量提升工程。推动重点行业质量攻关。",
        "牵头单位：省工业和信息化厅",
        "责任单位：省市场监管局、省科技厅",
        "2.加强质量基础设施建设。",
    ])
    first = structure.nodes[0].children[0]
    assert first.text_paragraphs == ["实施制造业质量提升工程。推动重点行业质量攻关。"]
    assert first.responsibility == "牵头单位：省工业和信息化厅\n责任单位：省市场监管局、省科技厅"


def test_a_time_limit_line_under_the_role_fields_goes_with_them():
    structure = parse([
        "一、重点任务",
        "（一）加强质量监管。开展产品质量监督抽查。",
        "牵头单位：市市场监管局",
        "配合单位：市公安局、市商务局",
        "完成时限：2024年底",
        "（二）强化质量基础。加快计量体系建设。",
        "时间进度：持续推进",
    ])
    first, second = structure.nodes[0].children
    assert (first.heading, first.text) == ("加强质量监管。", "开展产品质量监督抽查。")
    assert first.responsibility == "牵头单位：市市场监管局\n配合单位：市公安局、市商务局\n完成时限：2024年底"
    # Without role fields above it, a time limit stays the measure's text.
    assert (second.text_paragraphs, second.responsibility) == (["加快计量体系建设。", "时间进度：持续推进"], "")


def test_chapters_over_articles_make_parts_over_measures():
    structure = parse([
        "第一章 总则",
        "第一条 为推动质量强省建设，制定本办法。",
        "第二条 省质量奖是省政府设立的最高质量荣誉。（省市场监管局负责）",
        "第二章 评审",
        "第三条　省质量奖每两年评审一次。",
        "第四条 申报组织应当具备下列条件：",
        "（一）在本省注册；",
        "（二）近三年无重大质量事故。",
    ])
    assert [(n.label, n.kind, n.heading) for n in structure.nodes] == [("第一章 ", "part", "总则"), ("第二章 ", "part", "评审")]
    first, second = structure.nodes[0].children
    assert (first.label, first.kind, first.heading, first.text) == ("第一条 ", "measure", "", "为推动质量强省建设，制定本办法。")
    assert second.responsibility == "（省市场监管局负责）"
    third, fourth = structure.nodes[1].children
    assert third.label == "第三条\u3000" and third.text == "省质量奖每两年评审一次。"
    assert [child.label for child in fourth.children] == ["（一）", "（二）"]


def test_numbered_parts_over_a_plan_and_full_width_item_digits():
    structure = parse([
        "某某省质量提升行动实施方案",
        "第一部分　总体要求",
        "以习近平新时代中国特色社会主义思想为指导，全面提升质量水平。",
        "第二部分 重点任务",
        "一、提升产品质量",
        "１．开展质量攻关。组织重点产品质量攻关。（省市场监管局负责）",
        "２．加强标准引领。推动标准化建设。",
        "第三部分　保障措施",
        "各地各部门要加强组织领导。",
    ])
    assert [(n.label, n.heading) for n in structure.nodes] == [("第一部分\u3000", "总体要求"), ("第二部分 ", "重点任务"), ("第三部分\u3000", "保障措施")]
    assert structure.nodes[0].text == "以习近平新时代中国特色社会主义思想为指导，全面提升质量水平。"
    assert structure.nodes[2].text == "各地各部门要加强组织领导。"
    items = structure.nodes[1].children[0].children
    assert [(item.label, item.kind, item.responsibility) for item in items] == [("１．", "measure", "（省市场监管局负责）"), ("２．", "measure", "")]


def test_article_and_chapter_numbers_past_ten_and_a_hundred():
    from generator.ingest.numbering import chinese_number, read_label

    assert [chinese_number(n) for n in ("十二", "一百", "一百零五", "一百二十", "二百零三")] == [12, 100, 105, 120, 203]
    assert read_label("第一百零五条 本办法自发布之日起施行。").number == 105
    assert read_label("第十一章 附则").level == "chapter"
    assert read_label("第一章节的内容，详见附件。") is None
    assert read_label("第二章总则").text == "第二章"
    assert read_label("第二部分 重点任务").level == "chapter"
    assert read_label("第二部分的内容详见附件。") is None


def test_numbered_sub_items_under_an_item_are_its_measures():
    structure = parse([
        "一、重点任务",
        "（一）强化标准引领。",
        "1.建设标准化平台。",
        "（1）建设标准信息服务平台。推动标准信息公开。（责任单位：市市场监管局）",
        "(2)建设标准创新基地。培育标准创新主体。（责任单位：市科技局）",
        "2.推进企业标准自我声明公开。（责任单位：市市场监管局）",
    ])
    group, = structure.nodes[0].children
    platform, declaration = group.children
    assert (platform.kind, platform.heading, platform.text) == ("group", "建设标准化平台。", "")
    assert [(m.label, m.kind, m.heading, m.text, m.responsibility) for m in platform.children] == [
        ("（1）", "measure", "建设标准信息服务平台。", "推动标准信息公开。", "（责任单位：市市场监管局）"),
        ("(2)", "measure", "建设标准创新基地。", "培育标准创新主体。", "（责任单位：市科技局）"),
    ]
    assert (declaration.kind, declaration.heading, declaration.text) == ("measure", "", "推进企业标准自我声明公开。")


def test_an_annex_heading_and_the_title_under_it_are_whole_lines():
    lines = ["附件：某某市质量提升行动方案", "某某市人民政府", "2024年10月8日", "附件", "某某市质量提升行动方案", "为全面提升质量水平，制定本方案。"]
    assert [p.text for p in make_paragraphs(list(enumerate(lines, start=1)))] == lines


def test_a_covering_notices_list_of_annexes_is_not_provisions():
    structure = parse([
        "现将《某某市质量工作考核办法》印发给你们，请认真贯彻执行。",
        "附件：1.某某市质量工作考核办法",
        "2.某某市质量工作考核评分细则",
        "3.某某市质量工作考核名单",
        "附件1",
        "一、考核内容",
        "（一）质量工作组织领导情况。（市市场监管局负责）",
        "（二）质量提升行动落实情况。",
        "1.建立工作机制。",
        "2.落实工作责任。",
    ])
    assert [p.text for p in structure.preamble][1:4] == ["附件：1.某某市质量工作考核办法", "2.某某市质量工作考核评分细则", "3.某某市质量工作考核名单"]
    part, = structure.nodes
    assert [child.label for child in part.children] == ["（一）", "（二）"]
    assert [item.label for item in part.children[1].children] == ["1.", "2."]


def test_full_width_digits_and_a_period_after_a_part_numeral():
    from generator.ingest.numbering import read_label

    assert [(label.level, label.number, label.text) for label in map(read_label, ["一．总体要求", "二.重点任务", "１．提升质量", "（１）建设平台"])] == [
        ("part", 1, "一．"), ("part", 2, "二."), ("item", 1, "１．"), ("subitem", 1, "（１）"),
    ]


def test_a_measure_heading_that_ends_in_agencies_gives_them_to_the_measure():
    structure = parse([
        "一、重点任务",
        "（一）加强标准建设（市场监管总局负责）",
        "完善标准体系，提升标准水平。",
        "（二）深入实施《质量发展纲要（2011—2020年）》",
        "完善质量体系。",
    ])
    first, second = structure.nodes[0].children
    assert (first.heading, first.text, first.responsibility) == ("加强标准建设", "完善标准体系，提升标准水平。", "（市场监管总局负责）")
    assert (second.heading, second.responsibility) == ("深入实施《质量发展纲要（2011—2020年）》", "")


def test_an_item_whose_first_sentence_ends_in_its_agencies():
    from generator.ingest.plan import read_attributions

    structure = parse(["一、重点任务", "1.培育品牌（省商务厅负责）。开展品牌培育。", "2.加强监管。开展抽查。（省市场监管局负责）"])
    first, second = structure.nodes[0].children
    assert first.text == "培育品牌（省商务厅负责）。开展品牌培育。" and first.responsibility == ""
    readings, _rule = read_attributions(structure)
    assert [reading.pairs for reading in readings[id(first)]] == [[("省商务厅", "responsible")]]
    assert [reading.pairs for reading in readings[id(second)]] == [[("省市场监管局", "responsible")]]


def test_the_colophon_under_the_last_provision_is_closing_text():
    structure = parse([
        "一、保障措施",
        "加强组织领导，强化经费保障。",
        "抄送：市委各部门，市人大常委会办公室。",
        "某某市人民政府办公室\u3000\u30002024年3月18日印发",
    ])
    assert structure.nodes[0].text == "加强组织领导，强化经费保障。"
    assert [paragraph.text for paragraph in structure.closing] == [
        "抄送：市委各部门，市人大常委会办公室。", "某某市人民政府办公室\u3000\u30002024年3月18日印发",
    ]


def test_sub_items_printed_without_an_opening_parenthesis():
    structure = parse(["一、重点任务", "1．强化标准引领。", "1）制定标准。（甲局负责）", "2）实施标准。（乙局负责）"])
    item = structure.nodes[0].children[0]
    assert [(child.label, child.kind, child.responsibility) for child in item.children] == [
        ("1）", "measure", "（甲局负责）"), ("2）", "measure", "（乙局负责）"),
    ]
