"""The open data: every measure, plan, agency and campaign as JSON and CSV.

`build_records` is pure (corpus in, plain records out) and `open_data_files`
serialises them (file name -> bytes). generator.build puts them in every
edition's data/ folder; `python -m generator export --out DIR` writes the
newest edition's through generator.write, so a failed export leaves the
previous output as it was. The open data page (templates/open_data.md.j2)
describes every file and column for readers.

The JSON keeps every value as the data holds it. measures.csv is for
spreadsheet software: UTF-8 with a byte order mark (Excel on Chinese Windows
reads a file without one as GBK), list fields flattened into readable cells
(agencies by name with their role as the document words it,
"质检总局（牵头）、商务部（配合）", their ids in a column of their own), and
every cell that a spreadsheet would read as a formula neutralised.
"""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Any

from generator import urls
from generator.align import Alignment, alignment_records
from generator.model import Plan
from generator.corpus import Corpus
from generator.records import agency_record, campaign_record, plan_metadata

MEASURE_FIELDS = (
    "id", "plan_id", "plan_title", "doc_number", "level", "region", "year", "path",
    "label", "ordinal", "heading", "heading_simplified", "text", "text_simplified",
    "responsibility", "agencies", "agency_ids", "mentions", "mention_ids", "campaigns", "campaign_ids",
)  # fmt: skip
"""The columns of measures.csv, in order (`url` follows when the records carry page paths)."""

PLAN_FIELDS = (
    "id", "title", "title_as_printed", "full_title", "doc_number", "issuers", "level", "region", "year",
    "date_written", "date_published", "date_effective", "subject", "subject_simplified", "script",
    "implements", "forwards", "cites", "lead_rule", "incomplete", "measure_count",
)  # fmt: skip
"""The keys of a plans.json record, in order (`url` follows when asked for)."""

LIST_SEPARATOR = "、"
"""Between the items of a flattened list cell of measures.csv, as Chinese lists are written."""

BOM = "\ufeff"
_FLATTENED = {"path", "agencies", "agency_ids", "mentions", "mention_ids", "campaigns", "campaign_ids"}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection)."""


def build_records(corpus: Corpus, with_urls: bool, alignment: Alignment) -> dict[str, list[dict[str, Any]]]:
    """The records of each open data file, in corpus order; `url` is the page path when asked for.

    `alignment` is the edition's (computed once by generator.build, which also
    renders it): its national ↔ local pairings become alignments.json.
    """
    measures = []
    plans = []
    for plan in corpus.plans:
        plan_measures = list(_measure_records(plan))
        record = _plan_record(plan, len(plan_measures))
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


def _plan_record(plan: Plan, measure_count: int) -> dict[str, Any]:
    return {
        **plan_metadata(plan),
        "script": plan.source.script,
        "implements": plan.implements,
        "forwards": plan.forwards,
        "cites": list(plan.cites),
        "lead_rule": plan.lead_rule,
        "incomplete": plan.incomplete,
        "measure_count": measure_count,
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
            "heading_simplified": node.heading_simplified,
            "text": node.text,
            "text_simplified": node.text_simplified,
            "responsibility": node.responsibility,
            "agencies": [
                {
                    "id": ref.id,
                    "name": ref.name,
                    "printed": ref.printed,
                    "role": ref.role,
                    "wording": ref.wording,
                    "role_label": ref.role_label,
                }
                for ref in node.agencies
            ],
            "mentions": [{"id": ref.id, "name": ref.name, "task": ref.task} for ref in node.mentions],
            "campaigns": [{"id": ref.id, "name": ref.name} for ref in node.campaigns],
        }


OPEN_DATA_NAMES = ("measures.json", "plans.json", "agencies.json", "campaigns.json", "alignments.json", "measures.csv")
"""The files `open_data_files` makes, in its order (the open data page lists them before they are made)."""


def open_data_files(corpus: Corpus, alignment: Alignment, with_urls: bool = True) -> dict[str, bytes]:
    """measures.json, plans.json, agencies.json, campaigns.json, alignments.json and measures.csv, by name."""
    records = build_records(corpus, with_urls, alignment)
    files = {
        f"{name}.json": (indented_json(items) + "\n").encode("utf-8")
        for name, items in records.items()
    }
    files["measures.csv"] = (BOM + _measures_csv(records["measures"], with_urls)).encode("utf-8")
    return files


def indented_json(value: Any) -> str:
    """json.dumps(value, ensure_ascii=False, indent=1), written without the json module's Python encoder.

    With an indent, json.dumps leaves its C encoder for a generator per
    nesting level, which yields every piece up through each of them: most of
    the open data's time at 10,000 measures. This writes the same text (strings
    by json's own C escaper, numbers by their repr as json does); a value it
    does not know goes to json.dumps whole, so the output or the error is
    json's own.
    """
    parts: list[str] = []
    try:
        _write_json(value, "\n", parts)
    except _NotPlain:
        return json.dumps(value, ensure_ascii=False, indent=1)
    return "".join(parts)


class _NotPlain(Exception):
    """A value indented_json leaves to json.dumps (a non-str key, an unknown type)."""


_encode_string = json.encoder.encode_basestring


def _write_json(value: Any, newline: str, parts: list[str]) -> None:
    # The order of the checks is json.encoder's: a bool is an int, True before int.
    if isinstance(value, str):
        parts.append(_encode_string(value))
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif isinstance(value, int):
        parts.append(int.__repr__(value))
    elif isinstance(value, float):
        parts.append(_float_json(value))
    elif isinstance(value, (list, tuple)):
        if not value:
            parts.append("[]")
            return
        inner = newline + " "
        separator = "[" + inner
        for item in value:
            if type(item) is str:  # most items: no call for them
                parts.append(separator + _encode_string(item))
            else:
                parts.append(separator)
                _write_json(item, inner, parts)
            separator = "," + inner
        parts.append(newline + "]")
    elif isinstance(value, dict):
        if not value:
            parts.append("{}")
            return
        inner = newline + " "
        separator = "{" + inner
        for key, item in value.items():
            if type(key) is not str:
                raise _NotPlain
            if type(item) is str:
                parts.append(f"{separator}{_encode_string(key)}: {_encode_string(item)}")
            else:
                parts.append(f"{separator}{_encode_string(key)}: ")
                _write_json(item, inner, parts)
            separator = "," + inner
        parts.append(newline + "}")
    else:
        raise _NotPlain


def _float_json(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (math.inf, -math.inf):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def measure_row(measure: dict[str, Any]) -> dict[str, Any]:
    """A measures.json record as its row of measures.csv: lists flattened, every cell safe from formulas."""
    agencies = measure["agencies"]
    row = {
        **{key: measure[key] for key in MEASURE_FIELDS if key in measure and key not in _FLATTENED},
        "path": " > ".join(measure["path"]),
        "agencies": LIST_SEPARATOR.join(f"{ref['name']}（{ref['role_label']}）" for ref in agencies),
        "agency_ids": ";".join(ref["id"] for ref in agencies),
        "mentions": LIST_SEPARATOR.join(ref["name"] for ref in measure["mentions"]),
        "mention_ids": ";".join(ref["id"] for ref in measure["mentions"]),
        "campaigns": LIST_SEPARATOR.join(ref["name"] for ref in measure["campaigns"]),
        "campaign_ids": ";".join(ref["id"] for ref in measure["campaigns"]),
    }
    if "url" in measure:
        row["url"] = measure["url"]
    return {key: neutralised(value) for key, value in row.items()}


def neutralised(value: Any) -> Any:
    """A cell a spreadsheet shows as text: a leading = + - @ tab or CR gets a single quote before it (OWASP)."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _measures_csv(measures: list[dict[str, Any]], with_urls: bool) -> str:
    fields = MEASURE_FIELDS + (("url",) if with_urls else ())
    handle = io.StringIO(newline="")
    writer = csv.DictWriter(handle, fieldnames=fields)
    writer.writeheader()
    for measure in measures:
        writer.writerow(measure_row(measure))
    return handle.getvalue()
