"""Everything that can be wrong with data/, as a list of problems.

Two stages, each collecting every problem before anything stops:
1. the shape of each file, declared as JSON Schema in generator/schema/
   (generator.schema_check's `schema_problems`);
2. the rules across files that a schema cannot express: ids that must exist,
   be unique, match their file (`reference_problems`); the published paths that
   must keep resolving are generator.permalinks' rules (`url_problems`).

Nothing here reads files or raises: it takes what load.py read and returns
Problems, so each rule can be tested on small data in memory.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator


from generator.errors import GeneratorError, Problem
from generator.schema_check import _did_you_mean
from generator.yamlio import YamlDocument, format_path

@dataclass
class DataFiles:
    """Every file of data/ as read, before it becomes the model."""

    shown_dir: str
    """The data folder as messages name it, e.g. "data"."""
    plans: list[YamlDocument] = field(default_factory=list)
    agencies: YamlDocument | None = None
    campaigns: YamlDocument | None = None
    non_campaigns: YamlDocument | None = None
    alignments: YamlDocument | None = None
    redirects: YamlDocument | None = None
    url_lock: YamlDocument | None = None
    sources_dir: Path | None = None
    """Where the verbatim sources are, to prove each plan's sha256."""

    def shown(self, name: str) -> str:
        return f"{self.shown_dir}/{name}"


# --- stage 2: rules across files ----------------------------------------------------------------


@dataclass(frozen=True)
class _Seen:
    """Where an id was first seen; the line is looked up only if a duplicate needs it."""

    document: YamlDocument
    path: tuple

    def __str__(self) -> str:
        line = self.document.line_of(self.path)
        return f"{self.document.file}:{line}" if line else self.document.file


def reference_problems(files: DataFiles) -> list[Problem]:
    """Every broken id, duplicate, dangling reference, cycle and edited source.

    Expects files that passed `schema_problems`: values have their declared types.
    """
    problems: list[Problem] = []
    agency_ids = _registry_ids(files.agencies, "agency", problems)
    campaign_ids = _registry_ids(files.campaigns, "campaign", problems)
    problems += _agency_link_problems(files.agencies, agency_ids)

    plan_ids: dict[str, _Seen] = {}
    for document in files.plans:
        plan = document.data
        seen = plan_ids.get(plan["id"])
        if seen:
            problems.append(_at(document, ("id",), f"duplicate plan id '{plan['id']}' (also in {seen})", "give each plan its own id"))
        else:
            plan_ids[plan["id"]] = _Seen(document, ("id",))
        stem = Path(document.file).name.removesuffix(".yaml")
        if plan["id"] != stem:
            problems.append(
                _at(
                    document,
                    ("id",),
                    f"plan id '{plan['id']}' does not match the file name '{stem}.yaml'",
                    f"rename the file to {plan['id']}.yaml, or correct the id",
                )
            )

    measure_ids: dict[str, _Seen] = {}
    for document in files.plans:
        problems += _plan_problems(document, plan_ids, agency_ids, campaign_ids, measure_ids)
    problems += _source_problems(files)
    problems += _cycle_problems(files.plans)
    problems += _alignment_problems(files, measure_ids)
    return sorted(problems, key=lambda problem: (problem.file, problem.line or 0))


def _at(document: YamlDocument, path: tuple, message: str, fix: str) -> Problem:
    return Problem(document.file, document.line_of(path), message, fix, path=format_path(path))


def _registry_ids(document: YamlDocument | None, what: str, problems: list[Problem]) -> set[str]:
    ids: dict[str, int | None] = {}
    if document is None:
        return set()
    for index, entry in enumerate(document.data):
        line = document.line_of((index, "id"))
        if entry["id"] in ids:
            problems.append(
                _at(document, (index, "id"), f"duplicate {what} id '{entry['id']}' (first on line {ids[entry['id']]})", "merge the two entries or give one another id")
            )
        else:
            ids[entry["id"]] = line
    return set(ids)


def _agency_link_problems(document: YamlDocument | None, agency_ids: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    if document is None:
        return problems
    for index, entry in enumerate(document.data):
        if entry.get("draft"):
            problems.append(
                _at(document, (index, "draft"), f"agency '{entry['name']}' is a draft made by ingest", "check its name, full_name, level and links, then delete the line draft: true")
            )
        for key in ("national_counterpart", "successor"):
            target = entry.get(key)
            if target is not None and target not in agency_ids:
                problems.append(
                    _at(document, (index, key), f"{key} '{target}' is not an agency", _unknown_fix(target, agency_ids, "data/agencies.yaml"))
                )
    return problems


def _unknown_fix(target: str, known: Iterable[str], registry: str) -> str:
    hint = _did_you_mean(target, known)
    return f"{hint} otherwise add it to {registry}" if hint else f"add it to {registry} or correct the id"


def _plan_problems(
    document: YamlDocument,
    plan_ids: dict[str, _Seen],
    agency_ids: set[str],
    campaign_ids: set[str],
    measure_ids: dict[str, _Seen],
) -> list[Problem]:
    plan = document.data
    problems = []
    for key in ("implements", "forwards"):
        target = plan.get(key)
        if target is not None and target not in plan_ids:
            hint = _did_you_mean(target, plan_ids)
            problems.append(_at(document, (key,), f"{key} '{target}', but there is no such plan", hint or "write the id of a plan in data/plans/, or null"))
        elif target == plan["id"]:
            problems.append(_at(document, (key,), f"the plan {key} itself", "write the id of another plan, or null"))

    for key in ("date_written", "date_published", "date_effective"):
        iso = (plan.get(key) or {}).get("iso")
        if iso and not _real_date(iso):
            problems.append(_at(document, (key, "iso"), f"'{iso}' is no date of the calendar", "check the printed date and write the day it names"))

    for index, note in enumerate(plan.get("review_notes") or ()):
        problems.append(_at(document, ("review_notes", index), f"awaits review: {note}", "fill the value, then delete this note"))

    prefix = plan["id"] + "/"
    for path, node in _walk_nodes(plan.get("nodes") or [], ("nodes",)):
        measure_id = node.get("id")
        if measure_id is not None:
            if not measure_id.startswith(prefix):
                problems.append(
                    _at(document, path + ("id",), f"measure id '{measure_id}' does not start with its plan id '{prefix}'", f"write it as {prefix}<ordinals>")
                )
            seen = measure_ids.get(measure_id)
            if seen:
                problems.append(_at(document, path + ("id",), f"duplicate measure id '{measure_id}' (also at {seen})", "give each measure its own id"))
            else:
                measure_ids[measure_id] = _Seen(document, path + ("id",))
        for key in ("agencies", "mentions"):
            for index, ref in enumerate(node.get(key) or ()):
                if ref["id"] not in agency_ids:
                    problems.append(
                        _at(document, path + (key, index, "id"), f"unknown agency '{ref['id']}'", _unknown_fix(ref["id"], agency_ids, "data/agencies.yaml"))
                    )
        for index, ref in enumerate(node.get("campaigns") or ()):
            if ref["id"] not in campaign_ids:
                problems.append(
                    _at(document, path + ("campaigns", index, "id"), f"unknown campaign '{ref['id']}'", _unknown_fix(ref["id"], campaign_ids, "data/campaigns.yaml"))
                )
    return problems


def _real_date(iso: str) -> bool:
    try:
        datetime.date.fromisoformat(iso)
    except ValueError:
        return False
    return True


def _walk_nodes(nodes: list, path: tuple) -> Iterator[tuple[tuple, dict]]:
    for index, node in enumerate(nodes):
        here = path + (index,)
        yield here, node
        yield from _walk_nodes(node.get("children") or [], here + ("children",))


def _source_problems(files: DataFiles) -> list[Problem]:
    sources_dir = files.sources_dir
    if sources_dir is None:
        return []
    digests: dict[str, str | tuple[str, str] | None] = {}
    problems = []
    for document in files.plans:
        source = document.data["source"]
        name = source["file"]
        if name not in digests:
            digests[name] = _source_digest(sources_dir / name, f"{files.shown('sources')}/{name}")
        found = digests[name]
        if found is None:
            problems.append(
                _at(
                    document,
                    ("source", "file"),
                    f"source file '{name}' is not in {files.shown('sources')}/",
                    "copy the original there byte-for-byte, or correct source.file",
                )
            )
        elif isinstance(found, tuple):
            problems.append(_at(document, ("source", "file"), *found))
        elif found != source["sha256"]:
            problems.append(
                _at(
                    document,
                    ("source", "sha256"),
                    f"sha256 does not match the bytes of {files.shown('sources')}/{name}",
                    f"never edit a source: restore the original, or re-run `python -m generator ingest {files.shown('sources')}/{name} --force`",
                )
            )
    return problems


def _source_digest(path: Path, shown: str) -> str | tuple[str, str] | None:
    """The sha256 of a source at `path` (`shown` in messages), None where it is missing, or (message, fix) where it cannot be published."""
    try:
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            # The site would publish whatever the link points to, not a reviewed original.
            return (f"{shown} is a symbolic link", "put the original file itself there, byte-for-byte")
        if not stat.S_ISREG(mode):
            return (f"{shown} is not a regular file", "put the original file itself there, byte-for-byte")
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None
    except OSError as error:
        return (f"{shown} cannot be read: {error.strerror or error}", "check that it is a file you may read")


def _cycle_problems(plans: list[YamlDocument]) -> list[Problem]:
    implements = {document.data["id"]: document.data.get("implements") for document in plans}
    where = {document.data["id"]: document for document in plans}
    reported: set[str] = set()
    problems = []
    for start in sorted(implements):
        chain = [start]
        current = implements[start]
        while current in implements and current not in chain:
            chain.append(current)
            current = implements[current]
        if current not in chain:
            continue
        cycle = chain[chain.index(current) :]
        if len(cycle) == 1 or reported.intersection(cycle):
            # A plan implementing itself is reported by _plan_problems.
            continue
        reported.update(cycle)
        first = min(cycle)
        ordered = cycle[cycle.index(first) :] + cycle[: cycle.index(first)] + [first]
        problems.append(
            _at(where[first], ("implements",), f"implements cycle: {' -> '.join(ordered)}", "a plan can only implement an older plan: set one of these to null")
        )
    return problems


def _alignment_problems(files: DataFiles, measure_ids: dict[str, _Seen]) -> list[Problem]:
    document = files.alignments
    if document is None:
        return []
    implements = {plan.data["id"]: plan.data.get("implements") for plan in files.plans}
    problems = []
    for index, entry in enumerate(document.data):
        missing = False
        for key in ("local", "national"):
            if entry[key] not in measure_ids:
                missing = True
                problems.append(
                    _at(document, (index, key), f"{key} measure '{entry[key]}' does not exist", _did_you_mean(entry[key], measure_ids) or "correct the measure id, or remove the entry")
                )
        if missing:
            continue
        local_plan = measure_ids[entry["local"]].document.data["id"]
        national_plan = measure_ids[entry["national"]].document.data["id"]
        if implements.get(local_plan) != national_plan:
            problems.append(
                _at(
                    document,
                    (index, "local"),
                    f"plan '{local_plan}' does not implement plan '{national_plan}'",
                    "pair a local measure only with a measure of the plan its plan implements",
                )
            )
    return problems


def parse_edition(text: str | None, years: Iterable[int]) -> int:
    """The edition named by `text` (QP_EDITION), the newest of `years` when empty; GeneratorError otherwise."""
    editions = sorted(years)
    if not editions:
        raise GeneratorError("QP_EDITION: there is no edition yet (ingest a plan first)")
    listed = ", ".join(map(str, editions))
    value = (text or "").strip()
    if not value:
        return editions[-1]
    if not re.fullmatch(r"[0-9]{4}", value):
        raise GeneratorError(f"QP_EDITION={value!r}: not a year (set it to the year of an edition: {listed}; or leave it unset for the newest)")
    if int(value) not in editions:
        raise GeneratorError(f"QP_EDITION={value}: no plan was published that year (set it to the year of an edition: {listed})")
    return int(value)
