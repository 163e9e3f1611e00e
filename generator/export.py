"""The open data: every measure, plan, agency and campaign as JSON and CSV.

`build_records` is pure (corpus in, plain records out); `write_open_data`
writes them into a new folder and swaps it in whole, so a failed export
leaves the previous output as it was. The site build calls
`write_open_data`; `python -m generator export --out DIR` calls `export_data`.

In measures.csv the list fields are flattened: `path` joins the labels with
" > ", `agencies` is "id:role;id:role" and `campaigns` is "id;id"; the JSON
keeps them as lists.
"""

from __future__ import annotations

import csv
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from generator import urls
from generator.align import Alignment, alignment_records
from generator.model import Corpus, Node, Plan

MEASURE_FIELDS = (
    "id", "plan_id", "plan_title", "doc_number", "level", "region", "year", "path",
    "label", "ordinal", "heading", "text", "agencies", "campaigns",
)  # fmt: skip
PLAN_FIELDS = (
    "id", "title", "doc_number", "issuers", "level", "region", "year",
    "implements", "forwards", "incomplete", "measure_count",
)  # fmt: skip


def export_data(data_dir: Path, out: Path) -> int:
    """Load and validate `data_dir`, then write its open data into `out`."""
    from generator.align import align_corpus
    from generator.load import load_alignment_overrides, load_corpus

    corpus = load_corpus(Path(data_dir))
    alignment = align_corpus(corpus, load_alignment_overrides(Path(data_dir)))
    records = write_open_data(corpus, Path(out), alignment=alignment)
    print(
        f"wrote {len(records['measures'])} measures, {len(records['plans'])} plans, "
        f"{len(records['agencies'])} agencies, {len(records['campaigns'])} campaigns, "
        f"{len(records['alignments'])} alignments to {Path(out).as_posix()}/"
    )
    return 0


def build_records(
    corpus: Corpus, with_urls: bool, alignment: Alignment | None = None
) -> dict[str, list[dict[str, Any]]]:
    """The records of each open data file, in corpus order; `url` is the page path when asked for.

    With an `alignment` (computed once by the caller, who also renders it) the
    national ↔ local pairings become alignments.json.
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
        record = {
            "id": agency.id,
            "name": agency.name,
            "full_name": agency.full_name,
            "level": agency.level,
            "region": agency.region,
            "aliases": list(agency.aliases),
            "national_counterpart": agency.national_counterpart,
            "successor": agency.successor,
            "collective": agency.collective,
        }
        if with_urls:
            record["url"] = urls.agency_path(agency.id)
        agencies.append(record)
    campaigns = []
    for campaign in corpus.campaigns:
        record = {
            "id": campaign.id,
            "name": campaign.name,
            "kind": campaign.kind,
            "first_year": campaign.first_year,
            "variants": list(campaign.variants),
            "description": campaign.description,
        }
        if with_urls:
            record["url"] = urls.campaign_path(campaign.id)
        campaigns.append(record)
    records = {"measures": measures, "plans": plans, "agencies": agencies, "campaigns": campaigns}
    if alignment is not None:
        records["alignments"] = alignment_records(alignment)
    return records


def _measure_records(plan: Plan):
    def walk(nodes: tuple[Node, ...], labels: tuple[str, ...]):
        for node in nodes:
            path = labels + (node.label,)
            if node.is_measure:
                yield {
                    "id": node.id,
                    "plan_id": plan.id,
                    "plan_title": plan.title,
                    "doc_number": plan.doc_number,
                    "level": plan.level,
                    "region": plan.region,
                    "year": plan.year,
                    "path": list(path),
                    "label": node.label,
                    "ordinal": node.ordinal,
                    "heading": node.heading,
                    "text": node.text,
                    "agencies": [{"id": ref.id, "name": ref.name, "role": ref.role} for ref in node.agencies],
                    "campaigns": [{"id": ref.id, "name": ref.name} for ref in node.campaigns],
                }
            yield from walk(node.children, path)

    yield from walk(plan.nodes, ())


def write_open_data(
    corpus: Corpus, out_dir: Path, with_urls: bool = True, alignment: Alignment | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Write measures.json, plans.json, agencies.json, campaigns.json, measures.csv (and alignments.json) into `out_dir`.

    The files are written into a fresh sibling folder first and swapped in at
    the end: an error on the way leaves `out_dir` as it was.
    """
    out_dir = Path(out_dir)
    records = build_records(corpus, with_urls, alignment)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; the open data is for everyone
    try:
        for name, items in records.items():
            with open(staging / f"{name}.json", "w", encoding="utf-8", newline="\n") as handle:
                json.dump(items, handle, ensure_ascii=False, indent=1)
                handle.write("\n")
        _write_measures_csv(records["measures"], staging / "measures.csv", with_urls)
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return records


def _write_measures_csv(measures: list[dict[str, Any]], path: Path, with_urls: bool) -> None:
    fields = MEASURE_FIELDS + (("url",) if with_urls else ())
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for measure in measures:
            row = dict(measure)
            row["path"] = " > ".join(measure["path"])
            row["agencies"] = ";".join(f"{ref['id']}:{ref['role']}" for ref in measure["agencies"])
            row["campaigns"] = ";".join(ref["id"] for ref in measure["campaigns"])
            writer.writerow(row)


def _swap(staging: Path, out_dir: Path) -> None:
    """Put `staging` where `out_dir` is, keeping the old folder until the new one is in place."""
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    retired.rmdir()
    out_dir.rename(retired)
    try:
        staging.rename(out_dir)
    except BaseException:
        retired.rename(out_dir)
        raise
    shutil.rmtree(retired, ignore_errors=True)
