"""Printed responsibility: the agency parentheses of a measure and the roles they assign.

Every form the corpus prints is one named pattern here:

- trailing verb: "（发展改革委、科技部按职责分工负责）", "（市质监局牵头，市工商局配合）",
  "（生态环境部牵头，国家发展改革委、…参与）", "（X指导）", half-width "(…)" too;
- labelled fields: "（负责部门：A、B；适用范围：…）", also in 【】 ("【牵头单位：X】"); a field that names no role
  (适用范围, 完成时限 …) is kept as its own data, never read as agencies;
- the same outside a parenthesis, ending the measure on its own line or after
  its last sentence: "责任单位：A、B", "牵头单位：X；配合单位：Y";
- a last sentence of nothing but bodies and role verbs, without a parenthesis:
  "省市场监管局牵头，省公安厅、省商务厅配合。", naming two bodies at least, each
  ending as a body's does (局, 厅, 委, 部门, 人民政府 …), so that "加强部门协作配合"
  and "鼓励全社会参与" stay text;
- 会同: "X会同有关部门负责" is X with the verb's role, the partners assisting;
- a document rule stated once: "列第一位者为牵头单位，下同" / "排在第一位的部门为
  牵头部门": from that measure on, the first body of a 负责 list leads and the
  others assist;
- a bare list of bodies in a parenthesis, no role word: "（省市场监管局、省工业和信息化厅）",
  each `responsible` (the report asks the editor to check: the document words no role);
- a time limit in a parenthesis of its own after the agencies' one:
  "（责任单位：A、B）（2024年底前完成）" is printed responsibility as a whole;
- the names of a list are cut by generator.ingest.body_names: a trailing 等 is
  dropped and recorded, "等有关部门和单位" / "等和各有关省级人民政府" become their
  collective, "各市、县（区）人民政府" stays one name, "X（牵头）" leads.

A parenthesis whose words are not all names and role verbs (本省（市）,
"（技工院校内由…负责）") assigns nothing and stays part of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.ingest.body_names import NAME_SEPARATORS, all_bodies, cut_name, list_names, outside_parentheses, reads_as_body

ROLE_VERBS: tuple[tuple[str, str], ...] = (
    # Longest first: "按职责分工负责" must win over "负责", "牵头负责" over "负责".
    ("按职责分工负责", "responsible"),
    ("按职能分工负责", "responsible"),
    ("按职责负责", "responsible"),
    ("共同负责", "responsible"),
    ("负责落实", "responsible"),
    ("牵头负责", "lead"),
    ("具体负责", "responsible"),
    ("负责", "responsible"),
    ("负总责", "lead"),
    ("牵头", "lead"),
    ("统筹", "lead"),
    ("组织实施", "responsible"),
    ("落实", "responsible"),
    ("督促指导", "guiding"),
    ("指导", "guiding"),
    ("主办", "lead"),
    ("协办", "assisting"),
    ("协助", "assisting"),
    ("配合", "assisting"),
    ("参与", "assisting"),
    ("参加", "assisting"),
)
FIELD_ROLES: dict[str, str] = {
    "牵头单位": "lead", "牵头部门": "lead",
    "责任单位": "responsible", "责任部门": "responsible", "负责单位": "responsible", "负责部门": "responsible",
    "配合单位": "assisting", "配合部门": "assisting", "协助单位": "assisting", "参与单位": "assisting",
    "参与部门": "assisting", "指导单位": "guiding", "指导部门": "guiding",
    "主责单位": "lead", "主责部门": "lead", "牵头处室": "lead", "责任主体": "responsible", "责任处室": "responsible",
    "配合处室": "assisting", "协同单位": "assisting", "协同部门": "assisting",
    "参加单位": "assisting", "参加部门": "assisting", "协办单位": "assisting", "主办单位": "lead",
    "主要责任单位": "lead", "其他责任单位": "responsible",
}
_LABELS = "|".join(FIELD_ROLES)
ROLE_FIELD = re.compile(f"(?P<field>(?:{_LABELS})(?:[：:]|[ \u3000]+(?=\\S))|【(?:{_LABELS})】)")
"""A role field's label with its colon (责任单位：), a space (责任单位 X) or in 【】 (【责任单位】): where a responsibility may start outside a parenthesis."""
_BRACKETED_LABEL = re.compile(f"【(?P<label>{_LABELS})】")
_SPACED_LABEL = re.compile(rf"(?:^|(?<=[；;，,。\s（(【\[〔]))(?P<label>{_LABELS})[ \u3000]+(?=\S)")
DUE_FIELD = re.compile(r"^[ \t\u3000]*(?:完成时限|完成时间|完成期限|时间进度|进度安排|时间安排|时间节点|时限要求|时限)[：:]")
"""A field giving when a task is due, on a line of its own under the role fields (完成时限：2024年底): kept with them."""
FIRST_LISTED_RULE = re.compile(
    r"(?:列|排|排名|排在|列在|位列)(?:第一位|首位|第一)(?:者|的部门|的单位|的)?(?:为|是)牵头(?:单位|部门)(?:[，,]下同)?"
)
"""The document-level rule: the first body of a list leads, the others assist."""

_FIELD = re.compile(r"(?:^|(?<=[；;，,。\s]))\s*(?P<label>[\u4e00-\u9fff]{2,6})[：:]")
_NOT_A_BODY = re.compile(
    "(?:" + "|".join(verb for verb, _role in ROLE_VERBS) + ")$|" + _LABELS + r"|完成时限|时间进度|完成时间|会同|^[和与及]|[和与及等]$"
)
"""A name that ends in a role word (省市场监管局负责 of （省市场监管局负责指导）), holds a field's label or 会同,
or starts or ends in a conjunction (和省市场监管局) is no body's."""
_MANNER = re.compile(r"(?:按(?:照)?(?:各自)?职(?:责|能)(?:职责|分工)?|分别|具体|共同)$")
"""How the bodies before a role verb share it (按职责分工配合, 具体负责落实, 分别负责): part of the verb's wording, not of a name."""
_WITH = "会同"
_OWN_WORDING = {"配合", "参与", "参加", "主办", "协办", "统筹", "负总责", "组织实施", "落实"}
"""Verbs the site prints as worded, not as their role's generic word (协助, 牵头, 负责)."""
_LOOSE_VERBS = {"统筹", "组织实施", "落实"}
"""Verbs that as often end a phrase (抓好落实, 加强统筹) as name a body's role: read only after bodies' names."""
_MAX_LENGTH = 400
_FIELD_OUTSIDE = re.compile(r"(?:^|(?<=[。；;\n]))[ \t\u3000]*" + ROLE_FIELD.pattern)
"""Where a role field may start a measure's tail without a parenthesis: a line's start or after a sentence."""
_LAST_SENTENCE = re.compile(r"(?:^|(?<=[。；;\n]))[ \t\u3000]*(?P<sentence>[^。；;\n]+[。；;]?)\s*$")
_MAX_SENTENCE = 120
_SQUARE = {"】": "【", "]": "[", "〕": "〔"}
"""Square brackets a role field may stand in: 【责任单位：X】, [责任单位：X], 〔责任单位：X〕."""
_PARENTHESIS = re.compile(r"[（(][^（）()\n]{2,400}[）)]")
_ONGOING = "持续推进|长期坚持|长期推进"
_DUE = re.compile(rf"^(?:\d{{4}}年[^，,；;。（）()]{{0,16}}|{_ONGOING})$")
"""When a task is due, as printed after its roles: 2024年底前完成, 2025年6月底前, 持续推进."""
TIME_LIMIT = re.compile(rf"[（(](?:(?:完成)?时限[：:])?(?:\d{{4}}年[^（）()]{{0,16}}|{_ONGOING})[）)]$")
"""A parenthesis giving only when a task is due: （2024年底前完成）, （2025年6月底前）, （持续推进）."""


@dataclass
class Attribution:
    """What one agency parenthesis assigns."""

    pairs: list[tuple[str, str]] = field(default_factory=list)
    """(name as the body is called, role) in printed order."""
    printed: dict[int, str] = field(default_factory=dict)
    """Index in `pairs` → the name as printed, where list words or a role mark were cut from it ("商务部等", "X（牵头）")."""
    fields: dict[str, str] = field(default_factory=dict)
    """Labelled fields that name no role, as printed: {"适用范围": "浙江自贸试验区"}."""
    rule: str | None = None
    """The document-level rule as printed, if this parenthesis states one."""
    wordings: dict[int, str] = field(default_factory=dict)
    """Index in `pairs` → the role word as printed where it is not the role's own word (配合, 参与, 会同)."""
    remark: str = ""
    """Words after the last role verb that assign nothing ("以下均需试点城市政府落实，不再列出")."""
    due: str = ""
    """A time limit printed after the roles ("2024年底前完成"): assigns nothing, and is no remark to review."""
    unworded: bool = False
    """A bare list of bodies, no role word: read as responsible, for the editor to check."""


def split_responsibility(paragraph: str) -> tuple[str, str]:
    """(text before, the trailing responsibility as printed); (paragraph, "") when there is none.

    The responsibility is an agency parenthesis, else labelled role fields, else
    a last sentence of bodies and role verbs (the module docstring has the forms).
    """
    body = without_final_stop(paragraph.rstrip())
    if body[-1:] in _SQUARE:
        opening = body.rfind(_SQUARE[body[-1]])
        if opening >= 0 and len(body) - opening <= _MAX_LENGTH and read_attribution(body[opening:]):
            return paragraph[:opening], paragraph[opening:]
    due = TIME_LIMIT.search(body)
    if due and body[: due.start()].endswith(("）", ")")):
        before = _matching_opening(body[: due.start()])
        if before is not None and len(body) - before <= _MAX_LENGTH and read_attribution(body[before:]):
            return paragraph[:before], paragraph[before:]
    if body.endswith(("）", ")")):
        matching = _matching_opening(body)
        if matching is not None and len(body) - matching <= _MAX_LENGTH and read_attribution(body[matching:]):
            return paragraph[:matching], paragraph[matching:]
    else:
        opening = max(body.rfind("（"), body.rfind("("))
        if opening >= 0 and len(body) - opening <= _MAX_LENGTH:
            inner = body[opening:]
            if "）" not in inner and ")" not in inner and read_attribution(inner):
                return paragraph[:opening], paragraph[opening:]
    for match in _FIELD_OUTSIDE.finditer(body):
        start = match.start("field")
        if len(body) - start <= _MAX_LENGTH and read_attribution(body[start:]):
            return paragraph[:start], paragraph[start:]
    last = _LAST_SENTENCE.search(body)
    if last and len(last["sentence"]) <= _MAX_SENTENCE:
        reading = read_attribution(last["sentence"])
        # Two bodies at least: one name and a verb is as often a phrase (鼓励全社会参与) as a body.
        if reading and not reading.fields and len(reading.pairs) >= 2 and all(reads_as_body(name) for name, _role in reading.pairs):
            return paragraph[: last.start("sentence")], paragraph[last.start("sentence"):]
    return paragraph, ""


def inline_attributions(text: str) -> list[str]:
    """Agency parentheses inside a paragraph after a sentence ("。（X指导）下一句") or ending one ("培育品牌（X负责）。下一句").

    A bare list of names is not read here: inside running text it as often lists examples.
    """
    found = []
    for match in _PARENTHESIS.finditer(text):
        stop_before = match.start() > 0 and text[match.start() - 1] in "。；;"
        if not stop_before and text[match.end():match.end() + 1] not in ("。", "；", ";"):
            continue
        reading = read_attribution(match[0])
        if reading and not reading.unworded:
            found.append(match[0])
    return found


def _with_colons(text: str) -> str:
    """【牵头单位】X【配合单位】Y and 责任单位 X, read as 牵头单位：X；配合单位：Y and 责任单位：X (the printed text is kept)."""
    text = _BRACKETED_LABEL.sub(lambda match: "；" + match["label"] + "：", text).removeprefix("；")
    return _SPACED_LABEL.sub(lambda match: match["label"] + "：", text)


def without_final_stop(text: str) -> str:
    """"（省市场监管局负责）。" without the sentence's stop after the parenthesis, which goes with it."""
    return text[:-1] if text[-1:] in "。；;." and text[-2:-1] in "）)】]〕" else text


def _matching_opening(body: str) -> int | None:
    depth = 0
    for index in range(len(body) - 1, -1, -1):
        character = body[index]
        if character in "）)":
            depth += 1
        elif character in "（(":
            depth -= 1
            if depth == 0:
                return index
    return None


def read_attribution(parenthesis: str, first_listed_leads: bool = False) -> Attribution | None:
    """What a parenthesis assigns, or None when it is not an agency parenthesis."""
    inner = _with_colons(without_final_stop(parenthesis.strip()))
    due = TIME_LIMIT.search(inner)
    if due and due.start() > 0 and inner[: due.start()].endswith(("）", ")")):
        inner = inner[: due.start()]
    if inner[:1] in "[〔" and not ROLE_FIELD.match(inner[1:]):
        return None  # [1], 〔2024〕: square brackets hold agencies only under a role field's label
    bracketed = inner[:1] in "（(【[〔"
    if bracketed:
        inner = inner[1:]
    if inner[-1:] in "）)】]〕":
        inner = inner[:-1]
    inner = inner.strip()
    if not inner:
        return None
    attribution = Attribution()
    rule = FIRST_LISTED_RULE.search(inner)
    if rule:
        attribution.rule = rule[0]
        inner = (inner[: rule.start()] + inner[rule.end():]).strip("，,；;。 ")
    fields = list(_FIELD.finditer(inner))
    if fields and fields[0].start() == 0:
        ok = _read_fields(inner, fields, attribution)
    else:
        ok = _read_verbs(inner, attribution, bracketed) or (bracketed and _read_bare_list(inner, attribution))
    if not ok or not attribution.pairs:
        return None
    if first_listed_leads or attribution.rule:
        _apply_first_listed(attribution)
    return attribution


def _read_fields(inner: str, fields: list[re.Match], attribution: Attribution) -> bool:
    for index, match in enumerate(fields):
        end = fields[index + 1].start() if index + 1 < len(fields) else len(inner)
        value = inner[match.end():end].strip().rstrip("，,；;。")
        role = FIELD_ROLES.get(match["label"])
        if role is None:
            attribution.fields[match["label"]] = value
            continue
        # A sentence after the last field's names is a remark ("…人民政府。以下均需…落实，不再列出").
        value, *remark = outside_parentheses(value, "。")
        if remark and index + 1 == len(fields):
            attribution.remark = "。".join(remark).strip("。 ")
        elif remark:
            return False
        # Names are listed with 、, and in some documents with a comma.
        for name in list_names(value, NAME_SEPARATORS + "，,"):
            if not _add_name(attribution, name.strip(), role):
                return False
    return True


def _read_verbs(inner: str, attribution: Attribution, bracketed: bool) -> bool:
    pending: list[str] = []
    for segment in outside_parentheses(inner, "，,；;。"):
        segment = segment.strip()
        if bracketed:
            # "（由国家发展改革委负责）": 由 where it opens a role's segment in a parenthesis, never inside a phrase
            # (技工院校内由…负责) or a sentence (由省政府统一部署，…).
            segment = segment.removeprefix("由")
        if not segment:
            continue
        role = word = None
        for verb, verb_role in ROLE_VERBS:
            if segment.endswith(verb):
                names = _MANNER.sub("", segment[: -len(verb)])
                if verb in _LOOSE_VERBS and not all_bodies(pending + [names]):
                    break  # "以下均需试点城市政府落实", "抓好落实": a phrase, not a role
                segment, role, word = names, verb_role, verb
                break
        if role is None:
            pending.append(segment)
            continue
        names, partners = segment, ""
        if _WITH in segment:
            names, _, partners = segment.partition(_WITH)
        start = len(attribution.pairs)
        for listed in pending + [names]:
            for name in list_names(listed):
                if not _add_name(attribution, name.strip(), role):
                    return False
        if word in _OWN_WORDING:
            attribution.wordings.update(dict.fromkeys(range(start, len(attribution.pairs)), word))
        start = len(attribution.pairs)
        for name in list_names(partners) if partners else ():
            if not _add_name(attribution, name.strip(), "assisting"):
                return False
        attribution.wordings.update(dict.fromkeys(range(start, len(attribution.pairs)), "会同"))
        pending = []
    if pending and attribution.pairs:
        if len(pending) == 1 and _DUE.match(pending[0]):
            attribution.due = pending[0]
        else:
            attribution.remark = "，".join(pending)
        return True
    return not pending


def _read_bare_list(inner: str, attribution: Attribution) -> bool:
    """（A、B，C）: bodies only, no role word; each responsible, flagged for review."""
    if re.search("[；;。：:]", inner):
        return False
    attribution.pairs, attribution.printed, attribution.wordings, attribution.remark = [], {}, {}, ""
    names = [name.strip() for name in list_names(inner, NAME_SEPARATORS + "，,")]
    if not names or not all_bodies(names):
        return False
    for name in names:
        if not _add_name(attribution, name, "responsible"):
            return False
    attribution.unworded = True
    return True


def _add_name(attribution: Attribution, printed: str, role: str) -> bool:
    if not printed:
        return True
    cut = cut_name(printed)
    if cut is None or _NOT_A_BODY.search(cut.name):
        return False  # a phrase, a role word or a field's label (责任单位) read as a name
    if cut.lead_marked:
        role = "lead"  # "省发展改革委（牵头）": the role printed after the name
    if cut.name != printed:
        attribution.printed[len(attribution.pairs)] = printed
    attribution.pairs.append((cut.name, role))
    if cut.collective:
        attribution.pairs.append((cut.collective, role))
    return True


def _apply_first_listed(attribution: Attribution) -> None:
    if any(role == "lead" for _name, role in attribution.pairs):
        return  # the parenthesis names its lead itself (X牵头，Y负责; X（牵头）、Y)
    responsible = [index for index, (_name, role) in enumerate(attribution.pairs) if role == "responsible"]
    for position, index in enumerate(responsible):
        name, _role = attribution.pairs[index]
        attribution.pairs[index] = (name, "lead" if position == 0 else "assisting")


def parse_roles(responsibility: str, first_listed_leads: bool = False) -> list[tuple[str, str]]:
    """[(agency name, role)] in printed order; [] when the parenthesis assigns nothing."""
    attribution = read_attribution(responsibility, first_listed_leads)
    return attribution.pairs if attribution else []
