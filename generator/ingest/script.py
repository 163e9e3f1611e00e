"""Traditional Chinese with Taiwan phrasing → mainland Simplified.

OpenCC's `tw2sp` undoes characters and many Taiwan phrasings (資訊 → 信息,
網路 → 网络). It leaves the words whose mainland equivalent depends on the
domain (品質 renders 质量, 水準 renders 水平) and it swaps IT vocabulary that
policy prose does not use that way (建立 → 创建). taiwan_phrases.txt lists
both kinds; listed phrases are replaced directly, longest first, and only
the text between them goes through OpenCC.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import opencc

PHRASE_FILE = Path(__file__).with_name("taiwan_phrases.txt")
_CJK = re.compile(r"[\u4e00-\u9fff]")
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
    """The mainland Simplified form of Traditional (Taiwan) text."""
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


def detect_script(text: str) -> str:
    """"traditional" when a noticeable share of the Chinese characters change under t2s."""
    sample = "".join(_CJK.findall(text[:200_000]))
    if not sample:
        return "simplified"
    converted = _converters()[1].convert(sample)
    changed = sum(1 for a, b in zip(sample, converted) if a != b)
    return "traditional" if changed / len(sample) > _TRADITIONAL_SHARE else "simplified"
