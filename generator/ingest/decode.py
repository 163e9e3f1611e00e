"""Bytes of a source file → text, as editors will paste them.

UTF-8 (with or without a BOM) and GBK/GB18030 are accepted and recorded;
CRLF and CR line ends become LF. Anything that is not a plain-text document
(empty, binary, an HTML page) stops here with one line naming the file and
the fix, before any parsing is attempted.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from generator.errors import GeneratorError

_HTML_START = re.compile(r"^\s*(<!doctype\s+html|<html\b|<head\b|<body\b|<meta\b|<div\b|<p\b|<table\b)", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?(?:html|head|body|div|p|span|table|tr|td|br|script|style|meta|a)\b[^<>\n]{0,300}>", re.IGNORECASE)
_CJK = re.compile(r"[\u3400-\u9fff]")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_EDGE = " \t\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\u200b\u200c\u200d\u2060\ufeff"
"""Whitespace (as str.strip knows it) and the zero-width marks, stripped together from a line's ends."""


class SourceError(GeneratorError):
    """A source file that cannot be read as a plain-text document."""


@dataclass(frozen=True)
class DecodedSource:
    text: str
    """The text with LF line ends and without a BOM."""
    encoding: str
    """What the bytes were decoded from: utf-8, utf-8-sig, gbk or gb18030."""

    @property
    def lines(self) -> list[str]:
        """The lines, numbered from 1 by their position (index + 1), without invisible marks at their ends.

        Web captures leave zero-width spaces and stray BOMs before a line's text
        ("\u200b一、重点任务"): they are no part of it, and a label behind one would
        not be read as a label.
        """
        lines = self.text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        return [line.strip(_EDGE) if _ZERO_WIDTH.search(line) else line for line in lines]


def decode_source(data: bytes, name: str) -> DecodedSource:
    if not data.strip():
        raise SourceError(f"{name}: the file is empty (paste the document's text into it, then ingest again)")
    nul = data.find(b"\x00")
    if nul >= 0 and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        line = data.count(b"\n", 0, nul) + 1
        raise SourceError(
            f"{name}:{line}: this is a binary file, not text (NUL byte at offset {nul}) "
            "(save the document as plain text, UTF-8 or GBK, and ingest that file)"
        )
    text, encoding = _decode(data, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _refuse_html(text, name)
    if not _CJK.search(text):
        raise SourceError(
            f"{name}: no Chinese text found (is this the right file? ingest takes the document's text, "
            "UTF-8 or GBK)"
        )
    return DecodedSource(text=text, encoding=encoding)


def _decode(data: bytes, name: str) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        first_bad = utf8_error.start
    for encoding in ("gbk", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # Almost any byte string decodes as GB18030; only accept the reading
        # if it is mostly Chinese, as a real GBK document is.
        if len(_CJK.findall(text)) * 4 >= len(text.strip()) or len(_CJK.findall(text)) > 1000:
            return text, encoding
    line = data.count(b"\n", 0, first_bad) + 1
    raise SourceError(
        f"{name}:{line}: cannot decode the file as UTF-8 or GBK/GB18030 (bad byte at offset {first_bad}) "
        "(save the document as plain text in UTF-8 and ingest again)"
    )


def _refuse_html(text: str, name: str) -> None:
    head = text[:4000]
    match = _HTML_START.search(head)
    tags = _HTML_TAG.findall(head)
    if match or len(tags) >= 5:
        offset = match.start(1) if match else head.find(tags[0])
        line = head.count("\n", 0, offset) + 1
        raise SourceError(
            f"{name}:{line}: this is an HTML page, not the document's text "
            "(open the page in a browser, copy the article's text into a .txt file and ingest that)"
        )
