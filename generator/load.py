"""Read data/ into the domain model.

This is the only module that turns YAML into model objects. `load_dataset`
reads every file of data/ once, validates it (schema and cross references) and
raises InvalidData listing every problem, so nothing downstream ever sees an
inconsistent corpus; it returns one Dataset: the corpus, the reviewed
alignments, the redirects and the URL lock. Given a ReadCache (the editor's
preview, which loads data/ again after every change), it parses and checks
only the files whose bytes it has not seen.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Callable, TypeVar

from generator import forked
from generator.errors import InvalidData, Problem
from generator.model import Agency, AgencyMention, AgencyRef, Campaign, CampaignRef, Furniture, Node, Plan, PrintedDate, Source, SourceLocation
from generator.corpus import Corpus, Dataset, Override, Redirect
from generator.permalinks import locked_paths, url_problems
from generator.schema_check import schema_problems
from generator.validate import DataFiles, reference_problems
from generator.yamlio import YamlDocument, gc_paused, parse_yaml, read_regular_file

# Files that may be absent: absence means an empty list (or no published paths yet).
OPTIONAL_FILES = {
    "non_campaigns": "non_campaigns.yaml",
    "alignments": "alignments.yaml",
    "redirects": "redirects.yaml",
    "url_lock": "urls.lock",
}
REQUIRED_FILES = {"agencies": "agencies.yaml", "campaigns": "campaigns.yaml"}


def load_dataset(data_dir: Path, cache: ReadCache | None = None, jobs: int = 1) -> Dataset:
    """Read, validate and build everything in `data_dir`; InvalidData lists every problem.

    With `cache`, files whose bytes it holds are not parsed again (their model
    objects are reused); the rules across files run on every load all the same.
    Without one, the plan files are parsed and checked on `jobs` processes.
    """
    # The whole load (node trees, data, model) allocates millions of objects
    # that stay alive: 70% of the time at 10,000 measures was the collector
    # re-scanning them (yamlio.gc_paused says why that is safe).
    with gc_paused():
        files = read_data_files(data_dir, cache, jobs)
        # Files that passed their schema always build; cross-file rules run on the result.
        corpus = corpus_from_files(files, cache)
        problems = reference_problems(files) + url_problems(files, locked_paths(corpus))
    if problems:
        raise InvalidData(problems)
    return Dataset(
        corpus=corpus,
        data_dir=Path(data_dir).as_posix(),
        overrides=tuple(_override(item) for item in _data(files.alignments)),
        redirects=tuple(Redirect(item["from"], item["to"], item["reason"]) for item in _data(files.redirects)),
        url_lock={int(year): frozenset(paths) for year, paths in dict(_data(files.url_lock, {})).get("editions", {}).items()},
    )


def load_corpus(data_dir: Path) -> Corpus:
    """The corpus alone, for the callers that need nothing else of data/ (check, tests)."""
    return load_dataset(data_dir).corpus


def _data(document: YamlDocument | None, empty: Any = ()) -> Any:
    return document.data if document is not None and document.data is not None else empty


def _override(item: dict) -> Override:
    return Override(
        local=str(item["local"]),
        national=str(item["national"]),
        decision=item["decision"],
        note=str(item.get("note") or ""),
    )


Model = TypeVar("Model")


@dataclass
class _Kept:
    digest: bytes
    document: YamlDocument
    model: Any = None


class ReadCache:
    """Files of data/ already read and checked against their schema, kept by their bytes.

    For the editor's preview: `mkdocs serve` loads data/ again after every
    change, and all but one file are as they were. A file is known by its kind,
    its name as messages show it (both are in the document and its problems)
    and a digest of its bytes, not its mtime: a save that keeps the mtime, a
    `git checkout` or a copy all change bytes, and reading every file is cheap
    next to parsing one. Only files that passed their schema are kept, so a
    broken file is parsed, and its problems reported, on every load until it
    is fixed. A kept document lets its node tree go (composed again only if
    a problem needs a line). The model made from a kept file (a Plan, the
    agency or campaign registry) is kept with it: it is frozen, so loads can
    share it.
    """

    def __init__(self) -> None:
        self._kept: dict[tuple[str, str], _Kept] = {}
        self._by_document: dict[int, _Kept] = {}
        self.parsed = 0
        """Files parsed and checked since the cache was made (the ones it did not hold)."""

    def document(self, kind: str, shown: str, raw: bytes) -> YamlDocument:
        """The checked document of `raw`, parsed only if these bytes were not seen under this name; InvalidData otherwise."""
        digest = hashlib.blake2b(raw, digest_size=16).digest()
        kept = self._kept.get((kind, shown))
        if kept is not None and kept.digest == digest:
            return kept.document
        self.parsed += 1
        document = checked_document(raw, kind, shown)
        document.forget_tree(raw)
        if kept is not None:
            del self._by_document[id(kept.document)]
        kept = self._kept[(kind, shown)] = _Kept(digest, document)
        self._by_document[id(document)] = kept
        return document

    def model(self, document: YamlDocument, make: Callable[[YamlDocument], Model]) -> Model:
        """`make(document)`, made once for a document this cache holds."""
        kept = self._by_document.get(id(document))
        if kept is None or kept.document is not document:
            return make(document)
        if kept.model is None:
            kept.model = make(document)
        return kept.model

    def keep_only(self, keys: set[tuple[str, str]]) -> None:
        """Forget the files not read by the last load (deleted or renamed), so their trees are freed."""
        for key in set(self._kept) - keys:
            del self._by_document[id(self._kept.pop(key).document)]


def checked_document(raw: bytes, kind: str, shown: str) -> YamlDocument:
    """The bytes of one data file of `kind`, parsed and checked against its schema; InvalidData otherwise."""
    if kind == "url_lock":
        _check_json(raw, shown)
    document = parse_yaml(raw, shown)
    found = schema_problems(document, kind)
    if found:
        raise InvalidData(found)
    return document


def read_data_files(data_dir: Path, cache: ReadCache | None = None, jobs: int = 1) -> DataFiles:
    """Every file of `data_dir`, each read and checked against its schema (by `cache` when given).

    Without a cache the plan files, most of the bytes, are parsed on `jobs`
    processes (generator.forked); their documents come back without their
    node trees, which a problem's line composes again from the file's bytes.
    Problems of all files are collected before raising, so one run names them all.
    """
    data_dir = Path(data_dir)
    shown_dir = data_dir.as_posix()
    files = DataFiles(shown_dir=shown_dir, sources_dir=data_dir / "sources")
    if not data_dir.is_dir():
        raise InvalidData([Problem(shown_dir, None, "no data folder here", "run from the project root, or pass --data FOLDER")])
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()

    def shown_of(path: Path) -> str:
        return f"{shown_dir}/{path.relative_to(data_dir).as_posix()}"

    def taken(outcome: YamlDocument | list[Problem]) -> YamlDocument | None:
        if isinstance(outcome, YamlDocument):
            return outcome
        problems.extend(outcome)
        return None

    def read(path: Path, kind: str) -> YamlDocument | None:
        shown = shown_of(path)
        seen.add((kind, shown))
        if cache is None:
            return taken(_checked_file(path, kind, shown))
        try:
            return cache.document(kind, shown, read_regular_file(path, shown))
        except InvalidData as error:
            problems.extend(error.problems)
            return None

    plan_paths = sorted((data_dir / "plans").glob("*.yaml"))
    if not (data_dir / "plans").is_dir():
        problems.append(Problem(f"{shown_dir}/plans", None, "missing folder", "create it: it holds one YAML file per plan"))
    else:
        for path in sorted((data_dir / "plans").iterdir()):
            # A plan saved as .yml or .txt would silently vanish from the site.
            if path.suffix != ".yaml" and not path.name.startswith("."):
                problems.append(
                    Problem(f"{shown_dir}/plans/{path.name}", None, "not read: plan files end in .yaml", f"rename it to {path.stem}.yaml, or move it out of plans/")
                )
    if cache is None and jobs > 1 and plan_paths:
        # A few runs of files per process: the processes take them in turn, so none waits long on another.
        size = -(-len(plan_paths) // (jobs * 4))
        shares = [[(path, shown_of(path)) for path in plan_paths[start:start + size]] for start in range(0, len(plan_paths), size)]
        parts = forked.run_tasks([partial(_checked_plans, share) for share in shares], jobs)
        documents = [taken(outcome) for part in parts for outcome in part]
    else:
        documents = [read(path, "plan") for path in plan_paths]
    files.plans.extend(document for document in documents if document is not None)
    for attribute, name in REQUIRED_FILES.items():
        path = data_dir / name
        if not path.is_file():
            problems.append(Problem(f"{shown_dir}/{name}", None, "missing file", "create it; write [] while it has no entries"))
        else:
            setattr(files, attribute, read(path, attribute))
    for attribute, name in OPTIONAL_FILES.items():
        path = data_dir / name
        if path.is_file():
            setattr(files, attribute, read(path, attribute))
    if cache is not None:
        cache.keep_only(seen)
    if problems:
        raise InvalidData(problems)
    return files


def _checked_file(path: Path, kind: str, shown: str, keep_tree: bool = True) -> YamlDocument | list[Problem]:
    """One file of data/ read and checked against its schema, or its problems."""
    try:
        raw = read_regular_file(path, shown)
        document = checked_document(raw, kind, shown)
    except InvalidData as error:
        return error.problems
    if not keep_tree:
        document.forget_tree(raw)
    return document


def _checked_plans(share: list[tuple[Path, str]]) -> list[YamlDocument | list[Problem]]:
    """On a forked process: plan files (path, name shown) checked, without the node trees that pickling would copy."""
    with gc_paused():
        return [_checked_file(path, "plan", shown, keep_tree=False) for path, shown in share]


def _check_json(raw: bytes, shown: str) -> None:
    # urls.lock is JSON read as YAML (a superset) to get line marks; a JSON
    # error is named as one, since nobody edits that file as YAML.
    try:
        json.loads(raw)
    except (UnicodeDecodeError, RecursionError):
        return  # read_yaml names the byte, or the depth
    except json.JSONDecodeError as error:
        raise InvalidData(
            [
                Problem(
                    shown,
                    error.lineno,
                    f"not valid JSON: {error.msg}",
                    f"publish writes this file: restore it with `git checkout -- {shown}`",
                    column=error.colno,
                )
            ]
        ) from error


def corpus_from_files(files: DataFiles, cache: ReadCache | None = None) -> Corpus:
    """The model of files that passed validation (from `cache` where it made it before)."""

    def made(document: YamlDocument, make: Callable[[YamlDocument], Model]) -> Model:
        return make(document) if cache is None else cache.model(document, make)

    plans = sorted((made(document, _plan_of) for document in files.plans), key=lambda plan: (plan.year, plan.id))
    return Corpus(
        plans=tuple(plans),
        agencies=made(files.agencies, _agencies_of) if files.agencies else (),
        campaigns=made(files.campaigns, _campaigns_of) if files.campaigns else (),
        non_campaigns=tuple(files.non_campaigns.data) if files.non_campaigns else (),
    )


def _plan_of(document: YamlDocument) -> Plan:
    return plan_from_dict(document.data, document.file, document)


def _agencies_of(document: YamlDocument) -> tuple[Agency, ...]:
    return tuple(agency_from_dict(item, _location(document, item)) for item in document.data)


def _campaigns_of(document: YamlDocument) -> tuple[Campaign, ...]:
    return tuple(campaign_from_dict(item, _location(document, item)) for item in document.data)


def read_optional_file(data_dir: Path, kind: str) -> Any:
    """One optional file of data/ alone (kind: a key of OPTIONAL_FILES), validated; None when absent.

    For tools that look at one file; a build reads them all through load_dataset.
    """
    data_dir = Path(data_dir)
    path = data_dir / OPTIONAL_FILES[kind]
    if not path.is_file():
        return None
    shown = f"{data_dir.as_posix()}/{OPTIONAL_FILES[kind]}"
    # The checks a full load makes of this file, urls.lock's JSON check included.
    return checked_document(read_regular_file(path, shown), kind, shown).data


def _location(document: YamlDocument | None, value: Any) -> SourceLocation | None:
    if document is None:
        return None
    line = document.line_of_value(value)
    return SourceLocation(file=document.file, line=line) if line else None


def _date(value: dict | None) -> PrintedDate | None:
    return PrintedDate(printed=str(value["printed"]), iso=str(value["iso"])) if value else None


def _lines(value: list | None) -> tuple[int, int] | None:
    return (int(value[0]), int(value[1])) if value else None


def node_from_dict(data: dict, document: YamlDocument | None = None) -> Node:
    return Node(
        kind=data["kind"],
        label=data.get("label") or "",
        ordinal=int(data["ordinal"]),
        heading=data.get("heading") or "",
        text=data.get("text") or "",
        id=data.get("id"),
        responsibility=data.get("responsibility") or "",
        agencies=tuple(AgencyRef(**ref) for ref in data.get("agencies") or ()),
        mentions=tuple(AgencyMention(**ref) for ref in data.get("mentions") or ()),
        responsibility_fields=tuple((str(k), str(v)) for k, v in (data.get("responsibility_fields") or {}).items()),
        campaigns=tuple(CampaignRef(**ref) for ref in data.get("campaigns") or ()),
        heading_simplified=data.get("heading_simplified"),
        text_simplified=data.get("text_simplified"),
        lines=_lines(data.get("lines")),
        children=tuple(node_from_dict(child, document) for child in data.get("children") or ()),
        location=_location(document, data),
    )


def plan_from_dict(data: dict, file: str = "", document: YamlDocument | None = None) -> Plan:
    source = data["source"]
    return Plan(
        id=data["id"],
        title=data["title"],
        doc_number=data.get("doc_number"),
        issuers=tuple(data.get("issuers") or ()),
        level=data["level"],
        region=data.get("region"),
        year=int(data["year"]),
        source=Source(
            file=source["file"],
            sha256=source["sha256"],
            script=source.get("script", "simplified"),
            encoding=source.get("encoding", "utf-8"),
            lines=_lines(source.get("lines")),
        ),
        nodes=tuple(node_from_dict(node, document) for node in data.get("nodes") or ()),
        title_as_printed=data.get("title_as_printed"),
        full_title=data.get("full_title"),
        date_written=_date(data.get("date_written")),
        date_published=_date(data.get("date_published")),
        date_effective=_date(data.get("date_effective")),
        subject=data.get("subject"),
        subject_simplified=data.get("subject_simplified"),
        implements=data.get("implements"),
        forwards=data.get("forwards"),
        cites=tuple(data.get("cites") or ()),
        lead_rule=data.get("lead_rule"),
        review_notes=tuple(data.get("review_notes") or ()),
        incomplete=bool(data.get("incomplete", False)),
        incomplete_note=data.get("incomplete_note"),
        furniture=tuple(Furniture(rule=item["rule"], line=int(item["line"]), text=item["text"]) for item in data.get("furniture") or ()),
        preamble=data.get("preamble") or "",
        closing=data.get("closing") or "",
        preamble_simplified=data.get("preamble_simplified"),
        closing_simplified=data.get("closing_simplified"),
        location=SourceLocation(file=file, line=1) if file else None,
    )


def agency_from_dict(data: dict, location: SourceLocation | None = None) -> Agency:
    return Agency(
        id=data["id"],
        name=data["name"],
        full_name=data.get("full_name") or data["name"],
        level=data["level"],
        region=data.get("region"),
        aliases=tuple(data.get("aliases") or ()),
        national_counterpart=data.get("national_counterpart"),
        successor=data.get("successor"),
        collective=bool(data.get("collective", False)),
        draft=bool(data.get("draft", False)),
        location=location,
    )


def campaign_from_dict(data: dict, location: SourceLocation | None = None) -> Campaign:
    return Campaign(
        id=data["id"],
        name=data["name"],
        kind=data.get("kind", ""),
        first_year=int(data["first_year"]),
        variants=tuple(data.get("variants") or ()),
        description=data.get("description") or "",
        location=location,
    )
