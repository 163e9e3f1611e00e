"""generator.coverage_svg: the coverage matrix as SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from generator.coverage_svg import CoverageCell, contrast, coverage_svg, luminance, shade
from generator.render import template_env

SVG = "{http://www.w3.org/2000/svg}"


def draw(cells, row_labels=("（一）质量提升", "（二）<script>x</script>"), column_labels=("安徽省", "重庆市")):
    return coverage_svg(
        title="国办发〔2016〕18号：地方落实情况",
        row_labels=list(row_labels),
        column_labels=list(column_labels),
        cells=cells,
        env=template_env(),
    )


def cell(strength, href):
    return CoverageCell(strength=strength, href=href, description=f"{href} {strength}")


def test_matrix_is_well_formed_svg_with_a_link_per_cell():
    svg = draw([[cell(0.8, "#a1"), cell(None, "#b1")], [cell(0.1, "#a2"), cell(0.4, "#b2")]])
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    links = root.findall(f"{SVG}a")
    assert [link.get("href") for link in links] == ["#a1", "#b1", "#a2", "#b2"]
    # Every cell says in words what its shade shows.
    assert all(link.find(f"{SVG}title").text for link in links)
    texts = [link.find(f"{SVG}text").text for link in links]
    assert texts == ["0.80", "缺口", "0.10", "0.40"]


def test_labels_from_data_are_escaped():
    svg = draw([[cell(0.5, "#a"), cell(0.5, "#b")], [cell(0.5, "#c"), cell(0.5, "#d")]])
    assert "<script>" not in svg
    root = ET.fromstring(svg)
    labels = [t.text for t in root.findall(f"{SVG}text")]
    assert "（二）<script>x</script>" in labels


def test_no_javascript_and_nothing_fetched():
    svg = draw([[cell(0.5, "#a"), cell(None, "#b")], [cell(0.2, "#c"), cell(0.9, "#d")]])
    assert "<script" not in svg and "http://" not in svg.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in svg and " on" not in svg.lower().replace(" one", "")


def test_stronger_matches_are_darker_and_every_cell_reads():
    strengths = [i / 20 for i in range(21)]
    fills = [shade(s)[0] for s in strengths]
    lums = [luminance(tuple(int(f[i : i + 2], 16) for i in (1, 3, 5))) for f in fills]
    assert lums == sorted(lums, reverse=True)
    for fill, text in (shade(s) for s in strengths + [None]):
        background = luminance(tuple(int(fill[i : i + 2], 16) for i in (1, 3, 5)))
        # Whatever the text colour (white, black, the gap's own), it must read on the fill.
        foreground = luminance(tuple(int(text[i : i + 2], 16) for i in (1, 3, 5)))
        assert contrast(foreground, background) >= 4.5, (fill, text)


def test_width_follows_the_longest_row_label():
    narrow = ET.fromstring(draw([[cell(0.5, "#a")]], row_labels=["短"], column_labels=["安徽省"]))
    wide = ET.fromstring(draw([[cell(0.5, "#a")]], row_labels=["很长很长很长的一条措施名称"], column_labels=["安徽省"]))
    assert int(wide.get("width")) > int(narrow.get("width"))
    assert narrow.get("viewBox") == f"0 0 {narrow.get('width')} {narrow.get('height')}"
