"""Traditional Chinese with Taiwan phrasing → mainland Simplified.

OpenCC's `tw2sp` undoes characters and many Taiwan phrasings (資訊 → 信息,
網路 → 网络). It leaves the words whose mainland equivalent depends on the
domain (品質 renders 质量, 水準 renders 水平) and it swaps IT vocabulary that
policy prose does not use that way (建立 → 创建). taiwan_phrases.txt lists
both kinds; listed phrases are replaced directly, longest first, and only
the text between them goes through OpenCC.

Captures of Traditional pages also carry ASCII punctuation between Chinese
characters (近日,中共中央); the Simplified form takes the mainland full-width
marks there (近日，中共中央), while the original keeps every character as
captured. ASCII punctuation beside digits or Latin letters (1,000; ISO 9001:2015)
is left alone.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import opencc

PHRASE_FILE = Path(__file__).with_name("taiwan_phrases.txt")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_WIDE = _HAN + "\u3000-\u303f\uff00-\uffef“”‘’"
"""Characters that make a neighbouring ASCII mark Chinese punctuation: Han and full-width marks."""
_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_BETWEEN = re.compile(rf"(?:(?<=[{_WIDE}])([,;:?!])(?=[{_WIDE}]|$)|(?<=[0-9%])([,;:?!])(?=[{_HAN}]))", re.MULTILINE)
"""A mark after a Chinese character (before another or at a line's end), or after a figure and before a Chinese word (达到86,服务业)."""
_HAN_CHAR = re.compile(f"[{_HAN}]")
_BRACKETED = re.compile(r"\(([^()\n]{1,200})\)")
_TRADITIONAL_SHARE = 0.03


@lru_cache(maxsize=1)
def _converters() -> tuple[opencc.OpenCC, opencc.OpenCC]:
    return opencc.OpenCC("tw2sp"), opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def load_phrases() -> tuple[dict[str, str], re.Pattern | None]:
    phrases: dict[str, str] = {}
    for raw in PHRASE_FILE.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        taiwan, mainland = line.split()
        phrases[taiwan] = mainland
    if not phrases:
        return phrases, None
    alternatives = sorted(phrases, key=len, reverse=True)
    return phrases, re.compile("|".join(re.escape(phrase) for phrase in alternatives))


def to_mainland(text: str) -> str:
    """The mainland Simplified form of Traditional (Taiwan) text, with mainland punctuation."""
    return mainland_punctuation(_mainland_words(text))


def mainland_punctuation(text: str) -> str:
    """ASCII , ; : ? ! between Chinese characters (see _BETWEEN), and parentheses around or beside them, made full-width.

    A pair of parentheses turns only as a pair (never one half), and only where
    its content or a neighbour is Chinese: 生物製品(疫苗)批簽 → 生物製品（疫苗）批簽,
    while ISO 9001(2015) stays.
    """
    text = _BETWEEN.sub(lambda match: _FULL_WIDTH[match[1] or match[2]], text)
    return _BRACKETED.sub(_full_width_pair, text)


def _full_width_pair(match: re.Match) -> str:
    inner = match[1]
    before = match.string[match.start() - 1 : match.start()]
    after = match.string[match.end() : match.end() + 1]
    if not (_HAN_CHAR.search(inner) or _HAN_CHAR.match(before) or _HAN_CHAR.match(after)):
        return match[0]
    return f"（{inner}）"


def _mainland_words(text: str) -> str:
    phrases, pattern = load_phrases()
    convert = _converters()[0].convert
    if pattern is None:
        return convert(text)
    # Listed phrases bypass OpenCC, so an entry also protects a word from it.
    pieces: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        pieces.append(convert(text[position : match.start()]))
        pieces.append(phrases[match[0]])
        position = match.end()
    pieces.append(convert(text[position:]))
    return "".join(pieces)


def simplified_characters(text: str) -> str:
    """`text` with each character that has a one-character Simplified form replaced by it: same length, no phrases."""
    return text.translate(_character_table(frozenset(text)))


@lru_cache(maxsize=64)
def _character_table(characters: frozenset[str]) -> dict[int, str]:
    convert = _converters()[1].convert
    table = {}
    for character in characters:
        converted = convert(character)
        if len(converted) == 1 and converted != character:
            table[ord(character)] = converted
    return table


def detect_script(text: str) -> str:
    """"traditional" when a noticeable share of the Chinese characters change under t2s."""
    sample = "".join(_CJK.findall(text[:200_000]))
    if not sample:
        return "simplified"
    converted = _converters()[1].convert(sample)
    changed = sum(1 for a, b in zip(sample, converted) if a != b)
    return "traditional" if changed / len(sample) > _TRADITIONAL_SHARE else "simplified"
