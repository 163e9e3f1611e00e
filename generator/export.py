"""The open data: every measure, plan, agency and campaign as JSON and CSV.

`build_records` is pure (corpus in, plain records out) and `open_data_files`
serialises them (file name -> bytes). generator.build puts them in every
edition's data/ folder; `python -m generator export --out DIR` writes the
newest edition's through generator.write, so a failed export leaves the
previous output as it was.

In measures.csv the list fields are flattened: `path` joins the labels with
" > ", `agencies` is "id:role;id:role" and `campaigns` is "id;id"; the JSON
keeps them as lists.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from generator import urls
from generator.align import Alignment, alignment_records
from generator.model import Corpus, Plan
from generator.records import agency_record, campaign_record

MEASURE_FIELDS = (
    "id", "plan_id", "plan_title", "doc_number", "level", "region", "year", "path",
    "label", "ordinal", "heading", "text", "agencies", "campaigns",
)  # fmt: skip


def build_records(corpus: Corpus, with_urls: bool, alignment: Alignment) -> dict[str, list[dict[str, Any]]]:
    """The records of each open data file, in corpus order; `url` is the page path when asked for.

    `alignment` is the edition's (computed once by generator.build, which also
    renders it): its national ↔ local pairings become alignments.json.
    """
    measures = []
    plans = []
    for plan in corpus.plans:
        plan_measures = list(_measure_records(plan))
        record = {
            "id": plan.id,
            "title": plan.title,
            "doc_number": plan.doc_number,
            "issuers": list(plan.issuers),
            "level": plan.level,
            "region": plan.region,
            "year": plan.year,
            "implements": plan.implements,
            "forwards": plan.forwards,
            "incomplete": plan.incomplete,
            "measure_count": len(plan_measures),
        }
        if with_urls:
            record["url"] = urls.plan_path(plan.id)
            for measure in plan_measures:
                measure["url"] = urls.measure_path(measure["id"])
        plans.append(record)
        measures.extend(plan_measures)
    agencies = []
    for agency in corpus.agencies:
        record = agency_record(agency)
        if with_urls:
            record["url"] = urls.agency_path(agency.id)
        agencies.append(record)
    campaigns = []
    for campaign in corpus.campaigns:
        record = campaign_record(campaign)
        if with_urls:
            record["url"] = urls.campaign_path(campaign.id)
        campaigns.append(record)
    return {
        "measures": measures,
        "plans": plans,
        "agencies": agencies,
        "campaigns": campaigns,
        "alignments": alignment_records(alignment),
    }


def _measure_records(plan: Plan):
    for locator in plan.locators:
        node = locator.measure
        yield {
            "id": node.id,
            "plan_id": plan.id,
            "plan_title": plan.title,
            "doc_number": plan.doc_number,
            "level": plan.level,
            "region": plan.region,
            "year": plan.year,
            "path": [ancestor.label for ancestor in locator.ancestors] + [node.label],
            "label": node.label,
            "ordinal": node.ordinal,
            "heading": node.heading,
            "text": node.text,
            "agencies": [{"id": ref.id, "name": ref.name, "role": ref.role} for ref in node.agencies],
            "campaigns": [{"id": ref.id, "name": ref.name} for ref in node.campaigns],
        }


def open_data_files(corpus: Corpus, alignment: Alignment, with_urls: bool = True) -> dict[str, bytes]:
    """measures.json, plans.json, agencies.json, campaigns.json, alignments.json and measures.csv, by name."""
    records = build_records(corpus, with_urls, alignment)
    files = {
        f"{name}.json": (json.dumps(items, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
        for name, items in records.items()
    }
    files["measures.csv"] = _measures_csv(records["measures"], with_urls).encode("utf-8")
    return files


def _measures_csv(measures: list[dict[str, Any]], with_urls: bool) -> str:
    fields = MEASURE_FIELDS + (("url",) if with_urls else ())
    handle = io.StringIO(newline="")
    writer = csv.DictWriter(handle, fieldnames=fields)
    writer.writeheader()
    for measure in measures:
        row = dict(measure)
        row["path"] = " > ".join(measure["path"])
        row["agencies"] = ";".join(f"{ref['id']}:{ref['role']}" for ref in measure["agencies"])
        row["campaigns"] = ";".join(ref["id"] for ref in measure["campaigns"])
        writer.writerow(row)
    return handle.getvalue()
