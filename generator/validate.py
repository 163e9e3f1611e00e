"""Everything that can be wrong with data/, as a list of problems.

Two stages, each collecting every problem before anything stops:
1. the shape of each file, declared as JSON Schema in generator/schema/ and
   checked with jsonschema (`schema_problems`);
2. the rules across files that a schema cannot express: ids that must exist,
   be unique, match their file (`reference_problems`); the published paths that
   must keep resolving are generator.permalinks' rules (`url_problems`).

Nothing here reads files or raises: it takes what load.py read and returns
Problems, so each rule can be tested on small data in memory.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

import fastjsonschema
from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError

from generator.errors import GeneratorError, Problem
from generator.yamlio import YamlDocument, format_path

SCHEMA_DIR = Path(__file__).parent / "schema"


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


# --- stage 1: the schema of each file ---------------------------------------------------------


def bundled_schema(kind: str) -> dict:
    """The schema of `kind` with the shared definitions copied in, so every $ref is local."""
    return _bundled_schema(kind)


@lru_cache(maxsize=None)
def _bundled_schema(kind: str) -> dict:
    shared = json.loads((SCHEMA_DIR / "defs.schema.json").read_text(encoding="utf-8"))["$defs"]
    schema = _local_refs(json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8")))
    schema.setdefault("$defs", {}).update(shared)
    return schema


def _local_refs(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: item.replace("defs.schema.json#", "#") if key == "$ref" else _local_refs(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_local_refs(item) for item in value]
    return value


_DOLLAR = re.compile(r"(?<!\\)\$")


@lru_cache(maxsize=None)
def _pattern(pattern: str) -> re.Pattern:
    # A schema pattern is an ECMA-262 regex, whose `$` is the end of the text;
    # Python's `$` also matches before a final newline, so "guobanfa-2016-18\n"
    # passed as an id and the build then failed on it. fastjsonschema makes the
    # same substitution, so both validators agree.
    return re.compile(_DOLLAR.sub(r"\\Z", pattern))


def _ecma_pattern(validator, pattern: str, instance: Any, schema: dict) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not _pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_Validator = validators.extend(Draft202012Validator, {"pattern": _ecma_pattern})


@lru_cache(maxsize=None)
def schema_validator(kind: str) -> Draft202012Validator:
    """The validator that explains every error of one kind of file, built once per process."""
    schema = _bundled_schema(kind)
    Draft202012Validator.check_schema(schema)
    return _Validator(schema)


@lru_cache(maxsize=None)
def _fast_validator(kind: str):
    # jsonschema walks the tree in Python at ~100 µs a measure; fastjsonschema
    # compiles the same schema to Python code and answers "valid?" in a tenth
    # of that. The schemas keep to keywords both understand (no prefixItems),
    # and jsonschema, the reference, explains whatever the fast check rejects.
    schema = dict(_bundled_schema(kind), **{"$schema": "http://json-schema.org/draft-07/schema#"})
    return fastjsonschema.compile(schema)


def schema_problems(document: YamlDocument, kind: str) -> list[Problem]:
    """Every way `document` breaks the schema of `kind`, one Problem each, in line order."""
    try:
        _fast_validator(kind)(document.data)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    problems: list[Problem] = []
    for error in schema_validator(kind).iter_errors(document.data):
        problems.extend(_problems_from_error(error, document))
    if not problems:
        # The two validators disagree: refusing is safe, passing silently is not.
        problems.append(Problem(document.file, 1, "does not match the schema of its kind of file", f"compare it with generator/schema/{kind}.schema.json"))
    return sorted(problems, key=lambda problem: (problem.line or 0, problem.path))


_TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of fields",
    "null": "null",
}

_TYPE_FIXES = {
    "string": "put the value in quotes",
    "integer": "write the number without quotes",
    "number": "write the number without quotes",
    "boolean": "write true or false",
    "array": "write a list: [a, b] or one '- item' per line",
    "object": "write 'field: value' lines indented under this key",
    "null": "write null",
}


def _problems_from_error(error: ValidationError, document: YamlDocument) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    value = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}
    keyword = error.validator

    def problem(message: str, fix: str = "", at: tuple = path) -> Problem:
        return Problem(document.file, document.line_of(at), message, fix, path=format_path(at))

    if keyword == "additionalProperties" and error.validator_value is False:
        known = sorted(schema.get("properties", {}))
        for name in value:
            if name not in known:
                yield problem(f"unknown field '{name}'", _did_you_mean(str(name), known) or f"remove it; the fields here are: {', '.join(known)}", path + (name,))
    elif keyword == "required":
        # jsonschema reports each missing name as its own error; the one we
        # are given is the first name of `required` not in the mapping.
        name = error.message.split("'")[1] if error.message.startswith("'") else error.message
        yield problem(f"missing required field '{name}'", "add it; docs/data-format.md shows every field")
    elif keyword == "type":
        expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        yield problem(
            f"expected {' or '.join(_TYPE_NAMES[name] for name in expected)}, got {_describe(value)}",
            _TYPE_FIXES[expected[0]],
        )
    elif "x-message" in schema:
        yield problem(schema["x-message"], schema.get("x-fix", ""))
    elif keyword == "enum":
        options = [str(option) for option in error.validator_value]
        yield problem(
            f"{_show(value)} is not one of: {', '.join(options)}",
            _did_you_mean(str(value), options) or "use one of them",
        )
    elif keyword == "maxLength":
        yield problem(
            f"{_show(value)} is longer than {schema['maxLength']} characters",
            "shorten it: ids and names become folder and file names, which must stay short",
        )
    elif "x-what" in schema:
        yield problem(f"{_show(value)} is not {schema['x-what']}", schema.get("x-fix", ""))
    elif keyword == "minLength":
        yield problem("must not be empty", "write the value, or remove the field where it is optional")
    elif keyword in ("minimum", "maximum"):
        yield problem(
            f"{_show(value)} is out of range ({schema.get('minimum', '…')} to {schema.get('maximum', '…')})",
            "correct the number",
        )
    elif keyword == "uniqueItems":
        seen: set = set()
        for index, item in enumerate(value):
            key = json.dumps(item, sort_keys=True, ensure_ascii=False)
            if key in seen:
                yield problem(f"{_show(item)} is listed twice", "remove the repeat", path + (index,))
            seen.add(key)
    else:
        yield problem(error.message)


def _did_you_mean(word: str, options: Iterable[str]) -> str:
    matches = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'?" if matches else ""


_INVISIBLE = {"Cc", "Cf", "Zl", "Zp"}
"""Control and format characters, line and paragraph separators; a full-width space stays itself."""


def _show(value: Any) -> str:
    if isinstance(value, str):
        shown = value if len(value) <= 60 else f"{value[:57]}…"
        # A newline or other invisible character is shown as its escape, so
        # the problem stays on one line and says what is really there.
        return "'" + "".join(repr(char)[1:-1] if unicodedata.category(char) in _INVISIBLE else char for char in shown) + "'"
    return json.dumps(value, ensure_ascii=False)[:60]


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, str):
        return f"text {_show(value)}"
    if isinstance(value, int):
        return f"the number {value}"
    if isinstance(value, float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


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
    for index, entry in enumerate(document.data if document else ()):
        line = document.line_of((index, "id"))
        if entry["id"] in ids:
            problems.append(
                _at(document, (index, "id"), f"duplicate {what} id '{entry['id']}' (first on line {ids[entry['id']]})", "merge the two entries or give one another id")
            )
        else:
            ids[entry["id"]] = line
    return set(ids)


def _agency_link_problems(document: YamlDocument | None, agency_ids: set[str]) -> list[Problem]:
    problems = []
    for index, entry in enumerate(document.data if document else ()):
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


def _walk_nodes(nodes: list, path: tuple) -> Iterator[tuple[tuple, dict]]:
    for index, node in enumerate(nodes):
        here = path + (index,)
        yield here, node
        yield from _walk_nodes(node.get("children") or [], here + ("children",))


def _source_problems(files: DataFiles) -> list[Problem]:
    if files.sources_dir is None:
        return []
    digests: dict[str, str | tuple[str, str] | None] = {}
    problems = []
    for document in files.plans:
        source = document.data["source"]
        name = source["file"]
        if name not in digests:
            digests[name] = _source_digest(files, name)
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


def _source_digest(files: DataFiles, name: str) -> str | tuple[str, str] | None:
    """The sha256 of a source, None where it is missing, or (message, fix) where it cannot be published."""
    path = files.sources_dir / name
    shown = f"{files.shown('sources')}/{name}"
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
