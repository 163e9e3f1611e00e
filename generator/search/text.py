"""The text rules shared by the index builder and the browser's query code.

Search works on a *squeezed* form of the text: every code point is normalised
on its own (NFKC, lower case, Traditional folded to Simplified by one-to-one
character map), then only CJK characters and Latin/digit words remain, CJK
characters run together across punctuation and Latin words are separated by one
space. The index holds CJK character bigrams and whole Latin words of that form,
so a query and a page can never be segmented differently: any squeezed
substring of two CJK characters or more is found, and the hit is then checked
as an exact substring. assets/search/search.js repeats these rules line for
line; tests/unit/search_conformance.json is the table both must reproduce
(tests/unit/test_search_conformance.py runs it against each).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from operator import sub
from typing import Iterable

# CJK Unified Ideographs, Extension A, compatibility ideographs, 〇, and the
# supplementary planes' extensions; the same ranges are in search.js.
CJK = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
WORD = "0-9a-z\u00c0-\u024f"

_SEPARATORS = re.compile(f"[^{CJK}{WORD}]+")
_SPACE_BY_CJK = re.compile(f"(?<=[{CJK}]) | (?=[{CJK}])")
_CJK_RUNS = re.compile(f"[{CJK}]{{2,}}")
_WORDS = re.compile(f"[{WORD}]+")
_SEGMENTS = re.compile(f"[{CJK}]+|[{WORD}]+")


def fold_map(characters: Iterable[str]) -> dict[str, str]:
    """Traditional → Simplified, one character to one, for what can meet the corpus.

    From OpenCC's t2s data: every Traditional character that occurs in
    `characters`, and every Traditional character whose Simplified form does
    (so 質檢利劍 typed by a reader finds 质检利剑 although the corpus never
    writes 劍). Nothing else: the browser downloads this table with every query.
    """
    present = set(characters)
    return {
        traditional: simplified
        for traditional, simplified in _t2s_characters().items()
        if traditional in present or simplified in present
    }


@functools.cache
def _t2s_characters() -> dict[str, str]:
    """OpenCC's t2s reading of every BMP ideograph that it maps to one other character."""
    import opencc

    # One call over all ideographs, one a line: t2s converts phrases, and a
    # line break keeps each character a phrase of its own.
    ideographs = [chr(code) for code in (*range(0x3400, 0x4DC0), *range(0x4E00, 0xA000), *range(0xF900, 0xFB00))]
    converted = opencc.OpenCC("t2s").convert("\n".join(ideographs)).split("\n")
    assert len(converted) == len(ideographs)
    return {
        traditional: simplified
        for traditional, simplified in zip(ideographs, converted)
        if simplified != traditional and len(simplified) == 1
    }


def _is_cjk(character: str) -> bool:
    return re.fullmatch(f"[{CJK}]", character) is not None


class Normaliser:
    """Per-code-point normalisation with a cache, applied by str.translate.

    Normalising one code point at a time (not the whole string) keeps a
    position map possible in the browser, where the match is highlighted in
    the original text.
    """

    def __init__(self, folds: dict[str, str]):
        self.folds = folds
        self._table = _NormalTable(folds)

    def normalise(self, text: str) -> str:
        return text.translate(self._table)

    def squeeze(self, text: str) -> str:
        return squeeze_normal(self.normalise(text))


class _NormalTable(dict):
    """Code point → its normal form, each worked out the first time str.translate asks for it."""

    def __init__(self, folds: dict[str, str]):
        super().__init__()
        self.folds = folds

    def __missing__(self, code: int) -> str:
        normal = unicodedata.normalize("NFKC", chr(code)).lower()
        found = self[code] = "".join(self.folds.get(c, c) for c in normal)
        return found


def squeeze_normal(normal: str) -> str:
    """Squeeze already normalised text (see the module docstring)."""
    spaced = _SEPARATORS.sub(" ", normal)
    return _SPACE_BY_CJK.sub("", spaced).strip()


def index_tokens(squeezed: str) -> set[str]:
    """Every token a page is found by: CJK bigrams and whole Latin words."""
    tokens = set(_WORDS.findall(squeezed))
    for run in _CJK_RUNS.findall(squeezed):
        tokens.update(map(str.__add__, run, run[1:]))
    return tokens


def query_tokens(squeezed: str) -> list[str]:
    """The tokens whose pages include every true hit and few others.

    Every bigram of each CJK run, not just enough to cover it: the overlapping
    ones (检利 in 质检利剑) are what rule out pages holding the parts apart, and
    a postings shard costs less to fetch than the page-store chunks of false
    candidates; beyond MAX_QUERY_TOKENS, an even spread of them. A Latin word at either end of the query may be part of a
    longer word on the page (the query is a substring), so it is a token only
    when the query has nothing else to look up.
    """
    segments = _SEGMENTS.findall(squeezed)
    tokens: list[str] = []
    for position, segment in enumerate(segments):
        if _is_cjk(segment[0]):
            tokens.extend(map(str.__add__, segment, segment[1:]))
        elif 0 < position < len(segments) - 1:
            tokens.append(segment)
    if not tokens:
        tokens = [segment for segment in segments if not _is_cjk(segment[0])]
    return spread(list(dict.fromkeys(tokens)), MAX_QUERY_TOKENS)


# Tokens a query looks up at most: each costs a postings shard (10-40 KB
# gzipped, growing with the corpus). Six bigrams spread over a long name leave
# few false candidates, and the exact check of each candidate keeps the result
# exact; a 19-character agency name would otherwise fetch 18 shards.
MAX_QUERY_TOKENS = 6


def spread(tokens: list[str], limit: int) -> list[str]:
    """At most `limit` of `tokens`, evenly spaced, the first and the last included."""
    if len(tokens) <= limit:
        return tokens
    return [tokens[(position * (len(tokens) - 1)) // (limit - 1)] for position in range(limit)]


def token_shard(token: str, shards: int) -> int:
    """FNV-1a over code points; search.js computes the same number."""
    value = 2166136261
    for character in token:
        value ^= ord(character)
        value = (value * 16777619) & 0xFFFFFFFF
    return value % shards


def encode_ids(ids: Iterable[int]) -> str:
    """Ascending ids as base-36 gaps joined by commas (gzip folds the repeats)."""
    ids = list(ids)
    gaps = list(map(sub, ids, [-1, *ids[:-1]]))
    small = _SMALL_BASE36
    # Nearly every gap of a postings list is small: one lookup each, made by map().
    if not gaps or max(gaps) < len(small):
        return ",".join(map(small.__getitem__, gaps))
    return ",".join([small[gap] if gap < len(small) else _base36(gap) for gap in gaps])


def decode_ids(encoded: str) -> list[int]:
    ids = []
    current = -1
    for part in encoded.split(",") if encoded else ():
        current += int(part, 36)
        ids.append(current)
    return ids


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    if number < 36:
        return digits[number]
    out = []
    while number:
        number, rest = divmod(number, 36)
        out.append(digits[rest])
    return "".join(reversed(out))


_SMALL_BASE36 = [_base36(number) for number in range(36 * 36)]
