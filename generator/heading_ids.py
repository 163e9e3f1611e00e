"""Ids of the headings of every page (the `toc` extension's slugify, set in mkdocs.yml).

pymdownx's slug, lower case, as before; one change: an id never begins with
"_". Material names its own elements `__config`, `__drawer`, `__search`,
`__toc`, `__nav_…`, `__tabbed_…`; a heading that took one of them (a measure
headed "__config") would hide the theme's settings from its script and break the
version selector and the older-edition notice on that page. Headings written by
people never start with an underscore, so no existing anchor moves.
"""

from __future__ import annotations

from pymdownx.slugs import slugify as _pymdownx_slugify

_slug = _pymdownx_slugify(case="lower")


def slugify(text: str, separator: str) -> str:
    """The heading's id; empty when nothing is left, and `toc` then numbers it (_1, _2 …)."""
    return _slug(text, separator).lstrip("_")
