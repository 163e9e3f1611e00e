"""One serialiser per record kind: model object -> the plain mapping data/ stores it as.

The inverse of generator.load's `*_from_dict`: the model is the truth, the
schema (generator/schema/*.json) says the same fields, and
tests/unit/test_records.py holds the three together (a field added to one and
not the others fails it). Keys are in the order of docs/data-format.md; an
optional field that is empty is left out, as ingest writes it. The open data
(generator.export) adds page URLs to these records; ingest and the synthetic
corpus (benchmarks/synth.py) can write plans through `plan_record`.
"""

from __future__ import annotations

from typing import Any

from generator.model import Agency, Campaign, Node, Plan, PrintedDate


def plan_metadata(plan: Plan) -> dict[str, Any]:
    """A plan's metadata as data/ and the open data both write it, every field present (None where empty)."""
    return {
        "id": plan.id,
        "title": plan.title,
        "title_as_printed": plan.title_as_printed,
        "full_title": plan.full_title,
        "doc_number": plan.doc_number,
        "issuers": list(plan.issuers),
        "level": plan.level,
        "region": plan.region,
        "year": plan.year,
        "date_written": _date(plan.date_written),
        "date_published": _date(plan.date_published),
        "date_effective": _date(plan.date_effective),
        "subject": plan.subject,
        "subject_simplified": plan.subject_simplified,
    }


def plan_record(plan: Plan) -> dict[str, Any]:
    """A plan as data/plans/<id>.yaml holds it."""
    record: dict[str, Any] = {
        **plan_metadata(plan),
        "implements": plan.implements,
        "forwards": plan.forwards,
        "incomplete": plan.incomplete or None,
        "incomplete_note": plan.incomplete_note,
        "source": _present({
            "file": plan.source.file,
            "sha256": plan.source.sha256,
            "script": plan.source.script,
            "encoding": plan.source.encoding,
            "lines": list(plan.source.lines) if plan.source.lines else None,
        }),
        "furniture": [{"rule": item.rule, "line": item.line, "text": item.text} for item in plan.furniture],
        "preamble": plan.preamble,
        "closing": plan.closing,
        "preamble_simplified": plan.preamble_simplified,
        "closing_simplified": plan.closing_simplified,
        "cites": list(plan.cites),
        "lead_rule": plan.lead_rule,
        "review_notes": list(plan.review_notes),
        "nodes": [node_record(node) for node in plan.nodes],
    }
    return _present(record, keep=("nodes", "issuers"))


def node_record(node: Node) -> dict[str, Any]:
    """A part, group or measure of a plan's `nodes` tree."""
    record: dict[str, Any] = {
        "kind": node.kind,
        "id": node.id,
        "label": node.label,
        "ordinal": node.ordinal,
        "heading": node.heading,
        "text": node.text,
        "responsibility": node.responsibility,
        "agencies": [
            _present({"id": ref.id, "name": ref.name, "role": ref.role, "printed": ref.printed, "wording": ref.wording})
            for ref in node.agencies
        ],
        "mentions": [_present({"id": ref.id, "name": ref.name, "task": ref.task}) for ref in node.mentions],
        "responsibility_fields": dict(node.responsibility_fields),
        "campaigns": [{"id": ref.id, "name": ref.name} for ref in node.campaigns],
        "heading_simplified": node.heading_simplified,
        "text_simplified": node.text_simplified,
        "lines": list(node.lines) if node.lines else None,
        "children": [node_record(child) for child in node.children],
    }
    return _present(record, keep=("kind", "label", "ordinal"))


def agency_record(agency: Agency) -> dict[str, Any]:
    """An entry of data/agencies.yaml, every field written (the open data shows them all)."""
    return {
        "id": agency.id,
        "name": agency.name,
        "full_name": agency.full_name,
        "level": agency.level,
        "region": agency.region,
        "aliases": list(agency.aliases),
        "national_counterpart": agency.national_counterpart,
        "successor": agency.successor,
        "collective": agency.collective,
        "draft": agency.draft,
    }


def campaign_record(campaign: Campaign) -> dict[str, Any]:
    """An entry of data/campaigns.yaml, every field written."""
    return {
        "id": campaign.id,
        "name": campaign.name,
        "kind": campaign.kind,
        "first_year": campaign.first_year,
        "variants": list(campaign.variants),
        "description": campaign.description,
    }


def _date(value: PrintedDate | None) -> dict[str, str] | None:
    return {"printed": value.printed, "iso": value.iso} if value else None


def _present(record: dict[str, Any], keep: tuple[str, ...] = ()) -> dict[str, Any]:
    # Left out when empty, as ingest writes a plan; `keep` are written even when empty.
    # A Simplified form is kept whenever there is one, even "": it says the
    # original was converted (to nothing), which None would not.
    return {
        key: value
        for key, value in record.items()
        if key in keep or (value is not None if key.endswith("_simplified") else value not in (None, "", [], False))
    }
