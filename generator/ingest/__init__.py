"""Ingest: raw source text → structured plan YAML in data/plans/.

`ingest_files` reads every source first and writes only when all of them
parsed and none would overwrite reviewed YAML unasked, so a failed run
leaves data/ as it was; every file is written aside and renamed into place.
Steps, one module each: decode (bytes → text), furniture (page furniture by
named rules), segments (documents in a file), paragraphs, structure
(hierarchy), responsibility (agency parentheses), metadata, agencies and
campaigns (registries), slugs (ids), regions (a region's spelling in ids,
apart from its namesakes), script (Traditional → Simplified),
plan (assembly), reingest (kept ids and reviewed edits), report (the
review table), write (YAML).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from generator.errors import GeneratorError
from generator.ingest.agencies import AgencyRegistry
from generator.ingest.campaigns import variant_index
from generator.ingest.report import campaign_candidates, review_report
from generator.ingest.decode import decode_source
from generator.ingest.furniture import find_furniture
from generator.ingest.plan import build_plan, settle_citations
from generator.ingest.reading_view import Originals, reading_view
from generator.ingest.regions import RegionPrefixes, first_years
from generator.ingest.reingest import describe_differences, existing_plans, keep_ids, keep_reviewed, reviewed_differences
from generator.ingest.script import detect_script
from generator.ingest.segments import find_segments
from generator.ingest.write import clean_staged, render_plan, render_registry, write_all_atomic
from generator.yamlio import read_yaml

__all__ = ["ingest_files", "ingest_source"]

_MAX_FILE_NAME = 255
ON_REVIEWED = (None, "keep", "new")
"""What --force does where the new reading differs from reviewed YAML: stop (None), keep the reviewed value, take the new one."""


def ingest_source(path: Path, agencies: AgencyRegistry, campaign_index: dict[str, str], given: dict | None = None) -> list[dict]:
    """The plan mappings of one source file (one per document it holds)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise GeneratorError(f"{path}: no such file (give a file in data/sources/)") from None
    except IsADirectoryError:
        raise GeneratorError(f"{path}: is a folder (give the source files themselves)") from None
    decoded = decode_source(data, str(path))
    script = detect_script(decoded.text)
    # A Traditional capture is read through Simplified characters, its own given back after (reading_view).
    lines = reading_view(decoded.lines) if script == "traditional" else decoded.lines
    originals = Originals(lines, decoded.lines) if script == "traditional" else None
    # Furniture by the page's own characters: its rules name both scripts' forms.
    furniture = find_furniture(decoded.lines)
    spans = find_segments(lines, {item.line for item in furniture})
    return [
        build_plan(
            source_name=path.name,
            where=str(path),
            sha256=hashlib.sha256(data).hexdigest(),
            encoding=decoded.encoding,
            script=script,
            lines=lines,
            span=span,
            furniture=furniture,
            agencies=agencies,
            campaign_index=campaign_index,
            given=given or {},
            originals=originals,
        )
        for span in spans
    ]


def ingest_files(
    sources: list[Path],
    data_dir: Path,
    force: bool = False,
    on_reviewed: str | None = None,
    dry_run: bool = False,
    given: dict | None = None,
    report_to=None,
) -> int:
    """Ingest `sources` into `data_dir`; print the review report; write nothing when `dry_run`.

    `given` holds metadata the editor supplies on the command line (title,
    doc_number, date_written, date_published, issuers, level, region), used
    where the capture prints none or prints it wrong.
    """
    data_dir = Path(data_dir)
    plans_dir = data_dir / "plans"
    given = {key: value for key, value in (given or {}).items() if value not in (None, [], "")}
    if given and len(sources) != 1:
        raise GeneratorError("metadata given on the command line applies to one document; ingest the sources one at a time")
    agencies_path = data_dir / "agencies.yaml"
    entries = _read_list(agencies_path)
    campaigns = _read_list(data_dir / "campaigns.yaml")
    campaign_index = variant_index(campaigns)
    non_campaigns = _read_phrases(data_dir / "non_campaigns.yaml")
    existing = existing_plans(plans_dir)
    by_path = {plan.path: plan for plan in existing.values()}
    outputs: list[tuple[Path, dict]] = []
    held_back: list[str] = []
    """What a real run would stop on, shown by --dry-run."""
    made: list[dict] = []
    prefixes = RegionPrefixes.from_data(entries, [plan.data for plan in existing.values()])
    agencies = AgencyRegistry(list(entries), prefixes)
    batches = _read_sources(sources, agencies, campaign_index, given)
    # A namesake later in the run may have come first (山西 2016 after 陕西 2019): read again knowing the whole run.
    settled = prefixes.knowing(first_years(plan for _source, plans in batches for plan in plans))
    if any(settled.prefix(region) != prefix for region, prefix in prefixes.used.items()):
        agencies = AgencyRegistry(list(entries), settled)
        batches = _read_sources(sources, agencies, campaign_index, given)
    known_ids = {str(plan.data["id"]) for plan in by_path.values() if plan.data.get("id")} | {plan["id"] for _s, plans in batches for plan in plans}
    for _source, plans in batches:
        for plan in plans:
            settle_citations(plan, known_ids)
    for source, plans in batches:
        if given and len(plans) != 1:
            raise GeneratorError(f"{source}: holds {len(plans)} documents; metadata given on the command line would apply to all of them (split the file)")
        for index, plan in enumerate(plans):
            previous = existing.get((plan["source"]["file"], index))
            if previous is not None:
                if not force and not dry_run:
                    raise GeneratorError(
                        f"{previous.path}: already exists and may hold reviewed edits; nothing was written "
                        f"(run `python -m generator ingest {source} --force` to re-ingest it, keeping its ids)"
                    )
                keep_ids(plan, previous.data)
                try:
                    _settle_reviewed(plan, previous, on_reviewed)
                except GeneratorError as stop:
                    if not dry_run:
                        raise
                    held_back.append(str(stop))
            target = plans_dir / f"{plan['id']}.yaml"
            if len(target.name.encode("utf-8")) > _MAX_FILE_NAME:
                raise GeneratorError(f"{source}: the plan id '{plan['id'][:40]}…' makes a file name over {_MAX_FILE_NAME} bytes; nothing was written (give --doc-number or a shorter --title)")
            owner = by_path.get(target)
            if previous is None and target.exists():
                other = owner.data["source"]["file"] if owner else "another file"
                raise GeneratorError(
                    f"{target}: already holds the plan of {other}; nothing was written, even with --force "
                    "(give this document its own --doc-number or --title, or rename the other plan's id first)"
                )
            if any(written == target for written, _plan in outputs):
                raise GeneratorError(
                    f"{source}: makes plan {plan['id']}, which another source of this run makes too; nothing was written "
                    "(ingest one of them, or give the other plan a different id after ingesting it)"
                )
            outputs.append((target, plan))
            made.append(plan)
    out = report_to or sys.stdout
    candidates = {id(plan): campaign_candidates(plan, campaigns, non_campaigns) for plan in made}
    print(review_report(made, agencies.drafted, candidates, settled.review_lines(), agencies.written_out), file=out)
    if dry_run:
        for message in held_back:
            print(f"would stop: {message}", file=out)
        print("dry run: nothing was written", file=out)
        return 0
    files = [(target, render_plan(plan)) for target, plan in outputs]
    if agencies.drafted:
        previous_text = agencies_path.read_text(encoding="utf-8") if agencies_path.exists() else ""
        files.append((agencies_path, render_registry(previous_text, agencies.entries)))
    for stale in clean_staged([plans_dir, data_dir]):
        print(f"removed {stale}, left by an interrupted run", file=sys.stderr)
    # Plans and registry together: a failed write changes none of them.
    write_all_atomic(files)
    for target, _plan in outputs:
        print(f"wrote {target}", file=sys.stderr)
    if agencies.drafted:
        names = ", ".join(entry["name"] for entry in agencies.drafted)
        print(f"added {len(agencies.drafted)} draft agencies to {agencies_path} for review: {names}", file=sys.stderr)
    return 0


def _read_sources(sources: list[Path], agencies: AgencyRegistry, campaign_index: dict[str, str], given: dict) -> list[tuple[Path, list[dict]]]:
    return [(source, ingest_source(Path(source), agencies, campaign_index, given)) for source in sources]


def _settle_reviewed(plan: dict, previous, on_reviewed: str | None) -> None:
    differences = reviewed_differences(plan, previous.data)
    if not differences:
        return
    if on_reviewed == "keep":
        keep_reviewed(plan, differences)
    elif on_reviewed != "new":
        raise GeneratorError(
            f"{previous.path}: re-ingesting would change {len(differences)} reviewed field(s): "
            f"{describe_differences(differences)}; nothing was written "
            "(add --keep-reviewed to keep the reviewed values, or --take-new to replace them with the new reading)"
        )


def _readable(path: Path) -> bool:
    if path.exists() and not path.is_file():
        raise GeneratorError(f"{path}: is not a file (it must be a YAML file; move the folder away)")
    return path.exists()


def _read_phrases(path: Path) -> list[str]:
    if not _readable(path):
        return []
    data = read_yaml(path).data
    if not isinstance(data, list) or not all(isinstance(phrase, str) for phrase in data):
        raise GeneratorError(f"{path}:1: non_campaigns.yaml is a list of phrases (fix it, then run `python -m generator check`)")
    return data


def _read_list(path: Path) -> list:
    if not _readable(path):
        return []
    data = read_yaml(path).data
    if not isinstance(data, list) or not all(isinstance(entry, dict) and isinstance(entry.get("id"), str) for entry in data):
        raise GeneratorError(f"{path}:1: a registry is a list of entries, each with an id (fix it, then run `python -m generator check`)")
    return data
