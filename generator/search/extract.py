"""The searchable part of a built page: its title and the text of its article.

Material puts a page's content in `<article class="md-content__inner …">`;
navigation, header and footer are outside it and are not indexed. The text
is cut at headings into sections (a result links to the section it matched,
and a long comparison page costs one small record, not the whole page).
Regular expressions rather than an HTML parser: the HTML is MkDocs' own, well
formed, and this runs on every page of every build.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_ARTICLE = re.compile(r'<article class="md-content__inner[^"]*"[^>]*>(.*?)</article>', re.S)
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
_HEADING = re.compile(r'<h[2-6][^>]*\bid="([^"]*)"', re.S)
# Invisible or non-text parts: scripts, styles, permalink pilcrows, icons,
# the "edit this page" buttons Material puts at the top of the article.
_DROP = re.compile(
    r"<(script|style|svg|template)\b.*?</\1>"
    r'|<a [^>]*class="(?:headerlink|md-content__button[^"]*)"[^>]*>.*?</a>',
    re.S,
)
_BLOCK = re.compile(
    r"</?(?:p|div|li|ul|ol|h[1-6]|tr|table|thead|tbody|blockquote|pre|dd|dt|dl|section|details|summary|br|hr)\b[^>]*>",
    re.I,
)
_CELL = re.compile(r"</?t[dh]\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")
_BLANKS = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")
_LINES = re.compile(r"\s*\n\s*")


@dataclass(frozen=True)
class Section:
    anchor: str
    """Id of the heading the section starts with; "" for the top of the page."""
    text: str
    """Plain text, one block (paragraph, list item, table row, heading) per line."""


@dataclass(frozen=True)
class PageText:
    title: str
    sections: tuple[Section, ...]

    @property
    def text(self) -> str:
        return "\n".join(section.text for section in self.sections)


def extract_page(page_html: str) -> PageText | None:
    """Title and article text of a built page; None when it has no article (redirects)."""
    article = _ARTICLE.search(page_html)
    if article is None:
        return None
    body = _DROP.sub("", article.group(1))
    heading = _H1.search(body)
    if heading is not None:
        title = _plain(heading.group(1))
    else:
        found = _TITLE.search(page_html)
        title = _plain(found.group(1)).split(" - ")[0] if found else ""
    sections = []
    anchor, start = "", 0
    for match in _HEADING.finditer(body):
        sections.append(Section(anchor, _plain(body[start:match.start()])))
        anchor, start = html.unescape(match.group(1)), match.start()
    sections.append(Section(anchor, _plain(body[start:])))
    return PageText(title=title, sections=tuple(section for section in sections if section.text))


def split_text(text: str, limit: int) -> list[str]:
    """`text` in pieces of about `limit` characters, cut only between lines.

    A block is never cut, so whatever a block says is found in one piece.
    """
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.split("\n"):
        if current and size + len(line) > limit:
            pieces.append("\n".join(current))
            current, size = [], 0
        current.append(line)
        size += len(line) + 1
    if current:
        pieces.append("\n".join(current))
    return pieces


def _plain(fragment: str) -> str:
    text = _BLOCK.sub("\n", fragment)
    text = _CELL.sub(" ", text)
    text = html.unescape(_TAG.sub("", text))
    text = _BLANKS.sub(" ", text)
    return _LINES.sub("\n", text).strip()
