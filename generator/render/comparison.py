"""The national-versus-local comparison pages and their index.

The data of each page comes from generator.compare (no template there); this
module renders it with generator/templates/compare.md.j2 and draws its
coverage matrix (generator.coverage_svg).
"""

from __future__ import annotations

from typing import Iterable

import jinja2
from markupsafe import Markup

from generator import compare, urls
from generator.align import Alignment
from generator.coverage_svg import coverage_svg
from generator.corpus import Corpus
from generator.render.links import html_href
from generator.render.site import Site

TEMPLATE = "compare.md.j2"
METHOD_PAGE = "alignment-method/"


def comparison_files(national_ids: Iterable[str]) -> list[str]:
    """The Markdown files of the comparison pages of these national plans (compare.compared_plan_ids)."""
    return [urls.markdown_file(urls.comparison_path(national_id)) for national_id in national_ids]


def render_comparison_page(corpus: Corpus, env: jinja2.Environment, alignment: Alignment, national_id: str) -> dict[str, str]:
    """{Markdown file: content} of the comparison page of national plan `national_id`."""
    comparison = compare.comparison_of(corpus, alignment, national_id)
    coverage = coverage_svg(
        title=comparison.coverage_title,
        row_labels=comparison.row_labels,
        column_labels=comparison.column_labels,
        cells=comparison.coverage_cells,
        env=env,
    )
    content = env.get_template(TEMPLATE).render(
        comparison=comparison,
        coverage=Markup(coverage.strip()),
        method_href=html_href(comparison.path, METHOD_PAGE),
    )
    return {urls.markdown_file(comparison.path): content}


def render_comparisons_index(site: Site) -> str:
    compared = [
        plan for plan in site.corpus.plans if urls.markdown_file(urls.comparison_path(plan.id)) in site.compare_pages
    ]
    return site.render(
        "index_comparisons.md.j2",
        urls.comparisons_index_path(),
        compared=compared,
        implemented=[plan for plan in site.corpus.plans if plan.id in site.links.implemented_by],
    )
