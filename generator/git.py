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
import tempfile
from pathlib import Path

from generator.errors import GeneratorError

DEFAULT_IDENTITY = {"NAME": "quality-policy-site publish", "EMAIL": "publish@localhost"}
"""Used for commits where neither the environment nor git config names anyone."""


class GitFailed(GeneratorError):
    """A git command failed; the message holds the command and git's words."""


def run_git(
    repo: Path, *arguments: str, ok_codes: tuple[int, ...] = (0,), stdin: str | None = None,
    env: dict[str, str] | None = None,
) -> str:
    """git `arguments` in `repo`, fed `stdin`, with `env` added to the environment; its stdout.

    GitFailed unless the exit code is in `ok_codes`.
    """
    result = subprocess.run(
        ["git", *arguments], cwd=repo, capture_output=True, text=True, input=stdin,
        env=dict(os.environ, **env) if env else None,
    )
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


def git_dir(repo: Path) -> Path:
    """The repository's own folder (shared by its worktrees): where a run keeps its lock and scratch space."""
    return (Path(repo) / run_git(repo, "rev-parse", "--git-common-dir").strip()).resolve()


def top_entries(repo: Path, treeish: str) -> dict[str, tuple[str, str]]:
    """The entries at the top of `treeish`: name -> (blob or tree, object id); {} when it does not exist."""
    return {name: (kind, oid) for name, (_, kind, oid) in _tree_entries(repo, treeish).items()}


def _tree_entries(repo: Path, treeish: str) -> dict[str, tuple[str, str, str]]:
    """name -> (mode, blob or tree, object id) at the top of `treeish`; {} when it does not exist."""
    if not run_git(repo, "rev-parse", "--verify", "--quiet", f"{treeish}^{{tree}}", ok_codes=(0, 1)).strip():
        return {}
    entries = {}
    for line in run_git(repo, "ls-tree", "-z", treeish).split("\0"):
        if line:
            meta, name = line.split("\t", 1)
            mode, kind, oid = meta.split()
            entries[name] = (mode, kind, oid)
    return entries


def object_id(repo: Path, spec: str) -> str | None:
    """The object `spec` names (e.g. a tree id and a path in it, "<oid>:404.html"); None when there is none."""
    return run_git(repo, "rev-parse", "--verify", "--quiet", spec, ok_codes=(0, 1)).strip() or None


def write_blob(repo: Path, data: bytes) -> str:
    """Store `data` as a blob in the repository; its object id."""
    return _run_git_bytes(repo, "hash-object", "-w", "--stdin", stdin=data).decode().strip()


def commit_top_entries(
    repo: Path, branch: str, changes: dict[str, tuple[str, str]], message: str, identity: dict[str, str]
) -> bool:
    """Commit onto `branch` its tree with the top-level entries `changes` (name -> (blob or tree, object id)) set.

    Made with git's plumbing (mktree, commit-tree, update-ref against the head
    read first), so a tree already in the repository, such as an edition's,
    becomes another folder without a byte of it being read again. False, and
    no commit, when the tree would stay as it is.
    """
    head = branch_head(repo, branch)
    if head is None:
        raise GitFailed(f"{repo}: no branch {branch} to commit onto")
    entries = _tree_entries(repo, head)
    wanted = dict(entries)
    for name, (kind, oid) in changes.items():
        wanted[name] = ("040000" if kind == "tree" else "100644", kind, oid)
    if wanted == entries:
        return False
    listing = "".join(f"{mode} {kind} {oid}\t{name}\0" for name, (mode, kind, oid) in wanted.items())
    tree = run_git(repo, "mktree", "-z", stdin=listing).strip()
    commit = run_git(repo, "commit-tree", tree, "-p", head, "-m", message, env=identity).strip()
    # The old head as the expected value: a branch moved meanwhile is an error, not overwritten.
    run_git(repo, "update-ref", f"refs/heads/{branch}", commit, head)
    return True


def read_blob(repo: Path, oid: str) -> bytes:
    """The content of one blob, byte for byte."""
    return _run_git_bytes(repo, "cat-file", "blob", oid)


def _run_git_bytes(repo: Path, *arguments: str, stdin: bytes | None = None) -> bytes:
    """run_git for content that is bytes, not text: a blob read or written."""
    result = subprocess.run(["git", *arguments], cwd=repo, input=stdin, capture_output=True)
    if result.returncode != 0:
        raise GitFailed(f"git {' '.join(arguments)} failed in {repo}: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout


def extract_branch(repo: Path, branch: str, into: Path) -> None:
    """Unpack the tree of `branch` (or any tree-ish, e.g. a tree id) into the folder `into` (git archive)."""
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


def folder_tree(repo: Path, folder: Path) -> str:
    """The id of the tree git makes of every file in `folder`, ignore rules set aside (a scratch index; no commit)."""
    with tempfile.TemporaryDirectory(prefix="qp-index-") as scratch:
        index = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
        run_git(repo, "--work-tree", str(folder), "add", "--all", "--force", env=index)
        return run_git(repo, "write-tree", env=index).strip()


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
