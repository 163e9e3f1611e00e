"""A Traditional source read through Simplified characters, one for one, and its own characters given back.

Every rule of ingest (numbering 第一條, titles 關於, doc numbers 號, role words
負責 and 牽頭, signatures 辦公廳, furniture) is written once, in Simplified.
A Traditional capture is therefore read through a view in which each character
is replaced by its Simplified form only where that form is one character too,
so the view has the same length as the source, line by line. Ingest reads the
view; every text it keeps (headings, provisions, responsibility, names as
printed, titles, furniture) is then taken back from the source at the same
place, so the plan holds the document's own characters, and its `*_simplified`
forms are made from those (generator.ingest.script.to_mainland, phrases and all).
Agencies and campaigns are found by their Simplified names, as the registries
spell them.
"""

from __future__ import annotations

from generator.ingest.metadata import Metadata
from generator.ingest.script import simplified_characters, to_mainland


def reading_view(lines: list[str]) -> list[str]:
    """`lines` with every character that has a one-character Simplified form replaced by it."""
    return [simplified_characters(line) for line in lines]


class Originals:
    """The source's own characters for a text ingest read in the view.

    Paragraphs are lines joined without a separator and texts are pieces of
    paragraphs joined with newlines, so each newline-free piece of a text
    stands, character for character, somewhere in the source's lines run
    together: found there in the view, it is copied from the source.
    """

    def __init__(self, view: list[str], source: list[str]) -> None:
        self._view_flat = "".join(line.strip() for line in view)
        self._source_flat = "".join(line.strip() for line in source)
        self._view_squeezed = "".join(self._view_flat.split())
        self._source_squeezed = "".join(self._source_flat.split())
        self._cursor = 0

    def of(self, text: str) -> str:
        """`text` (read in the view) in the source's characters; a piece not found is kept as read."""
        return "\n".join(self._piece(piece) for piece in text.split("\n"))

    def _piece(self, piece: str) -> str:
        if not piece:
            return piece
        # Texts are asked for in document order: looked for from the last one found first, the
        # search stays linear in a long document, and a repeated piece is taken where it stands.
        start = self._view_flat.find(piece, self._cursor)
        if start < 0:
            start = self._view_flat.find(piece)
        if start >= 0:
            self._cursor = start
            return self._source_flat[start : start + len(piece)]
        # A title is kept with its spaces squeezed out (某某省 关于… → 某某省关于…).
        start = self._view_squeezed.find(piece)
        return self._source_squeezed[start : start + len(piece)] if start >= 0 else piece


def restore_metadata(meta: Metadata, originals: Originals) -> None:
    """The title and doc number read in the view, in the source's characters (before the plan's id is made from them)."""
    if meta.title_as_printed:
        meta.title_as_printed = originals.of(meta.title_as_printed)
        meta.title = to_mainland(meta.title_as_printed)
    if meta.full_title:
        meta.full_title = originals.of(meta.full_title)
    if meta.doc_number:
        meta.doc_number = originals.of(meta.doc_number)
    if meta.subject:
        meta.subject = originals.of(meta.subject)


def restore_texts(plan: dict, originals: Originals) -> None:
    """Every other text of `plan` read in the view, given back in the source's characters; the Simplified forms made from them.

    In document order, which keeps Originals' search short.
    """
    if plan.get("preamble"):
        plan["preamble"] = originals.of(plan["preamble"])
        plan["preamble_simplified"] = to_mainland(plan["preamble"])
    for node in plan.get("nodes") or ():
        _restore_node(node, originals)
    if plan.get("closing"):
        plan["closing"] = originals.of(plan["closing"])
        plan["closing_simplified"] = to_mainland(plan["closing"])
    if plan.get("lead_rule"):
        plan["lead_rule"] = originals.of(plan["lead_rule"])


def _restore_node(node: dict, originals: Originals) -> None:
    node["label"] = originals.of(node["label"])
    for key in ("heading", "text"):
        node[key] = originals.of(node[key])
        if f"{key}_simplified" in node:
            node[f"{key}_simplified"] = to_mainland(node[key])
    if node.get("responsibility"):
        node["responsibility"] = originals.of(node["responsibility"])
    if node.get("responsibility_fields"):
        node["responsibility_fields"] = {originals.of(key): originals.of(value) for key, value in node["responsibility_fields"].items()}
    for key in ("agencies", "campaigns", "mentions"):
        for ref in node.get(key) or ():
            ref["name"] = originals.of(ref["name"])
            for field in ("printed", "wording"):
                if ref.get(field):
                    ref[field] = originals.of(ref[field])
    for child in node.get("children") or ():
        _restore_node(child, originals)
