"""The agency parentheses and the roles they assign, one named form per test."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.ingest.responsibility import (
    FIELD_ROLES,
    ROLE_VERBS,
    inline_attributions,
    parse_roles,
    read_attribution,
    split_responsibility,
)


def test_按职责分工负责_makes_each_responsible_not_lead():
    text, paren = split_responsibility("开展行动。（发展改革委、科技部、质检总局按职责分工负责）")
    assert (text, paren) == ("开展行动。", "（发展改革委、科技部、质检总局按职责分工负责）")
    assert parse_roles(paren) == [("发展改革委", "responsible"), ("科技部", "responsible"), ("质检总局", "responsible")]


def test_responsible_and_assisting_half_width():
    paren = "(省质监局、省旅游局负责,省质量工作领导小组其他成员单位协助)"
    assert split_responsibility("开展活动。" + paren) == ("开展活动。", paren)
    assert parse_roles(paren) == [
        ("省质监局", "responsible"), ("省旅游局", "responsible"), ("省质量工作领导小组其他成员单位", "assisting"),
    ]


def test_牵头_and_配合_and_参与_and_指导():
    assert parse_roles("（市质监局牵头，市工商局、市商委配合）") == [
        ("市质监局", "lead"), ("市工商局", "assisting"), ("市商委", "assisting"),
    ]
    assert parse_roles("（生态环境部牵头，国家发展改革委、商务部参与）") == [
        ("生态环境部", "lead"), ("国家发展改革委", "assisting"), ("商务部", "assisting"),
    ]
    assert parse_roles("（商务部指导，供销合作总社参与）") == [("商务部", "guiding"), ("供销合作总社", "assisting")]
    assert parse_roles("（农业农村部、工业和信息化部牵头负责）") == [("农业农村部", "lead"), ("工业和信息化部", "lead")]


def test_names_before_a_comma_share_the_next_verb():
    assert parse_roles("（人力资源社会保障部、科技部，各省级人民政府按职责分工负责）") == [
        ("人力资源社会保障部", "responsible"), ("科技部", "responsible"), ("各省级人民政府", "responsible"),
    ]


def test_会同_partners_assist():
    assert parse_roles("（国家发展改革委、财政部会同有关部门负责）") == [
        ("国家发展改革委", "responsible"), ("财政部", "responsible"), ("有关部门", "assisting"),
    ]


def test_等_is_dropped_and_recorded_and_collectives_split_off():
    reading = read_attribution("（商务部、发展改革委、农业农村部等和各有关省级人民政府负责）")
    assert reading.pairs == [
        ("商务部", "responsible"), ("发展改革委", "responsible"), ("农业农村部", "responsible"),
        ("各有关省级人民政府", "responsible"),
    ]
    assert reading.printed == {2: "农业农村部等和各有关省级人民政府"}
    assert parse_roles("（人力资源社会保障部等有关部门和单位负责）") == [
        ("人力资源社会保障部", "responsible"), ("有关部门和单位", "responsible"),
    ]
    assert parse_roles("（海关总署、商务部等有关部门负责）")[-1] == ("有关部门", "responsible")
    assert parse_roles("（各（有关）省级人民政府负责）") == [("各（有关）省级人民政府", "responsible")]


def test_labelled_fields_keep_scope_apart():
    paren = "（负责部门：人力资源社会保障部、商务部；适用范围：所有自贸试验区，以下除标注适用于特定自贸试验区的措施外，适用范围均为所有自贸试验区）"
    assert split_responsibility("放宽限制。" + paren) == ("放宽限制。", paren)
    reading = read_attribution(paren)
    assert reading.pairs == [("人力资源社会保障部", "responsible"), ("商务部", "responsible")]
    assert reading.fields == {"适用范围": "所有自贸试验区，以下除标注适用于特定自贸试验区的措施外，适用范围均为所有自贸试验区"}
    reading = read_attribution("（负责部门：人民银行等部门，适用范围：浙江自贸试验区）")
    assert reading.pairs == [("人民银行", "responsible")] and reading.printed == {0: "人民银行等部门"}
    assert parse_roles("（牵头单位：省质监局；配合单位：省商务厅）") == [("省质监局", "lead"), ("省商务厅", "assisting")]


def test_the_first_listed_rule_is_read_and_applied():
    reading = read_attribution("（人力资源社会保障部、财政部负责。列第一位者为牵头单位，下同）")
    assert reading.rule == "列第一位者为牵头单位，下同"
    assert reading.pairs == [("人力资源社会保障部", "lead"), ("财政部", "assisting")]
    reading = read_attribution("（税务总局、财政部、海关总署负责，排在第一位的部门为牵头部门，下同）")
    assert reading.pairs == [("税务总局", "lead"), ("财政部", "assisting"), ("海关总署", "assisting")]
    # Later measures: the rule was stated before; an explicit 牵头负责 keeps both leads.
    assert parse_roles("（财政部、民政部负责）", first_listed_leads=True) == [("财政部", "lead"), ("民政部", "assisting")]
    assert parse_roles("（农业农村部、工业和信息化部牵头负责）", first_listed_leads=True) == [
        ("农业农村部", "lead"), ("工业和信息化部", "lead"),
    ]


def test_a_standing_note_after_the_verbs_is_kept_as_a_remark():
    reading = read_attribution("（生态环境部指导，试点城市政府负责落实。以下均需试点城市政府落实，不再列出）")
    assert reading.pairs == [("生态环境部", "guiding"), ("试点城市政府", "responsible")]
    assert reading.remark == "以下均需试点城市政府落实，不再列出"


def test_mid_paragraph_attributions():
    text = "建立制度。（生态环境部指导）推进利用。(国家发展改革委、商务部指导)再做一件事"
    assert inline_attributions(text) == ["（生态环境部指导）", "(国家发展改革委、商务部指导)"]


def test_unclosed_parenthesis_is_read_and_kept_verbatim():
    assert split_responsibility("增强意识。（市文化委、市质监局按职责分工负责") == (
        "增强意识。", "（市文化委、市质监局按职责分工负责",
    )


def test_a_parenthesis_that_is_not_about_agencies_stays_in_the_text():
    for text in (
        "推进区域全面经济伙伴关系（RCEP）谈判工作。",
        "举办一期研讨班（含国企）",
        "在本省（市）范围内实施",
        "实施证书制度（技工院校内由人力资源社会保障行政部门负责）",
    ):
        assert split_responsibility(text) == (text, "")
    assert inline_attributions("分别负责实施（技工院校内由人力资源社会保障行政部门负责），其他") == []


def test_assisting_keeps_its_printed_word():
    reading = read_attribution("（市质监局牵头，市工商局配合，市商委参与）")
    assert reading.pairs == [("市质监局", "lead"), ("市工商局", "assisting"), ("市商委", "assisting")]
    assert reading.wordings == {1: "配合", 2: "参与"}
    assert read_attribution("（教育部会同有关部门负责）").wordings == {1: "会同"}
    assert read_attribution("（省质监局负责，省旅游局协助）").wordings == {}


def test_role_fields_on_their_own_line_or_after_the_last_sentence():
    line = "责任单位：省市场监管局、省工业和信息化厅、省商务厅"
    assert split_responsibility(line) == ("", line)
    assert parse_roles(line) == [("省市场监管局", "responsible"), ("省工业和信息化厅", "responsible"), ("省商务厅", "responsible")]
    fields = "牵头单位：省市场监管局；配合单位：省发展改革委、省科技厅。"
    assert split_responsibility("推动标准体系建设。" + fields) == ("推动标准体系建设。", fields)
    assert parse_roles(fields) == [("省市场监管局", "lead"), ("省发展改革委", "assisting"), ("省科技厅", "assisting")]
    timed = "责任单位：各市人民政府；完成时限：2024年底前"
    assert split_responsibility("建设平台。\n" + timed) == ("建设平台。\n", timed)
    assert read_attribution(timed).fields == {"完成时限": "2024年底前"}


def test_role_field_words_inside_a_sentence_stay_text():
    for text in (
        "明确责任单位：要把任务落到实处。",
        "各地要落实责任单位：建立台账，定期调度。",
        "责任单位：要加强领导",
    ):
        assert split_responsibility(text) == (text, "")


def test_a_last_sentence_of_bodies_and_role_verbs_without_a_parenthesis():
    sentence = "省市场监管局牵头，省公安厅、省商务厅配合。"
    text = "开展“质检利剑”行动，严厉打击质量违法行为。" + sentence
    assert split_responsibility(text) == ("开展“质检利剑”行动，严厉打击质量违法行为。", sentence)
    assert parse_roles(sentence) == [("省市场监管局", "lead"), ("省公安厅", "assisting"), ("省商务厅", "assisting")]
    assert split_responsibility("推进质量提升。\n省市场监管局、省科技厅负责。") == ("推进质量提升。\n", "省市场监管局、省科技厅负责。")


def test_a_last_sentence_that_only_ends_in_a_role_verb_stays_text():
    for text in (
        "加强部门协作配合。",  # 加强部门协作 is not a body
        "建立协调机制，强化部门协作配合。",
        "企业是质量主体，政府负责监管。",
        "由省政府统一部署，各市负责。",
        "市场监管部门要切实负责。",
        "开展质量提升行动，全面负责。",
        "鼓励全社会参与。",
        "强化执行配合。",
        "推进质量提升。各市人民政府负责。",  # one body: left as text (the report asks where most measures have agencies)
    ):
        assert split_responsibility(text) == (text, ""), text


def test_role_fields_on_two_lines_read_as_one():
    assert parse_roles("牵头单位：省工业和信息化厅\n责任单位：省市场监管局、省科技厅") == [
        ("省工业和信息化厅", "lead"), ("省市场监管局", "responsible"), ("省科技厅", "responsible"),
    ]


def test_a_role_field_may_list_its_names_with_commas_but_not_other_words():
    assert parse_roles("（责任单位：省市场监管局，省工业和信息化厅）") == [
        ("省市场监管局", "responsible"), ("省工业和信息化厅", "responsible"),
    ]
    assert parse_roles("（责任单位：省市场监管局，2024年底前完成）") == []


def test_role_fields_in_square_brackets():
    bracket = "【牵头单位：省市场监管局；配合单位：省科技厅】"
    assert split_responsibility("建设计量中心。" + bracket) == ("建设计量中心。", bracket)
    assert parse_roles(bracket) == [("省市场监管局", "lead"), ("省科技厅", "assisting")]
    assert split_responsibility("开展【质量月】活动。") == ("开展【质量月】活动。", "")
    assert split_responsibility("开展质量月活动【重点】") == ("开展质量月活动【重点】", "")


def test_a_list_is_cut_outside_the_parentheses_of_a_name():
    assert parse_roles("（省市场监管局牵头，各县（市、区）人民政府负责）") == [
        ("省市场监管局", "lead"), ("各县（市、区）人民政府", "responsible"),
    ]
    assert parse_roles("（责任单位：各县（市、区）人民政府、省市场监管局）") == [
        ("各县（市、区）人民政府", "responsible"), ("省市场监管局", "responsible"),
    ]


def test_other_role_field_labels():
    assert parse_roles("（主责单位：省市场监管局；协同单位：省科技厅）") == [("省市场监管局", "lead"), ("省科技厅", "assisting")]
    assert parse_roles("责任主体：各市人民政府") == [("各市人民政府", "responsible")]


def test_more_role_verbs_keep_their_wording():
    reading = read_attribution("（省发展改革委统筹，各有关部门落实）")
    assert reading.pairs == [("省发展改革委", "lead"), ("各有关部门", "responsible")]
    assert reading.wordings == {0: "统筹", 1: "落实"}
    reading = read_attribution("（省政府负总责，省市场监管局具体负责）")
    assert reading.pairs == [("省政府", "lead"), ("省市场监管局", "responsible")] and reading.wordings == {0: "负总责"}
    assert parse_roles("（省市场监管局组织实施）") == [("省市场监管局", "responsible")]
    assert parse_roles("（省市场监管局督促指导）") == [("省市场监管局", "guiding")]


def test_a_loose_verb_after_a_word_that_is_no_body_is_text():
    for text in ("开展行动（抓好落实）", "完善机制（加强统筹）", "推进改革（认真组织实施）"):
        assert split_responsibility(text) == (text, ""), text


def test_a_stop_after_the_parenthesis_goes_with_it():
    assert split_responsibility("开展行动（省市场监管局负责）。") == ("开展行动", "（省市场监管局负责）。")
    assert split_responsibility("开展行动（省市场监管局负责）；") == ("开展行动", "（省市场监管局负责）；")
    assert parse_roles("（省市场监管局负责）。") == [("省市场监管局", "responsible")]
    assert split_responsibility("开展行动（本省）。") == ("开展行动（本省）。", "")


def test_role_fields_separated_by_a_space():
    assert parse_roles("（牵头单位：省市场监管局　责任单位：省科技厅、省商务厅）") == [
        ("省市场监管局", "lead"), ("省科技厅", "responsible"), ("省商务厅", "responsible"),
    ]


def test_a_field_list_with_brackets_and_a_standing_remark():
    reading = read_attribution("（责任单位：市工业和信息化局、市市场监管局，各县〔市、区〕人民政府。以下均需各县〔市、区〕人民政府落实，不再列出）")
    assert reading.pairs == [
        ("市工业和信息化局", "responsible"), ("市市场监管局", "responsible"), ("各县〔市、区〕人民政府", "responsible"),
    ]
    assert reading.remark == "以下均需各县〔市、区〕人民政府落实，不再列出"
    # A sentence between two fields is not a remark: the parenthesis is left for review.
    assert read_attribution("（责任单位：市市场监管局。要加强领导；完成时限：2024年底）") is None


def test_a_bare_list_of_bodies_is_read_as_responsible_and_flagged():
    paren = "（省市场监管局、省工业和信息化厅，各市、县人民政府）"
    assert split_responsibility("组织重点产品质量攻关。" + paren) == ("组织重点产品质量攻关。", paren)
    reading = read_attribution(paren)
    assert reading.pairs == [("省市场监管局", "responsible"), ("省工业和信息化厅", "responsible"), ("各市、县人民政府", "responsible")]
    assert reading.unworded
    assert not read_attribution("（省市场监管局负责）").unworded
    # The document's first-listed rule applies to a bare list as to a 负责 list.
    assert parse_roles("（省市场监管局、省商务厅）", first_listed_leads=True) == [("省市场监管局", "lead"), ("省商务厅", "assisting")]


def test_a_bare_list_of_words_that_are_no_bodies_stays_text():
    for text in ("完善质量基础设施（计量、标准、认证认可、检验检测）", "建设一批中心（站）", "提升质量（以下简称质量局）",
                 "推进合作（省市场监管局；2024年）"):
        assert split_responsibility(text) == (text, "")
    assert read_attribution("省市场监管局、省商务厅") is None  # only inside a parenthesis


def test_a_time_limit_after_the_agencies_goes_with_them():
    for due in ("（2024年底前完成）", "（2025年6月底前）", "（持续推进）", "（时限：2024年12月）"):
        paren = "（责任单位：省发展改革委、省市场监管局）" + due
        assert split_responsibility("推进信用监管。" + paren) == ("推进信用监管。", paren)
        assert parse_roles(paren) == [("省发展改革委", "responsible"), ("省市场监管局", "responsible")]
    # A time limit alone assigns nothing.
    assert split_responsibility("推进信用监管（2024年底前完成）") == ("推进信用监管（2024年底前完成）", "")


def test_a_list_sharing_its_head_is_one_name():
    assert parse_roles("（省市场监管局牵头，各市、县〔区〕人民政府负责）") == [
        ("省市场监管局", "lead"), ("各市、县〔区〕人民政府", "responsible"),
    ]
    assert parse_roles("（各设区市、县（市、区）人民政府，省有关部门按职责分工负责）") == [
        ("各设区市、县（市、区）人民政府", "responsible"), ("省有关部门", "responsible"),
    ]
    assert parse_roles("（责任单位：省市场监管局、各市、县人民政府）") == [
        ("省市场监管局", "responsible"), ("各市、县人民政府", "responsible"),
    ]


def test_参加_主办_协办_and_their_field_labels():
    reading = read_attribution("（省市场监管局牵头，省发展改革委、省财政厅参加）")
    assert reading.pairs == [("省市场监管局", "lead"), ("省发展改革委", "assisting"), ("省财政厅", "assisting")]
    assert reading.wordings == {1: "参加", 2: "参加"} and not reading.remark
    reading = read_attribution("（省市场监管局主办，省商务厅协办）")
    assert reading.pairs == [("省市场监管局", "lead"), ("省商务厅", "assisting")] and reading.wordings == {0: "主办", 1: "协办"}
    assert parse_roles("（牵头单位：省市场监管局；参加单位：省财政厅）") == [("省市场监管局", "lead"), ("省财政厅", "assisting")]
    assert parse_roles("（主要责任单位：省市场监管局；其他责任单位：省发展改革委）") == [
        ("省市场监管局", "lead"), ("省发展改革委", "responsible"),
    ]


def test_how_bodies_share_a_verb_is_no_part_of_their_names():
    assert parse_roles("（省市场监管局负责，省公安厅等按职责分工配合）") == [("省市场监管局", "responsible"), ("省公安厅", "assisting")]
    assert parse_roles("（省市场监管局牵头，各有关部门按职责分工落实）") == [("省市场监管局", "lead"), ("各有关部门", "responsible")]
    assert parse_roles("（省市场监管局、省发展改革委按职能职责负责）")[-1] == ("省发展改革委", "responsible")
    assert parse_roles("（省市场监管局牵头，各市州人民政府具体负责落实）")[-1] == ("各市州人民政府", "responsible")
    assert parse_roles("（省市场监管局、各设区市人民政府分别负责）")[-1] == ("各设区市人民政府", "responsible")
    assert parse_roles("（市场监管总局按职责分工负责，各地区落实）")[-1] == ("各地区", "responsible")


def test_a_collective_after_等_may_name_its_level():
    reading = read_attribution("（责任单位：省市场监管局等省有关部门，各设区市政府）")
    assert reading.pairs == [("省市场监管局", "responsible"), ("省有关部门", "responsible"), ("各设区市政府", "responsible")]
    assert reading.printed == {0: "省市场监管局等省有关部门"}


def test_a_lead_printed_after_a_name():
    reading = read_attribution("（省发展改革委（牵头）、省工业和信息化厅、省市场监管局）")
    assert reading.pairs == [("省发展改革委", "lead"), ("省工业和信息化厅", "responsible"), ("省市场监管局", "responsible")]
    assert reading.printed == {0: "省发展改革委（牵头）"}
    assert parse_roles("（责任单位：市市场监管局（牵头），市发展改革委）") == [("市市场监管局", "lead"), ("市发展改革委", "responsible")]
    # A parenthesis that names its lead itself keeps it under the document's first-listed rule.
    assert parse_roles("（市人力资源社会保障局（牵头）、市教育局）", first_listed_leads=True)[1] == ("市教育局", "responsible")
    assert parse_roles("（省市场监管局牵头，省公安厅、省商务厅负责）", first_listed_leads=True) == [
        ("省市场监管局", "lead"), ("省公安厅", "responsible"), ("省商务厅", "responsible"),
    ]


def test_more_wordings_of_the_first_listed_rule():
    for rule in ("列在首位的为牵头单位", "排在首位的为牵头单位，下同", "排名第一的为牵头部门", "列第一位的是牵头单位"):
        reading = read_attribution(f"（省市场监管局、省财政厅负责，{rule}）")
        assert reading.rule == rule and reading.pairs == [("省市场监管局", "lead"), ("省财政厅", "assisting")]


def test_a_time_limit_after_the_roles_is_kept_apart_from_a_remark():
    reading = read_attribution("（省市场监管局负责，2024年底前完成）")
    assert reading.pairs == [("省市场监管局", "responsible")] and reading.due == "2024年底前完成" and not reading.remark


def test_和_between_two_bodies_joins_two_names_but_not_a_name():
    assert parse_roles("（省市场监管局牵头，省有关部门和各市人民政府配合）")[1:] == [("省有关部门", "assisting"), ("各市人民政府", "assisting")]
    assert parse_roles("（工业和信息化部、住房和城乡建设部负责）") == [("工业和信息化部", "responsible"), ("住房和城乡建设部", "responsible")]
    assert parse_roles("（国家卫生和计划生育委员会、人力资源和社会保障部负责）")[0] == ("国家卫生和计划生育委员会", "responsible")
    assert parse_roles("（人力资源社会保障部等有关部门和单位负责）")[-1] == ("有关部门和单位", "responsible")


def test_an_agency_parenthesis_ending_a_sentence_inside_a_paragraph():
    text = "培育品牌（省商务厅负责）。开展品牌培育。建设一批检验检测中心（国家质检中心、省质检院）。推进合作（试点）。"
    # Read as the sentence's responsibility; a bare list of names inside running text is left alone.
    assert inline_attributions(text) == ["（省商务厅负责）"]


def test_role_fields_in_other_square_brackets_and_names_split_by_spaces_or_slashes():
    for paren in ("[责任单位：省市场监管局]", "〔责任单位：省市场监管局〕"):
        assert split_responsibility("开展抽查。" + paren) == ("开展抽查。", paren)
    for text in ("依据文件〔2024〕", "参见[1]", "开展抽查〔省市场监管局负责〕"):
        assert split_responsibility(text) == (text, "")
    both = [("省市场监管局", "responsible"), ("省公安厅", "responsible")]
    assert parse_roles("（责任单位：省市场监管局 省公安厅）") == both
    assert parse_roles("（责任单位：省市场监管局/省公安厅）") == both
    assert parse_roles("（省市场监管局\u3000省公安厅负责）") == both


def test_由_opening_a_role_segment():
    assert parse_roles("（由国家发展改革委负责）") == [("国家发展改革委", "responsible")]
    assert parse_roles("（由省市场监管局牵头，省公安厅配合）") == [("省市场监管局", "lead"), ("省公安厅", "assisting")]
    for phrase in ("（技工院校内由人力资源社会保障行政部门负责）", "（由此产生的费用由企业负责）"):
        assert parse_roles(phrase) == []


def test_role_labels_in_brackets_or_followed_by_a_space():
    paren = "【牵头单位】省市场监管局【配合单位】省公安厅"
    assert split_responsibility("开展抽查。" + paren) == ("开展抽查。", paren)
    assert parse_roles(paren) == [("省市场监管局", "lead"), ("省公安厅", "assisting")]
    assert parse_roles("（责任单位 省市场监管局）") == [("省市场监管局", "responsible")]
    assert split_responsibility("开展抽查。\n责任单位 省市场监管局") == ("开展抽查。\n", "责任单位 省市场监管局")
    # A label is never an agency's name.
    assert read_attribution("（责任单位、省市场监管局）") is None


_PIECES = ["省市场监管局", "省公安厅", "各市、县人民政府", "国家发展改革委", "有关部门", "各地区", "责任单位", "牵头单位", "配合单位",
           "完成时限", "负责", "牵头", "配合", "参加", "按职责分工", "等", "、", "，", "；", "：", "。", " ", "（牵头）", "2024年底前",
           "由", "会同", "和", "指导", "落实", "以下均需", "不再列出", "全社会", "各省、自治区、直辖市人民政府", "【", "】"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=8).map("".join))
def test_whatever_a_parenthesis_holds_no_role_word_or_label_becomes_a_name(inner):
    reading = read_attribution(f"（{inner}）")
    verbs = tuple(verb for verb, _role in ROLE_VERBS)
    for name, _role in reading.pairs if reading else ():
        assert name and name not in FIELD_ROLES and not name.endswith(verbs), (inner, reading.pairs)
        assert not name.startswith("和") and not name.endswith("和") and "会同" not in name, (inner, reading.pairs)
