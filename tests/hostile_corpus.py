"""Hostile data made from the data schema: a payload in every string field of every kind of data file.

The field list is read from generator/schema/*.json, never written by hand:
`string_fields()` walks every schema (through its $refs) and returns each
place a string can stand, e.g. ``plan:title``, ``node:agencies[].name``,
``campaigns:[].variants[]``. `hostile_corpus()` copies tests/fixtures/corpus_small,
adds the files and optional fields it lacks (so every field has a value), and
puts a payload before the value of every free-text field; `clean_corpus()` does
the same with plain text of the same shape, for the build to compare against.
A field the schema constrains (ids, enums, dates, hashes, paths) keeps its
valid value: `CONSTRAINED` says why for each, and the tests fail when the
schema gains a string field that is neither filled nor listed there.
"""

from __future__ import annotations

import json
import re
import shutil
import string
from pathlib import Path
from typing import Any, Callable

import yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = ROOT / "generator" / "schema"
CORPUS = ROOT / "tests" / "fixtures" / "corpus_small"

DATA_FILES = {
    "plan": "plans/*.yaml",
    "agencies": "agencies.yaml",
    "campaigns": "campaigns.yaml",
    "non_campaigns": "non_campaigns.yaml",
    "alignments": "alignments.yaml",
    "redirects": "redirects.yaml",
    "url_lock": "urls.lock",
}
"""Each schema (generator/schema/<kind>.schema.json) and the data file(s) it describes."""

_ID = "its pattern allows lowercase ASCII letters, digits and '-' only: an id is a path segment of the site"
CONSTRAINED = {
    "plan:id": _ID,
    "plan:implements": _ID,
    "plan:forwards": _ID,
    "plan:level": "an enum (national, provincial, municipal)",
    "plan:date_written.iso": "its pattern allows an ISO date only",
    "plan:date_published.iso": "its pattern allows an ISO date only",
    "plan:date_effective.iso": "its pattern allows an ISO date only",
    "plan:source.file": "its pattern allows a plain .txt name (letters, digits, _ . -): it becomes a path of the site",
    "plan:source.sha256": "its pattern allows 64 hex digits, and check compares it with the source's bytes",
    "plan:source.script": "an enum (simplified, traditional)",
    "plan:review_notes[]": "free text, but check refuses a plan that has review notes: it is never published",
    "node:kind": "an enum (part, group, measure)",
    "node:id": "its pattern allows a plan id, '/', and ordinals: it is a path of the site",
    "node:agencies[].id": _ID,
    "node:agencies[].role": "an enum (lead, responsible, assisting, guiding)",
    "node:agencies[].wording": "an enum (配合, 参与, 会同)",
    "node:mentions[].id": _ID,
    "node:campaigns[].id": _ID,
    "agencies:[].id": _ID,
    "agencies:[].level": "an enum (national, provincial, municipal)",
    "agencies:[].national_counterpart": _ID,
    "agencies:[].successor": _ID,
    "campaigns:[].id": _ID,
    "campaigns:[].kind": "its pattern allows lowercase English words joined by '-'",
    "alignments:[].local": "its pattern allows a measure id, and check requires an existing measure",
    "alignments:[].national": "its pattern allows a measure id, and check requires an existing measure",
    "alignments:[].decision": "an enum (pin, reject)",
    "redirects:[].from": "its pattern allows a lowercase page path (no '..', no file name): the build writes a page there",
    "redirects:[].to": "its pattern allows a lowercase page path, and check requires a page there",
    "url_lock:editions{name}": "its pattern allows a four-digit year",
    "url_lock:editions{}[]": "its pattern allows a published path; publish writes the file, never an editor",
}
"""Every string field the payload cannot enter, and why (the schema or check forbids markup there)."""

ADDED_FILES = {
    "alignments.yaml": [{"local": "wanzhengbanmi-2016-76/01", "national": "guobanfa-2016-18/01", "decision": "pin", "note": ""}],
    "redirects.yaml": [{"from": "plans/guobanfa-2016-18/99/", "to": "plans/guobanfa-2016-18/01/", "reason": ""}],
}
"""Files corpus_small lacks, each with one valid entry to carry the payload."""

SEEDS: dict[str, Any] = {
    "plan:date_effective": {"printed": "", "iso": "2016-05-01"},
    "plan:furniture": [{"rule": "", "line": 1, "text": ""}],
    "node:mentions": [{"id": "zhijianzongju", "name": "", "task": True}],
    "node:responsibility_fields": {"责任": ""},
}
"""Valid values for the optional objects and lists the corpus leaves empty, so their strings get the payload too."""

INCOMPLETE_PLAN = "wanzhengbanmi-2016-76"
"""Marked incomplete, so its pages print the incomplete_note."""

HOSTILE_LINES = [
    '<script>alert("{m}")</script><img src=x onerror=alert(1)><svg onload=alert(1)> <a href="javascript:alert(1)">a</a>',
    "[link](javascript:alert(1)) ![img](https://evil.invalid/x.png) <https://evil.invalid/> *em* __strong__ `code` ~~s~~ ==m== :smile:",
    "{{ 7*7 }} {% if true %}yes{% endif %} {# c #} ${alert(1)} #{x} </title></textarea></style>]]> --> <!-- c -->",
    "\"' &amp; &lt;b&gt; &#60;i&#62; &copy; | cell | {: onclick=\"alert(1)\" } [^1] *[HTML]: x",
    '<div markdown="1">**md in html**</div>',
    "# heading",
    "!!! note",
    '=== "tab"',
    "```js",
    "    indented {m}",
    "separators[\u2028\u2029\x85] invisible[\ufeff\u200b\u200e] tab[\t] fullwidth＜script＞ {m}",
]
"""The payload, one line of it per kind of attack; the value starts with a tag, and lines 5 on start a line as Markdown blocks do.

`{m}` is the field's marker (F00, F01 …), so each field's payload can be found on the page."""

_PUNCTUATION = {ord(char): "x" for char in string.punctuation}


def hostile_payload(marker: str) -> str:
    return "\n".join(HOSTILE_LINES).replace("{m}", marker)


def clean_payload(marker: str) -> str:
    """The payload's shape in plain text: every ASCII mark a letter, same lines and blanks."""
    return hostile_payload(marker).translate(_PUNCTUATION)


# -- the schema -------------------------------------------------------------


def _schema(name: str, schema_dir: Path = SCHEMA_DIR) -> dict:
    return json.loads((schema_dir / name).read_text(encoding="utf-8"))


def _resolve(node: dict, base: str, schema_dir: Path = SCHEMA_DIR) -> tuple[dict, str, str | None]:
    """The schema a $ref points to, the file it is in, and the name of a def that starts its own field root."""
    while "$ref" in node:
        target_file, _, pointer = node["$ref"].partition("#")
        base = target_file or base
        found: Any = _schema(base, schema_dir)
        for part in pointer.strip("/").split("/"):
            found = found[part] if part else found
        root = pointer.rsplit("/", 1)[-1] if not target_file else None
        node = found
        if root:  # a def of the same file (plan's `node`): recursive, so its fields are named from it
            return node, base, root
    return node, base, None


def _types(node: dict) -> set[str]:
    declared = node.get("type", [])
    types = {declared} if isinstance(declared, str) else set(declared)
    for key in ("enum", "const"):
        values = node.get(key, []) if key == "enum" else [node.get(key)] if key in node else []
        if any(isinstance(value, str) for value in values):
            types.add("string")
    return types


def _constrained(node: dict) -> bool:
    return any(key in node for key in ("pattern", "enum", "const", "format"))


def string_fields(schema_dir: Path = SCHEMA_DIR) -> dict[str, bool]:
    """Every place a string stands in the data files -> whether its schema constrains it."""
    fields: dict[str, bool] = {}
    roots_done: set[str] = set()

    def walk(node: dict, path: str, base: str) -> None:
        node, base, root = _resolve(node, base, schema_dir)
        if root:
            if root not in roots_done:
                roots_done.add(root)
                walk(node, root + ":", base)
            return
        types = _types(node)
        if "string" in types:
            fields[path] = fields.get(path, False) or _constrained(node)
        properties = dict(node.get("properties", {}))
        for branch in ("then", "else"):
            for name, sub in node.get(branch, {}).get("properties", {}).items():
                if isinstance(sub, dict) and "string" in _types(_resolve(sub, base, schema_dir)[0]):
                    properties[name] = sub
        for name, sub in properties.items():
            if isinstance(sub, dict):
                walk(sub, f"{path}{'.' if not path.endswith(':') else ''}{name}", base)
        if isinstance(node.get("additionalProperties"), dict):
            walk(node["additionalProperties"], path + "{}", base)
        if isinstance(node.get("propertyNames"), dict):
            fields[path + "{name}"] = True
        if isinstance(node.get("items"), dict):
            walk(node["items"], path + "[]", base)

    for kind in DATA_FILES:
        walk(_schema(f"{kind}.schema.json", schema_dir), kind + ":", f"{kind}.schema.json")
    return fields


def free_fields() -> list[str]:
    """The string fields the payload goes into: every field of the schema not constrained, sorted."""
    return sorted(path for path, constrained in string_fields().items() if not constrained and path not in CONSTRAINED)


def markers() -> dict[str, str]:
    """Field -> its marker (F00, F01 …) in the payload."""
    return {path: f"F{index:02d}" for index, path in enumerate(free_fields())}


# -- the data ---------------------------------------------------------------


def hostile_corpus(dest: Path) -> dict[str, int]:
    """corpus_small with the payload in every free string field; returns how many values each field got."""
    return _corpus(dest, hostile_payload)


def clean_corpus(dest: Path) -> dict[str, int]:
    """The same data with plain text of the payload's shape instead: the build the hostile one is compared with."""
    return _corpus(dest, clean_payload)


def _corpus(dest: Path, payload: Callable[[str], str]) -> dict[str, int]:
    shutil.copytree(CORPUS, dest)
    for name, entries in ADDED_FILES.items():
        assert not (dest / name).exists(), f"corpus_small gained {name}: take its entries instead of ADDED_FILES"
        (dest / name).write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    filled: dict[str, int] = {}
    filler = _Filler(markers(), payload, filled)
    for kind, pattern in DATA_FILES.items():
        if kind == "url_lock":
            continue  # written by publish only; every string in it is constrained
        schema_name = f"{kind}.schema.json"
        for path in sorted(dest.glob(pattern)):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            data = filler.fill(data, _schema(schema_name), kind + ":", schema_name)
            if kind == "plan" and data["id"] == INCOMPLETE_PLAN:
                data["incomplete"] = True  # a complete plan never prints its incomplete_note
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return filled


class _Filler:
    """Walks a data file beside its schema, putting the payload into every free string."""

    def __init__(self, marks: dict[str, str], payload: Callable[[str], str], filled: dict[str, int]):
        self.marks = marks
        self.payload = payload
        self.filled = filled

    def fill(self, value: Any, node: dict, path: str, base: str) -> Any:
        node, base, root = _resolve(node, base)
        if root:
            path = root + ":"
        if isinstance(value, str):
            if path in self.marks:
                self.filled[path] = self.filled.get(path, 0) + 1
                return self.payload(self.marks[path]) + value
            return value
        if isinstance(value, list):
            items = node.get("items")
            if not isinstance(items, dict):
                return value
            if not value and path + "[]" in self.marks:
                value = [""]  # an empty list of names (issuers, aliases, variants): one to carry the payload
            return [self.fill(item, items, path + "[]", base) for item in value]
        if isinstance(value, dict):
            properties = dict(node.get("properties", {}))
            if value.get("kind") == "measure":
                properties.update(node.get("then", {}).get("properties", {}))
            result = {}
            for name, sub in properties.items():
                if not isinstance(sub, dict):
                    if name in value:
                        result[name] = value[name]
                    continue
                field = f"{path}{'.' if not path.endswith(':') else ''}{name}"
                current = value.get(name)
                if current in (None, [], {}) and field in SEEDS:
                    current = json.loads(json.dumps(SEEDS[field]))
                elif current is None and field in self.marks:
                    current = ""
                elif current is None and field + "[]" in self.marks:
                    current = []
                if current is not None or name in value:
                    result[name] = self.fill(current, sub, field, base)
            extra = node.get("additionalProperties")
            if isinstance(extra, dict):
                for name in value.keys() - result.keys():
                    result[name] = self.fill(value[name], extra, path + "{}", base)
            return result
        return value


def payload_markers_in(text: str, payload: Callable[[str], str]) -> dict[str, int]:
    """How often each field's payload stands whole in `text`, blanks ignored (a page wraps lines)."""
    flat = _NO_BLANKS.sub("", text)
    found = {}
    for path, marker in markers().items():
        count = flat.count(_NO_BLANKS.sub("", payload(marker)))
        if count:
            found[path] = count
    return found


_NO_BLANKS = re.compile(r"\s+")
