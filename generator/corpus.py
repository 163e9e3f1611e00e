"""The loaded data as a whole: the corpus of plans and registries, and the dataset every command starts from.

Pure data, no I/O, like generator.model (whose records it collects): frozen, with
its id indexes made once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, Mapping

from generator import urls
from generator.model import Agency, Campaign, Plan


@dataclass(frozen=True)
class Corpus:
    """Everything in data/, loaded and validated."""

    plans: tuple[Plan, ...]
    """All plans, ordered by year then id."""
    agencies: tuple[Agency, ...]
    """The agency registry."""
    campaigns: tuple[Campaign, ...]
    """The campaign registry."""
    non_campaigns: tuple[str, ...] = ()
    """Quoted phrases known not to be campaigns (蚂蚁搬家 …)."""

    @cached_property
    def plans_by_id(self) -> Mapping[str, Plan]:
        """Every plan by its id (made once: the corpus is frozen)."""
        return _index(self.plans)

    @cached_property
    def agencies_by_id(self) -> Mapping[str, Agency]:
        """Every registered agency by its id."""
        return _index(self.agencies)

    @cached_property
    def campaigns_by_id(self) -> Mapping[str, Campaign]:
        """Every registered campaign by its id."""
        return _index(self.campaigns)

    @cached_property
    def region_ids(self) -> Mapping[str, str]:
        """Each region with a plan -> its permanent id (urls.region_ids: unique, and the same in every later edition)."""
        first_years: dict[str, int] = {}
        for plan in self.plans:
            if plan.region:
                first_years[plan.region] = min(plan.year, first_years.get(plan.region, plan.year))
        return urls.region_ids(first_years)

    def plan(self, plan_id: str) -> Plan:
        return self.plans_by_id[plan_id]

    def agency(self, agency_id: str) -> Agency:
        return self.agencies_by_id[agency_id]

    def campaign(self, campaign_id: str) -> Campaign:
        return self.campaigns_by_id[campaign_id]

    def up_to(self, year: int) -> "Corpus":
        """The corpus as an edition of `year` sees it: plans published that year or before."""
        return Corpus(
            plans=tuple(plan for plan in self.plans if plan.year <= year),
            agencies=self.agencies,
            campaigns=self.campaigns,
            non_campaigns=self.non_campaigns,
        )

    @property
    def years(self) -> tuple[int, ...]:
        """Every year in which a plan was published, ascending."""
        return tuple(sorted({plan.year for plan in self.plans}))


def _index(items: tuple) -> dict:
    return {item.id: item for item in items}


@dataclass(frozen=True)
class Override:
    """An editor's decision on one national ↔ local pairing, from data/alignments.yaml."""

    local: str
    """The local measure's id."""
    national: str
    """The national measure's id."""
    decision: Literal["pin", "reject"]
    """pin: always pair the two; reject: never pair them."""
    note: str = ""
    """Why, for the editors who read the file later."""


@dataclass(frozen=True)
class Redirect:
    """One declared move, from data/redirects.yaml: a published path and where its content lives now."""

    from_path: str
    """The path as it was published ("plans/guobanfa-2016-18/19/")."""
    to_path: str
    """The path it is now served at, made by generator.urls."""
    reason: str
    """Why it moved, for the editors who read the file later."""


@dataclass(frozen=True)
class Dataset:
    """Everything data/ holds, read and validated once: what every command starts from."""

    corpus: Corpus
    """Plans and registries."""
    data_dir: str
    """The folder it was read from (sources are read from its sources/ when an edition is built)."""
    overrides: tuple[Override, ...] = ()
    """Reviewed pairings of data/alignments.yaml, in file order."""
    redirects: tuple[Redirect, ...] = ()
    """Declared moves of data/redirects.yaml, in file order."""
    url_lock: Mapping[int, frozenset[str]] = field(default_factory=dict)
    """data/urls.lock: edition year -> the page paths it published; empty before the first publish."""
