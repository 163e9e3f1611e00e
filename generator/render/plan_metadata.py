"""A plan's metadata as gov.cn prints it: 索引号, 发文机关, 成文日期, 发文字号, 发布日期, 主题分类, 时效性.

索引号 and 时效性 are not fields of the model: the sources that print them
(gov.cn's information table, pkulaw's 文章属性) keep them in the plan's
furniture, verbatim with the line they stand on, so they are read from there
and shown only where the source prints them. Nothing is guessed: a plan whose
source is silent has no such row.
"""

from __future__ import annotations

import re

from generator.model import Plan, shown_date, shown_value

# "索 引 号：\t000014349/2016-00065\t主题分类：…" (gov.cn, blanks between the characters).
_INDEX_NUMBER = re.compile(r"索\s*引\s*号\s*[：:]\s*([^\t]+?)\s*(?:\t|$)")
# "•【时效性】现行有效" (pkulaw).
_VALIDITY = re.compile(r"【\s*时\s*效\s*性\s*】\s*(\S.*?)\s*$")


def printed_index_number(plan: Plan) -> str | None:
    """索引号 as the source prints it (gov.cn), None where it prints none."""
    return _printed(plan, _INDEX_NUMBER)


def printed_validity(plan: Plan) -> str | None:
    """时效性 as the source prints it (现行有效 …), None where it states none."""
    return _printed(plan, _VALIDITY)


def _printed(plan: Plan, pattern: re.Pattern) -> str | None:
    for furniture in plan.furniture:
        match = pattern.search(furniture.text)
        if match and match.group(1).strip():
            return match.group(1).strip()
    return None


def plan_metadata(plan: Plan) -> list[tuple[str, str]]:
    """(label, value) rows in gov.cn's order, plain text (the template escapes).

    Values as every page shows them (model.shown_date, shown_value: "—" where the
    document gives none); 索引号 and 时效性 only where the source prints them.
    """
    rows: list[tuple[str, str]] = []
    index_number = printed_index_number(plan)
    if index_number:
        rows.append(("索引号", index_number))
    rows.append(("发文机关", shown_value("、".join(plan.issuers))))
    rows.append(("成文日期", shown_date(plan.date_written)))
    rows.append(("发文字号", shown_value(plan.doc_number)))
    rows.append(("发布日期", shown_date(plan.date_published)))
    subject = shown_value(plan.shown_subject)
    if plan.subject_simplified and plan.subject_simplified != plan.subject:
        subject += f"（原文：{plan.subject}）"
    rows.append(("主题分类", subject))
    validity = printed_validity(plan)
    if validity:
        rows.append(("时效性", f"{validity}（据采集来源的标注）"))
    # Not in gov.cn's table; pkulaw prints it. After the seven, so they keep gov.cn's order.
    rows.append(("施行日期", shown_date(plan.date_effective)))
    return rows
