"""Where each document of a source file begins and ends.

A forwarding notice (…转发国务院办公厅关于印发…的通知) may carry the
forwarded document after its own signature, as the Guangdong capture does:
that second document starts at the first line that begins with the
forwarded title. Every other file holds one document.
"""

from __future__ import annotations

import re

_FORWARDED = re.compile(r"转发(?P<title>[\u4e00-\u9fff]{2,20}关于[^\n]{4,120})")
_KEY_LENGTH = 12


def find_segments(lines: list[str], furniture_lines: set[int]) -> list[tuple[int, int]]:
    """[(first line, last line)] of each document, 1-based and inclusive."""
    last = len(lines)
    content = [
        (number, line.strip())
        for number, line in enumerate(lines, start=1)
        if line.strip() and number not in furniture_lines
    ]
    forwarded_key = None
    forwarding_line = 0
    for number, text in content:
        match = _FORWARDED.search(text)
        if match:
            forwarded_key = "".join(match["title"].split())[:_KEY_LENGTH]
            forwarding_line = number
            break
    if forwarded_key is None:
        return [(1, last)]
    for number, text in content:
        if number > forwarding_line + 2 and "".join(text.split()).startswith(forwarded_key):
            return [(1, number - 1), (number, last)]
    return [(1, last)]
