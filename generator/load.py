"""Read data/ into the domain model.

This is the only module that turns YAML into model objects. `load_corpus`
validates first (schema and cross references) and raises InvalidData listing
every problem, so nothing downstream ever sees an inconsistent corpus.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from generator.model import (
    Agency,
    AgencyRef,
    Campaign,
    CampaignRef,
    Corpus,
    Node,
    Plan,
    PrintedDate,
    Source,
    SourceLocation,
)


def load_corpus(data_dir: Path) -> Corpus:
    data_dir = Path(data_dir)
    plans = [
        plan_from_dict(_read(path), str(path))
        for path in sorted((data_dir / "plans").glob("*.yaml"))
    ]
    plans.sort(key=lambda plan: (plan.year, plan.id))
    agencies = tuple(agency_from_dict(item) for item in _read(data_dir / "agencies.yaml") or [])
    campaigns = tuple(campaign_from_dict(item) for item in _read(data_dir / "campaigns.yaml") or [])
    non_campaigns_file = data_dir / "non_campaigns.yaml"
    non_campaigns = tuple(_read(non_campaigns_file) or []) if non_campaigns_file.exists() else ()
    return Corpus(plans=tuple(plans), agencies=agencies, campaigns=campaigns, non_campaigns=non_campaigns)


def _read(path: Path) -> Any:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _date(value: dict | None) -> PrintedDate | None:
    return PrintedDate(printed=str(value["printed"]), iso=str(value["iso"])) if value else None


def _lines(value: list | None) -> tuple[int, int] | None:
    return (int(value[0]), int(value[1])) if value else None


def node_from_dict(data: dict) -> Node:
    return Node(
        kind=data["kind"],
        label=data.get("label") or "",
        ordinal=int(data["ordinal"]),
        heading=data.get("heading") or "",
        text=data.get("text") or "",
        id=data.get("id"),
        responsibility=data.get("responsibility") or "",
        agencies=tuple(AgencyRef(**ref) for ref in data.get("agencies") or ()),
        campaigns=tuple(CampaignRef(**ref) for ref in data.get("campaigns") or ()),
        heading_simplified=data.get("heading_simplified"),
        text_simplified=data.get("text_simplified"),
        lines=_lines(data.get("lines")),
        children=tuple(node_from_dict(child) for child in data.get("children") or ()),
    )


def plan_from_dict(data: dict, file: str = "") -> Plan:
    source = data["source"]
    return Plan(
        id=data["id"],
        title=data["title"],
        doc_number=data.get("doc_number"),
        issuers=tuple(data.get("issuers") or ()),
        level=data["level"],
        region=data.get("region"),
        year=int(data["year"]),
        source=Source(
            file=source["file"],
            sha256=source["sha256"],
            script=source.get("script", "simplified"),
            encoding=source.get("encoding", "utf-8"),
            lines=_lines(source.get("lines")),
        ),
        nodes=tuple(node_from_dict(node) for node in data.get("nodes") or ()),
        title_as_printed=data.get("title_as_printed"),
        full_title=data.get("full_title"),
        date_written=_date(data.get("date_written")),
        date_published=_date(data.get("date_published")),
        date_effective=_date(data.get("date_effective")),
        subject=data.get("subject"),
        implements=data.get("implements"),
        forwards=data.get("forwards"),
        incomplete=bool(data.get("incomplete", False)),
        incomplete_note=data.get("incomplete_note"),
        preamble=data.get("preamble") or "",
        closing=data.get("closing") or "",
        location=SourceLocation(file=file, line=1) if file else None,
    )


def agency_from_dict(data: dict) -> Agency:
    return Agency(
        id=data["id"],
        name=data["name"],
        full_name=data.get("full_name") or data["name"],
        level=data["level"],
        region=data.get("region"),
        aliases=tuple(data.get("aliases") or ()),
        national_counterpart=data.get("national_counterpart"),
        successor=data.get("successor"),
        collective=bool(data.get("collective", False)),
    )


def campaign_from_dict(data: dict) -> Campaign:
    return Campaign(
        id=data["id"],
        name=data["name"],
        kind=data.get("kind", ""),
        first_year=int(data["first_year"]),
        variants=tuple(data.get("variants") or ()),
        description=data.get("description") or "",
    )
