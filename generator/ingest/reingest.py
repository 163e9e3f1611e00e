"""Re-ingesting a source whose plans exist: find them, and keep their ids.

A plan already in data/plans/ is matched to the new one by its source file
and the position of the document in that file (the Guangdong file holds
two). Its id stays, and so does every measure id whose provision still
exists at the same place (same ordinal path of labels), so published pages
and links never move because a source was ingested again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.errors import GeneratorError


@dataclass(frozen=True)
class ExistingPlan:
    path: Path
    data: dict


def existing_plans(plans_dir: Path) -> dict[tuple[str, int], ExistingPlan]:
    """(source file, index of the document in it) → the plan on disk."""
    by_source: dict[str, list[ExistingPlan]] = {}
    for path in sorted(plans_dir.glob("*.yaml")) if plans_dir.exists() else ():
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            raise GeneratorError(f"{path}: is not valid YAML ({error}); fix it before ingesting again") from None
        source = (data or {}).get("source") or {}
        if source.get("file"):
            by_source.setdefault(source["file"], []).append(ExistingPlan(path, data))
    found: dict[tuple[str, int], ExistingPlan] = {}
    for source_file, plans in by_source.items():
        plans.sort(key=lambda plan: (plan.data["source"].get("lines") or [0])[0])
        for index, plan in enumerate(plans):
            found[(source_file, index)] = plan
    return found


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


def _measures(nodes: list[dict], prefix: tuple = ()):
    for node in nodes:
        path = prefix + ((node.get("label") or "", int(node.get("ordinal") or 0)),)
        if node.get("kind") == "measure":
            yield path, node
        yield from _measures(node.get("children") or [], path)
