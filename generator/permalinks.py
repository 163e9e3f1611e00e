"""The promise that a published URL keeps working: the URL lock and the redirects.

data/urls.lock records every data page path (generator.urls.page_paths) that each
published edition contains; `publish` writes it and the project commits it, so
`check` can tell when a path that staff may have cited no longer resolves.
data/redirects.yaml declares where such a path lives now; this module turns it
into the `redirect_maps` of mkdocs-redirects, so /latest/<old path> still leads
somewhere. Paths are the ones of generator.urls: relative to an edition root.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Collection, Iterable, Mapping

import yaml

from generator.errors import GeneratorError, InvalidData, Problem
from generator.urls import markdown_file

LOCK_FILE = "urls.lock"
REDIRECTS_FILE = "redirects.yaml"
LOCK_VERSION = 1


@dataclass(frozen=True)
class Redirect:
    """One declared move: a published path and where its content lives now."""

    from_path: str
    """The path as it was published ("plans/guobanfa-2016-18/19/")."""
    to_path: str
    """The path it is now served at, made by generator.urls."""
    reason: str
    """Why it moved, for the editors who read the file later."""
    line: int | None = None
    """Line of the entry in data/redirects.yaml, for error messages."""


def read_url_lock(data_dir: Path) -> dict[int, frozenset[str]]:
    """Edition year -> the page paths it published; {} when nothing was published yet."""
    path = Path(data_dir) / LOCK_FILE
    if not path.exists():
        return {}
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("version") != LOCK_VERSION:
            raise ValueError(f"version {document.get('version')!r}, expected {LOCK_VERSION}")
        return {
            int(year): frozenset(str(item) for item in paths)
            for year, paths in document["editions"].items()
        }
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise GeneratorError(
            f"{path}: not a URL lock ({error}); restore it from git, "
            "it is the record of what was published"
        ) from None


def format_url_lock(editions: Mapping[int, Iterable[str]]) -> str:
    """The lock file's text: stable ordering so that git diffs show only real changes."""
    document = {
        "version": LOCK_VERSION,
        "editions": {str(year): sorted(set(editions[year])) for year in sorted(editions)},
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def write_url_lock(data_dir: Path, editions: Mapping[int, Iterable[str]]) -> bool:
    """Write the lock if its content changes; True when it did."""
    path = Path(data_dir) / LOCK_FILE
    text = format_url_lock(editions)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    # Written beside and renamed, so an interrupted publish never leaves half a lock.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".urls.lock.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide the lock from other users of the checkout
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def read_redirects(data_dir: Path) -> tuple[Redirect, ...]:
    """The declared redirects; () when data/redirects.yaml is absent or empty.

    Raises InvalidData with every malformed entry, each with its line.
    """
    path = Path(data_dir) / REDIRECTS_FILE
    if not path.exists():
        return ()
    shown = _shown_path(path)
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise InvalidData([Problem(shown, line, f"not valid YAML: {getattr(error, 'problem', error)}")]) from None
    if root is None:
        return ()
    if not isinstance(root, yaml.SequenceNode):
        raise InvalidData(
            [Problem(shown, root.start_mark.line + 1, "expected a list of {from, to, reason}", "write [] for none")]
        )
    redirects: list[Redirect] = []
    problems: list[Problem] = []
    for index, node in enumerate(root.value):
        line = node.start_mark.line + 1
        where = f"[{index}]"
        item = _construct(node)
        if not isinstance(item, dict):
            problems.append(Problem(shown, line, "expected a mapping with from, to and reason", path=where))
            continue
        entry_problems = [
            Problem(shown, line, f"'{key}' must be a page path ending in '/'", _FIX_PATH, path=f"{where}.{key}")
            for key in ("from", "to")
            if not _is_page_path(item.get(key))
        ]
        if not str(item.get("reason") or "").strip():
            entry_problems.append(
                Problem(shown, line, "'reason' is missing", "say why the path moved", path=f"{where}.reason")
            )
        unknown = sorted(set(item) - {"from", "to", "reason"})
        if unknown:
            entry_problems.append(
                Problem(shown, line, f"unknown key(s) {', '.join(map(str, unknown))}", "use only from, to, reason", path=where)
            )
        if not entry_problems and item["from"] == item["to"]:
            entry_problems.append(Problem(shown, line, "'from' and 'to' are the same path", path=where))
        problems.extend(entry_problems)
        if not entry_problems:
            redirects.append(Redirect(item["from"], item["to"], str(item["reason"]).strip(), line))
    seen: dict[str, Redirect] = {}
    for redirect in redirects:
        if redirect.from_path in seen:
            problems.append(
                Problem(
                    shown,
                    redirect.line,
                    f"'{redirect.from_path}' is already redirected on line {seen[redirect.from_path].line}",
                    "keep one entry per old path",
                )
            )
        seen.setdefault(redirect.from_path, redirect)
    if problems:
        raise InvalidData(problems)
    return tuple(redirects)


def redirect_maps(data_dir: Path, pages: Collection[str] | None = None) -> dict[str, str]:
    """The `redirect_maps` option of mkdocs-redirects for one edition's build.

    `pages` is what the edition publishes (generator.urls.page_paths of its
    corpus). With it, a redirect is left out where its old path is still a page
    of this edition (the redirect page would overwrite the real one) or where its
    target is not a page of it (an older edition, built before the move). The
    keys and values are Markdown files relative to docs/, as the plugin expects.
    """
    maps: dict[str, str] = {}
    for redirect in read_redirects(data_dir):
        if pages is not None and (redirect.from_path in pages or redirect.to_path not in pages):
            continue
        maps[markdown_file(redirect.from_path)] = markdown_file(redirect.to_path)
    return maps


_FIX_PATH = "write it as generator.urls makes it, e.g. plans/guobanfa-2016-18/06/"


def _is_page_path(value: object) -> bool:
    return (
        isinstance(value, str)
        and value.endswith("/")
        and not value.startswith("/")
        and "://" not in value
        and ".." not in value.split("/")
        and value.strip() == value
        and len(value) > 1
    )


def _construct(node: yaml.Node) -> object:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _shown_path(path: Path) -> str:
    # Errors name data/redirects.yaml the way the editor typed the folder, not an absolute path.
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
