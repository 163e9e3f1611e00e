"""Source lines → paragraphs, joining lines the capture broke at odd places.

Web captures break some sentences in the middle ("建立\\n健全"). A line is
joined to the one before it when they are adjacent (no blank or furniture
line between), the first does not end a sentence, and the second does not
start something new (a numbered provision, a date, a doc number). The join
adds nothing: the paragraph is the two lines' characters run together. A table
row (its cells joined by a tab, as captures print tables) and an annex heading
(附件, 附件2) are whole lines, never joined; a role field (责任单位：…) or a time
limit field (完成时限：…) starts one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.ingest.numbering import read_label
from generator.ingest.responsibility import DUE_FIELD, ROLE_FIELD

_SENTENCE_END = tuple("。！？；：!?;:”’」』）)》")
_PUNCTUATION = re.compile(r"[，,、；;：:。！？!?“”\"（）()]")
_HEADING_MAX = 20
DATE_IN_CHARACTERS = re.compile(r"^(?P<y>[〇○零OＯ一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,2})月(?P<d>[一二三四五六七八九十]{1,3})日$")
"""A date as formal documents sign it: 二〇二四年五月八日."""
DATE_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$|" + DATE_IN_CHARACTERS.pattern)
"""A date alone on its line, in digits (2024年5月8日) or in characters (二〇二四年五月八日)."""
SIGNATURE = re.compile(r"^(?:[\u4e00-\u9fff]{2,30}(?:办公厅|办公室|人民政府|委员会)|(?:[\u4e00-\u9fff、]{0,30})(?:国务院|中共中央))$")
"""An issuer signing the document, on its own line: 国务院办公厅, 安徽省人民政府办公厅, a bare 国务院."""
TITLE_LINE = re.compile(r"^[\u4e00-\u9fff、]{2,40}?(?:关于|转发)[^，,。；;：:！？]{2,80}(?:意见|通知|方案|规划|决定|办法|纲要|计划|措施)$")
"""A title line printed without final punctuation: 国务院关于…的若干意见."""
BARE_TITLE = re.compile(
    r"^[\u4e00-\u9fff（）()〔〕\d—]{4,60}(?:办法|规定|条例|细则|方案|规划|计划|意见|纲要|措施|决定|规则)"
    r"(?:[（(](?:试行|暂行|修订|\d{4}\s*[—–\-－~～至]\s*\d{4}\s*年?|\d{4}\s*年)[）)])?$"
)
"""A title without 关于 on its own line: 某某省质量奖管理办法, 某某市质量提升三年行动计划（2024—2026年）, …（试行）."""
DOC_NUMBER_START = re.compile(r"^[\u4e00-\u9fff]{1,8}〔\d{4}〕\d{1,5}号")
ANNEX_LINE = re.compile(r"^附\s*件\s*\d{0,2}(?:[：:][^。！？；]{0,80})?$")
"""An annex heading on its own line: 附件, 附件2, 附件：某某市质量提升行动方案."""


@dataclass
class Paragraph:
    text: str
    first_line: int
    last_line: int


def make_paragraphs(numbered_lines: list[tuple[int, str]]) -> list[Paragraph]:
    """`numbered_lines`: (line number, text) of the document's non-blank, non-furniture lines."""
    paragraphs: list[Paragraph] = []
    # Pieces are joined once at the end: appending to a string line by line
    # would be quadratic for a paragraph of many broken lines.
    pieces: list[list[str]] = []
    previous_line, previous_text = -1, ""
    for number, raw in numbered_lines:
        text = raw.strip()
        if not text:
            continue
        # The line under an annex heading is the annex's title: whole, like the heading.
        titled = len(pieces) >= 2 and len(pieces[-1]) == 1 and bool(ANNEX_LINE.match(pieces[-2][-1]))
        if paragraphs and number == previous_line + 1 and not titled and _continues(previous_text, text, pieces[-1][0]):
            pieces[-1].append(text)
            paragraphs[-1].last_line = number
        else:
            paragraphs.append(Paragraph(text="", first_line=number, last_line=number))
            pieces.append([text])
        previous_line, previous_text = number, text
    for paragraph, parts in zip(paragraphs, pieces):
        paragraph.text = "".join(parts)
    return paragraphs


def _continues(before: str, line: str, paragraph_start: str) -> bool:
    """Whether `line` continues the paragraph whose last line is `before`."""
    if before.endswith(_SENTENCE_END):
        return False
    if "\t" in before or "\t" in line or ANNEX_LINE.match(before) or ANNEX_LINE.match(line):
        return False
    if read_label(line) or DATE_LINE.match(line) or DOC_NUMBER_START.match(line) or ROLE_FIELD.match(line) or DUE_FIELD.match(line):
        return False
    label = read_label(paragraph_start)
    # A part heading (一、总体要求) or a short provision heading ((二)主要目标)
    # has no final punctuation but is complete.
    if label is not None and before == paragraph_start:
        rest = before[len(label.text) :]
        if label.level in ("chapter", "part") or (len(rest) <= _HEADING_MAX and not _PUNCTUATION.search(rest)):
            return False
    # A title line, a date or a doc number alone on its line is complete too.
    if before == paragraph_start and TITLE_LINE.match(before):
        return False
    # A bare title is complete unless the next line carries it on (…纲要 / 2016年行动计划).
    if before == paragraph_start and BARE_TITLE.match(before) and not _PUNCTUATION.match(line) and not BARE_TITLE.match(before + line):
        return False
    return not DATE_LINE.match(before) and not DOC_NUMBER_START.fullmatch(before)
