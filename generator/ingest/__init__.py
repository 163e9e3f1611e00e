"""Ingest: raw source text → structured plan YAML in data/plans/.

`ingest_files` reads every source first and writes only when all of them
parsed and none would overwrite reviewed YAML without --force, so a failed
run leaves data/ as it was. Steps, one module each: decode (bytes → text),
furniture (page furniture by named rules), segments (documents in a file),
paragraphs, structure (hierarchy), responsibility (agency parenthesis),
metadata, agencies and campaigns (registries), slugs (ids), script
(Traditional → Simplified), plan (assembly), reingest (kept ids), write
(YAML).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import yaml

from generator.errors import GeneratorError
from generator.ingest.agencies import AgencyRegistry
from generator.ingest.campaigns import variant_index
from generator.ingest.decode import decode_source
from generator.ingest.furniture import find_furniture
from generator.ingest.plan import build_plan
from generator.ingest.reingest import existing_plans, keep_ids
from generator.ingest.script import detect_script
from generator.ingest.segments import find_segments
from generator.ingest.write import dump_yaml, render_plan

__all__ = ["ingest_files", "ingest_source"]


def ingest_source(path: Path, agencies: AgencyRegistry, campaign_index: dict[str, str]) -> list[dict]:
    """The plan mappings of one source file (one per document it holds)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise GeneratorError(f"{path}: no such file (give a file in data/sources/)") from None
    except IsADirectoryError:
        raise GeneratorError(f"{path}: is a folder (give the source files themselves)") from None
    decoded = decode_source(data, str(path))
    lines = decoded.lines
    furniture = find_furniture(lines)
    script = detect_script(decoded.text)
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
        )
        for span in spans
    ]


def ingest_files(sources: list[Path], data_dir: Path, force: bool = False) -> int:
    data_dir = Path(data_dir)
    plans_dir = data_dir / "plans"
    agencies = AgencyRegistry(_read_list(data_dir / "agencies.yaml"))
    campaign_index = variant_index(_read_list(data_dir / "campaigns.yaml"))
    existing = existing_plans(plans_dir)
    outputs: list[tuple[Path, str]] = []
    replaced: list[Path] = []
    for source in sources:
        plans = ingest_source(Path(source), agencies, campaign_index)
        for index, plan in enumerate(plans):
            previous = existing.get((plan["source"]["file"], index))
            if previous is not None:
                if not force:
                    raise GeneratorError(
                        f"{previous.path}: already exists and may hold reviewed edits; nothing was written "
                        f"(run `python -m generator ingest {source} --force` to re-ingest it, keeping its ids)"
                    )
                keep_ids(plan, previous.data)
                replaced.append(previous.path)
            target = plans_dir / f"{plan['id']}.yaml"
            if previous is None and target.exists() and not force:
                raise GeneratorError(
                    f"{target}: already exists for another source; nothing was written "
                    "(rename one of the plans' ids or re-run with --force)"
                )
            if any(written == target for written, _text in outputs):
                raise GeneratorError(
                    f"{source}: makes plan {plan['id']}, which another source of this run makes too; nothing was written "
                    "(ingest one of them, or give the other plan a different id after ingesting it)"
                )
            outputs.append((target, render_plan(plan)))
    plans_dir.mkdir(parents=True, exist_ok=True)
    for path in replaced:
        path.unlink()
    for target, text in outputs:
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target}", file=sys.stderr)
    if agencies.drafted:
        _append_agencies(data_dir / "agencies.yaml", agencies.drafted)
    return 0


def _read_list(path: Path) -> list:
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or []


def _append_agencies(path: Path, drafted: list[dict]) -> None:
    # Appended as text so that the registry's comments and order survive.
    note = "\n# Added by ingest: review full_name, level, national_counterpart and successor.\n"
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(note + dump_yaml(drafted))
    names = ", ".join(entry["name"] for entry in drafted)
    print(f"added {len(drafted)} agencies to {path} for review: {names}", file=sys.stderr)
