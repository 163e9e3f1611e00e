"""The trailing agency parenthesis and its roles."""

from __future__ import annotations

from generator.ingest.responsibility import parse_roles, split_responsibility


def test_all_lead_with_按职责分工负责():
    text, paren = split_responsibility("开展行动。（发展改革委、科技部、质检总局按职责分工负责）")
    assert (text, paren) == ("开展行动。", "（发展改革委、科技部、质检总局按职责分工负责）")
    assert parse_roles(paren) == [("发展改革委", "lead"), ("科技部", "lead"), ("质检总局", "lead")]


def test_lead_and_assisting_half_width():
    paren = "(省质监局、省旅游局负责,省质量工作领导小组其他成员单位协助)"
    assert split_responsibility("开展活动。" + paren) == ("开展活动。", paren)
    assert parse_roles(paren) == [
        ("省质监局", "lead"), ("省旅游局", "lead"), ("省质量工作领导小组其他成员单位", "assisting"),
    ]


def test_牵头_and_配合():
    assert parse_roles("（市质监局牵头，市工商局、市商委配合）") == [
        ("市质监局", "lead"), ("市工商局", "assisting"), ("市商委", "assisting"),
    ]


def test_unclosed_parenthesis_is_read_and_kept_verbatim():
    assert split_responsibility("增强意识。（市文化委、市质监局按职责分工负责") == (
        "增强意识。", "（市文化委、市质监局按职责分工负责",
    )


def test_a_parenthesis_that_is_not_about_agencies_stays_in_the_text():
    text = "推进区域全面经济伙伴关系（RCEP）谈判工作。"
    assert split_responsibility(text) == (text, "")
    assert split_responsibility("举办一期研讨班（含国企）") == ("举办一期研讨班（含国企）", "")
