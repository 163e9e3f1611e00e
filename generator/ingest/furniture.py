"""Page furniture: lines captured from the web page that are not the document.

Each rule has a name and a pattern matched against one whole line (leading
and trailing whitespace ignored). A removed line is recorded in the plan's
`furniture:` list with its rule, line number and text, so a reader can see
what was dropped and why; the source file itself is never edited.

Metadata tables (gov.cn, 首都之窗, pkulaw) are furniture too: their values
become the plan's fields (see metadata.py), the table lines themselves are
not part of the document's text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from generator.ingest.numbering import read_label


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern
    why: str


@dataclass(frozen=True)
class Furniture:
    rule: str
    line: int
    text: str


def _rule(name: str, pattern: str, why: str) -> Rule:
    return Rule(name, re.compile(pattern), why)


_CONTROL = (
    r"(?:[【\[]?字\s*[体號号][：:]?\s*(?:[【\[]?[大中小][】\]]?\s*){3}[】\]]?"
    r"|[【\[]?(?:打印(?:本页|本文|此页|文章)?|关闭(?:本页|窗口)?|收藏(?:本页)?|返回顶部|我要纠错|分享到?)[】\]]?)"
)
"""One site button: the font-size switch, 打印, 关闭, 收藏, 返回顶部, 纠错, 分享."""

RULES: tuple[Rule, ...] = (
    _rule("gov-cn-breadcrumb", r"^首页 ?>.*", "gov.cn navigation crumbs"),
    _rule(
        "gov-cn-metadata",
        r"^(索\s*引\s*号|发文机关|标\s*题|发文字号|主\s*题\s*词)\s*[：:].*",
        "gov.cn metadata table (its values become plan fields)",
    ),
    _rule(
        "portal-metadata",
        r"^(?:(?:发布机构|发文机构|发文单位|生成日期|发文日期)\s*[：:]|(?:文\s*号|名\s*称|信息分类)\s*[：:]\s*\t).*",
        "a provincial portal's metadata table (its values become plan fields)",
    ),
    _rule("gov-cn-share", r"^扫一扫在手机打开当前页$", "gov.cn QR-code prompt"),
    _rule("beijing-breadcrumb", r"^政務公開 ?>.*", "首都之窗 navigation crumbs"),
    _rule(
        "beijing-metadata",
        r"^\d{1,2}\. ?\[[^\[\]]{1,12}\].*",
        "首都之窗 metadata list (its values become plan fields)",
    ),
    _rule("font-size-control", r"^字[號号][:：]$", "font-size buttons"),
    _rule("share-buttons", r"^分享到?[:：]?$", "share buttons"),
    _rule("related-links", r"^(相關解讀|相關政策|相关解读|相关政策|相关文档|最新文档|相關文檔|相关链接)[:：]?$", "related-links box"),
    _rule(
        "site-footer",
        r"^(?=.*(?:版权所有(?!人)|版權所有(?!人)|ICP备|网站标识码|網站標識碼|公网安备|技术支持[：:]))[^。]{0,160}$",
        "the site's footer (版权所有, ICP备…号, 网站标识码 …): its 主办单位 is the site's, not a measure's",
    ),
    _rule("editor-credit", r"^(?:责任编辑|責任編輯|编辑|校对)\s*[：:]\s*[\u4e00-\u9fff·]{1,10}$", "the site's credit of the page's editor (责任编辑：…)"),
    _rule("leave-site-notice", r"^您訪問的連結即將離開.*|^您访问的链接即将离开.*", "external-link dialog"),
    _rule("download-banner", r"^合集下载$", "download site banner"),
    _rule(
        "download-disclaimer",
        r"^\d{1,2}\. ?\d{1,2}、.*",
        "download site's numbered disclaimers (下载文档前请自行甄别…)",
    ),
    _rule("pkulaw-metadata", r"^(文章属性|正文|•【[^【】]{1,8}】.*)$", "pkulaw metadata table (its values become plan fields)"),
    _rule("capture-timestamp", r"^\d{2}\.\d{2}\.\d{4}\s+\d{1,2}:\d{2}$", "time the page was captured, not a date of the document"),
    _rule(
        "font-size-switch",
        r"^[【\[]?字\s*[体號号][：:]?\s*(?:[【\[]?[大中小][】\]]?\s*){3}[】\]]?$",
        "font-size switch of provincial and municipal sites (【字体：大 中 小】)",
    ),
    _rule(
        "print-close",
        r"^(?:[【\[]?(?:打印(?:本页|本文|此页|文章)?|关闭(?:本页|窗口)?|收藏(?:本页)?|返回顶部)[】\]]?\s*){1,4}$",
        "print / close / bookmark buttons (打印本页 关闭窗口)",
    ),
    _rule(
        "site-controls",
        rf"^(?:{_CONTROL}\s*){{2,8}}$",
        "a row of site buttons (【字体：大 中 小】【打印】【关闭】)",
    ),
    _rule(
        "site-publish-line",
        r"^(?:发布(?:时间|日期)|信息来源|来源)\s*[：:].*",
        "a site's 发布时间 / 来源 line (its date becomes date_published)",
    ),
)

REPEATED_LINE = "running-title"
"""Rule name for a line repeated verbatim elsewhere in the file (running titles, page titles)."""

_MIN_REPEATED = 16


def find_furniture(lines: list[str]) -> list[Furniture]:
    """Every furniture line of a file, in line order (line numbers from 1)."""
    counts = Counter(_squeeze(line) for line in lines)
    found: list[Furniture] = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped:
            continue
        rule = match_rule(stripped)
        if rule is None and _is_running_title(stripped, counts[_squeeze(line)]):
            rule = REPEATED_LINE
        if rule is not None:
            found.append(Furniture(rule=rule, line=number, text=stripped))
    return found


def match_rule(stripped: str) -> str | None:
    for rule in RULES:
        if rule.pattern.match(stripped):
            return rule.name
    return None


def _is_running_title(stripped: str, count: int) -> bool:
    # A whole line printed again verbatim is the page's running title; a
    # sentence (ending in 。) or a numbered provision never is.
    return (
        count >= 2
        and len(_squeeze(stripped)) >= _MIN_REPEATED
        and not stripped.endswith("。")
        and not _is_numbered(stripped)
    )


def _squeeze(line: str) -> str:
    return "".join(line.split())


def _is_numbered(stripped: str) -> bool:
    return read_label(stripped) is not None
