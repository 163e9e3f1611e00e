"""The national-versus-local comparison pages: what each local plan made of each national measure.

One page per national plan that some plan in the corpus implements, at
urls.comparison_path. `build_comparison` gathers the page's data from the model
and an Alignment (generator.align); it knows no template: generator.render.comparison
renders it with generator/templates/compare.md.j2 and draws the coverage
matrix. The only HTML here is the marked-up measure text of generator.shared_text,
escaped piece by piece before any <mark> or <ins> is put around it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable, Mapping

from markupsafe import Markup

from generator.align import Alignment, Pairing, PlanAlignment
from generator.coverage_svg import CoverageCell
from generator.model import Node, Plan
from generator.corpus import Corpus
from generator.render.escape import escape_markdown
from generator.render.links import checked, html_href
from generator.shared_text import mark_shared
from generator.urls import agency_path, comparison_path, measure_path, plan_path



@dataclass(frozen=True)
class AgencyMention:
    name: str
    href: str | None
    """Relative link to the agency page."""
    added: bool
    """True when the national measure names no agency this one corresponds to."""


@dataclass(frozen=True)
class LocalEntry:
    """A local measure as shown on the comparison page."""

    measure: Node
    href: str
    html: Markup
    """Label, heading and text: shared phrases in <mark>, local specifics in <ins>."""
    agencies: tuple[AgencyMention, ...]
    added_campaigns: tuple[str, ...]
    """Campaigns the national measure does not name, as written."""
    score: float | None = None
    rank: int | None = None
    source: str | None = None
    """computed or reviewed; None for a local addition."""

    @property
    def link_text(self) -> str:
        return self.measure.label or self.measure.id or ""

    @property
    def score_text(self) -> Markup:
        return Markup(f"{self.score:.2f}") if self.score is not None else Markup("")


@dataclass(frozen=True)
class Cell:
    """One implementing plan's counterparts of one national measure."""

    plan: Plan
    anchor: str
    entries: tuple[LocalEntry, ...]
    """Empty when the measure is a gap for this plan."""


@dataclass(frozen=True)
class Row:
    measure: Node
    part: Node | None
    """The part (一、…) the national measure stands in, for section headings."""
    anchor: str
    href: str
    html: Markup
    agencies: tuple[str, ...]
    cells: tuple[Cell, ...]

    @property
    def title(self) -> str:
        """The measure's label and heading, for a Markdown heading (the template escapes it)."""
        return self.measure.label + self.measure.shown_heading.rstrip("。")

    @property
    def short_label(self) -> str:
        return self.measure.label or _short_label(self.measure)

    @property
    def part_title(self) -> str:
        return self.part.label + self.part.shown_heading if self.part else ""


@dataclass(frozen=True)
class Column:
    plan: Plan
    name: str
    """Short column heading: the region (安徽省), or the title for a plan without one."""
    href: str
    alignment: PlanAlignment
    additions: tuple[LocalEntry, ...]
    gap_rows: tuple["Row", ...] = ()
    """Rows of the national measures this plan leaves out."""
    covered_count: int = 0
    """How many national measures this plan carries out."""

    @property
    def measure_count(self) -> int:
        return len(self.plan.measures)

    @property
    def additions_anchor(self) -> Markup:
        return Markup(checked(f"additions--{self.plan.id}"))

    @property
    def title(self) -> str:
        return f"{self.name}：{self.plan.title}"


@dataclass(frozen=True)
class Comparison:
    national: Plan
    path: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    coverage_title: str
    """What the coverage matrix shows (its SVG title)."""
    coverage_cells: tuple[tuple[CoverageCell, ...], ...]
    """The coverage matrix: one row per national measure, one cell per implementing plan."""

    @property
    def national_href(self) -> str:
        return html_href(self.path, plan_path(self.national.id))

    @property
    def row_labels(self) -> list[str]:
        return [_short_label(row.measure) for row in self.rows]

    @property
    def column_labels(self) -> list[str]:
        return [column.name for column in self.columns]


def comparisons(corpus: Corpus, alignment: Alignment) -> list[Comparison]:
    """One Comparison per national plan that a plan of `corpus` implements, in alignment order."""
    return [comparison_of(corpus, alignment, national_id) for national_id in compared_plan_ids(corpus, alignment)]


def compared_plan_ids(corpus: Corpus, alignment: Alignment) -> list[str]:
    """The national plans that have a comparison page: each that a plan of `corpus` implements, in alignment order."""
    plans = corpus.plans_by_id
    national_ids: dict[str, None] = {}
    for plan_alignment in alignment.plans:
        if plan_alignment.national_plan_id in plans:
            national_ids.setdefault(plan_alignment.national_plan_id)
    return list(national_ids)


def comparison_of(corpus: Corpus, alignment: Alignment, national_id: str) -> Comparison:
    """The comparison of national plan `national_id` with the plans of `corpus` implementing it."""
    return build_comparison(corpus, corpus.plans_by_id[national_id], alignment.implementing(national_id))


def build_comparison(corpus: Corpus, national: Plan, plan_alignments: Iterable[PlanAlignment]) -> Comparison:
    path = comparison_path(national.id)
    agencies = corpus.agencies_by_id
    plans = corpus.plans_by_id
    # Columns in the order the local plans were issued (安徽 in May, 重庆 in June 2016).
    plan_alignments = sorted(
        (pa for pa in plan_alignments if pa.local_plan_id in plans),
        key=lambda pa: _issued(plans[pa.local_plan_id]),
    )

    local_plans = [plans[pa.local_plan_id] for pa in plan_alignments]
    names = _column_names(local_plans)
    columns = []
    measures_of: list[dict[str, Node]] = []
    pairings_of: list[dict[str, list[Pairing]]] = []
    for pa, local, name in zip(plan_alignments, local_plans, names):
        measures = {measure.key: measure for measure in local.measures}
        by_national: dict[str, list[Pairing]] = {}
        for pairing in pa.pairings:
            if pairing.local_measure_id in measures:
                by_national.setdefault(pairing.national_measure_id, []).append(pairing)
        measures_of.append(measures)
        pairings_of.append(by_national)
        additions = tuple(
            _entry(measures[measure_id], None, None, local, path, agencies) for measure_id in pa.additions
        )
        columns.append(
            Column(
                plan=local,
                name=name,
                href=html_href(path, plan_path(local.id)),
                alignment=pa,
                additions=additions,
            )
        )

    rows = []
    for part, measure in _measures_with_part(national):
        cells = []
        for column, measures, by_national in zip(columns, measures_of, pairings_of):
            pairings = sorted(by_national.get(measure.key, ()), key=lambda p: (p.rank, -p.score, p.local_measure_id))
            entries = tuple(
                _entry(measures[p.local_measure_id], measure, p, column.plan, path, agencies) for p in pairings
            )
            cells.append(Cell(plan=column.plan, anchor=pairing_anchor(measure.key, column.plan.id), entries=entries))
        rows.append(
            Row(
                measure=measure,
                part=part,
                anchor=measure_anchor(measure.key),
                href=html_href(path, measure_path(measure.key)),
                html=escape_markdown(_display_text(measure)),
                agencies=tuple(ref.name for ref in measure.agencies),
                cells=tuple(cells),
            )
        )
    coverage_cells = tuple(
        tuple(_coverage_cell(row, cell, column) for cell, column in zip(row.cells, columns)) for row in rows
    )
    columns = [
        replace(
            column,
            gap_rows=tuple(row for row in rows if not row.cells[index].entries),
            covered_count=sum(1 for row in rows if row.cells[index].entries),
        )
        for index, column in enumerate(columns)
    ]
    return Comparison(
        national=national,
        path=path,
        columns=tuple(columns),
        rows=tuple(rows),
        coverage_title=f"{national.title}：地方落实情况",
        coverage_cells=coverage_cells,
    )


def _column_names(local_plans: list[Plan]) -> list[str]:
    """The region of each plan (安徽省); where two plans share one, its doc number or year too."""
    regions = [plan.region or plan.title for plan in local_plans]
    names = [
        f"{region}（{plan.doc_number or plan.year}）" if regions.count(region) > 1 else region
        for region, plan in zip(regions, local_plans)
    ]
    if len(set(names)) < len(names):
        names = [f"{name}（{plan.id}）" if names.count(name) > 1 else name for name, plan in zip(names, local_plans)]
    return names


def _issued(plan: Plan) -> tuple:
    date = plan.date_written or plan.date_published
    return (plan.year, date.iso if date else "9999", plan.id)


def measure_anchor(measure_id: str) -> Markup:
    """The id of a national measure's row on its comparison page."""
    return Markup(checked(_anchor(measure_id)))


def pairing_anchor(national_measure_id: str, local_plan_id: str) -> Markup:
    """The id of the cell holding `local_plan_id`'s counterparts of a national measure."""
    return Markup(checked(f"{_anchor(national_measure_id)}--{local_plan_id}"))


def _anchor(measure_id: str) -> str:
    return "m-" + measure_id.replace("/", "-")


def _entry(
    measure: Node,
    national: Node | None,
    pairing: Pairing | None,
    plan: Plan,
    page_path: str,
    agencies: Mapping,
) -> LocalEntry:
    national_text = _body_text(national) if national is not None else ""
    national_counterparts = {ref.id for ref in national.agencies} if national is not None else set()
    national_campaigns = {ref.id for ref in national.campaigns} if national is not None else set()
    mentions = []
    for ref in measure.agencies:
        agency = agencies.get(ref.id)
        counterpart = agency.national_counterpart if agency is not None else None
        mentions.append(
            AgencyMention(
                name=ref.name,
                href=html_href(page_path, agency_path(ref.id)) if agency is not None else None,
                added=national is not None and counterpart not in national_counterparts,
            )
        )
    return LocalEntry(
        measure=measure,
        href=html_href(page_path, measure_path(measure.key)),
        # The label stays outside the marking: its number is not something the local plan adds.
        html=escape_markdown(measure.label) + mark_shared(_body_text(measure), national_text, plan.region),
        agencies=tuple(mentions),
        added_campaigns=tuple(ref.name for ref in measure.campaigns if ref.id not in national_campaigns)
        if national is not None
        else tuple(ref.name for ref in measure.campaigns),
        score=pairing.score if pairing else None,
        rank=pairing.rank if pairing else None,
        source=pairing.source if pairing else None,
    )


def _body_text(measure: Node) -> str:
    """Heading and text as shown (Simplified), without the label."""
    return measure.shown_heading + measure.shown_text


def _display_text(measure: Node) -> str:
    return measure.label + _body_text(measure)


def _measures_with_part(plan: Plan) -> Iterable[tuple[Node | None, Node]]:
    for locator in plan.locators:
        parts = [node for node in locator.ancestors if node.kind == "part"]
        yield (parts[-1] if parts else None), locator.measure


def _short_label(measure: Node) -> str:
    heading = measure.shown_heading.rstrip("。.；;")
    if len(heading) > 14:
        heading = heading[:13] + "…"
    return measure.label + heading


def _coverage_cell(row: Row, cell: Cell, column: Column) -> CoverageCell:
    best = max((entry.score for entry in cell.entries if entry.score is not None), default=None)
    reviewed = any(entry.source == "reviewed" for entry in cell.entries)
    label = _short_label(row.measure)
    if not cell.entries:
        description = f"{label}｜{column.name}：未落实（缺口）"
    else:
        count = len(cell.entries)
        description = f"{label}｜{column.name}：{count} 条对应，最高得分 {best:.2f}"
        if reviewed:
            description += "（含人工审定）"
    return CoverageCell(strength=best if cell.entries else None, href=Markup("#") + cell.anchor, description=description)
