"""The one way output reaches the disk: atomic, and never outside its target.

Every command that writes (render, export, publish, the URL lock, synth) goes
through here. A file is written beside its target, flushed to disk and renamed
over it; a tree is built in a hidden sibling folder and swapped in whole. So an
interrupted or failed run leaves the previous output exactly as it was, and a
path from data (`../x`, `/etc/x`) can never land outside the folder asked for.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator, Mapping

from generator.errors import GeneratorError


class UnsafeOutput(GeneratorError):
    """A write would have landed outside its target; nothing was written."""


def write_file(path: Path, content: bytes, *, root: Path) -> bool:
    """Make `path` (inside `root`) hold `content`; False when it already did (the file is not touched)."""
    path = Path(path)
    _inside(path, Path(root))
    if path.is_file() and path.stat().st_size == len(content) and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide the file from other users of the checkout
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)
    return True


def write_tree(files: Mapping[str, str | bytes], out: Path) -> bool:
    """Make the folder `out` hold exactly `files` (relative path -> content), or leave it as it was.

    False when `out` already held the same content: nothing is touched.
    """
    out = Path(out)
    wanted = {_relative(name): content if isinstance(content, bytes) else content.encode("utf-8") for name, content in files.items()}
    # Compared in memory with what `out` holds: reading the old tree once costs
    # far less than writing a new one (an unchanged 10k edition: 3.5 s -> 0.6 s).
    if out.is_dir() and _tree_holds(out, wanted):
        return False
    with staged_tree(out) as staging:
        made: set[str] = set()
        for relative, content in wanted.items():
            target = os.path.join(staging, relative)
            folder = os.path.dirname(target)
            if folder not in made:
                os.makedirs(folder, exist_ok=True)
                made.add(folder)
            with open(target, "wb") as stream:
                stream.write(content)
                stream.flush()
                os.fsync(stream.fileno())
    return True


@contextlib.contextmanager
def staged_tree(out: Path) -> Iterator[Path]:
    """A fresh hidden sibling of `out` to fill; swapped in for `out` when the block ends without error."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; the output is for everyone
    try:
        yield staging
        _sync_folder(staging)
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, out: Path) -> None:
    """Put `staging` where `out` is, keeping the old folder until the new one is in place."""
    if not out.exists():
        staging.rename(out)
        _sync_folder(out.parent)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    retired.rmdir()
    out.rename(retired)
    try:
        staging.rename(out)
    except BaseException:
        retired.rename(out)
        raise
    _sync_folder(out.parent)
    shutil.rmtree(retired, ignore_errors=True)


def _relative(name: str) -> str:
    parts = name.split("/")
    if not name or name.startswith("/") or "\\" in name or any(part in ("", ".", "..") for part in parts):
        raise UnsafeOutput(f"{name!r}: not a plain relative path; nothing was written")
    return name


def _inside(path: Path, root: Path) -> None:
    resolved, base = path.resolve(), root.resolve()
    if resolved != base and base not in resolved.parents:
        raise UnsafeOutput(f"{path}: outside {root}, where this command writes; nothing was written")


def _tree_holds(root: Path, wanted: Mapping[str, bytes]) -> bool:
    """Whether `root` holds exactly the files of `wanted`, byte for byte."""
    present = set()
    for folder, _, names in os.walk(root):
        relative_folder = os.path.relpath(folder, root)
        for name in names:
            present.add(name if relative_folder == "." else f"{relative_folder}/{name}")
    if present != set(wanted):
        return False
    for relative, content in wanted.items():
        path = os.path.join(root, relative)
        if os.path.getsize(path) != len(content):
            return False
        with open(path, "rb") as stream:
            if stream.read() != content:
                return False
    return True


def _sync_folder(folder: Path) -> None:
    # A rename is durable only once its folder is flushed too.
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
