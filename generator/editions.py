"""Which yearly editions exist, what each holds, and what each adds.

An edition is a year: edition Y shows every plan published in Y or before
(Corpus.up_to), and there is one for every year in which a plan was published.
The newest one is also served as `latest`. Pure functions over the model; the
"what is new" page is rendered from them by generator.render.whats_new.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import Agency, Campaign, MeasureLocator, Plan
from generator.corpus import Corpus

LATEST = "latest"
"""The alias under which the newest edition is also served."""


def edition_years(corpus: Corpus) -> tuple[int, ...]:
    """Every edition, oldest first."""
    return corpus.years


def newest_edition(corpus: Corpus) -> int | None:
    return corpus.years[-1] if corpus.years else None


def previous_edition(corpus: Corpus, edition: int) -> int | None:
    """The edition before `edition`, None for the first one."""
    earlier = [year for year in corpus.years if year < edition]
    return earlier[-1] if earlier else None


@dataclass(frozen=True)
class EditionChanges:
    """What an edition holds that the one before it did not."""

    edition: int
    previous: int | None
    """The previous edition, None when this is the first."""
    plans: tuple[Plan, ...]
    """Plans new in this edition, in corpus order."""
    measures: tuple[MeasureLocator, ...]
    """Measures new in this edition, in document order."""
    agencies: tuple[Agency, ...]
    """Agencies first named as responsible by a measure of this edition, by id (pinyin)."""
    campaigns: tuple[Campaign, ...]
    """Campaigns first mentioned by a measure of this edition, by id (pinyin)."""


def edition_changes(corpus: Corpus, edition: int) -> EditionChanges:
    """Compare edition `edition` with the one before it (or with nothing)."""
    previous = previous_edition(corpus, edition)
    now = corpus.up_to(edition)
    before = corpus.up_to(previous) if previous is not None else Corpus(plans=(), agencies=(), campaigns=())
    known_plans = {plan.id for plan in before.plans}
    known_measures = {measure.id for plan in before.plans for measure in plan.measures}
    known_agencies = _named_agencies(before)
    known_campaigns = _mentioned_campaigns(before)
    agencies_by_id = corpus.agencies_by_id
    campaigns_by_id = corpus.campaigns_by_id
    return EditionChanges(
        edition=edition,
        previous=previous,
        plans=tuple(plan for plan in now.plans if plan.id not in known_plans),
        measures=tuple(
            locator
            for plan in now.plans
            for locator in plan.locators
            if locator.measure.id not in known_measures
        ),
        # A reference to an unregistered id is check's finding, not this page's: skip it.
        agencies=tuple(
            agencies_by_id[agency_id]
            for agency_id in sorted(_named_agencies(now) - known_agencies)
            if agency_id in agencies_by_id
        ),
        campaigns=tuple(
            campaigns_by_id[campaign_id]
            for campaign_id in sorted(_mentioned_campaigns(now) - known_campaigns)
            if campaign_id in campaigns_by_id
        ),
    )


def _named_agencies(corpus: Corpus) -> set[str]:
    return {ref.id for plan in corpus.plans for measure in plan.measures for ref in measure.agencies}


def _mentioned_campaigns(corpus: Corpus) -> set[str]:
    return {ref.id for plan in corpus.plans for measure in plan.measures for ref in measure.campaigns}
