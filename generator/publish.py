"""Publish every yearly edition with mike and export the result as a static tree.

`publish_site` (cli `python -m generator publish --out DIR`):

1. loads data/ and decides, edition by edition, what to do: an edition that was
   never published is built; the newest one is rebuilt when the fingerprint of
   its inputs changed; every older published edition is frozen and never
   rebuilt, so its files stay byte-for-byte as they were published;
2. builds each edition to a temporary folder with `mkdocs build --strict`
   (env QP_EDITION=<year>, QP_DATA=<data folder>) and checks every data page
   path of the edition is in it — all builds happen before anything is committed;
3. commits them into the local `gh-pages` branch through mike's git plumbing
   (`git fast-import`: the current branch, index and working tree are never
   touched, nothing is pushed), the newest also as `latest`, and points the site
   root at `latest`; if anything fails the branch is put back where it was;
4. exports the branch into DIR (`git archive`, then a swap) and records the
   published page paths in data/urls.lock.

Why `latest` is a copy (mike's alias_type copy), not a symlink or a redirect:
after export the tree must work behind any static server. Git symlinks become
file-system symlinks, which GitHub Pages, object stores (S3) and zip archives
do not serve; redirect pages would send a reader who cites /latest/<path> to
/2023/<path>, so the living URL would vanish from the address bar. A copy
serves the real page at /latest/<path> everywhere, at the cost of one more copy
of the newest edition.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Callable, Mapping

import generator
from generator import git
from generator.editions import LATEST
from generator.errors import GeneratorError
from generator.load import load_dataset
from generator.mike_branch import Deploy, MikeFailed, Published, commit_editions, list_versions
from generator.model import Corpus
from generator.permalinks import LOCK_FILE, locked_paths, write_url_lock
from generator.urls import page_paths
from generator.write import staged_tree

BRANCH = "gh-pages"

TOOLS = ("mkdocs", "mkdocs-material", "mike", "mkdocs-redirects")
"""Their versions are part of every fingerprint: a new theme release is a new build."""

Echo = Callable[[str], None]


class PublishError(GeneratorError):
    """Publishing stopped; the gh-pages branch and the output folder are as they were."""


@dataclass
class Step:
    """What publish does with one edition."""

    year: int
    action: str
    """build (never published), rebuild (newest, inputs changed), keep (published, unchanged) or frozen."""
    fingerprint: str
    aliases: tuple[str, ...] = ()
    seconds: float = 0.0
    site_dir: Path | None = None
    files: int = 0

    @property
    def builds(self) -> bool:
        return self.action in ("build", "rebuild")


@dataclass
class Outcome:
    """What changed, for the closing summary."""

    steps: list[Step] = field(default_factory=list)
    head_before: str | None = None
    head_after: str | None = None
    lock_changed: bool = False
    orphans: list[str] = field(default_factory=list)


def publish_site(
    data_dir: Path,
    out: Path,
    repo: Path | None = None,
    *,
    config_file: Path | None = None,
    until: int | None = None,
    echo: Echo | None = None,
) -> int:
    """Build what needs building into gh-pages, export it to `out`; 0 on success.

    `config_file` is the site's mkdocs.yml (default: the one beside the data
    folder); `repo` the git repository holding gh-pages (default: the one that
    holds the data folder); `until` publishes only the editions up to that year,
    as if later plans were not there yet (the benchmark times adding the last one).
    `echo` receives each progress line (default: printed).
    """
    echo = echo or _say
    data_dir = Path(data_dir).resolve()
    out = Path(out).resolve()
    config_file = Path(config_file).resolve() if config_file else data_dir.parent / "mkdocs.yml"
    if not config_file.is_file():
        raise PublishError(f"{config_file}: no MkDocs configuration (publish builds the site from it)")
    repo_dir = git.toplevel(Path(repo).resolve() if repo else data_dir)
    _refuse_unsafe_output(out, repo_dir, data_dir)

    dataset = load_dataset(data_dir)
    corpus = dataset.corpus
    if until is not None:
        corpus = corpus.up_to(until)
    if not corpus.years:
        raise PublishError(f"{data_dir / 'plans'}: no plans, so no edition to publish (run ingest first)")
    site_inputs = _site_fingerprint(config_file)
    outcome = Outcome()
    if git.current_branch(repo_dir) == f"refs/heads/{BRANCH}":
        raise PublishError(f"{repo_dir}: the current branch is {BRANCH}; check out another branch first")
    outcome.head_before = git.branch_head(repo_dir, BRANCH)
    published = list_versions(repo_dir, BRANCH)
    outcome.steps = _plan_steps(corpus, published, data_dir, site_inputs)
    years = {str(year) for year in corpus.years}
    outcome.orphans = sorted(year for year in published if year not in years)
    echo(
        f"publish: editions {', '.join(map(str, corpus.years))} from {data_dir}; "
        f"{BRANCH} {'at ' + outcome.head_before[:7] if outcome.head_before else 'does not exist yet'}"
    )
    with tempfile.TemporaryDirectory(prefix="qp-publish-") as scratch:
        for step in outcome.steps:
            if step.builds:
                _build(step, corpus, config_file, data_dir, Path(scratch), echo)
            else:
                echo(_describe_skip(step))
        try:
            _commit(repo_dir, outcome.steps, published, echo)
        except BaseException as error:
            git.set_branch(repo_dir, BRANCH, outcome.head_before)
            if isinstance(error, (MikeFailed, git.GitFailed)):
                raise PublishError(
                    f"committing to {BRANCH} failed: {error}; {BRANCH} was put back where it was"
                ) from error
            raise
    outcome.head_after = git.branch_head(repo_dir, BRANCH)
    _export(repo_dir, out, echo)
    outcome.lock_changed = _update_lock(data_dir, dataset.url_lock, corpus, outcome.steps, repo_dir)
    for line in _summary(outcome, out, data_dir):
        echo(line)
    return 0


def _say(line: str) -> None:
    # Flushed, so progress shows while an edition builds even when stdout is a pipe (nox, CI).
    print(line, flush=True)


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


def _site_fingerprint(config_file: Path) -> str:
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


def _plan_steps(corpus: Corpus, published: dict[str, Published], data_dir: Path, site_inputs: str) -> list[Step]:
    newest = corpus.years[-1]
    steps = []
    for year in corpus.years:
        fingerprint = edition_fingerprint(corpus, year, data_dir, site_inputs)
        aliases = (LATEST,) if year == newest else ()
        before = published.get(str(year))
        if before is None:
            action = "build"
        elif year != newest:
            action = "keep" if before.fingerprint == fingerprint else "frozen"
        else:
            action = "keep" if before.fingerprint == fingerprint else "rebuild"
        steps.append(Step(year=year, action=action, fingerprint=fingerprint, aliases=aliases))
    return steps


def _describe_skip(step: Step) -> str:
    if step.action == "frozen":
        return (
            f"edition {step.year}: frozen, kept as published "
            "(its inputs changed since; an older edition is never rebuilt)"
        )
    return f"edition {step.year}: unchanged since it was published, skipped"


def _build(step: Step, corpus: Corpus, config_file: Path, data_dir: Path, scratch: Path, echo: Echo) -> None:
    edition = corpus.up_to(step.year)
    measures = sum(len(plan.measures) for plan in edition.plans)
    why = "new" if step.action == "build" else "inputs changed"
    echo(f"edition {step.year}: building ({why}; {len(edition.plans)} plans, {measures} measures) …")
    started = time.monotonic()
    site_dir = scratch / str(step.year)
    environment = dict(os.environ)
    environment.update(QP_EDITION=str(step.year), QP_DATA=str(data_dir))
    command = [
        sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
        "--config-file", str(config_file), "--site-dir", str(site_dir),
    ]
    result = subprocess.run(
        command, cwd=config_file.parent, env=environment, capture_output=True, text=True, encoding="utf-8"
    )
    if result.returncode != 0:
        log = (result.stdout + result.stderr).strip().splitlines()
        for line in log[-15:]:
            echo(f"  | {line}")
        raise PublishError(
            f"edition {step.year}: mkdocs build failed: {_first_problem(log)} "
            f"(see the log above; rerun with QP_EDITION={step.year} mkdocs build --strict); "
            f"nothing was published"
        )
    missing = sorted(path for path in page_paths(edition) if not (site_dir / path / "index.html").is_file())
    if missing:
        shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
        raise PublishError(
            f"edition {step.year}: the build lacks {len(missing)} data page(s): {shown} "
            "(every path of generator.urls.page_paths must be rendered); nothing was published"
        )
    step.seconds = time.monotonic() - started
    step.site_dir = site_dir
    step.files = sum(1 for path in site_dir.rglob("*") if path.is_file())
    echo(f"edition {step.year}: built in {step.seconds:.1f}s ({step.files} files)")


def _first_problem(log: list[str]) -> str:
    # MkDocs says what went wrong on a WARNING or ERROR line and only then "Aborted …".
    lines = [_ANSI.sub("", line).strip() for line in log]
    for prefixes in (("ERROR", "WARNING"), ("Error", "Aborted", "Traceback")):
        for line in lines:
            if line.startswith(prefixes):
                return line
    return lines[-1] if lines else "no output"


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _commit(repo_dir: Path, steps: list[Step], published: dict[str, Published], echo: Echo) -> None:
    deploys = [
        Deploy(
            version=str(step.year),
            site_dir=step.site_dir or Path(),
            aliases=step.aliases,
            message=(
                f"Publish edition {step.year}{' as ' + ', '.join(step.aliases) if step.aliases else ''} "
                f"({step.action}, inputs {step.fingerprint[:12]})"
            ),
            fingerprint=step.fingerprint,
        )
        for step in steps
        if step.builds
    ]
    newest = steps[-1]
    alias = None
    if not newest.builds and LATEST not in published[str(newest.year)].aliases:
        alias = (str(newest.year), LATEST, f"Serve edition {newest.year} as {LATEST}")
    done = commit_editions(
        repo_dir, git.identity(repo_dir), BRANCH, deploys, alias, (LATEST, f"Send the site root to {LATEST}/")
    )
    for step in steps:
        if step.builds:
            echo(f"edition {step.year}: committed to {BRANCH}{' (also as ' + LATEST + ')' if step.aliases else ''}")
    if alias:
        echo(f"{LATEST}: now edition {newest.year}")
    if f"default {LATEST}" in done:
        echo(f"site root: sends visitors to {LATEST}/")


def _update_lock(
    data_dir: Path, lock_before: Mapping[int, frozenset[str]], corpus: Corpus, steps: list[Step], repo_dir: Path
) -> bool:
    """Record the data page paths each edition on the branch publishes.

    A path once recorded stays: after a rebuild moved it, only a redirect (which
    `check` demands) may stand in for it. Paths are taken from what really is on the
    branch, so a frozen edition never records pages it does not have, and a run
    that stopped before this step is made good by the next one.
    """
    lock = dict(lock_before)
    on_branch = _branch_page_dirs(repo_dir)
    editions_on_branch = {path.split("/", 1)[0] for path in on_branch}
    for step in steps:
        if str(step.year) not in editions_on_branch:
            continue
        present = {path for path in locked_paths(corpus.up_to(step.year)) if f"{step.year}/{path}" in on_branch}
        lock[step.year] = lock.get(step.year, frozenset()) | present
    return write_url_lock(data_dir, lock)


def _branch_page_dirs(repo_dir: Path) -> set[str]:
    listing = git.list_files(repo_dir, BRANCH)
    # A page as its folder ("2016/plans/x/"), any other file as itself ("2016/sources/x.txt").
    return {name[: -len("index.html")] if name.endswith("/index.html") else name for name in listing}


def _export(repo_dir: Path, out: Path, echo: Echo) -> None:
    """Replace `out` with the branch's tree: unpacked beside it, then swapped in."""
    with staged_tree(out) as staging:
        git.extract_branch(repo_dir, BRANCH, staging)
    echo(f"exported {BRANCH} to {out}")


def _refuse_unsafe_output(out: Path, repo_dir: Path, data_dir: Path) -> None:
    # DIR is replaced whole: never let that be the project or a folder of someone's files.
    for precious in (repo_dir, data_dir):
        if out == precious or out in precious.parents:
            raise PublishError(f"{out}: --out would replace {precious}; choose a folder of its own, e.g. public/")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / "versions.json").exists())):
        raise PublishError(
            f"{out}: exists and is not a site published before (no versions.json); "
            "choose a new or empty folder, it is replaced whole"
        )


def _summary(outcome: Outcome, out: Path, data_dir: Path) -> list[str]:
    built = [f"{step.year} ({'new' if step.action == 'build' else 'rebuilt'}, {step.seconds:.1f}s)" for step in outcome.steps if step.builds]
    kept = [str(step.year) for step in outcome.steps if step.action == "keep"]
    frozen = [str(step.year) for step in outcome.steps if step.action == "frozen"]
    newest = outcome.steps[-1].year
    lines = ["summary:"]
    lines.append(f"  built: {', '.join(built) if built else 'nothing'}")
    if kept:
        lines.append(f"  unchanged: {', '.join(kept)}")
    if frozen:
        lines.append(f"  frozen although their inputs changed: {', '.join(frozen)}")
    if outcome.orphans:
        lines.append(f"  kept on {BRANCH} with no plan of that year in data/: {', '.join(outcome.orphans)}")
    lines.append(f"  {LATEST}: edition {newest}")
    if outcome.head_before == outcome.head_after:
        lines.append(f"  {BRANCH}: no new commit ({_short(outcome.head_after)})")
    else:
        lines.append(f"  {BRANCH}: {_short(outcome.head_before)} -> {_short(outcome.head_after)}")
    lines.append(
        f"  {data_dir / LOCK_FILE}: " + ("updated, commit it with the data" if outcome.lock_changed else "unchanged")
    )
    lines.append(f"  site: {out}  (python -m http.server -d {out} 8000, then http://127.0.0.1:8000/)")
    return lines


def _short(head: str | None) -> str:
    return head[:7] if head else "none"
