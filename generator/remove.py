"""Deleting a folder of thousands of small folders, such as a built edition, without waiting on each.

A built edition is one folder per page (MkDocs' directory URLs): 11,000
folders at 10,000 measures. On a disk that is still writing out what the run
just made, every `rmdir` and `unlink` can wait milliseconds for the journal,
so a one-by-one `shutil.rmtree` of one edition took a minute in the
benchmark. Issued from many threads the waits overlap (the calls release
the GIL): the same tree went in under a second. Each subtree is still
removed by `shutil.rmtree`, which never follows a symbolic link out of it.
"""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

_THREADS = 32
_SPLIT_DEPTH = 2
"""Subtrees this deep are removed side by side (measures/<id>/ of an edition)."""


def remove_tree(top: Path, *, ignore_errors: bool = False) -> None:
    """Remove the folder `top` and everything in it; a missing `top` is fine, a symbolic link is only unlinked.

    As `shutil.rmtree`, an error is raised unless `ignore_errors`.
    """
    try:
        _remove(Path(top))
    except OSError:
        if not ignore_errors:
            raise


def _remove(top: Path) -> None:
    if top.is_symlink() or not top.exists():
        if top.is_symlink():
            top.unlink()
        return
    subtrees: list[str] = []
    files: list[str] = []
    _split(str(top), _SPLIT_DEPTH, subtrees, files)
    with ThreadPoolExecutor(_THREADS) as pool:
        for _ in pool.map(_remove_file, files):
            pass
        for _ in pool.map(_remove_subtree, subtrees):
            pass
    shutil.rmtree(top)  # what is left: the folders above the subtrees


def _split(folder: str, depth: int, subtrees: list[str], files: list[str]) -> None:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if depth > 1:
                    _split(entry.path, depth - 1, subtrees, files)
                else:
                    subtrees.append(entry.path)
            else:
                files.append(entry.path)


def _remove_file(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _remove_subtree(path: str) -> None:
    shutil.rmtree(path, ignore_errors=True)
