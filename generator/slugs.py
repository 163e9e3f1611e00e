"""Permanent ASCII ids made from Chinese names with pypinyin.

Ids are made once, at ingest, and stored in the YAML; nothing recomputes them
later, so the readings chosen here only ever matter for new data.
"""

from __future__ import annotations

import re
from typing import Callable, Mapping

from pypinyin import Style, load_phrases_dict, lazy_pinyin

# pypinyin's default readings are right for most words of these documents
# (重庆 chongqing, 银行 yinhang, 行业 hangye), but a few abbreviations are
# missing from its phrase dictionary and come out with the wrong reading of
# a polyphonic character. Each hint fixes one such word.
PHRASE_HINTS: dict[str, list[list[str]]] = {
    "人行": [["rén"], ["háng"]],  # 中国人民银行 (the central bank), not "renxing"
    "银行": [["yín"], ["háng"]],
    "重庆": [["chóng"], ["qìng"]],
    "护航": [["hù"], ["háng"]],
    "行动": [["xíng"], ["dòng"]],
}
load_phrases_dict(PHRASE_HINTS)

_ASCII_KEEP = re.compile(r"[a-z0-9]+")
_HAN = re.compile(r"[\u3400-\u9fff]")
_RUNS = re.compile(r"[\u3400-\u9fff]+|[^\u3400-\u9fff]+")
_DOC_NUMBER = re.compile(r"^(?P<prefix>[^〔\[（(]{1,20})[〔\[（(](?P<year>\d{4})[〕\]）)](?P<number>\d{1,5})[号號]$")


def pinyin_words(text: str, *, tones: bool = False) -> list[str]:
    """The syllables of `text`, toneless (or with tone numbers: shan3xi1); ASCII letters and digits pass through, the rest is dropped."""
    style = Style.TONE3 if tones else Style.NORMAL
    # A list keeps a run of other characters as one item (pypinyin accepts it; its stub says str).
    syllables = lazy_pinyin(text, style=style, errors=lambda chars: [chars])  # type: ignore[arg-type, return-value]
    words: list[str] = []
    for syllable in syllables:
        words.extend(_ASCII_KEEP.findall(syllable.lower()))
    return words


def slug_joined(text: str) -> str:
    """All syllables run together: 质检总局 → zhijianzongju (agency ids)."""
    return "".join(pinyin_words(text))


def slug_words(text: str) -> str:
    """Syllables in pairs joined by "-": 质量发展纲要 → zhiliang-fazhan-gangyao.

    Pairs rather than a word segmenter: almost every word of these titles
    and campaign names has two characters, and pairs never change when a
    segmenter's dictionary is updated, which a permanent id must not.
    """
    words: list[str] = []
    for run in _RUNS.findall(text):
        syllables = pinyin_words(run)
        if _HAN.match(run):
            words.extend("".join(syllables[i : i + 2]) for i in range(0, len(syllables), 2))
        else:
            words.append("".join(syllables))
    return "-".join(word for word in words if word)


def doc_number_slug(doc_number: str) -> str | None:
    """国办发〔2016〕18号 → guobanfa-2016-18; None when it is not a doc number."""
    match = _DOC_NUMBER.match(doc_number.strip())
    if not match:
        return None
    return f"{slug_joined(match['prefix'])}-{match['year']}-{int(match['number'])}"


def region_slug(region: str, *, tones: bool = False) -> str:
    """安徽省 → anhui, 重庆市 → chongqing (the administrative suffix is dropped); with tones 陕西省 → shan3xi1."""
    return "".join(pinyin_words(re.sub(r"(省|市|自治区|特别行政区)$", "", region), tones=tones))


def plain_slug_holders(arrivals: Mapping[str, tuple[int | None, ...]], slug: Callable[[str], str] = region_slug) -> set[str]:
    """The region names that keep their plain slug; the others are spelled with tones (shan3xi1).

    Names that read alike without tones (山西省 and 陕西省, 福州市 and 抚州市) cannot
    share an id. The one that came first keeps the plain slug, since it may have been
    published alone under it and a published id is a promise; a name nothing else reads
    like keeps it too. `arrivals` says when each came, compared part by part (region pages:
    the year of the first plan; ingest: already spelled so in the data, then in the data
    at all, then that year). Namesakes that came together, or whose order an unknown part
    (None) leaves open, are all spelled with tones: none was ever alone under the plain slug.
    """
    groups: dict[str, list[str]] = {}
    for name in sorted(arrivals):
        groups.setdefault(slug(name), []).append(name)
    return {
        name
        for names in groups.values()
        for name in names
        if all(_came_before(arrivals[name], arrivals[other]) for other in names if other != name)
    }


def _came_before(first: tuple[int | None, ...], second: tuple[int | None, ...]) -> bool:
    for part, other in zip(first, second):
        if part is None or other is None:
            return False
        if part != other:
            return part < other
    return False
