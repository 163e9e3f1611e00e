"""A document's metadata: from the page's metadata table where there is one,
otherwise from the document's own title, doc number and signature.

Tables come in three shapes in the corpus: gov.cn (key：<tab>value pairs),
首都之窗 (numbered "[key] value", Traditional), pkulaw (•【key】value); a
provincial portal's table (发布机构, 生成日期, 文号, 名称 …) reads like gov.cn's, and a
site's "发布时间：2024-05-10 10:30  来源：…" line gives the date published.
Values are kept as printed; issuers are given in Simplified because they
name bodies that the rest of the site links to.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from generator.ingest.furniture import Furniture
from generator.ingest.numbering import chinese_number
from generator.ingest.paragraphs import BARE_TITLE, DATE_IN_CHARACTERS, DATE_LINE, SIGNATURE, TITLE_LINE, Paragraph
from generator.ingest.script import to_mainland

_GOV_CN_KEYS = {"主题分类": "subject", "发文机关": "issuer", "成文日期": "date_written", "标题": "full_title",
                "发文字号": "doc_number", "发布日期": "date_published"}
_LIST_KEYS = {"主题分类": "subject", "发文机构": "issuer", "发文机关": "issuer", "联合发文单位": "co_issuer",
              "实施日期": "date_effective", "成文日期": "date_written", "发文字号": "doc_number",
              "发布日期": "date_published"}
_PORTAL_KEYS = {**_GOV_CN_KEYS, "发布机构": "issuer", "发文机构": "issuer", "发文单位": "issuer", "生成日期": "date_written",
                "发文日期": "date_written", "文号": "doc_number", "名称": "full_title"}
_PKULAW_KEYS = {"制定机关": "issuer", "公布日期": "date_published", "字号": "doc_number",
                "施行日期": "date_effective", "主题分类": "subject"}
_BEIJING_ITEM = re.compile(r"^\d{1,2}\. ?\[(?P<key>[^\[\]]{1,12})\](?P<value>.*)$")
_PKULAW_ITEM = re.compile(r"^•【(?P<key>[^【】]{1,8})】(?P<value>.*)$")
_SITE_PUBLISHED = re.compile(r"发布(?:时间|日期)\s*[：:]\s*(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[.\-/]\d{1,2}[.\-/]\d{1,2})")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}〔\d{4}〕\d{1,5}号")
_EMPTY_DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{0,8}〔\s*〕\s*号?$")
_FULL_TITLE = re.compile(r"^(?P<issuer>[\u4e00-\u9fff、]{2,40}?)(?:关于|转发)")
_PRINTED_TITLE = ("关于印发", "的通知")
"""关于印发<title>的通知, cut by plain string search: a regex with .+ here is quadratic on a long line."""
_QUOTED_TITLE = re.compile(r"《(?P<title>[^《》]{2,80})》")
_DATE_FORMS = (
    re.compile(r"^(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日$"),
    re.compile(r"^(?P<y>\d{4})[.\-/](?P<m>\d{1,2})[.\-/](?P<d>\d{1,2})$"),
)
_YEAR_DIGITS = {**{c: str(i) for i, c in enumerate("〇一二三四五六七八九")}, "○": "0", "零": "0", "O": "0", "Ｏ": "0"}
"""A year's digits as characters, 〇 also written ○, 零 or the letter O."""
_NATIONAL_ISSUERS = ("国务院", "中共中央", "国务院办公厅", "中共中央办公厅")
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
_REGION = re.compile(r"^(?P<region>[\u4e00-\u9fff]{2,8}?(省|自治区|市))")


@dataclass
class Metadata:
    full_title: str | None = None
    title: str | None = None
    title_as_printed: str | None = None
    doc_number: str | None = None
    issuers: list[str] = field(default_factory=list)
    level: str = "national"
    region: str | None = None
    date_written: dict | None = None
    date_published: dict | None = None
    date_effective: dict | None = None
    subject: str | None = None
    impossible_dates: list[str] = field(default_factory=list)
    """Dates printed where a date belongs that no calendar has (2024年2月30日): left empty, for review."""

    @property
    def year(self) -> int | None:
        for date in (self.date_published, self.date_written, self.date_effective):
            if date:
                return int(date["iso"][:4])
        return None


def read_metadata(furniture: list[Furniture], preamble: list[Paragraph], closing: list[Paragraph],
                  script: str) -> Metadata:
    table = _read_table(furniture)
    meta = Metadata(subject=table.get("subject") or None)
    for key in ("date_written", "date_published", "date_effective"):
        setattr(meta, key, _read_date(table.get(key, ""), meta))
    number = table.get("doc_number", "").strip()
    if number and not _EMPTY_DOC_NUMBER.match(number):
        meta.doc_number = number
    texts = [paragraph.text for paragraph in preamble]
    if "doc_number" not in table:
        meta.doc_number = _doc_number_from_text(texts)
    meta.full_title = _full_title(table.get("full_title"), texts, meta.doc_number)
    printed_title = _title(meta.full_title, texts)
    if script == "traditional" and printed_title:
        meta.title_as_printed = printed_title
        meta.title = to_mainland(printed_title)
    else:
        meta.title = printed_title
    issuers = [table[key] for key in ("issuer", "co_issuer") if table.get(key)]
    signature, signed = _signature(texts + [paragraph.text for paragraph in closing])
    if not issuers and signature:
        issuers = [signature]
    if not issuers and meta.full_title:
        match = _FULL_TITLE.match(meta.full_title)
        if match:
            issuers = [match["issuer"]]
    meta.issuers = [_normal_issuer(to_mainland(issuer) if script == "traditional" else issuer) for issuer in issuers]
    if meta.date_written is None and signed:
        meta.date_written = _read_date(signed, meta)
    meta.level, meta.region = _level_and_region(meta.issuers)
    return meta


def printed_date(printed: str) -> dict | None:
    """{"printed": as printed, "iso": YYYY-MM-DD} for a date in digits or characters; None for no date or an impossible one."""
    printed = printed.strip()
    for form in _DATE_FORMS:
        match = form.match(printed)
        if match:
            return _dated(printed, int(match["y"]), int(match["m"]), int(match["d"]))
    match = DATE_IN_CHARACTERS.match(printed)
    if match:
        month, day = chinese_number(match["m"]), chinese_number(match["d"])
        if month and day:
            return _dated(printed, int("".join(_YEAR_DIGITS[c] for c in match["y"])), month, day)
    return None


def _read_date(printed: str, meta: Metadata) -> dict | None:
    """printed_date, noting on `meta` a date printed in a date's form that names no day (2024年2月30日)."""
    date = printed_date(printed)
    shaped = printed.strip()
    if date is None and any(form.match(shaped) for form in (*_DATE_FORMS, DATE_IN_CHARACTERS)):
        meta.impossible_dates.append(shaped)
    return date


def _dated(printed: str, year: int, month: int, day: int) -> dict | None:
    try:
        # 2024年2月30日 is a misprint to review, not a date.
        return {"printed": printed, "iso": datetime.date(year, month, day).isoformat()}
    except ValueError:
        return None


def _read_table(furniture: list[Furniture]) -> dict[str, str]:
    table: dict[str, str] = {}
    for item in furniture:
        if item.rule == "gov-cn-metadata":
            for key, value in _table_pairs(item.text):
                name = _GOV_CN_KEYS.get(key)
                if name and value:
                    table[name] = value
        elif item.rule == "portal-metadata":
            for key, value in _table_pairs(item.text):
                name = _PORTAL_KEYS.get(key)
                if name and value:
                    table.setdefault(name, value)
        elif item.rule == "beijing-metadata":
            match = _BEIJING_ITEM.match(item.text)
            name = _LIST_KEYS.get(to_mainland(match["key"].strip())) if match else None
            if match and name and match["value"].strip():
                table[name] = match["value"].strip()
        elif item.rule == "site-publish-line":
            match = _SITE_PUBLISHED.search(item.text)
            if match:
                table.setdefault("date_published", match["date"])
        elif item.rule == "pkulaw-metadata":
            match = _PKULAW_ITEM.match(item.text)
            name = _PKULAW_KEYS.get(match["key"]) if match else None
            if match and name and match["value"].strip():
                table[name] = match["value"].strip()
    return table


def _table_pairs(text: str) -> list[tuple[str, str]]:
    """(key, value) of a metadata table's line: "key：<tab>value" cells (gov.cn), or "key：value" in one cell."""
    pairs = []
    cells = [cell.strip() for cell in text.split("\t")]
    index = 0
    while index < len(cells):
        cell = cells[index]
        key, colon, value = cell.replace(":", "：").partition("：")
        if colon and not value and index + 1 < len(cells):
            value = cells[index + 1]
            index += 1
        if colon:
            pairs.append(("".join(key.split()), value.strip()))
        index += 1
    return pairs


def _doc_number_from_text(texts: list[str]) -> str | None:
    # The document's own number stands alone, ends its title line or starts
    # the next one; a number in parentheses or after 《…》 cites another document.
    for text in texts[:8]:
        for match in DOC_NUMBER.finditer(text):
            before = text[: match.start()].rstrip()
            if before.endswith(("（", "(", "》", "、")):
                continue
            if match.start() == 0 or match.end() == len(text.rstrip()):
                return match[0]
    return None


def _full_title(table_title: str | None, texts: list[str], doc_number: str | None) -> str | None:
    if table_title:
        return table_title
    for text in texts[:8]:
        squeezed = "".join(text.split())
        if doc_number:
            squeezed = squeezed.removesuffix(doc_number)
        if squeezed.endswith("的通知") and _FULL_TITLE.match(squeezed):
            return squeezed
        if TITLE_LINE.match(squeezed):
            return squeezed
    # A bare title with no "关于" (某某省质量奖管理办法), only as the document's first lines.
    for text in texts[:2]:
        squeezed = "".join(text.split())
        if BARE_TITLE.match(squeezed):
            return squeezed
    return None


def _title(full_title: str | None, texts: list[str]) -> str | None:
    if full_title:
        printed = _printed_title(full_title)
        if printed and "转发" not in full_title:
            return printed
        issuer = _FULL_TITLE.match(full_title)
        return full_title[issuer.end("issuer"):] if issuer else full_title
    for text in texts:
        match = _QUOTED_TITLE.search(text)
        if match:
            return match["title"]
    return None


def _printed_title(full_title: str) -> str | None:
    opening, closing = _PRINTED_TITLE
    start = full_title.find(opening)
    if start < 0 or not full_title.endswith(closing):
        return None
    title = full_title[start + len(opening) : len(full_title) - len(closing)]
    return title if title and "\n" not in title else None


def _signature(texts: list[str]) -> tuple[str | None, str | None]:
    for text, following in zip(texts, texts[1:]):
        if SIGNATURE.match(text) and DATE_LINE.match(following):
            return text, following
    if texts and SIGNATURE.match(texts[-1]):
        return texts[-1], None  # signed, with no printed date
    return None, None


def _normal_issuer(issuer: str) -> str:
    return issuer.removeprefix("中华人民共和国").strip()


def _level_and_region(issuers: list[str]) -> tuple[str, str | None]:
    for issuer in issuers:
        if issuer in _NATIONAL_ISSUERS:
            continue
        match = _REGION.match(issuer)
        if match:
            region = match["region"]
            return ("municipal" if region.endswith("市") else "provincial"), region
    return "national", None
