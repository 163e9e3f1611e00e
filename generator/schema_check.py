"""The shape of each file of data/, declared as JSON Schema in generator/schema/.

Stage 1 of validation (generator.validate is stage 2, the rules across files):
jsonschema gives the messages with their paths, fastjsonschema answers "valid?"
quickly for a corpus of 10,000 measures; both read a pattern's `$` as the end
of the text, as the build does. Every problem becomes `file:line: path: what (fix)`.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

import fastjsonschema
from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError

from generator.errors import Problem
from generator.yamlio import YamlDocument, format_path

SCHEMA_DIR = Path(__file__).parent / "schema"


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
