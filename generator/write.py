"""The one way output reaches the disk: atomic, and never outside its target.

Every command that writes (render, export, publish, the URL lock, synth) goes
through here. A file is written beside its target, flushed to disk and renamed
over it; a tree is built in a hidden sibling folder and swapped in whole. So an
interrupted or failed run leaves the previous output exactly as it was, and a
path from data (`../x`, `/etc/x`) can never land outside the folder asked for.

Every tree this module makes holds a marker file (`.qp-output`): `claim_output`
lets a command replace only a folder that is new, empty or marked, so `--out`
can never wipe someone's files.

The swap: on Linux, `renameat2(RENAME_EXCHANGE)` trades the new folder and the
old one in one atomic step, so the output folder exists at every instant (a
server never sees it missing, a kill at any point leaves one complete tree in
place). Where the kernel or file system cannot exchange, the old folder is
renamed aside and the new one renamed in: a window of two renames, which
`clean_leftovers` closes on the next start by putting the old folder back if
the new one never arrived. Either way leftovers are named `.<name>.new-*` and
`.<name>.old-*` (ignored by git) and removed on the next start.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from generator.errors import GeneratorError
from generator.remove import remove_tree

MARKER = ".qp-output"
"""File in every tree the writer makes: this folder is ours to replace."""

_MARKER_TEXT = {"made_by": "python -m generator (quality-policy-site)", "note": "replaced whole by the next run"}


class UnsafeOutput(GeneratorError):
    """A write would have landed outside its target; nothing was written."""


def claim_output(out: Path, projects: Iterable[Path], private: Iterable[Path] = (), *, made_before: str | None = None) -> None:
    """Refuse an output folder that a run must not replace; nothing is touched.

    Neither a project folder nor a `private` folder (data/, docs/) nor any ancestor of
    them may be the output, nor may the output lie inside a private folder. An
    existing folder is accepted only when it is empty or holds the marker of a
    tree this writer made (or `made_before`, a file that trees of earlier
    versions of the generator, made before the marker existed, hold).
    """
    out = Path(out).resolve()
    private = tuple(Path(folder).resolve() for folder in private)
    for folder in (*(Path(project).resolve() for project in projects), *private):
        if out == folder or out in folder.parents:
            raise UnsafeOutput(f"{out}: --out would replace {folder}; choose a folder of its own, e.g. public/")
    for folder in private:
        if folder in out.parents:
            raise UnsafeOutput(f"{out}: --out lies inside {folder}; choose a folder of its own, e.g. public/")
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise UnsafeOutput(f"{out}: exists and is not a folder; choose a new or empty folder (--out is replaced whole)")
    ours = (out / MARKER).is_file() or (made_before is not None and (out / made_before).is_file())
    if out.is_dir() and any(out.iterdir()) and not ours:
        raise UnsafeOutput(
            f"{out}: not empty and not made by this generator (no {MARKER} in it); "
            "choose a new or empty folder (--out is replaced whole)"
        )


def read_marker(out: Path) -> dict[str, Any] | None:
    """What the marker of `out` records; None when `out` holds no marker."""
    try:
        record = json.loads((Path(out) / MARKER).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def marker_bytes(record: Mapping[str, Any] | None = None) -> bytes:
    """The marker's content: what made the tree, and what the maker wants to remember."""
    return (json.dumps({**_MARKER_TEXT, **(record or {})}, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def write_file(path: Path, content: bytes, *, root: Path) -> bool:
    """Make `path` (inside `root`) hold `content`; False when it already did (the file is not touched)."""
    path = Path(path)
    _inside(path, Path(root))
    if path.is_file() and path.stat().st_size == len(content) and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.tmp-")
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
    """Make the folder `out` hold exactly `files` (relative path -> content) and the marker, or leave it as it was.

    False when `out` already held the same content: nothing is touched.
    """
    out = Path(out)
    wanted = {_relative(name): content if isinstance(content, bytes) else content.encode("utf-8") for name, content in files.items()}
    wanted[MARKER] = marker_bytes()
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
def staged_tree(out: Path, *, marked: bool = True) -> Iterator[Path]:
    """A fresh hidden sibling of `out` to fill; swapped in for `out` when the block ends without error.

    The marker is added unless the block wrote one (or `marked` is False: a
    folder inside a marked tree needs none).
    """
    out = Path(out)
    staging = new_staging(out)
    try:
        yield staging
        if marked and not (staging / MARKER).exists():
            (staging / MARKER).write_bytes(marker_bytes())
    except BaseException:
        remove_tree(staging, ignore_errors=True)
        raise
    retired = swap_in(staging, out)
    if retired is not None:
        remove_tree(retired, ignore_errors=True)


def new_staging(out: Path) -> Path:
    """A fresh hidden sibling of `out` (`.<name>.new-*`) to fill, then to `swap_in`."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; the output is for everyone
    return staging


def swap_in(staging: Path, out: Path) -> Path | None:
    """Put the folder `staging` where `out` is; where the old `out` now lies (None if there was none).

    The old folder is kept so the caller can finish a larger change before
    removing it, or swap it back (`swap_in(retired, out)`) when that change fails.
    """
    staging, out = Path(staging), Path(out)
    _sync_folder(staging)
    if not out.exists():
        staging.rename(out)
        _sync_folder(out.parent)
        return None
    if _exchange(staging, out):
        _sync_folder(out.parent)
        return staging
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    retired.rmdir()
    out.rename(retired)
    try:
        staging.rename(out)
    except BaseException:
        retired.rename(out)
        raise
    _sync_folder(out.parent)
    return retired


def clean_leftovers(out: Path) -> list[Path]:
    """Remove what killed runs left of the output `out`; the paths removed.

    Beside it, `.<name>.new-*` / `.<name>.old-*` (and only those: the folder
    around `out` is not ours); inside a marked `out`, every staged, retired or
    temporary entry. An output that a kill caught between the two renames of
    the fallback swap (no `out`, a `.<name>.old-*` beside it) is first put back.
    """
    out = Path(out)
    removed: list[Path] = []
    if not out.parent.is_dir():
        return removed
    retired = sorted(path for path in out.parent.glob(f".{out.name}.old-*") if path.is_dir())
    if retired and not out.exists():
        retired[-1].rename(out)
    leftovers = [*out.parent.glob(f".{out.name}.new-*"), *out.parent.glob(f".{out.name}.old-*")]
    if (out / MARKER).is_file():
        leftovers += [path for pattern in (".*.new-*", ".*.old-*", ".*.tmp-*") for path in out.glob(pattern)]
    for leftover in sorted(leftovers):
        if leftover.is_dir() and not leftover.is_symlink():
            remove_tree(leftover)
        else:
            leftover.unlink()
        removed.append(leftover)
    return removed


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
try:
    _renameat2: Any = ctypes.CDLL(None, use_errno=True).renameat2
except (OSError, AttributeError):  # not glibc/Linux: the fallback swap
    _renameat2 = None


def _exchange(first: Path, second: Path) -> bool:
    """Trade two paths in one step; False where the system cannot, so the caller falls back."""
    if _renameat2 is None:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


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
