"""The promise that a published URL keeps working: the URL lock and the redirects.

data/urls.lock records every path (`locked_paths`: data pages, comparisons,
sources) that each published edition contains; `publish` writes it and the
project commits it, so `check` can tell when a path that staff may have cited
no longer resolves (`url_problems`, the rules of both files).
data/redirects.yaml declares where such a path lives now; this module turns it
into the `redirect_maps` of mkdocs-redirects, so /latest/<old path> still leads
somewhere. Paths are the ones of generator.urls: relative to an edition root.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Collection, Iterable, Mapping

from generator.errors import Problem
from generator.corpus import Redirect
from generator.urls import comparison_path, markdown_file, page_paths, region_paths, source_path
from generator.schema_check import _did_you_mean
from generator.validate import DataFiles, _at
from generator.write import write_file

LOCK_FILE = "urls.lock"
REDIRECTS_FILE = "redirects.yaml"
LOCK_VERSION = 1


__all__ = ["Redirect", "format_url_lock", "locked_paths", "read_redirects", "read_url_lock", "redirect_maps", "url_problems", "write_url_lock"]


def read_url_lock(data_dir: Path) -> dict[int, frozenset[str]]:
    """Edition year -> the page paths it published; {} when nothing was published yet.

    Read and validated by generator.load (InvalidData with file:line when malformed);
    a build has it already as Dataset.url_lock.
    """
    from generator.load import read_optional_file  # load checks paths with this module's rules

    document = read_optional_file(Path(data_dir), "url_lock") or {}
    return {int(year): frozenset(paths) for year, paths in document.get("editions", {}).items()}


def locked_paths(corpus) -> set[str]:
    """Every path an edition built from `corpus` publishes that the lock keeps.

    The data pages (generator.urls.page_paths), the comparison of every national
    plan that a plan of the corpus implements, the region pages and the verbatim
    sources: all are cited, so none may vanish from a later edition.
    """
    paths = page_paths(corpus)
    plan_ids = {plan.id for plan in corpus.plans}
    paths.update(comparison_path(plan.implements) for plan in corpus.plans if plan.implements in plan_ids)
    paths.update(source_path(plan.source.file) for plan in corpus.plans)
    paths.update(region_paths(corpus))
    return paths


def format_url_lock(editions: Mapping[int, Iterable[str]]) -> str:
    """The lock file's text: stable ordering so that git diffs show only real changes."""
    document = {
        "version": LOCK_VERSION,
        "editions": {str(year): sorted(set(editions[year])) for year in sorted(editions)},
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def write_url_lock(data_dir: Path, editions: Mapping[int, Iterable[str]]) -> bool:
    """Write the lock if its content changes; True when it did."""
    return write_file(Path(data_dir) / LOCK_FILE, format_url_lock(editions).encode("utf-8"), root=Path(data_dir))


def read_redirects(data_dir: Path) -> tuple[Redirect, ...]:
    """The declared redirects; () when data/redirects.yaml is absent or empty.

    generator.load validates the file's shape (InvalidData with file:line);
    whether each one leads to a page is `check`'s rule, against the URL lock.
    A build has them already as Dataset.redirects.
    """
    from generator.load import read_optional_file

    return tuple(
        Redirect(entry["from"], entry["to"], entry["reason"])
        for entry in read_optional_file(Path(data_dir), "redirects") or ()
    )


def redirect_maps(redirects: Iterable[Redirect], pages: Collection[str] | None = None) -> dict[str, str]:
    """The `redirect_maps` option of mkdocs-redirects for one edition's build.

    `pages` is what the edition publishes (generator.urls.page_paths of its
    corpus). With it, a redirect is left out where its old path is still a page
    of this edition (the redirect page would overwrite the real one) or where its
    target is not a page of it (an older edition, built before the move). The
    keys and values are Markdown files relative to docs/, as the plugin expects.
    """
    maps: dict[str, str] = {}
    for redirect in redirects:
        if pages is not None and (redirect.from_path in pages or redirect.to_path not in pages):
            continue
        maps[markdown_file(redirect.from_path)] = markdown_file(redirect.to_path)
    return maps


MOVABLE_SECTIONS = ("plans/", "agencies/", "campaigns/", "compare/")
"""Where the pages made from ids live: the only pages that can move, so the only redirect sources."""


def url_problems(files: DataFiles, current_paths: set[str]) -> list[Problem]:
    """Published paths that no longer resolve, and redirects that lead nowhere or hide a page.

    `current_paths` are the paths the current data publishes and the lock keeps
    (generator.permalinks.locked_paths).
    """
    problems = []
    redirected: dict[str, int] = {}
    redirects = files.redirects
    for index, entry in enumerate(redirects.data if redirects else ()):
        assert redirects is not None  # there are entries only when there is a file
        old = entry["from"]
        if old in redirected:
            problems.append(_at(redirects, (index, "from"), f"'{old}' is redirected twice", "keep one redirect per path"))
        redirected[old] = index
        if not any(old.startswith(section) and old != section for section in MOVABLE_SECTIONS):
            problems.append(
                _at(
                    redirects,
                    (index, "from"),
                    f"redirect from '{old}', which is not the path of a plan, measure, agency, campaign or comparison page",
                    "only those pages move: a redirect here would replace a page the site makes itself or a hand-written one",
                )
            )
        elif old in current_paths:
            problems.append(_at(redirects, (index, "from"), f"redirect from '{old}', which is still a page", "remove the redirect: the page would be hidden"))
        if entry["to"] not in current_paths:
            problems.append(
                _at(redirects, (index, "to"), f"redirect to '{entry['to']}', which is no page", _did_you_mean(entry["to"], current_paths) or "point it at a path the current data publishes")
            )
    lock = files.url_lock
    if lock is None:
        return problems
    for year, paths in sorted(lock.data["editions"].items()):
        for index, path in enumerate(paths):
            if path not in current_paths and path not in redirected:
                problems.append(
                    _at(
                        lock,
                        ("editions", year, index),
                        f"published path '{path}' (edition {year}) is no longer produced: a permanent id changed or was removed",
                        _lost_path_fix(path, files),
                    )
                )
    return sorted(problems, key=lambda problem: (problem.file, problem.line or 0))


def _lost_path_fix(path: str, files: DataFiles) -> str:
    if path.startswith("sources/"):
        # A redirect page cannot stand in for a text file at its own URL.
        return f"keep {files.shown('sources')}/{path.removeprefix('sources/')} and a plan that cites it: a published source keeps its name"
    return f"restore the id, or add {{from: {path}, to: <its new path>, reason: …}} to {files.shown('redirects.yaml')}"
