"""Cross references of a corpus, computed once before any page is rendered.

Agencies, campaigns and plan lineage form a graph over the plans, not a tree:
one measure names several agencies and campaigns, a plan is implemented by
several local plans. Everything is collected here first, so that each page
template only looks things up (pure, no I/O).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.model import ROLE_LABELS, AgencyRef, MeasureLocator, Node, Plan
from generator.corpus import Corpus


@dataclass(frozen=True)
class AgencyPlanMeasures:
    """The measures one agency is responsible for inside one plan."""

    plan: Plan
    lead: tuple[MeasureLocator, ...]
    """Measures where the agency leads (负责 / 牵头), in document order."""
    assisting: tuple[MeasureLocator, ...]
    """Measures where it assists (协助 / 配合), in document order."""
    responsible: tuple[MeasureLocator, ...] = ()
    """Measures it is responsible for without a lead being named (负责 / 按职责分工负责)."""
    guiding: tuple[MeasureLocator, ...] = ()
    """Measures it guides (指导)."""


@dataclass(frozen=True)
class Mention:
    """One place a campaign is named."""

    locator: MeasureLocator
    written: str
    """The campaign's name as this measure writes it."""
    sentence: str
    """The sentence of the measure the mention stands in (original script)."""
    agencies: tuple[AgencyRef, ...]
    """The agencies responsible for that measure."""


@dataclass(frozen=True)
class Links:
    """Every cross reference the pages show."""

    measures: dict[str, MeasureLocator]
    """Measure id → the measure, its plan and its ancestors (breadcrumb)."""
    previous: dict[str, str | None]
    """Measure id → id of the measure before it in its plan."""
    next: dict[str, str | None]
    """Measure id → id of the measure after it in its plan."""
    agency_measures: dict[str, tuple[AgencyPlanMeasures, ...]]
    """Agency id → its measures grouped by plan (plans in corpus order)."""
    campaign_mentions: dict[str, tuple[Mention, ...]]
    """Campaign id → every mention, in corpus then document order."""
    implemented_by: dict[str, tuple[Plan, ...]]
    """Plan id → plans that implement it."""
    forwarded_by: dict[str, tuple[Plan, ...]]
    """Plan id → notices that forward it."""
    local_counterparts: dict[str, tuple[str, ...]]
    """National agency id → ids of the local agencies corresponding to it."""
    predecessors: dict[str, tuple[str, ...]]
    """Agency id → ids of the agencies whose duties it took over."""
    agency_mentions: dict[str, tuple[MeasureLocator, ...]] = field(default_factory=dict)
    """Agency id → measures whose running text names it (not its printed responsibility), in corpus order."""

    def agency_counts(self, agency_id: str) -> tuple[int, int]:
        """(lead, assisting) measure counts of an agency over the whole corpus."""
        groups = self.agency_measures.get(agency_id, ())
        return sum(len(g.lead) for g in groups), sum(len(g.assisting) for g in groups)

    def role_counts(self, agency_id: str) -> dict[str, int]:
        """Role → measure count of an agency over the whole corpus, every role present."""
        groups = self.agency_measures.get(agency_id, ())
        return {role: sum(len(getattr(g, role)) for g in groups) for role in ROLE_LABELS}

    def other_role_counts(self, agency_id: str) -> tuple[tuple[str, int], ...]:
        """(Chinese role, count) for the roles besides lead and assisting that the agency has."""
        groups = self.agency_measures.get(agency_id, ())
        counts = ((ROLE_LABELS[role], sum(len(getattr(g, role)) for g in groups)) for role in ("responsible", "guiding"))
        return tuple((label, count) for label, count in counts if count)


# Sentence ends of Chinese prose; a mention's sentence is cut at these.
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|\n")


def link_corpus(corpus: Corpus) -> Links:
    measures: dict[str, MeasureLocator] = {}
    previous: dict[str, str | None] = {}
    following: dict[str, str | None] = {}
    by_agency: dict[str, dict[str, dict[str, list[MeasureLocator]]]] = {}
    mentions: dict[str, list[Mention]] = {}
    named: dict[str, list[MeasureLocator]] = {}

    for plan in corpus.plans:
        locators = plan.locators
        for index, locator in enumerate(locators):
            measure_id = locator.measure.key
            measures[measure_id] = locator
            previous[measure_id] = locators[index - 1].measure.id if index else None
            following[measure_id] = locators[index + 1].measure.id if index + 1 < len(locators) else None
            for ref in _unique_roles(locator.measure.agencies):
                roles = by_agency.setdefault(ref.id, {}).setdefault(plan.id, {role: [] for role in ROLE_LABELS})
                roles[ref.role].append(locator)
            for mention in locator.measure.mentions:
                named.setdefault(mention.id, []).append(locator)
            for campaign in locator.measure.campaigns:
                mentions.setdefault(campaign.id, []).append(
                    Mention(
                        locator=locator,
                        written=campaign.name,
                        sentence=mention_sentence(locator.measure, campaign.name),
                        agencies=locator.measure.agencies,
                    )
                )

    plans_by_id = corpus.plans_by_id
    agency_measures = {
        agency_id: tuple(
            AgencyPlanMeasures(
                plans_by_id[plan_id], tuple(roles["lead"]), tuple(roles["assisting"]),
                responsible=tuple(roles["responsible"]), guiding=tuple(roles["guiding"]),
            )
            for plan_id, roles in groups.items()
        )
        for agency_id, groups in by_agency.items()
    }
    return Links(
        measures=measures,
        previous=previous,
        next=following,
        agency_measures=agency_measures,
        campaign_mentions={key: tuple(value) for key, value in mentions.items()},
        implemented_by=_group(corpus.plans, lambda plan: plan.implements),
        forwarded_by=_group(corpus.plans, lambda plan: plan.forwards),
        local_counterparts=_group_ids(corpus.agencies, lambda agency: agency.national_counterpart),
        predecessors=_group_ids(corpus.agencies, lambda agency: agency.successor),
        agency_mentions={key: tuple(value) for key, value in named.items()},
    )


def mention_sentence(measure: Node, written: str) -> str:
    """The sentence of heading + text in which `written` stands; the whole text if none."""
    whole = measure.heading + measure.text
    for sentence in _SENTENCE_END.split(whole):
        if written in sentence:
            return sentence.strip()
    return whole


_STRENGTH = {"lead": 0, "responsible": 1, "guiding": 2, "assisting": 3}


def _unique_roles(refs: tuple[AgencyRef, ...]):
    # An agency written twice in one parenthesis (under two names) is one
    # responsibility; the stronger role wins (lead over responsible over guiding over assisting).
    seen: dict[str, AgencyRef] = {}
    for ref in refs:
        if ref.id not in seen or _STRENGTH[ref.role] < _STRENGTH[seen[ref.id].role]:
            seen[ref.id] = ref
    return seen.values()


def _group(plans: tuple[Plan, ...], key) -> dict[str, tuple[Plan, ...]]:
    groups: dict[str, list[Plan]] = {}
    for plan in plans:
        target = key(plan)
        if target:
            groups.setdefault(target, []).append(plan)
    return {target: tuple(items) for target, items in groups.items()}


def _group_ids(items, key) -> dict[str, tuple[str, ...]]:
    groups: dict[str, list[str]] = {}
    for item in items:
        target = key(item)
        if target:
            groups.setdefault(target, []).append(item.id)
    return {target: tuple(ids) for target, ids in groups.items()}
