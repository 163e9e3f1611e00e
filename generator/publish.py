"""Publish every yearly edition with mike and export the result as a static tree.

`publish_site` (cli `python -m generator publish --out DIR`):

1. takes the repository's publish lock (`<git dir>/qp-publish/lock`, held with
   flock, so the kernel releases it on any exit: a second run stops at once),
   removes what killed runs left (scratch builds, staged output folders);
2. loads data/ and decides, edition by edition, what to do: an edition that was
   never published is built; the newest one is rebuilt when the fingerprint of
   its inputs changed (generator.fingerprint); every older published edition
   is frozen and never rebuilt, so its files stay byte-for-byte as they were;
3. builds each edition with `mkdocs build --strict` run on every core by
   generator.parallel_build (env QP_EDITION=<year>,
   QP_DATA=<data folder>) into scratch space inside the git dir, removed in
   `finally`, and checks every data page path of the edition is in it; all
   builds happen before anything is committed;
4. commits them into the local `gh-pages` branch through mike's git plumbing
   (`git fast-import`: the current branch, index and working tree are never
   touched, nothing is pushed), the newest also as `latest`, which is then
   made the newest edition's own git tree (generator.mike_branch); titles the
   versions for the selector (2023年版（最新）, 2016年版), points the site root
   at `latest` with the Chinese redirect page, and copies latest/404.html to
   the root;
5. exports the branch into DIR, replacing only the top-level folders whose git
   tree id changed (generator.site_tree), and records the published page paths
   in data/urls.lock.
If anything fails after the first commit (the export to a read-only or full
folder included), gh-pages is put back where it was and DIR is as it was.

Why `latest` is a copy (what mike's alias_type copy makes), not a symlink or a redirect:
after export the tree must work behind any static server. Git symlinks become
file-system symlinks, which GitHub Pages, object stores (S3) and zip archives
do not serve; redirect pages would send a reader who cites /latest/<path> to
/2023/<path>, so the living URL would vanish from the address bar. A copy
serves the real page at /latest/<path> everywhere, at the cost of one more copy
of the newest edition.
"""

from __future__ import annotations

import contextlib
import fcntl
import re
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Mapping

import generator
from generator import forked, git
from generator.editions import LATEST
from generator.errors import GeneratorError
from generator.fingerprint import edition_fingerprint, site_fingerprint
from generator.load import load_dataset
from generator.mike_branch import Deploy, Published, commit_editions, list_versions
from generator.corpus import Corpus
from generator.permalinks import LOCK_FILE, locked_paths, write_url_lock
from generator.site_tree import export_branch
from generator.urls import page_paths
from generator.write import claim_output, clean_leftovers
from generator.remove import remove_tree

__all__ = ["PublishError", "edition_fingerprint", "edition_title", "publish_site"]

BRANCH = "gh-pages"

PLACE = "qp-publish"
"""Folder in the repository's git dir that a run owns: its lock and its scratch builds."""

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


def edition_title(version: str, newest: bool) -> str:
    """The version selector's words for an edition: 2023年版（最新） or 2016年版."""
    return f"{version}年版（最新）" if newest else f"{version}年版"


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
    project = config_file.parent
    # A folder published before the marker existed holds versions.json: it is ours too.
    claim_output(out, (repo_dir, project), (data_dir, project / "docs"), made_before="versions.json")
    with _run_place(repo_dir) as scratch:
        clean_leftovers(out)
        return _publish(data_dir, out, repo_dir, config_file, until, scratch, echo)


@contextlib.contextmanager
def _run_place(repo_dir: Path) -> Iterator[Path]:
    """Hold the repository's publish lock; a scratch folder inside the git dir, removed on any exit."""
    place = git.git_dir(repo_dir) / PLACE
    place.mkdir(exist_ok=True)
    lock_path = place / "lock"
    # The lock file itself stays: removing it while another run waits on it would let two runs in.
    with open(lock_path, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PublishError(
                f"{lock_path}: another publish of this repository holds this lock; "
                "wait for it to finish, then publish again"
            ) from None
        # Holding the lock, every build-* folder here is a killed run's.
        for leftover in place.glob("build-*"):
            remove_tree(leftover, ignore_errors=True)
        scratch = Path(tempfile.mkdtemp(prefix="build-", dir=place))
        try:
            yield scratch
        finally:
            remove_tree(scratch, ignore_errors=True)


def _publish(
    data_dir: Path, out: Path, repo_dir: Path, config_file: Path, until: int | None, scratch: Path, echo: Echo
) -> int:
    dataset = load_dataset(data_dir, jobs=forked.spare_processes())
    corpus = dataset.corpus
    if until is not None:
        corpus = corpus.up_to(until)
    if not corpus.years:
        raise PublishError(f"{data_dir / 'plans'}: no plans, so no edition to publish (run ingest first)")
    site_inputs = site_fingerprint(config_file)
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
    for step in outcome.steps:
        if step.builds:
            _build(step, corpus, config_file, data_dir, scratch, echo)
        else:
            echo(_describe_skip(step))
    doing = f"committing to {BRANCH}"
    try:
        _commit(repo_dir, outcome.steps, published, _redirect_template(config_file), echo)
        doing = f"exporting {BRANCH} to {out}"
        started = time.monotonic()
        changed = export_branch(
            repo_dir, BRANCH, out, built={str(step.year): step.site_dir for step in outcome.steps if step.site_dir}
        )
        echo(
            f"exported {BRANCH} to {out} in {time.monotonic() - started:.1f}s "
            f"({'replaced: ' + ', '.join(changed) if changed else 'nothing changed'})"
        )
    except BaseException as error:
        # The export is all or nothing, so with the branch put back both are as they were.
        git.set_branch(repo_dir, BRANCH, outcome.head_before)
        if isinstance(error, GeneratorError):
            raise PublishError(f"{doing} failed: {error}; {BRANCH} was put back where it was") from error
        if isinstance(error, OSError):
            raise PublishError(
                f"{doing} failed: {error.strerror} ({error.filename}); "
                f"{BRANCH} was put back where it was and {out} is as it was"
            ) from error
        raise
    outcome.head_after = git.branch_head(repo_dir, BRANCH)
    try:
        outcome.lock_changed = _update_lock(data_dir, dataset.url_lock, corpus, outcome.steps, repo_dir)
    except OSError as error:
        raise PublishError(
            f"recording the published paths in {data_dir / LOCK_FILE} failed: {error.strerror} ({error.filename}); "
            "the site is published, run publish again to record them"
        ) from error
    for line in _summary(outcome, out, data_dir):
        echo(line)
    return 0


def _redirect_template(config_file: Path) -> Path:
    """mike's root redirect page in Chinese: the site's own, else the one beside the generator package."""
    for root in (config_file.parent, Path(generator.__file__).resolve().parent.parent):
        template = root / "overrides" / "redirects" / "mike.html"
        if template.is_file():
            return template
    raise PublishError(f"{config_file.parent / 'overrides/redirects/mike.html'}: missing (the site root's redirect page)")


def _say(line: str) -> None:
    # Flushed, so progress shows while an edition builds even when stdout is a pipe (nox, CI).
    print(line, flush=True)


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
        # MkDocs' own build with its page passes on every core (identical output,
        # the same --strict and link checks; generator/parallel_build.py says how).
        sys.executable, "-m", "generator.parallel_build", "--strict", "--clean",
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
    step.files = sum(len(files) for _, _, files in os.walk(site_dir))
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


def _commit(repo_dir: Path, steps: list[Step], published: dict[str, Published], template: Path, echo: Echo) -> None:
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
            title=edition_title(str(step.year), step is steps[-1]),
        )
        for step in steps
        if step.builds
    ]
    newest = steps[-1]
    alias = None
    if not newest.builds and LATEST not in published[str(newest.year)].aliases:
        alias = (str(newest.year), LATEST, f"Serve edition {newest.year} as {LATEST}")
    titles = {version: edition_title(version, version == str(newest.year)) for version in published}
    titles.update({deploy.version: deploy.title for deploy in deploys})
    started = time.monotonic()
    done = commit_editions(
        repo_dir, git.identity(repo_dir), BRANCH, deploys, alias, (LATEST, f"Send the site root to {LATEST}/"),
        titles=titles, template=template, root_404=f"{LATEST}/404.html",
    )
    echo(f"{BRANCH}: committed in {time.monotonic() - started:.1f}s")
    for step in steps:
        if step.builds:
            echo(f"edition {step.year}: committed to {BRANCH}{' (also as ' + LATEST + ')' if step.aliases else ''}")
    if alias:
        echo(f"{LATEST}: now edition {newest.year}")
    for line in done:
        if line.startswith("retitled "):
            echo(f"version selector: {line.removeprefix('retitled ')}")
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
