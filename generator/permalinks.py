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
from pathlib import Path
from typing import Collection, Iterable, Mapping

from generator.load import read_optional_file
from generator.model import Redirect
from generator.urls import markdown_file
from generator.write import write_file

LOCK_FILE = "urls.lock"
REDIRECTS_FILE = "redirects.yaml"
LOCK_VERSION = 1


__all__ = ["Redirect", "format_url_lock", "read_redirects", "read_url_lock", "redirect_maps", "write_url_lock"]


def read_url_lock(data_dir: Path) -> dict[int, frozenset[str]]:
    """Edition year -> the page paths it published; {} when nothing was published yet.

    Read and validated by generator.load (InvalidData with file:line when malformed);
    a build has it already as Dataset.url_lock.
    """
    document = read_optional_file(Path(data_dir), "url_lock") or {}
    return {int(year): frozenset(paths) for year, paths in document.get("editions", {}).items()}


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
