"""Named campaigns: mentions of registered ones, and candidates for review.

A campaign is named in Chinese quotation marks: "质检利剑"行动, 进口食品
"清源"行动, "2016红盾网剑专项行动". A mention is a quoted phrase equal to a
registered name or variant. A candidate is a quoted phrase that looks like
a campaign (followed by 行动 / 专项行动, or itself ending in 行动) but is
neither registered nor listed in data/non_campaigns.yaml; `check` reports
candidates so that an editor registers them or lists them as non-campaigns.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from generator.ingest.script import simplified_characters

# Bounded repetition and no nested quantifiers: linear in the input.
_QUOTED = re.compile(r"[“\"]([^“”\"\n]{1,40})[”\"]")
_FOLLOWED_BY_CAMPAIGN = re.compile(r"^(专项行动|专项整治行动|行动|專項行動|行動)(?!计划|計劃)")
_ENDS_AS_CAMPAIGN = re.compile(r"(行动|行動)$")


def _field(item: Any, name: str, default=None):
    return item.get(name, default) if isinstance(item, dict) else getattr(item, name, default)


def variant_index(registry: Iterable[Any]) -> dict[str, str]:
    """Every registered form (name and variants) → campaign id.

    A Traditional variant (品質月) is also found in the reading view of a Traditional source, where it reads 品质月.
    """
    index: dict[str, str] = {}
    for campaign in registry:
        campaign_id = _field(campaign, "id")
        for form in (_field(campaign, "name"), *(_field(campaign, "variants") or ())):
            if form:
                index.setdefault(form, campaign_id)
                index.setdefault(simplified_characters(form), campaign_id)
    return index


def quoted_phrases(text: str) -> list[tuple[str, str]]:
    """[(phrase inside the quotes, the text right after the closing quote)]."""
    return [(match[1], text[match.end() : match.end() + 8]) for match in _QUOTED.finditer(text)]


def find_mentions(text: str, index: dict[str, str]) -> list[dict]:
    """[{id, name as written}] for each quoted registered campaign, in printed order."""
    mentions: list[dict] = []
    for phrase, _after in quoted_phrases(text):
        campaign_id = index.get(phrase)
        if campaign_id:
            mentions.append({"id": campaign_id, "name": phrase})
    return mentions


def find_candidates(text: str, registry: Iterable[Any], non_campaigns: Iterable[str]) -> list[str]:
    """Quoted phrases that look like campaigns but are neither registered nor known non-campaigns.

    `registry` holds Campaign objects or dicts with name and variants;
    `non_campaigns` is the list of data/non_campaigns.yaml. Each phrase is
    listed once, in order of first appearance.
    """
    known = set(variant_index(registry)) | set(non_campaigns)
    candidates: list[str] = []
    for phrase, after in quoted_phrases(text):
        looks_like = _FOLLOWED_BY_CAMPAIGN.match(after) or _ENDS_AS_CAMPAIGN.search(phrase)
        if looks_like and phrase not in known and phrase not in candidates:
            candidates.append(phrase)
    return candidates
