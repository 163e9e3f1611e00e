"""A local measure's text marked against the national measure it carries out.

Phrases of at least SHARED_PHRASE characters that the national text also has
go in <mark>; local specifics the national text lacks (figures, quoted names,
全省 and the region's own name) in <ins>. Full-width forms are folded first, one
character for one, so that positions in the folded text are positions in the
printed one. Every piece of text is escaped (generator.render.escape) before it
is wrapped, so nothing in the data can become markup.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup

from generator.render.escape import escape_markdown

SHARED_PHRASE = 4
"""A run of at least this many characters found in the national text is highlighted as shared."""

_FIGURE = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?(?:[%％])?")
_QUOTED = re.compile(r"“[^”]{1,30}”|\"[^\"]{1,30}\"|《[^》]{1,40}》")
_LOCAL_WORDS = ("我省", "我市", "全省", "全市", "本省", "本市")


def mark_shared(local_text: str, national_text: str, local_region: str | None = None) -> Markup:
    """`local_text` as HTML: phrases found in `national_text` in <mark>, local specifics in <ins>.

    Local specifics are figures, quoted names and local words (全省, the region's
    name) that the national text does not contain. Every piece of text is escaped
    before it is wrapped, so nothing in the data can become markup.
    """
    # One byte a character (0 plain, 1 shared, 2 added), so that runs of one
    # kind are found by a regular expression instead of a loop over characters.
    kinds = bytearray(len(local_text))
    folded_local = _fold(local_text)
    phrases = _phrases(_fold(national_text))
    # Every window of the local text is looked up by map(), not a Python loop
    # (a comparison page tests some 150 windows for each local measure); a run
    # of windows found in the national text marks its characters in one step.
    starts = range(len(folded_local) - SHARED_PHRASE + 1)
    windows = map(folded_local.__getitem__, map(slice, starts, range(SHARED_PHRASE, len(folded_local) + 1)))
    found = bytes(map(phrases.__contains__, windows))
    for run in _FOUND_RUN.finditer(found):
        end = run.end() + SHARED_PHRASE - 1
        kinds[run.start() : end] = b"\x01" * (end - run.start())
    for start, end in _local_specifics(local_text, _fold(national_text), local_region):
        kinds[start:end] = b"\x02" * (end - start)
    pieces = []
    for run in _KIND_RUN.finditer(kinds):
        escaped = escape_markdown(local_text[run.start() : run.end()])
        kind = kinds[run.start()]
        if kind == 1:
            pieces.append(f"<mark>{escaped}</mark>")
        elif kind == 2:
            pieces.append(f'<ins class="qp-add" title="地方增加">{escaped}</ins>')
        else:
            pieces.append(escaped)
    return Markup("".join(pieces))


_KIND_RUN = re.compile(rb"\x00+|\x01+|\x02+")
_FOUND_RUN = re.compile(rb"\x01+")


def _local_specifics(text: str, folded_national: str, region: str | None) -> list[tuple[int, int]]:
    words = list(_LOCAL_WORDS)
    if region:
        words.append(region)
        short = region.rstrip("省市")
        if len(short) >= 2:
            words.append(short)
    spans = [(m.start(), m.end()) for pattern in (_FIGURE, _QUOTED) for m in pattern.finditer(text)]
    for word in words:
        start = text.find(word)
        while start != -1:
            spans.append((start, start + len(word)))
            start = text.find(word, start + len(word))
    folded = _fold(text)
    return [(start, end) for start, end in spans if folded[start:end] not in folded_national]


# Full-width ASCII forms (ＡＢ１２，) to their plain forms, one character for one, so
# positions in the folded text are positions in the original.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


@lru_cache(maxsize=1024)
def _phrases(text: str) -> frozenset[str]:
    return frozenset(text[i : i + SHARED_PHRASE] for i in range(len(text) - SHARED_PHRASE + 1))


_FULL_WIDTH_CHARACTER = re.compile("[\uff01-\uff5e\u3000]")


@lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    """Full-width digits, letters and punctuation to their plain forms (a national text is folded once)."""
    # A regular expression finds the few full-width marks (，；（）) of a Chinese
    # text far faster than str.translate looks up every character in the table.
    return _FULL_WIDTH_CHARACTER.sub(_fold_character, text)


def _fold_character(match: re.Match) -> str:
    return chr(_FULL_WIDTH[ord(match.group())])
