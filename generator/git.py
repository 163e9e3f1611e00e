"""Every git call of the generator, in one place, with one error family.

Each call names its repository (`cwd`), never the process's current folder,
and every non-zero exit becomes a GitFailed carrying git's own message: no
exit code is ignored. A question whose answer may be "no" (does the branch
exist?) is asked with the flag that makes git say so on stdout.
"""

from __future__ import annotations

import os
import subprocess
import tarfile
from pathlib import Path

from generator.errors import GeneratorError

DEFAULT_IDENTITY = {"NAME": "quality-policy-site publish", "EMAIL": "publish@localhost"}
"""Used for commits where neither the environment nor git config names anyone."""


class GitFailed(GeneratorError):
    """A git command failed; the message holds the command and git's words."""


def run_git(repo: Path, *arguments: str, ok_codes: tuple[int, ...] = (0,)) -> str:
    """git `arguments` in `repo`; its stdout. GitFailed unless the exit code is in `ok_codes`."""
    result = subprocess.run(["git", *arguments], cwd=repo, capture_output=True, text=True)
    if result.returncode not in ok_codes:
        raise GitFailed(f"git {' '.join(arguments)} failed in {repo}: {result.stderr.strip() or f'exit {result.returncode}'}")
    return result.stdout


def toplevel(path: Path) -> Path:
    """The root of the work tree holding `path`."""
    start = path if path.is_dir() else path.parent
    try:
        return Path(run_git(start, "rev-parse", "--show-toplevel").strip())
    except GitFailed:
        raise GitFailed(f"{path}: not inside a git repository (pass --repo, or run git init)") from None


def branch_head(repo: Path, branch: str) -> str | None:
    """The commit `branch` points at; None when there is no such branch."""
    # --quiet: a missing branch is exit 1 with no message, anything else is an error.
    return run_git(repo, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}", ok_codes=(0, 1)).strip() or None


def current_branch(repo: Path) -> str | None:
    """The ref HEAD names (refs/heads/main); None on a detached HEAD."""
    return run_git(repo, "symbolic-ref", "-q", "HEAD", ok_codes=(0, 1)).strip() or None


def set_branch(repo: Path, branch: str, head: str | None) -> None:
    """Point `branch` at `head`, or delete it when `head` is None."""
    if head is None:
        run_git(repo, "update-ref", "-d", f"refs/heads/{branch}")
    else:
        run_git(repo, "update-ref", f"refs/heads/{branch}", head)


def list_files(repo: Path, branch: str) -> list[str]:
    """Every file path on `branch`."""
    return [name for name in run_git(repo, "ls-tree", "-r", "--name-only", "-z", branch).split("\0") if name]


def extract_branch(repo: Path, branch: str, into: Path) -> None:
    """Unpack the tree of `branch` into the folder `into` (git archive)."""
    archive = subprocess.Popen(
        ["git", "archive", "--format=tar", branch], cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert archive.stdout is not None and archive.stderr is not None
    try:
        with tarfile.open(fileobj=archive.stdout, mode="r|") as tar:
            tar.extractall(into, filter="data")
    finally:
        archive.stdout.close()
        code = archive.wait()
        message = archive.stderr.read().decode(errors="replace").strip()
        archive.stderr.close()
    if code != 0:
        raise GitFailed(f"git archive {branch} failed in {repo}: {message or f'exit {code}'}")


def identity(repo: Path) -> dict[str, str]:
    """GIT_AUTHOR_* and GIT_COMMITTER_*: the environment's, else git config's, else a default."""
    found = {}
    for key, config_key in (("NAME", "user.name"), ("EMAIL", "user.email")):
        # Exit 1 means "not set"; the default stands in.
        configured = run_git(repo, "config", config_key, ok_codes=(0, 1)).strip()
        for role in ("AUTHOR", "COMMITTER"):
            variable = f"GIT_{role}_{key}"
            found[variable] = os.environ.get(variable) or configured or DEFAULT_IDENTITY[key]
    return found
