"""Paragraphs → the hierarchy as printed (parts, groups, measures).

The numbered levels (第一章 / 一、 / 第一条 / （一） / 1． / （1）) nest in that order;
the deepest level a document uses carries its measures, the ones above organise them.
Unnumbered sub-tasks (国办发〔2016〕68号: a short line "夯实消费品质量安全
标准基础。" followed by its paragraphs) are found inside a provision whose
heading stands on its own line. Text is only ever sliced, never rewritten:
label + heading + text + responsibility of a node is its paragraphs' text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.ingest.numbering import LEVELS, read_label
from generator.ingest.paragraphs import DATE_LINE, SIGNATURE, Paragraph
from generator.ingest.responsibility import DUE_FIELD, inline_attributions, split_responsibility

_RANK = {level: rank for rank, level in enumerate(LEVELS)}
_HEADING_MAX = 60
_TITLE_LIKE = 30
_ANNEX_LIST = re.compile(r"^附\s*件\s*[：:]\s*(\d{1,2})[．.、]")
"""The start of a list of annexes in a covering notice: 附件：1.某某办法."""
_SUB_HEADING = re.compile(r"^[^，,、；;：:“”\"（）()。]{2,20}。$")
_COLOPHON = re.compile(r"^[ \t\u3000]*(?:抄送|抄报|分送)[：:]|\d{1,2}\s*日\s*印发$")
"""The colophon (版记) under a document: 抄送：… and "某某办公室 2024年3月18日印发"."""


@dataclass
class Draft:
    """A provision while it is being parsed (mutable; becomes a plan node)."""

    level: str
    number: int
    label: str
    head: str
    """Rest of the label's paragraph, after the label."""
    first_line: int
    last_line: int
    paragraphs: list[Paragraph] = field(default_factory=list)
    children: list["Draft"] = field(default_factory=list)
    kind: str = "measure"
    heading: str = ""
    text_paragraphs: list[str] = field(default_factory=list)
    responsibility: str = ""

    @property
    def text(self) -> str:
        return "\n".join(self.text_paragraphs)

    @property
    def own_last_line(self) -> int:
        return self.paragraphs[-1].last_line if self.paragraphs else self.last_line

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Structure:
    preamble: list[Paragraph]
    nodes: list[Draft]
    closing: list[Paragraph]

    def walk(self):
        for node in self.nodes:
            yield from node.walk()


def parse_structure(paragraphs: list[Paragraph]) -> Structure:
    preamble: list[Paragraph] = []
    roots: list[Draft] = []
    stack: list[Draft] = []
    last_item = 0
    annex_next = 0
    for paragraph in paragraphs:
        listed = _ANNEX_LIST.match(paragraph.text)
        label = read_label(paragraph.text, next_item=last_item + 1 if last_item else None)
        if annex_next and label is not None and label.level == "item" and label.number == annex_next:
            # "附件：1.某某办法" then "2.某某细则": the list of annexes, not provisions.
            label, annex_next = None, annex_next + 1
        else:
            annex_next = int(listed[1]) + 1 if listed else 0
        if label is not None and label.level == "item":
            last_item = label.number
        if label is None:
            (stack[-1].paragraphs if stack else preamble).append(paragraph)
            continue
        draft = Draft(
            level=label.level,
            number=label.number,
            label=label.text,
            head=paragraph.text[len(label.text) :],
            first_line=paragraph.first_line,
            last_line=paragraph.last_line,
        )
        while stack and _RANK[stack[-1].level] >= _RANK[label.level]:
            stack.pop()
        (stack[-1].children if stack else roots).append(draft)
        stack.append(draft)
    structure = Structure(preamble=preamble, nodes=roots, closing=[])
    for draft in list(structure.walk()):
        _split_sub_tasks(draft)
        _split_task_paragraphs(draft)
    _assign_kinds(structure)
    for draft in structure.walk():
        _split_heading(draft)
    _take_closing(structure)
    for draft in structure.walk():
        if draft.kind == "measure" and draft.text_paragraphs:
            # A time limit on a line of its own under the role fields (完成时限：2024年底) goes with them.
            due: list[str] = []
            while len(due) < 2 and len(draft.text_paragraphs) > 1 and DUE_FIELD.match(draft.text_paragraphs[-1]):
                due.insert(0, draft.text_paragraphs.pop())
            last, responsibility = split_responsibility(draft.text_paragraphs[-1])
            # Role fields on lines of their own (牵头单位：… then 责任单位：…) are one responsibility.
            while not last and len(draft.text_paragraphs) > 1:
                before, earlier = split_responsibility(draft.text_paragraphs[-2])
                if before or not earlier:
                    break
                draft.text_paragraphs.pop()
                responsibility = f"{earlier}\n{responsibility}"
            if responsibility:
                draft.responsibility = "\n".join([responsibility, *due])
                draft.text_paragraphs[-1] = last
                if not last:
                    draft.text_paragraphs.pop()
            else:
                draft.text_paragraphs += due
        if draft.kind == "measure" and not draft.responsibility and draft.heading:
            # "（一）加强标准建设（市场监管总局负责）" over the measure's text: the heading's own parenthesis.
            heading, responsibility = split_responsibility(draft.heading)
            if responsibility and heading.strip():
                draft.heading, draft.responsibility = heading, responsibility
    return structure


def _split_sub_tasks(draft: Draft) -> None:
    """Unnumbered sub-tasks: a short one-sentence paragraph followed by its text."""
    if draft.children or draft.level != "paren" or not _heading_only(draft.head):
        return
    paragraphs = draft.paragraphs
    starts = [
        index
        for index, paragraph in enumerate(paragraphs)
        if _SUB_HEADING.match(paragraph.text)
        and index + 1 < len(paragraphs)
        and not _SUB_HEADING.match(paragraphs[index + 1].text)
    ]
    if len(starts) < 2:
        return
    draft.paragraphs = paragraphs[: starts[0]]
    for ordinal, start in enumerate(starts, start=1):
        end = starts[ordinal] if ordinal < len(starts) else len(paragraphs)
        heading = paragraphs[start]
        draft.children.append(
            Draft(
                level="sub",
                number=ordinal,
                label="",
                head=heading.text,
                first_line=heading.first_line,
                last_line=heading.last_line,
                paragraphs=paragraphs[start + 1 : end],
            )
        )


def _split_task_paragraphs(draft: Draft) -> None:
    """Task paragraphs: each opens with a one-sentence title and carries its own agency parentheses.

    国办发〔2018〕128号 writes its tasks so under a heading-only （一）: "建立…指标体系，
    发挥导向引领作用。2019年6月底前，…（生态环境部…指导）". Each becomes an unnumbered
    task whose heading is that first sentence; the text is sliced, never rewritten.
    """
    if draft.children or draft.level != "paren":
        return
    paragraphs = list(draft.paragraphs)
    heading_stop = draft.head.find("。")
    if not 0 < heading_stop < _HEADING_MAX:
        return
    first_task = draft.head[heading_stop + 1 :]
    if first_task:
        # The first task often runs on in the label's own paragraph.
        paragraphs.insert(0, Paragraph(first_task, draft.first_line, draft.last_line))
    if len(paragraphs) < 2:
        return
    attributed = [p for p in paragraphs if inline_attributions(p.text) or split_responsibility(p.text)[1]]
    stops = [p.text.find("。") for p in paragraphs]
    if len(attributed) < len(paragraphs) or any(stop <= 0 or stop >= _HEADING_MAX for stop in stops):
        return
    draft.paragraphs = []
    draft.head = draft.head[: heading_stop + 1]
    for ordinal, (paragraph, stop) in enumerate(zip(paragraphs, stops), start=1):
        rest = paragraph.text[stop + 1 :]
        draft.children.append(
            Draft(
                level="sub",
                number=ordinal,
                label="",
                head=paragraph.text[: stop + 1],
                first_line=paragraph.first_line,
                last_line=paragraph.last_line,
                paragraphs=[Paragraph(rest, paragraph.first_line, paragraph.last_line)] if rest else [],
            )
        )


def _heading_only(head: str) -> bool:
    stop = head.find("。")
    return stop == -1 or stop == len(head) - 1


def _assign_kinds(structure: Structure) -> None:
    levels = {draft.level for draft in structure.walk()}
    has_deeper = any(level in levels for level in ("article", "paren", "item", "subitem"))
    for draft in structure.walk():
        if draft.level in ("chapter", "part"):
            draft.kind = "part" if has_deeper else "measure"
        elif draft.children:
            own_text = draft.paragraphs or not _heading_only(draft.head)
            draft.kind = "measure" if own_text else "group"
        else:
            draft.kind = "measure"


def _split_heading(draft: Draft) -> None:
    head = draft.head
    rest = ""
    if draft.kind == "part" or draft.level == "sub":
        heading = head
    elif draft.level in ("item", "article") and draft.kind != "group":
        heading, rest = "", head
    else:
        stop = head.find("。")
        if stop == -1 and len(head) <= _HEADING_MAX:
            heading = head
        elif 0 <= stop < _HEADING_MAX:
            heading, rest = head[: stop + 1], head[stop + 1 :]
        else:
            heading, rest = "", head
        if heading and _one_sentence_measure(draft, heading, rest):
            heading, rest = "", head
    draft.heading = heading
    draft.text_paragraphs = ([rest] if rest else []) + [paragraph.text for paragraph in draft.paragraphs]


def _one_sentence_measure(draft: Draft, heading: str, rest: str) -> bool:
    """A measure that is one sentence (and perhaps its agencies) is text, not a heading over nothing.

    A heading reads as a title: short and without a comma ("深入开展质量提升行动。").
    """
    if draft.kind != "measure" or draft.paragraphs or draft.children:
        return False
    if split_responsibility(rest)[0].strip():
        return False
    return "，" in heading or "," in heading or len(heading) > _TITLE_LIKE


def _take_closing(structure: Structure) -> None:
    """Text after the last provision: after its agency parenthesis, or from a signature on."""
    drafts = list(structure.walk())
    if not drafts:
        return
    last = drafts[-1]
    uses_agencies = any(split_responsibility(d.text_paragraphs[-1])[1] for d in drafts if d.text_paragraphs)
    cut = None
    for index, paragraph in enumerate(last.paragraphs):
        following = last.paragraphs[index + 1] if index + 1 < len(last.paragraphs) else None
        # A signature closes the document with its date under it, or as the very last line (no printed date).
        if SIGNATURE.match(paragraph.text) and (following is None or DATE_LINE.match(following.text)):
            cut = index
            break
        if _COLOPHON.search(paragraph.text):
            cut = index
            break
    if uses_agencies:
        for index, paragraph in enumerate(last.paragraphs):
            if split_responsibility(paragraph.text)[1]:
                cut = index + 1 if cut is None else min(cut, index + 1)
                break
        if cut is None and last.paragraphs and split_responsibility(last.head)[1]:
            cut = 0
    if cut is None or cut >= len(last.paragraphs):
        return
    closing = last.paragraphs[cut:]
    kept = len(last.paragraphs) - len(closing)
    last.paragraphs = last.paragraphs[:kept]
    removed = len(closing)
    last.text_paragraphs = last.text_paragraphs[: len(last.text_paragraphs) - removed]
    structure.closing = closing
