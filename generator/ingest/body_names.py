"""The names of bodies in a printed list: where one name ends and the next begins, and what is no name.

A list of bodies is cut at 、 (some documents use commas) outside parentheses,
so 各县（市、区）人民政府 stays whole; a piece naming only a level joins the name
after it (各市、县人民政府 is the governments of each city and county); 和
between two bodies' names cuts them (省有关部门和各市人民政府), never inside a
name (工业和信息化部, 有关部门和单位). From each name its list words are cut: a
trailing 等, a collective after it (等有关部门和单位, 等省有关部门, 等和各有关省级人民政府)
and a role printed after it (省发展改革委（牵头）).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAME = re.compile(r"^[\u4e00-\u9fff（）()〔〕、]{2,40}$")
"""A body's name; a 、 in it can only stand inside its parentheses or after a level (各市、县人民政府)."""
_NOT_A_NAME = re.compile(r"(?<!自)由|[的在对是将把为要向]|以下|不再")
_COLLECTIVE_TAIL = re.compile(
    r"等(?P<collective>(?:国家|省直|市直|县直|省|市|县|区)?(?:(?:各)?(?:有关)?(?:部门|单位)(?:和单位)?|有关部门和单位|有关部门))$"
)
_AND_LOCAL = re.compile(r"等和(?P<collective>各.+)$")
_BODY_END = re.compile(r"(?:局|厅|委|部|办|院|署|会|行|府|室|中心|处|站|所|队|组|社|团|联|集团|公司|单位|部门|机关)$")
"""How the name of a body ends; a sentence read as responsibility without a parenthesis names only bodies."""
_EACH_PLACE = re.compile(r"^各(?:地|地区|地方|市|县|区|市州|市县|县区|区县|乡镇)$")
"""各地, 各地区 …: the governments of every place, a collective body though its name ends otherwise."""
_EVERYONE = re.compile(r"^(?:全|整个)?社会$")
"""社会 and 全社会 end as a body (委员会) does, and are none."""
_LEAD_MARK = re.compile(r"[（(]牵头(?:单位|部门)?[）)]$")
"""A role printed after a body's name in a list: 省发展改革委（牵头）、省财政厅."""
_LEVEL_ONLY = re.compile(r"^各?(?:省|自治区|直辖市|自治州|自治县|设区的?市|地级以上市|县级市|市|州|盟|县|区|旗|乡镇|乡|镇)$")
"""A piece of a list that names no body, only the level of one the next piece names: 各市、县人民政府, 各省、自治区、直辖市人民政府."""
_LEVEL_START = re.compile(r"^(?:自治区|直辖市|自治州|自治县|设区的?市|地级以上市|县级市|市|州|盟|县|区|旗|乡镇|乡|镇)(?!场|委|直)")
"""The next piece of such a list starts with a level too (县人民政府, 县（市、区）人民政府), not with another body (省财政厅)."""


NAME_SEPARATORS = "、 \u3000/／"
"""What stands between two names of a list besides commas: 、, in some documents a space or a slash (names hold none)."""


@dataclass(frozen=True)
class CutName:
    """One printed name of a list, its list words cut off."""

    name: str
    """The body as it is called: 商务部 from 商务部等, 省发展改革委 from 省发展改革委（牵头）."""
    collective: str | None
    """The collective printed after it (有关部门和单位 of …等有关部门和单位), if it names one."""
    lead_marked: bool
    """Whether the name carries its role after it: （牵头）."""


def outside_parentheses(text: str, separators: str) -> list[str]:
    """`text` cut at each of `separators` that is not inside a parenthesis: 各县（市、区）人民政府, 各县〔市、区〕人民政府 stay whole."""
    pieces, depth, start = [], 0, 0
    for index, character in enumerate(text):
        if character in "（(〔":
            depth += 1
        elif character in "）)〕":
            depth = max(0, depth - 1)
        elif depth == 0 and character in separators:
            pieces.append(text[start:index])
            start = index + 1
    pieces.append(text[start:])
    return pieces


def list_names(listed: str, separators: str = NAME_SEPARATORS) -> list[str]:
    """The names of a list cut at `separators`; a piece naming only a level joins the next (各市、县（区）人民政府 is one name)."""
    names: list[str] = []
    carried = ""
    cuts = outside_parentheses(listed, separators)
    position = 0
    for index, piece in enumerate(cuts):
        position += len(piece)
        separator = listed[position:position + 1]
        position += 1
        if index + 1 < len(cuts) and _LEVEL_ONLY.match(piece.strip()) and _LEVEL_START.match(cuts[index + 1].strip()):
            carried += piece + separator
            continue
        names += _split_and(carried + piece)
        carried = ""
    return names


def _split_and(name: str) -> list[str]:
    """省有关部门和各市人民政府 is two bodies; 工业和信息化部 and 有关部门和单位 are one."""
    for index, character in enumerate(name):
        if character == "和" and index >= 2 and len(name) - index > 3:
            left, right = name[:index].strip(), name[index + 1:].strip()
            if _BODY_END.search(left) and (_BODY_END.search(right) or right.startswith("各")) and "（" not in left and "(" not in left:
                return [left, right]
    return [name]


def cut_name(printed: str) -> CutName | None:
    """The body and collective one printed name of a list holds; None when it is no name (a phrase, a sentence)."""
    name, collective = printed, None
    local = _AND_LOCAL.search(name)
    if local:
        name, collective = name[: local.start()], local["collective"]
    else:
        tail = _COLLECTIVE_TAIL.search(name)
        if tail:
            name, collective = name[: tail.start()], tail["collective"]
    name = name.removesuffix("等")
    marked = _LEAD_MARK.search(name)
    if marked:
        name = name[: marked.start()]
    for part in (name, collective):
        if part is not None and not _is_name(part):
            return None
    if collective in ("部门", "单位"):
        collective = None  # "人民银行等部门": the list words name no body of their own
    return CutName(name=name, collective=collective, lead_marked=bool(marked))


def reads_as_body(name: str) -> bool:
    """Whether a name ends as a body's does (局, 厅, 委, 部门, 人民政府 …) or names every place (各地区)."""
    return bool(_BODY_END.search(name) or _EACH_PLACE.match(name)) and not _EVERYONE.match(name)


def all_bodies(listed: list[str]) -> bool:
    """Whether every name of these lists reads as a body's (a name, ending as a body's does)."""
    names = [_LEAD_MARK.sub("", name.strip()) for part in listed for name in list_names(part)]
    return all(_is_name(name) and reads_as_body(name) for name in names if name)


def _is_name(text: str) -> bool:
    return bool(_NAME.match(text)) and not _NOT_A_NAME.search(text)
