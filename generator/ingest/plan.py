"""One document of a source → the plan mapping written to data/plans/<id>.yaml.

Everything a plan holds is decided here from the parsed pieces: metadata,
hierarchy, ids, agencies, campaigns, relations and the Simplified forms of
a Traditional source. The mapping's key order is the order of
docs/data-format.md, so the YAML reads the same as the documentation.
"""

from __future__ import annotations

import re

from generator.errors import GeneratorError
from generator.ingest.agencies import AgencyRegistry
from generator.ingest.campaigns import find_mentions
from generator.ingest.furniture import Furniture
from generator.ingest.metadata import DOC_NUMBER, Metadata, printed_date, read_metadata
from generator.ingest.paragraphs import make_paragraphs
from generator.ingest.reading_view import Originals, restore_metadata, restore_texts
from generator.ingest.responsibility import FIRST_LISTED_RULE, Attribution, inline_attributions, read_attribution, split_responsibility
from generator.ingest.script import to_mainland
from generator.ingest.regions import RegionPrefixes
from generator.slugs import doc_number_slug, slug_words
from generator.ingest.structure import Draft, Structure, parse_structure

_IMPLEMENTS = re.compile(r"(?:贯彻落实|贯彻|根据|落实)《[^《》\n]{1,200}》[（(](?P<number>[^（）()\n]{1,30}号)[）)]")
_FORWARDS = re.compile(r"《[^《》\n]{1,200}》[（(](?P<number>[^（）()\n]{1,30}号)[）)]转发")
_PARENTHESES = re.compile(r"[（(][^（）()]*[）)]")
_CITED = re.compile(r"《[^《》\n]{1,200}》[（(](?P<number>[^（）()\n]{1,30}号)[）)]")
_TRUNCATED = re.compile(r"[，,][^，,。]{1,2}。$")
_MAX_SLUG = 80
_SHORT_TITLE_NOISE = re.compile(r"贯彻实施|贯彻落实|\d{4}\s*年|[（(][^（）()]*[）)]")


class NoMeasuresError(GeneratorError):
    """A source in which no numbered provision was found."""


def build_plan(
    *,
    source_name: str,
    where: str,
    sha256: str,
    encoding: str,
    script: str,
    lines: list[str],
    span: tuple[int, int],
    furniture: list[Furniture],
    agencies: AgencyRegistry,
    campaign_index: dict[str, str],
    given: dict | None = None,
    originals: Originals | None = None,
) -> dict:
    """One document's plan mapping; `originals` when `lines` are the reading view of a Traditional source."""
    first, last = span
    furniture_lines = {item.line for item in furniture}
    own_furniture = [item for item in furniture if first <= item.line <= last]
    paragraphs = make_paragraphs(
        [(number, lines[number - 1]) for number in range(first, last + 1) if number not in furniture_lines]
    )
    structure = parse_structure(paragraphs)
    if not any(draft.kind == "measure" for draft in structure.walk()):
        raise NoMeasuresError(
            f"{where}:{first}: no numbered provisions found in lines {first}–{last} "
            "(a plan needs measures numbered 一、 / （一） / 1．; check that the file holds the document's full text)"
        )
    meta = read_metadata(own_furniture, structure.preamble, structure.closing, script)
    if originals is not None:
        restore_metadata(meta, originals)
    apply_given(meta, given or {})
    review_notes = _missing_metadata(meta)
    plan_id = make_plan_id(meta, agencies.prefixes)
    preamble_text = "\n".join(paragraph.text for paragraph in structure.preamble)
    attributions, lead_rule = read_attributions(structure)
    nodes = _ordered_nodes(structure, plan_id, meta, agencies, campaign_index, script, where, attributions)
    incomplete_note = _truncation_note(structure, source_name)
    closing_text = "\n".join(paragraph.text for paragraph in structure.closing)
    plan = {
        "id": plan_id,
        "title": meta.title,
        "title_as_printed": meta.title_as_printed,
        "full_title": meta.full_title,
        "doc_number": meta.doc_number,
        "issuers": meta.issuers,
        "level": meta.level,
        "region": meta.region,
        "year": meta.year,
        "date_written": meta.date_written,
        "date_published": meta.date_published,
        "date_effective": meta.date_effective,
        "subject": meta.subject,
        **_simplified_forms(script, subject=meta.subject or ""),
        "implements": _cited_plan(_IMPLEMENTS, preamble_text, meta) if not _is_forwarding(meta) else None,
        "forwards": _forwarded_plan(preamble_text, meta),
        **({"review_notes": review_notes} if review_notes else {}),
        **({"lead_rule": lead_rule} if lead_rule else {}),
        "incomplete": incomplete_note is not None,
        "incomplete_note": incomplete_note,
        "source": {
            "file": source_name,
            "sha256": sha256,
            "script": script,
            "encoding": encoding,
            "lines": [first, last],
        },
        "furniture": [{"rule": item.rule, "line": item.line, "text": item.text} for item in own_furniture],
        "preamble": preamble_text,
        "closing": closing_text,
        # Shown beside the original, never instead of it (as for every node).
        **_simplified_forms(script, preamble=preamble_text, closing=closing_text),
        "nodes": nodes,
    }
    if originals is not None:
        restore_texts(plan, originals)
    return plan


def _simplified_forms(script: str, **texts: str) -> dict[str, str]:
    if script != "traditional":
        return {}
    return {f"{name}_simplified": to_mainland(text) for name, text in texts.items() if text}


def make_plan_id(meta: Metadata, prefixes: RegionPrefixes) -> str:
    if meta.doc_number:
        slug = doc_number_slug(meta.doc_number)
        if slug:
            return slug
    prefix = prefixes.prefix(meta.region) if meta.region else "zhongyang"
    title = meta.title or ""
    if meta.region:
        title = title.replace(meta.region, "")
    short = slug_words(_SHORT_TITLE_NOISE.sub("", title))[:_MAX_SLUG].rstrip("-") or "plan"
    return f"{prefix}-{meta.year or 'undated'}-{short}"


def apply_given(meta: Metadata, given: dict) -> None:
    """Metadata the editor gave on the command line wins over what the capture prints."""
    for key in ("title", "doc_number", "level", "region", "full_title"):
        if given.get(key):
            setattr(meta, key, given[key])
    if given.get("issuers"):
        meta.issuers = list(given["issuers"])
    for key in ("date_written", "date_published", "date_effective"):
        if given.get(key):
            date = printed_date(given[key])
            if date is None:
                flag = "--date" if key == "date_written" else "--" + key.replace("_", "-")
                raise GeneratorError(f"{flag} {given[key]}: not a date (write it as 2019-01-24 or 2019年1月24日)")
            setattr(meta, key, date)


def _missing_metadata(meta: Metadata) -> list[str]:
    notes = [f"the date printed as {printed} does not exist: check the source, then fill date_written and year, "
             "or re-ingest with --date" for printed in meta.impossible_dates]
    if meta.year is None and not meta.impossible_dates:
        notes.append("no printed date found (no 成文日期/发布日期 and no date under the signature): fill date_written "
                     "and year, or re-ingest with --date")
    if not meta.title:
        notes.append("no title found: fill title, or re-ingest with --title")
    if not meta.issuers:
        notes.append("no issuer found: fill issuers, or re-ingest with --issuer")
    return notes


def _is_forwarding(meta: Metadata) -> bool:
    return bool(meta.full_title and "转发" in meta.full_title)


def _cited_plan(pattern: re.Pattern, text: str, meta: Metadata) -> str | None:
    for match in pattern.finditer(text):
        number = match["number"].strip()
        if number != meta.doc_number and DOC_NUMBER.fullmatch(number):
            return number
    return None


def settle_citations(plan: dict, known_ids: set[str]) -> None:
    """`implements` / `forwards` name a plan of the corpus; a cited document not in it stays a doc number in `cites`.

    Called once the whole corpus of the run is known, so a plan cited by another
    source of the same run is linked.
    """
    cites = []
    for key in ("implements", "forwards"):
        number = plan[key]
        if number is None:
            continue
        slug = doc_number_slug(number)
        if slug in known_ids and slug != plan["id"]:
            plan[key] = slug
        else:
            plan[key] = None
            cites.append(number)
    if cites:
        keys = list(plan)
        at = keys.index("forwards") + 1
        items = list(plan.items())
        plan.clear()
        plan.update(items[:at] + [("cites", cites)] + items[at:])


def _forwarded_plan(text: str, meta: Metadata) -> str | None:
    if not _is_forwarding(meta):
        return None
    return _cited_plan(_FORWARDS, text, meta) or _cited_plan(_CITED, text, meta)


def _truncation_note(structure: Structure, source_name: str) -> str | None:
    drafts = list(structure.walk())
    if structure.closing or not drafts:
        return None
    last = drafts[-1]
    final = last.text_paragraphs[-1] if last.text_paragraphs else last.heading
    if not _TRUNCATED.search(final):
        return None
    line = last.paragraphs[-1].last_line if last.paragraphs else last.first_line
    return (
        f"The capture in {source_name} stops mid-sentence at line {line} (“…{final[-12:]}”): "
        "the rest of this provision and of the document is missing from the source."
    )


def read_attributions(structure: Structure) -> tuple[dict[int, list[Attribution]], str | None]:
    """Each measure's attributions in document order, and the document's first-listed rule as printed.

    The rule ("列第一位者为牵头单位，下同") holds from the measure that states it on in its
    parenthesis; stated outside any parenthesis, before, among or after the measures
    (注：各项任务列第一位的为牵头单位), for all of them.
    A part or group whose heading ends in agencies ("（三）培育品牌主体（X牵头，Y配合）")
    gives them to each measure under it that prints none of its own.
    """
    found: dict[int, list[Attribution]] = {}
    texts = [paragraph.text for paragraph in [*structure.preamble, *structure.closing]]
    texts += [text for draft in structure.walk() for text in draft.text_paragraphs]
    # Outside any parenthesis: a note (注：…列第一位的为牵头单位) stands for the whole document.
    outside = (FIRST_LISTED_RULE.search(_PARENTHESES.sub("", text)) for text in texts)
    rule: str | None = next((match[0] for match in outside if match), None)

    def read(parentheses: list[str]) -> list[Attribution]:
        nonlocal rule
        readings = []
        for parenthesis in parentheses:
            reading = read_attribution(parenthesis, first_listed_leads=rule is not None)
            if reading is None:
                continue
            if reading.rule and rule is None:
                rule = reading.rule
            readings.append(reading)
        return readings

    def visit(draft: Draft, inherited: list[Attribution]) -> None:
        if draft.kind == "measure":
            own = read(inline_attributions(draft.text) + ([draft.responsibility] if draft.responsibility else []))
            found[id(draft)] = own or inherited
        else:
            printed = split_responsibility(draft.heading)[1] if draft.heading else ""
            inherited = read([printed]) if printed else inherited
        for child in draft.children:
            visit(child, inherited)

    for node in structure.nodes:
        visit(node, [])
    return found, rule


def _agency_refs(readings: list[Attribution], agencies: AgencyRegistry, meta) -> list[dict]:
    refs = []
    for reading in readings:
        for index, (name, role) in enumerate(reading.pairs):
            ref = {"id": agencies.resolve(name, meta.region, meta.level), "name": name, "role": role}
            if index in reading.printed:
                ref["printed"] = reading.printed[index]
            if index in reading.wordings:
                ref["wording"] = reading.wordings[index]
            refs.append(ref)
    return refs


def _ordered_nodes(structure, plan_id, meta, agencies, campaign_index, script, source_name, attributions) -> list[dict]:
    ids = _measure_ids(structure, plan_id, source_name)
    return [_node(draft, ids, meta, agencies, campaign_index, script, attributions) for draft in structure.nodes]


def _node(draft: Draft, ids: dict[int, str], meta, agencies, campaign_index, script, attributions) -> dict:
    node: dict = {"kind": draft.kind}
    if draft.kind == "measure":
        node["id"] = ids[id(draft)]
    node["label"] = draft.label
    node["ordinal"] = draft.number
    node["heading"] = draft.heading
    if script == "traditional":
        node["heading_simplified"] = to_mainland(draft.heading)
    node["text"] = draft.text
    if script == "traditional":
        node["text_simplified"] = to_mainland(draft.text)
    if draft.kind == "measure":
        node["responsibility"] = draft.responsibility
        readings = attributions.get(id(draft), [])
        node["agencies"] = _agency_refs(readings, agencies, meta)
        fields = {key: value for reading in readings for key, value in reading.fields.items()}
        if fields:
            node["responsibility_fields"] = fields
        node["campaigns"] = find_mentions(draft.heading + "\n" + draft.text, campaign_index)
        mentioned = agencies.find_mentions(draft.heading + "\n" + draft.text, meta.region, {ref["id"] for ref in node["agencies"]})
        if mentioned:
            node["mentions"] = mentioned
    node["lines"] = [draft.first_line, draft.own_last_line]
    node["children"] = [_node(child, ids, meta, agencies, campaign_index, script, attributions) for child in draft.children]
    return node


def _measure_ids(structure: Structure, plan_id: str, source_name: str) -> dict[int, str]:
    """Ordinal paths, dropping the same number of top levels everywhere while ids stay unique.

    Parts are written without padding, other levels with two digits:
    guobanfa-2016-18/06, chongqing-…/29, guobanfa-2016-68/2-01-03.
    """
    paths: list[tuple[Draft, list[Draft]]] = []

    def visit(draft: Draft, ancestors: list[Draft]) -> None:
        chain = ancestors + [draft]
        if draft.kind == "measure":
            paths.append((draft, chain))
        for child in draft.children:
            visit(child, chain)

    for root in structure.nodes:
        visit(root, [])
    shallowest = min(len(chain) for _draft, chain in paths)
    for dropped in range(shallowest - 1, -1, -1):
        keys = ["-".join(_step(node) for node in chain[dropped:]) for _draft, chain in paths]
        if len(set(keys)) == len(keys):
            return {id(draft): f"{plan_id}/{key}" for (draft, _chain), key in zip(paths, keys)}
    seen: dict[str, Draft] = {}
    for draft, chain in paths:
        key = "-".join(_step(node) for node in chain)
        if key in seen:
            raise GeneratorError(
                f"{source_name}:{draft.first_line}: provision {draft.label or draft.heading} has the same number as "
                f"the one on line {seen[key].first_line} under the same heading (correct the numbering in a copy "
                "of the source, or split the file so each document is ingested on its own)"
            )
        seen[key] = draft
    raise AssertionError("unreachable: full ordinal paths are unique once duplicates are refused")


def _step(node: Draft) -> str:
    return str(node.number) if node.kind == "part" else f"{node.number:02d}"
