"""The exported site: the gh-pages tree unpacked into a folder, touching only what changed.

A site of ten editions is ten folders (and `latest`, a copy of the newest) of
thousands of files each; publishing one new year changes two of them. The
output's marker (`.qp-output`, see generator.write) records git's tree id of
every top-level entry it holds, so an export compares ids and replaces only
the entries whose id differs: each through a staged folder swapped in
atomically, the top-level files (versions.json, index.html, 404.html) through
the atomic file writer.

All or nothing: the folders replaced are kept until every entry is in place
and the marker is written; when anything fails they are swapped back, so the
output is either the old tree or the new one, never a mix that matches no
commit of the branch. A folder with no marker (first export, or one made by an
earlier version) is replaced whole, as one staged tree.

The output is the generator's own: a file edited by hand inside an edition
folder whose tree id did not change stays until that folder changes on the
branch (delete the marker to have the next run replace everything).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Mapping

from generator import git
from generator.write import MARKER, marker_bytes, new_staging, read_marker, staged_tree, swap_in, write_file
from generator.remove import remove_tree

TREES = "trees"
"""Key of the marker's record: top-level name -> git object id of what the folder holds."""

_LAST = ("versions.json", "index.html")
"""Written after the editions they name or send readers to."""


def export_branch(repo: Path, branch: str, out: Path, built: Mapping[str, Path] | None = None) -> list[str]:
    """Make `out` hold exactly the tree of `branch` (and the marker); the top-level entries written.

    `built` names folders that may already hold a top-level entry's tree (an
    edition publish has just built and committed): such a folder is moved in
    instead of unpacking the same files from git again, if git makes the very
    tree id of the branch's entry from it; otherwise the entry is unpacked.
    """
    out = Path(out)
    entries = git.top_entries(repo, branch)
    record = {TREES: {name: oid for name, (_, oid) in entries.items()}}
    held = (read_marker(out) or {}).get(TREES) if out.is_dir() else None
    if not isinstance(held, dict):
        with staged_tree(out) as staging:
            git.extract_branch(repo, branch, staging)
            (staging / MARKER).write_bytes(marker_bytes(record))
        return sorted(entries)

    changed = [name for name, (_, oid) in entries.items() if held.get(name) != oid or not (out / name).exists()]
    gone = [name for name in held if name not in entries and (out / name).exists()]
    changed.sort(key=lambda name: (entries[name][0] != "tree", name in _LAST, name))
    undo: list[tuple[str, Path | bytes | None]] = []
    unpacked: dict[str, Path] = {}
    try:
        for name in changed:
            kind, oid = entries[name]
            target = out / name
            if kind == "tree":
                staging = new_staging(target)
                try:
                    if oid in unpacked:
                        # `latest` is a copy of the newest edition: the same tree, already unpacked.
                        _link_tree(unpacked[oid], staging)
                    elif not _move_built(repo, (built or {}).get(name), oid, staging):
                        git.extract_branch(repo, oid, staging)
                except BaseException:
                    remove_tree(staging, ignore_errors=True)
                    raise
                undo.append((name, swap_in(staging, target)))
                unpacked[oid] = target
            else:
                before = target.read_bytes() if target.is_file() else None
                write_file(target, git.read_blob(repo, oid), root=out)
                undo.append((name, before))
        for name in gone:
            undo.append((name, swap_in(new_staging(out / name), out / name)))
        write_file(out / MARKER, marker_bytes(record), root=out)
    except BaseException:
        _undo(out, undo)
        raise
    for _, retired in undo:
        if isinstance(retired, Path):
            remove_tree(retired, ignore_errors=True)
    for name in gone:
        remove_tree(out / name, ignore_errors=True)  # the empty folder swapped in for it
    return sorted(changed + gone)


def _move_built(repo: Path, folder: Path | None, oid: str, staging: Path) -> bool:
    """Move `folder` to the empty `staging` if git makes the tree `oid` of it; whether it did.

    Hashing the files costs a fraction of writing them again, and a rename
    within one file system costs nothing; across file systems it is refused
    and the entry is unpacked as usual.
    """
    if folder is None or not folder.is_dir() or git.folder_tree(repo, folder) != oid:
        return False
    staging.rmdir()
    try:
        folder.rename(staging)
    except OSError:
        staging.mkdir()
        return False
    staging.chmod(0o755)  # as new_staging makes it: the output is for everyone
    return True


def _link_tree(source: Path, into: Path) -> None:
    """Fill the empty folder `into` with the files of `source`, hard-linked where the file system allows.

    The two folders hold the same git tree, so their files are the same bytes;
    a link costs no copy, and replacing either folder later leaves the other whole.
    """

    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, into, copy_function=link, dirs_exist_ok=True)


def _undo(out: Path, undo: list[tuple[str, Path | bytes | None]]) -> None:
    """Put back what an export replaced before it failed, newest first."""
    for name, before in reversed(undo):
        target = out / name
        if isinstance(before, Path):
            remove_tree(swap_in(before, target) or before, ignore_errors=True)
        elif isinstance(before, bytes):
            write_file(target, before, root=out)
        elif target.is_dir():
            remove_tree(target)  # it was not there before
        elif target.exists():
            target.unlink()
