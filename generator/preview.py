"""An editor's preview: which generated files a `mkdocs serve --dirty` rebuild must redo.

MkDocs 1.6 rebuilds every page on each change unless `mkdocs serve --dirty`
is used; then it skips a page whose `File.is_modified()` is false. For a file
on disk that compares mtimes; for a file handed over in memory (the edition's
pages) MkDocs cannot know, and always says true. This module remembers the
bytes of the previous build of each generated file, so the hook can say
"modified" for exactly the files whose bytes changed: the measure an editor
touched and every page that shows it (its plan, agencies, campaigns,
comparisons, what is new), since each of those pages' Markdown changes with
it. It also keeps what the next build can reuse without making it again: the
data files already read and checked (generator.load.ReadCache) and the
alignment of each unchanged pair of plans (generator.build.AlignmentCache).
It lives in the package, not in the hook, because MkDocs executes the
hook file afresh with every configuration it loads, and serve loads one per
rebuild.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from typing import Mapping

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from generator.build import AlignmentCache
from generator.load import ReadCache

_state: dict[str, dict] = {"built": {}, "pending": {}}
"""Digests of each generated file's bytes, by site directory: of the last build that finished
("built") and of the one under way ("pending"). Empty unless `track` was called."""

_tracking = {"on": False}


@dataclass
class Reuse:
    """What earlier builds of this process made that the next one may use again, each kept under a sound key."""

    files: ReadCache = field(default_factory=ReadCache)
    """The data files read and checked, by their bytes (generator.load)."""
    alignments: AlignmentCache = field(default_factory=AlignmentCache)
    """The alignment of each pair of plans, by the plan objects (generator.build)."""


_reuse: dict[str, Reuse] = {}
"""This process's Reuse under "process" once `track` was called; empty otherwise, so a plain build reuses nothing."""


class GeneratedFile(File):
    """An in-memory generated file whose `is_modified` says whether its bytes changed since the last build."""

    changed: bool = True

    @classmethod
    def with_content(cls, config: MkDocsConfig, src_uri: str, content: bytes, changed: bool) -> GeneratedFile:
        file = cls.generated(config, src_uri, content=content)
        assert isinstance(file, GeneratedFile)
        file.changed = changed
        return file

    def is_modified(self) -> bool:
        # A page whose HTML is missing (a new page, a cleaned site) is built whatever its bytes.
        return self.changed or not os.path.isfile(self.abs_dest_path)


def track() -> None:
    """Remember generated files, and keep what can be reused, between builds in this process (`mkdocs serve --dirty`)."""
    _tracking["on"] = True
    _reuse.setdefault("process", Reuse())


def reuse() -> Reuse | None:
    """What earlier builds of this process left to reuse; None unless tracking is on."""
    return _reuse.get("process")


def changed_files(site_dir: str, files: Mapping[str, bytes]) -> set[str]:
    """The paths of `files` whose bytes differ from the last finished build into `site_dir`.

    Every path unless tracking is on and a build into `site_dir` has finished.
    """
    if not _tracking["on"]:
        return set(files)
    digests = {path: hashlib.blake2b(content, digest_size=16).digest() for path, content in files.items()}
    _state["pending"][site_dir] = digests
    before = _state["built"].get(site_dir)
    if before is None:
        return set(files)
    return {path for path, digest in digests.items() if before.get(path) != digest}


def finished(site_dir: str) -> None:
    """The build into `site_dir` wrote its pages: its files are what the next build compares with.

    A build that stops before (a `--strict` warning, an error) leaves the
    last finished one in place, so its pages are redone next time.
    """
    pending = _state["pending"].pop(site_dir, None)
    if pending is not None:
        _state["built"][site_dir] = pending
