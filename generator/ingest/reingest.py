"""Re-ingesting a source whose plans exist: find them, keep their ids, never lose a reviewed edit silently.

A plan already in data/plans/ is matched to the new one by its source file
and the position of the document in that file (the Guangdong file holds
two). Its id stays, and so does every measure id whose provision still
exists at the same place (same ordinal path of labels), so published pages
and links never move because a source was ingested again. Where the new
reading differs from the reviewed YAML, `reviewed_differences` lists each
field; the caller stops, keeps the reviewed values or takes the new ones as
the editor chose.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.errors import GeneratorError
from generator.yamlio import format_path, read_yaml

_NOT_REVIEWED = ("source", "furniture")
"""Facts about the file itself: always taken from the new reading."""


@dataclass(frozen=True)
class ExistingPlan:
    path: Path
    data: dict


def existing_plans(plans_dir: Path) -> dict[tuple[str, int], ExistingPlan]:
    """(source file, index of the document in it) → the plan on disk."""
    by_source: dict[str, list[ExistingPlan]] = {}
    for path in sorted(plans_dir.glob("*.yaml")) if plans_dir.is_dir() else ():
        if not path.is_file():
            continue
        data = read_yaml(path).data
        if not isinstance(data, dict):
            raise GeneratorError(f"{path}:1: a plan file holds one mapping, not {type(data).__name__} (fix it before ingesting again)")
        source = data.get("source")
        if source is not None and not isinstance(source, dict):
            raise GeneratorError(f"{path}: source: is {source!r}, not a mapping with file, sha256 and script (fix it before ingesting again)")
        file = (source or {}).get("file")
        if isinstance(file, str) and file:
            by_source.setdefault(file, []).append(ExistingPlan(path, data))
    found: dict[tuple[str, int], ExistingPlan] = {}
    for source_file, plans in by_source.items():
        plans.sort(key=lambda plan: _first_line(plan.data))
        for index, plan in enumerate(plans):
            found[(source_file, index)] = plan
    return found


def _first_line(data: dict) -> int:
    lines = data["source"].get("lines")
    return lines[0] if isinstance(lines, list) and lines and isinstance(lines[0], int) else 0


def keep_ids(plan: dict, previous: dict) -> None:
    """Give `plan` the plan id and the measure ids of `previous` where the provision still exists."""
    old_plan_id, new_plan_id = previous["id"], plan["id"]
    old_ids = {path: node["id"] for path, node in _measures(previous.get("nodes") or []) if node.get("id")}
    plan["id"] = old_plan_id
    for path, node in _measures(plan["nodes"]):
        if path in old_ids:
            node["id"] = old_ids[path]
        elif node["id"].startswith(new_plan_id + "/"):
            node["id"] = old_plan_id + node["id"][len(new_plan_id) :]


def reviewed_differences(plan: dict, previous: dict) -> list[tuple[tuple, object, object]]:
    """[(path, reviewed value, new value)] for every field where the new reading differs."""
    found: list[tuple[tuple, object, object]] = []
    keys = [key for key in dict.fromkeys([*previous, *plan]) if key not in _NOT_REVIEWED]
    for key in keys:
        _compare(previous.get(key), plan.get(key), (key,), found)
    return found


def _compare(old, new, path: tuple, found: list) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in dict.fromkeys([*old, *new]):
            _compare(old.get(key), new.get(key), path + (key,), found)
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (a, b) in enumerate(zip(old, new)):
            _compare(a, b, path + (index,), found)
    elif old != new:
        found.append((path, old, new))


def keep_reviewed(plan: dict, differences: list[tuple[tuple, object, object]]) -> None:
    """Put every reviewed value back into the new reading."""
    for path, old, _new in differences:
        target = plan
        for step in path[:-1]:
            target = target[step]
        if old is None and isinstance(target, dict):
            target.pop(path[-1], None)
        else:
            target[path[-1]] = old


def describe_differences(differences: list[tuple[tuple, object, object]], limit: int = 6) -> str:
    shown = [f"{format_path(path)} ({_short(old)} → {_short(new)})" for path, old, new in differences[:limit]]
    more = f" and {len(differences) - limit} more" if len(differences) > limit else ""
    return "; ".join(shown) + more


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _measures(nodes: list[dict], prefix: tuple = ()):
    for node in nodes:
        path = prefix + ((node.get("label") or "", int(node.get("ordinal") or 0)),)
        if node.get("kind") == "measure":
            yield path, node
        yield from _measures(node.get("children") or [], path)
