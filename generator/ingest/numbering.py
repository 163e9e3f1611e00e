"""The numbering of provisions as printed: 第一章 / 第一部分, 一、, 第一条, （一） (一), 1． 1. 1、, （1） (1) 1） and Chinese numerals."""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

LEVELS = ("chapter", "part", "article", "paren", "item", "subitem", "sub")
"""Numbering levels from the top: 第一章 or 第一部分 / 一、 / 第一条 / （一） / 1． / （1） / the unnumbered sub-tasks of 68号.

Chapters and articles are how 办法, 条例 and 规定 number themselves (第一章 总则,
第一条 为…); plans use 一、 over （一） over 1．, some with 第一部分 over them."""

_CHAPTER = re.compile(r"^第([一二三四五六七八九十]{1,3})(?:章|部分)(?:[ \u3000]+|$|(?=[\u4e00-\u9fff]{1,15}$))")
"""第一章 总则 / 第一部分 总体要求, or 第一章总则 as a short line of its own; 第一章节的内容 is no chapter."""
_PART = re.compile(r"^([一二三四五六七八九十]{1,3})[、．.]")
_ARTICLE = re.compile(r"^第([一二三四五六七八九十百零〇]{1,6})条(?:[ \u3000]+|(?=[\u4e00-\u9fff“（(]))")
_PAREN = re.compile(r"^[（(]([一二三四五六七八九十]{1,4})[）)]")
_ITEM = re.compile(r"^(\d{1,4})[．.、](?!\d)")
_SUBITEM = re.compile(r"^[（(]?(\d{1,3})[）)]")
"""（1） / (1), and 1） / 1) as some municipal documents print it."""


@dataclass(frozen=True)
class Label:
    level: str
    number: int
    text: str
    """The label exactly as printed: "一、", "二．", "（六）", "(三)", "29．", "3、", "第十二条 " (with its space)."""


def chinese_number(numeral: str) -> int | None:
    """一 → 1, 十 → 10, 十八 → 18, 三十二 → 32, 一百零五 → 105, 一百二十 → 120; None for anything else."""
    if not numeral:
        return None
    if "百" in numeral:
        hundreds, _, rest = numeral.partition("百")
        if hundreds not in _DIGITS:
            return None
        if not rest:
            return _DIGITS[hundreds] * 100
        below = chinese_number(rest[1:] if rest[0] in "零〇" and len(rest) == 2 else rest)
        return _DIGITS[hundreds] * 100 + below if below else None
    if "十" not in numeral:
        return _DIGITS.get(numeral) if len(numeral) == 1 else None
    tens, _, ones = numeral.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    ten = _DIGITS.get(tens, 0 if tens else 1)
    one = _DIGITS.get(ones, 0 if not ones else -100)
    value = ten * 10 + one
    return value if value > 0 and (tens == "" or tens in _DIGITS) else None


_ITEM_BEFORE_DIGITS = re.compile(r"^(\d{1,4})[．.、](?=\d)")


def read_label(paragraph: str, next_item: int | None = None) -> Label | None:
    """The numbering label a paragraph starts with, if any.

    "5.100家企业…" is item 5 whose text starts with "100" only where item 5 is
    the one expected (`next_item`); elsewhere "2.5倍" is a number, not a label.
    """
    if next_item is not None:
        match = _ITEM_BEFORE_DIGITS.match(paragraph)
        if match and int(match[1]) == next_item:
            return Label(level="item", number=next_item, text=match[0])
    for level, pattern in (
        ("chapter", _CHAPTER), ("part", _PART), ("article", _ARTICLE), ("paren", _PAREN), ("item", _ITEM), ("subitem", _SUBITEM),
    ):
        match = pattern.match(paragraph)
        if match:
            number = int(match[1]) if level in ("item", "subitem") else chinese_number(match[1])
            if number:
                return Label(level=level, number=number, text=match[0])
    return None
