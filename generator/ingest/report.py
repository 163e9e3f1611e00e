"""The review report `ingest` prints: a short table per document, then what a reviewer must look at.

Each warning is a named check over the plan mapping ingest made, so the
report says why a provision needs a look, never only that it does.
"""

from __future__ import annotations

import re
from collections import Counter

from generator.ingest.campaigns import find_candidates
from generator.ingest.paragraphs import DATE_LINE, SIGNATURE
from generator.ingest.body_names import list_names
from generator.ingest.responsibility import (
    FIELD_ROLES, ROLE_FIELD, TIME_LIMIT, read_attribution, split_responsibility, without_final_stop,
)
from generator.model import ROLE_LABELS

_UNREAD_PARENTHESIS = re.compile(r"[（(][^（）()]{1,400}[）)][。；;.]?$")
_LIST_WORDS = re.compile(r"等|会同|和各")
"""List words in a name; a 、 is one too unless the name is one (各县（市、区）人民政府, 各市、县人民政府: body_names.list_names)."""


def campaign_candidates(plan: dict, campaigns: list[dict], non_campaigns: list[str]) -> list[str]:
    """Quoted phrases of the plan's measures that look like campaigns but are not registered."""
    found: list[str] = []
    for measure in _measures(plan.get("nodes") or []):
        for phrase in find_candidates(measure["heading"] + measure["text"], campaigns, non_campaigns):
            if phrase not in found:
                found.append(phrase)
    return found


def review_report(plans: list[dict], drafted: list[dict], candidates: dict[int, list[str]] | None = None,
                  namesakes: list[str] | None = None, written_out: dict[str, tuple[str, str]] | None = None) -> str:
    """`candidates`: id(plan) → its campaign candidates; `namesakes`: regions spelled with tones in ids (regions.RegionPrefixes);
    `written_out`: draft id → the reviewed body it may be (agencies.AgencyRegistry.written_out)."""
    candidates = candidates or {}
    lines: list[str] = []
    for plan in plans:
        measures = list(_measures(plan.get("nodes") or []))
        with_agencies = [m for m in measures if m["agencies"]]
        roles = Counter(ref["role"] for m in measures for ref in m["agencies"])
        campaigns = sum(len(m["campaigns"]) for m in measures)
        lines.append(f"{plan['source']['file']} → {plan['id']}: {plan.get('title') or '(no title)'}")
        lines.append("  | measures | with agencies | roles | new agency drafts | campaign mentions | campaign candidates |")
        role_text = "、".join(f"{ROLE_LABELS[role]} {count}" for role, count in roles.items()) or "—"
        plan_drafts = {ref["id"] for m in measures for ref in m["agencies"]} & {entry["id"] for entry in drafted}
        phrases = candidates.get(id(plan), [])
        lines.append(f"  | {len(measures)} | {len(with_agencies)} | {role_text} | {len(plan_drafts)} | {campaigns} | "
                     f"{'、'.join(phrases) or '—'} |")
        if plan.get("lead_rule"):
            lines.append(f"  rule for the whole document: {plan['lead_rule']}")
        for warning in plan_warnings(plan, measures):
            lines.append(f"  warning: {warning}")
    if drafted:
        lines.append(f"{len(drafted)} new agencies drafted for review (draft: true in agencies.yaml): "
                     + "、".join(entry["name"] for entry in drafted))
        suggested = [f"{entry['name']} → {entry['national_counterpart']}" for entry in drafted if entry.get("national_counterpart")]
        if suggested:
            lines.append("  national counterparts suggested by name (check each): " + "、".join(suggested))
        for entry in drafted:
            same = (written_out or {}).get(entry["id"])
            if same:
                lines.append(f"  warning: {entry['name']} ({entry['id']}) may be {same[1]} ({same[0]}) with its name written "
                             f"otherwise: if so, add {entry['name']} to that body's aliases, delete the draft and re-ingest with --force --take-new")
    lines += [f"warning: {line}" for line in namesakes or ()]
    return "\n".join(lines)


def plan_warnings(plan: dict, measures: list[dict]) -> list[str]:
    source = plan["source"]["file"]
    warnings = [f"{source}: {note}" for note in plan.get("review_notes") or ()]
    if not plan.get("full_title") and plan.get("title"):
        warnings.append(f"{source}: title “{plan['title']}” was taken from a citation in the text, not from a title line")
    mostly = len([m for m in measures if m["agencies"]]) > len(measures) / 2
    # Runs of measures in a row that name no agencies: one warning a run (保障措施's four measures are one line).
    without: list[list[dict]] = [[]]
    unworded: list[dict] = []
    for measure in measures:
        where = f"{source}:{measure['lines'][0]}: {measure['label'] or measure['heading'][:12]}"
        text = measure["text"].rstrip()
        unread_field = None if measure["responsibility"] else ROLE_FIELD.search(text)
        # A time limit alone (（2024年底前完成）) is no unread agency parenthesis.
        if not measure["responsibility"] and _UNREAD_PARENTHESIS.search(text) and not TIME_LIMIT.search(without_final_stop(text)):
            warnings.append(f"{where} ends in a parenthesis that was not read as agencies")
        elif unread_field:
            warnings.append(f"{where} writes “{unread_field[0]}” where no agencies were read")
        elif mostly and not measure["agencies"]:
            without[-1].append(measure)
        if measure["agencies"] and without[-1]:
            without.append([])
        reading = read_attribution(measure["responsibility"]) if measure["responsibility"] else None
        if reading is not None and reading.remark:
            warnings.append(f"{where}: “{reading.remark}” after its agencies was not read as agencies: check whether it names more")
        if reading is not None and reading.unworded:
            unworded.append(measure)
        for ref in measure["agencies"]:
            if _LIST_WORDS.search(ref["name"]) or len(list_names(ref["name"])) > 1:
                warnings.append(f"{where}: agency name “{ref['name']}” looks compound")
        if any(DATE_LINE.match(line) or SIGNATURE.match(line) for line in measure["text"].split("\n")):
            warnings.append(f"{where}: a signature or date line stands inside the provision")
    warnings += [_without_agencies(run, source) for run in without if run]
    warnings += _role_tables(plan, source)
    warnings += _unworded_lists(unworded, source)
    warnings += _numbering_gaps(plan.get("nodes") or [], source)
    warnings += _heading_responsibilities(plan.get("nodes") or [], source)
    return warnings


def _without_agencies(run: list[dict], source: str) -> str:
    labels = "、".join(measure["label"] or measure["heading"][:12] for measure in run)
    verb = "has" if len(run) == 1 else f"({len(run)} measures in a row) have"
    return f"{source}:{run[0]['lines'][0]}: {labels} {verb} no agencies, though most measures of this document have"


def _role_tables(plan: dict, source: str) -> list[str]:
    """A table (tab-separated rows) whose header names role columns: ingest reads no tables, the editor must."""
    lines = (plan.get("closing") or "").split("\n")
    for line in lines:
        cells = [cell.strip() for cell in line.split("\t")]
        roles = [cell for cell in cells if cell in FIELD_ROLES]
        if len(cells) > 1 and roles:
            return [f"{source}: a table after the measures has the columns {'、'.join(roles)}, which ingest does not read: "
                    "give each measure its agencies from it"]
    return []


def _unworded_lists(unworded: list[dict], source: str) -> list[str]:
    """One line for the measures whose parenthesis lists bodies without a role word (read as 负责)."""
    if not unworded:
        return []
    first = unworded[0]
    return [f"{source}:{first['lines'][0]}: {len(unworded)} measure(s) list bodies without a role word, such as "
            f"{first['responsibility']}; each body was read as responsible (负责, or by the document’s first-listed rule): check the roles the document means"]


def _heading_responsibilities(nodes: list[dict], source: str) -> list[str]:
    """Parts and groups whose heading ends in agencies: ingest gave them to the measures under it that print none."""
    found = []
    for node in nodes:
        if node["kind"] != "measure":
            printed = split_responsibility(node.get("heading") or "")[1]
            if printed:
                given = sum(1 for measure in _measures(node.get("children") or []) if measure["agencies"] and not measure["responsibility"])
                found.append(f"{source}:{node['lines'][0]}: {node['label'] or node['heading'][:12]} names agencies in its "
                             f"heading {printed}: given to the {given} measure(s) under it that print none of their own; "
                             "check that the document means them")
        found += _heading_responsibilities(node.get("children") or [], source)
    return found


def _numbering_gaps(nodes: list[dict], source: str) -> list[str]:
    gaps = []
    numbered = [node for node in nodes if node.get("label")]
    for before, after in zip(numbered, numbered[1:]):
        if after["ordinal"] not in (before["ordinal"] + 1, 1):
            gaps.append(f"{source}:{after['lines'][0]}: numbering jumps from {before['label']} to {after['label']}")
    for node in nodes:
        gaps += _numbering_gaps(node.get("children") or [], source)
    return gaps


def _measures(nodes: list[dict]):
    for node in nodes:
        if node["kind"] == "measure":
            yield node
        yield from _measures(node.get("children") or [])
