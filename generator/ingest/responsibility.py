"""The trailing agency parenthesis of a measure and the roles it assigns.

"（发展改革委、科技部按职责分工负责）" makes every listed agency a lead;
"（省质监局负责，省质量工作领导小组其他成员单位协助）" has a lead clause and
an assisting clause. A parenthesis left unclosed at the end of a measure is
still read (the text is kept verbatim, the missing "）" is not invented).
"""

from __future__ import annotations

import re

# Longest first: "按职责分工负责" must win over "负责".
_ROLE_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("按职责分工负责", "lead"),
    ("按职能分工负责", "lead"),
    ("按职责负责", "lead"),
    ("牵头负责", "lead"),
    ("共同负责", "lead"),
    ("负责", "lead"),
    ("牵头", "lead"),
    ("协助", "assisting"),
    ("配合", "assisting"),
    ("参与", "assisting"),
)
_ROLE_END = re.compile(r"(负责|牵头|协助|配合|参与)$")
_CLAUSE_SPLIT = re.compile(r"[，,；;]")
_NAME_SPLIT = re.compile(r"[、]")
_MAX_LENGTH = 400


def split_responsibility(paragraph: str) -> tuple[str, str]:
    """(text before, the parenthesis as printed); ("paragraph", "") when there is none."""
    body = paragraph.rstrip()
    if body.endswith(("）", ")")):
        opening = max(body.rfind("（"), body.rfind("("))
        if opening >= 0 and len(body) - opening <= _MAX_LENGTH:
            inner = body[opening + 1 : -1]
            if _ROLE_END.search(inner.strip()) and "（" not in inner and "(" not in inner:
                return paragraph[:opening], paragraph[opening:]
        return paragraph, ""
    opening = max(body.rfind("（"), body.rfind("("))
    if opening >= 0 and len(body) - opening <= _MAX_LENGTH:
        inner = body[opening + 1 :]
        if "）" not in inner and ")" not in inner and _ROLE_END.search(inner):
            return paragraph[:opening], paragraph[opening:]
    return paragraph, ""


def parse_roles(responsibility: str) -> list[tuple[str, str]]:
    """[(agency name as written, lead|assisting)] in printed order."""
    inner = responsibility.strip()
    if inner[:1] in "（(":
        inner = inner[1:]
    if inner[-1:] in "）)":
        inner = inner[:-1]
    pairs: list[tuple[str, str]] = []
    for clause in _CLAUSE_SPLIT.split(inner):
        clause = clause.strip()
        if not clause:
            continue
        role = "lead"
        for suffix, suffix_role in _ROLE_SUFFIXES:
            if clause.endswith(suffix):
                clause, role = clause[: -len(suffix)], suffix_role
                break
        for name in _NAME_SPLIT.split(clause):
            name = name.strip()
            if name:
                pairs.append((name, role))
    return pairs
