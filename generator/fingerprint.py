"""What an edition is built from, as one digest: publish rebuilds an edition only when it changes.

The version selector's title ("2023年版（最新）") is not part of it: the title
lives in versions.json, outside the edition's files, and changes when a new
year arrives; were it an input, the previous newest edition would look changed
(to be rebuilt, or reported frozen) on every new year although not a byte of
its pages differs.
"""

from __future__ import annotations

import hashlib
import os
from importlib import metadata
from pathlib import Path

import generator
from generator.corpus import Corpus
from generator.permalinks import LOCK_FILE

TOOLS = ("mkdocs", "mkdocs-material", "mike", "mkdocs-redirects")
"""Their versions are part of every fingerprint: a new theme release is a new build."""


def edition_fingerprint(corpus: Corpus, edition: int, data_dir: Path, site_inputs: str) -> str:
    """Digest of everything edition `edition` is built from.

    Its plans and their sources, every other data file except the URL lock
    (publish writes it), and `site_inputs`: the site (mkdocs.yml, docs/,
    overrides/, the generator package), QP_SITE_URL and the tool versions.
    A plan of a later year changes no older edition's fingerprint.
    """
    data_dir = Path(data_dir)
    files: set[Path] = set()
    for plan in corpus.up_to(edition).plans:
        files.add(_plan_file(plan, data_dir))
        files.add(data_dir / "sources" / plan.source.file)
    for path in data_dir.rglob("*"):
        relative = path.relative_to(data_dir)
        if path.is_file() and relative.parts[0] not in ("plans", "sources") and relative.name != LOCK_FILE:
            if not any(part.startswith(".") for part in relative.parts):
                files.add(path)
    digest = hashlib.sha256()
    digest.update(f"edition {edition}\nsite {site_inputs}\n".encode())
    for path in sorted(files):
        digest.update(f"{path.relative_to(data_dir).as_posix()} {_file_digest(path)}\n".encode())
    return digest.hexdigest()


def _plan_file(plan, data_dir: Path) -> Path:
    by_id = data_dir / "plans" / f"{plan.id}.yaml"
    if by_id.exists() or plan.location is None:
        return by_id
    located = Path(plan.location.file)
    return located if located.is_absolute() else Path.cwd() / located


def site_fingerprint(config_file: Path) -> str:
    """Digest of the site around the data: mkdocs.yml, docs/, overrides/, the generator package, QP_SITE_URL, tool versions."""
    root = config_file.parent
    # The build runs in the configuration's folder, so a generator package there is the
    # code it imports; otherwise it imports the installed one.
    package = root / "generator"
    if not (package / "__init__.py").is_file():
        package = Path(generator.__file__).resolve().parent
    digest = hashlib.sha256()
    for name in TOOLS:
        digest.update(f"{name} {_tool_version(name)}\n".encode())
    # The hook makes the sitemap's and the "cite this" boxes' absolute URLs from it.
    digest.update(f"QP_SITE_URL {os.environ.get('QP_SITE_URL', '')}\n".encode())
    entries = [("mkdocs.yml", config_file)]
    for folder in (root / "docs", root / "overrides"):
        entries += [(path.relative_to(root).as_posix(), path) for path in _tree_files(folder)]
    entries += [("generator/" + path.relative_to(package).as_posix(), path) for path in _tree_files(package)]
    for name, path in sorted(entries):
        digest.update(f"{name} {_file_digest(path)}\n".encode())
    return digest.hexdigest()


def _tree_files(folder: Path) -> list[Path]:
    # docs/_generated is what builds of older checkouts left there, not an input.
    skipped = {"__pycache__", "_generated"}
    return [
        path
        for path in folder.rglob("*")
        if path.is_file()
        and not any(part in skipped or part.startswith(".") for part in path.relative_to(folder).parts)
        and path.suffix != ".pyc"
    ]


def _tool_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


