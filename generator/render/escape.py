"""The one escaper: text from data reaches Markdown and HTML as its literal characters.

The Jinja environment (generator.render.environment) applies it to every
`{{ … }}` that is not already trusted Markup: a measure that contains
`<script>`, `[x](y)`, `{{ }}` or starts with `#` is shown as those
characters, never interpreted. Python code that builds HTML or Markdown from
data (the comparison page's marked-up text) escapes each piece with it first.
"""

from __future__ import annotations

import re
import string
from typing import Any, Callable

from markupsafe import Markup
from markupsafe import escape as markupsafe_escape

# ASCII punctuation becomes a numeric character reference: Markdown and its
# extensions (attr_list, tabbed, admonition, md_in_html) only ever give meaning
# to ASCII punctuation, and a character reference is shown as the character
# itself. Left alone: the few marks no syntax here uses, so the half-width
# commas of some captures stay readable. Chinese punctuation passes unchanged.
_PLAIN = set(",;?@%/")
_ESCAPES = {ord(char): f"&#{ord(char)};" for char in string.punctuation if char not in _PLAIN}
_ESCAPES.update({ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;"})
_ESCAPE_OF = {chr(code): text for code, text in _ESCAPES.items()}
_SPECIAL = re.compile("[" + re.escape("".join(_ESCAPE_OF)) + "]")
_LEADING_BLANKS = re.compile(r"(?m)^[ \t]+")


def escape_markdown(value: Any) -> Markup:
    """`value` as Markdown that renders to exactly its characters; markup passes unchanged.

    Line breaks become <br> so an escaped value is always one Markdown line and
    fits a table cell or a list item.
    """
    if isinstance(value, Markup):
        return value
    text = str(value)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # A regular expression finds the few ASCII marks in mostly Chinese text far
    # faster than str.translate, which looks up every character in the table.
    text = _SPECIAL.sub(_escape_special, text)
    # Leading blanks would make an indented code block or a tab's content.
    text = _LEADING_BLANKS.sub(_escape_blanks, text)
    return Markup(text.replace("\n", "<br>"))


def _escape_special(match: re.Match) -> str:
    return _ESCAPE_OF[match.group()]


def _escape_blanks(match: re.Match) -> str:
    return "".join(f"&#{ord(c)};" for c in match.group())


def memoised_escape() -> Callable[[Any], Markup]:
    """escape_markdown remembering every text it escaped: a name or title is printed on many pages."""
    memo: dict[str, Markup] = {}
    numbers: dict[int, Markup] = {}

    def escape(value: Any) -> Markup:
        kind = type(value)
        # Only exact str: 1, 1.0 and True are equal keys but print differently.
        if kind is str:
            found = memo.get(value)
            if found is None:
                found = memo[value] = escape_markdown(value)
            return found
        # Links and macros print as Markup: the commonest value after str, passed unchanged.
        if kind is Markup:
            return value
        # Counts and the comparison pages' SVG coordinates: remembered apart from
        # the texts, since 1 and "1" are different keys that print alike.
        if kind is int:
            found = numbers.get(value)
            if found is None:
                found = numbers[value] = escape_markdown(value)
            return found
        return escape_markdown(value)

    return escape


def escape_xml(value: Any) -> Markup:
    """`value` as XML character data or attribute text (the Atom feed): & < > " ' as references.

    The feed is XML, not Markdown, so escape_markdown's <br> would break it;
    this is the feed's side of the same boundary.
    """
    return markupsafe_escape(value)
