"""How a region is spelled in the ids ingest makes: drafted local agencies (shanxi-zhijianju)
and plans without a doc number (shanxi-2016-…).

Names that read alike without tones (山西省 and 陕西省) cannot share that prefix, or 陕西's
质监局 would become shanxi-zhijianju-2 beside 山西's, an id that says nothing and depends on
the order of ingest. The rule is the region pages' (slugs.plain_slug_holders): a region
whose ids in the data already carry a spelling keeps it; otherwise a region already in the
data (registry or plans) comes before one new in this run, and among either the one whose
plans came first; the others are spelled with tones (shan3xi1-zhijianju). Each region
spelled with tones in a run is reported for review.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, TypeGuard

from generator.slugs import plain_slug_holders, region_slug

_SPELLED, _IN_DATA, _ARRIVING = 0, 1, 2
"""Who came first: a region whose ids already carry the plain slug, one in the data, one new in this run."""


@dataclass
class RegionPrefixes:
    spelled: dict[str, str] = field(default_factory=dict)
    """Region → the prefix its ids in the data already begin with (shanxi-zhijianju: shanxi)."""
    in_data: dict[str, int | None] = field(default_factory=dict)
    """Regions of the registry or of plans before this run → the year of their first plan there (None: none)."""
    arriving: dict[str, int | None] = field(default_factory=dict)
    """Regions new in this run → the year of their first plan (None: undated), once the run has been read."""
    used: dict[str, str] = field(default_factory=dict)
    """The prefix given to each region during the run."""

    @classmethod
    def from_data(cls, agencies: Iterable[dict], plans: Iterable[dict]) -> RegionPrefixes:
        """From the registry's entries and the plans already in data/plans/."""
        agencies, plans = list(agencies), list(plans)
        in_data = {entry["region"]: None for entry in agencies if _is_region(entry.get("region"))} | first_years(plans)
        spellings = {region: (region_slug(region), region_slug(region, tones=True)) for region in in_data}
        spelled: dict[str, str] = {}
        for owner in agencies + plans:
            region, owned_id = owner.get("region"), owner.get("id")
            if not _is_region(region) or not isinstance(owned_id, str):
                continue
            plain, toned = spellings[region]
            # Tones win: a region may have been spelled plainly before namesakes were told apart (shanxi-zhijianju-2).
            if owned_id.startswith(toned + "-"):
                spelled[region] = toned
            elif owned_id.startswith(plain + "-"):
                spelled.setdefault(region, plain)
        return cls(spelled, in_data)

    def knowing(self, run: dict[str, int | None]) -> RegionPrefixes:
        """The same data, knowing the regions of the whole run (region → year of its first plan in it)."""
        arriving = {region: year for region, year in run.items() if region not in self.in_data}
        return RegionPrefixes(dict(self.spelled), dict(self.in_data), arriving)

    def prefix(self, region: str) -> str:
        """The prefix of the ids made for `region` in this run."""
        if region not in self.used:
            plain, holders = self._holders(region)
            self.used[region] = self.spelled.get(region) or (plain if region in holders else region_slug(region, tones=True))
        return self.used[region]

    def review_lines(self) -> list[str]:
        """What a reviewer should know of the regions spelled with tones in this run."""
        lines = []
        for region, prefix in sorted(self.used.items()):
            plain, holders = self._holders(region)
            if prefix == plain or region in self.spelled:
                continue
            if holders:
                lines.append(f"{region} reads {plain} like {'、'.join(sorted(holders))}, which came first: its new ids begin {prefix}-")
            else:
                others = "、".join(name for name in self._namesakes(region, plain) if name != region)
                lines.append(f"{region} reads {plain} like {others}, and which came first is not known (first plans of the "
                             f"same year, or undated): its new ids begin {prefix}- (rename them if it should keep {plain}-)")
        return lines

    def _holders(self, region: str) -> tuple[str, set[str]]:
        plain = region_slug(region)
        arrivals: dict[str, tuple[int | None, ...]] = {}
        for name in self._namesakes(region, plain):
            if name in self.spelled:
                if self.spelled[name] == plain:
                    arrivals[name] = (_SPELLED,)
            elif name in self.in_data:
                arrivals[name] = (_IN_DATA, self.in_data[name])
            else:
                arrivals[name] = (_ARRIVING, self.arriving.get(name))
        return plain, plain_slug_holders(arrivals)

    def _namesakes(self, region: str, plain: str) -> list[str]:
        names = {region, *self.in_data, *self.arriving}
        return sorted(name for name in names if region_slug(name) == plain)


def first_years(plans: Iterable[dict]) -> dict[str, int | None]:
    """Region → the year of its first dated plan among `plans` (None: all undated)."""
    years: dict[str, int | None] = {}
    for plan in plans:
        region, year = plan.get("region"), plan.get("year")
        if not _is_region(region):
            continue
        known = years.get(region)
        years[region] = year if isinstance(year, int) and (known is None or year < known) else known
    return years


def _is_region(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and bool(value)
