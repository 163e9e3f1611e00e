"""The one way to make a link between two pages of an edition.

Every link is relative, so one page works under /2016/ and /latest/ alike, and
its target is a path made by generator.urls from ids, checked to be plain
ASCII before it reaches Markdown or an HTML attribute. Markdown links point at
Markdown files (`mkdocs build --strict` proves each resolves); links inside
raw HTML blocks, which MkDocs does not rewrite, point at the served directory.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from markupsafe import Markup

from generator import urls
from generator.errors import GeneratorError

_SAFE_PATH = re.compile(r"[A-Za-z0-9_./-]*")


def checked(path: str) -> str:
    # Paths are made from ids; an id that is not plain ASCII would reach HTML
    # attributes unescaped, so it stops the build instead.
    if not _SAFE_PATH.fullmatch(path):
        raise GeneratorError(f"unsafe characters in page path {path!r} (ids must be ASCII letters, digits and -)")
    return path


def markdown_href(from_path: str, to_path: str) -> Markup:
    """A Markdown link target from the page at `from_path` to the page or file at `to_path` (urls paths)."""
    return Markup(relative_link(_checked_file(from_path), _checked_file(to_path)))


@lru_cache(maxsize=65536)
def _checked_file(path: str) -> str:
    # A page links its own path from every link it prints, and the plan and
    # agency pages are linked from thousands of pages: check each path once.
    return urls.markdown_file(checked(path))


def relative_link(from_file: str, to_file: str) -> str:
    """posixpath.relpath between two files relative to docs/, without touching the file system."""
    here = from_file.split("/")[:-1]
    there = to_file.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:])


def html_href(from_path: str, to_path: str) -> Markup:
    """An href for raw HTML from the page at `from_path` to `to_path`, both edition-relative directory paths.

    Markup (escaped for an attribute) because the site's template filter would
    otherwise turn every "/" into a character reference.
    """
    return _html_href(checked(from_path), checked(to_path))


@lru_cache(maxsize=65536)
def _html_href(from_path: str, to_path: str) -> Markup:
    # posixpath.relpath without its two abspath calls (a comparison page links
    # every agency and measure it shows); the paths are relative and normalised.
    start = [part for part in from_path.split("/") if part]
    target = [part for part in to_path.split("/") if part]
    common = 0
    while common < len(start) and common < len(target) and start[common] == target[common]:
        common += 1
    relative = "/".join([".."] * (len(start) - common) + target[common:]) or "."
    return Markup(html.escape(relative + "/" if to_path.endswith("/") else relative))
