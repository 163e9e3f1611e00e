"""Resolve agency names as written to entries of data/agencies.yaml.

A national agency's name and aliases are valid everywhere. A local alias
(省质监局, 市质监局) is valid only inside a plan of the agency's region, so
省质监局 in the Anhui plan is 安徽省质监局 and never a Guangdong body. A name
the registry does not know gets a drafted entry (id from pypinyin, region
from the plan) that ingest appends to the registry for an editor to review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from generator.ingest.regions import RegionPrefixes
from generator.slugs import slug_joined

_LOCAL_PREFIX = re.compile(r"^(省|市|区|县)")
_BODY_KIND = re.compile(r"(?:委员会|办公室|局|厅|委|办)$")
"""What a local body's name ends in, cut to find its field (市场监管局 → 市场监管)."""
_SHORT_FORMS = (
    ("质量技术监督", "质监"), ("工商行政管理", "工商"), ("食品药品监督管理", "食品药品监管"), ("国有资产监督管理", "国资"),
    ("监督管理", "监管"), ("发展和改革", "发展改革"), ("人力资源和社会保障", "人力资源社会保障"),
    ("住房和城乡建设", "住房城乡建设"), ("卫生和计划生育", "卫生计生"), ("科学技术", "科技"), ("广播电视", "广电"),
    ("金融工作", "金融"), ("人民政府", "政府"), ("委员会", "委"), ("办公室", "办"),
)
"""A body's name written out → as it is usually shortened (市场监督管理局 → 市场监管局): two spellings of one body."""
_NATIONAL_PREFIX = re.compile(r"^(?:中华人民共和国|国务院|国家)(?=.{2,})")


@lru_cache(maxsize=4096)
def _shortened(name: str) -> str:
    for long, short in _SHORT_FORMS:
        name = name.replace(long, short)
    # 国家邮政局 / 邮政局, 国务院扶贫办 / 扶贫办: a national body is named with and without its prefix.
    return _NATIONAL_PREFIX.sub("", name)


_TASKED = re.compile(r"(?:要|应当|应|负责|牵头|会同|组织|统筹)")
"""Words right after a name that give the body a task ("省质监局要会同…")."""
_COLLECTIVE = re.compile(r"(成员单位|有关部门|有关单位|各部门|有关部门和单位|^各.*(人民政府|县级市)|(城市|地方)政府)$")


@dataclass
class AgencyRegistry:
    entries: list[dict]
    prefixes: RegionPrefixes
    """How each region is spelled in ids: drafted agencies here, plans without a doc number in plan.make_plan_id."""
    drafted: list[dict] = field(default_factory=list)
    """Entries made during this run for names the registry did not know."""
    written_out: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Draft id → (id, name) of the body it may be, named otherwise (广东省市场监督管理局 / 广东省市场监管局, 国家邮政局 / 邮政局)."""

    def __post_init__(self) -> None:
        self._names: dict[str, str] = {}
        self._aliases: dict[tuple[str | None, str], str] = {}
        self._ids: set[str] = set()
        for entry in self.entries:
            self._index(entry)

    def _index(self, entry: dict) -> None:
        self._ids.add(entry["id"])
        self._names.setdefault(entry["name"], entry["id"])
        for alias in entry.get("aliases") or ():
            self._aliases.setdefault((entry.get("region"), alias), entry["id"])

    def find_mentions(self, text: str, region: str | None, printed: set[str]) -> list[dict]:
        """Reviewed bodies that running text names ("省质监局要会同…", "市场监管总局"), once each,
        apart from `printed` (the ids its agency parentheses already give). Drafts and
        collectives are left out: a name only a draft knows is not yet a body of the registry.
        """
        forms = self._mention_forms(region)
        if not forms:
            return []
        found: dict[str, dict] = {}
        for match in forms[1].finditer(text):
            agency_id = forms[0][match[0]]
            if agency_id not in printed and agency_id not in found:
                found[agency_id] = {"id": agency_id, "name": match[0]}
            if agency_id in found and _TASKED.match(text, match.end()):
                found[agency_id]["task"] = True
        return list(found.values())

    def _mention_forms(self, region: str | None):
        cache = self.__dict__.setdefault("_mention_cache", {})
        if region not in cache:
            names: dict[str, str] = {}
            for entry in self.entries:
                if entry.get("draft") or entry.get("collective"):
                    continue
                own_region = entry.get("region")
                for form in [entry["name"], *(entry.get("aliases") or ())]:
                    local_alias = own_region and form != entry["name"] and _LOCAL_PREFIX.match(form)
                    if len(form) >= 3 and (not local_alias or own_region == region):
                        names.setdefault(form, entry["id"])
            # Longest first, so 国家发展改革委 wins over 发展改革委 inside it.
            pattern = re.compile("|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))) if names else None
            cache[region] = (names, pattern) if pattern else None
        return cache[region]

    def resolve(self, name: str, region: str | None, level: str) -> str:
        """The id of the agency `name` means in a plan of `region`; drafts an entry if unknown."""
        for key in ((region, name), (None, name)):
            if key in self._aliases:
                return self._aliases[key]
        if name in self._names:
            return self._names[name]
        if region and _LOCAL_PREFIX.match(name):
            full = region + name[1:]
            if full in self._names:
                return self._names[full]
        return self._draft(name, region, level)

    def _draft(self, name: str, region: str | None, level: str) -> str:
        # 各地级以上市人民政府 in a plan of 广东省 are Guangdong's cities: the region's own collective, like 省有关单位.
        each = name.startswith("各")
        local = bool(region and (_LOCAL_PREFIX.match(name) or region[:2] in name or each))
        if region and local:
            bare = _LOCAL_PREFIX.sub("", name, count=1).replace(region, "").replace(region[:2], "")
            if _LOCAL_PREFIX.match(name):
                canonical = region + _LOCAL_PREFIX.sub("", name, count=1)
            else:
                canonical = region + name if each and region[:2] not in name else name
            agency_id = f"{self.prefixes.prefix(region)}-{slug_joined(bare)}"
        else:
            canonical, agency_id = name, slug_joined(name)
        base, suffix = agency_id, 2
        while agency_id in self._ids:
            agency_id, suffix = f"{base}-{suffix}", suffix + 1
        entry = {
            "id": agency_id,
            "name": canonical,
            "full_name": canonical,
            "level": level if local else "national",
            "region": region if local else None,
            "aliases": [name] if canonical != name else [],
            "national_counterpart": None,
            "successor": None,
            "collective": bool(_COLLECTIVE.search(name)),
            "draft": True,
        }
        if local and not entry["collective"]:
            entry["national_counterpart"] = self._counterpart(bare)
        same = self._same_body(canonical, region if local else None)
        if same:
            self.written_out[agency_id] = same
        self.entries.append(entry)
        self.drafted.append(entry)
        self._index(entry)
        return agency_id

    def _same_body(self, canonical: str, region: str | None) -> tuple[str, str] | None:
        """(id, name) of the one body of `region` (reviewed, or drafted earlier) whose name or an alias shortens to what `canonical` does."""
        short = _shortened(canonical)
        found = {
            (entry["id"], entry["name"]) for entry in self.entries
            if entry.get("region") == region
            and any(_shortened(form) == short for form in [entry["name"], entry.get("full_name") or "", *(entry.get("aliases") or ())])
        }
        return found.pop() if len(found) == 1 else None

    def _counterpart(self, bare: str) -> str | None:
        """The one reviewed national body whose name holds this local body's field (市场监管 of 省市场监管局 → 市场监管总局).

        A suggestion in a draft, which `check` holds back until an editor has reviewed it; None unless exactly one matches.
        """
        field_name = _BODY_KIND.sub("", _shortened(bare))
        if len(field_name) < 2:
            return None
        found = {
            entry["id"] for entry in self.entries
            if entry.get("level") == "national" and not entry.get("draft") and not entry.get("collective") and not entry.get("successor")
            and any(field_name in _shortened(form) for form in [entry["name"], *(entry.get("aliases") or ())])
        }
        return found.pop() if len(found) == 1 else None
