"""The coverage matrix: national measures by implementing plans, shaded by the best match.

Drawn at build time as inline SVG (generator/templates/compare_coverage.svg.j2):
no JavaScript, nothing fetched. Every cell is a link to its pairing on the
comparison page and carries a <title> that says in words what the shade shows,
so the picture never holds information only as colour.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import jinja2
from markupsafe import Markup

TEMPLATE = "compare_coverage.svg.j2"

CELL_WIDTH = 96
ROW_HEIGHT = 26
HEADER_HEIGHT = 34
FONT_SIZE = 13
CHAR_WIDTH = 13
"""A Han character is about one em wide; Latin text is narrower, so this errs wide."""
LABEL_PADDING = 12
FULL_STRENGTH = 0.6
"""Scores at or above this get the darkest shade: most same-named measures score 0.5–0.8."""

GAP_STROKE = "#b26a00"
CELL_STROKE = "#9fb3cf"
LIGHT = (0xE8, 0xF0, 0xFA)
DARK = (0x1A, 0x47, 0x8A)


@dataclass(frozen=True)
class CoverageCell:
    strength: float | None
    """Score of the best pairing; None when the plan leaves the national measure out (a gap)."""
    href: str
    """Where the cell links: the pairing's anchor on the comparison page."""
    description: str
    """The cell in words, for its tooltip and for screen readers."""


@dataclass(frozen=True)
class _DrawnCell:
    x: int
    y: int
    fill: Markup
    stroke: Markup
    text: str
    text_fill: Markup
    gap: bool
    cell: CoverageCell


def coverage_svg(
    title: str,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    cells: Sequence[Sequence[CoverageCell]],
    env: jinja2.Environment,
) -> str:
    """The matrix as an <svg> element; `cells[row][column]`."""
    label_width = LABEL_PADDING * 2 + CHAR_WIDTH * max((len(label) for label in row_labels), default=4)
    width = label_width + CELL_WIDTH * len(column_labels)
    height = HEADER_HEIGHT + ROW_HEIGHT * len(row_labels)
    drawn_rows = []
    for r, row in enumerate(cells):
        drawn = []
        for c, cell in enumerate(row):
            fill, text_fill = shade(cell.strength)
            drawn.append(
                _DrawnCell(
                    x=label_width + c * CELL_WIDTH,
                    y=HEADER_HEIGHT + r * ROW_HEIGHT,
                    # Colours are Markup: the site's template filter would spell "#" as a reference.
                    fill=Markup(fill),
                    stroke=Markup(GAP_STROKE if cell.strength is None else CELL_STROKE),
                    text="缺口" if cell.strength is None else f"{cell.strength:.2f}",
                    text_fill=Markup(text_fill),
                    gap=cell.strength is None,
                    cell=cell,
                )
            )
        drawn_rows.append(drawn)
    return env.get_template(TEMPLATE).render(
        title=title,
        width=width,
        height=height,
        label_width=label_width,
        cell_width=CELL_WIDTH,
        row_height=ROW_HEIGHT,
        header_height=HEADER_HEIGHT,
        font_size=FONT_SIZE,
        row_labels=list(row_labels),
        column_labels=list(column_labels),
        rows=drawn_rows,
    )


def shade(strength: float | None) -> tuple[str, str]:
    """Fill and text colour for a cell: light to dark blue with strength; white for a gap."""
    if strength is None:
        return "#ffffff", "#8a4b00"
    t = max(0.0, min(1.0, strength / FULL_STRENGTH))
    rgb = tuple(round(light + (dark - light) * t) for light, dark in zip(LIGHT, DARK))
    # Whichever of near-black and white reads better on this fill (WCAG contrast).
    background = luminance(rgb)
    # With pure black as the dark choice one of the two always reaches 4.5:1.
    text = "#ffffff" if contrast(1.0, background) >= contrast(0.0, background) else "#000000"
    return "#%02x%02x%02x" % rgb, text


def luminance(rgb: tuple[int, ...]) -> float:
    """WCAG relative luminance of an sRGB colour."""
    channels = []
    for value in rgb:
        c = value / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: float, b: float) -> float:
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)
