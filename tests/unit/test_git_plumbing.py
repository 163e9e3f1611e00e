"""generator.git.commit_top_entries: a tree already in the repository becomes another top-level folder in one commit."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from generator import git as git_adapter

IDENTITY = {"GIT_AUTHOR_NAME": "编辑", "GIT_AUTHOR_EMAIL": "editor@example.org",
            "GIT_COMMITTER_NAME": "编辑", "GIT_COMMITTER_EMAIL": "editor@example.org"}


def git(repo: Path, *arguments: str) -> str:
    return subprocess.run(["git", *arguments], cwd=repo, env={**IDENTITY, "PATH": "/usr/bin:/bin"},
                          check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose branch gh-pages holds 2016/ and versions.json."""
    repo = tmp_path / "repo"
    work = tmp_path / "work"
    (work / "2016" / "plans").mkdir(parents=True)
    (work / "2016" / "index.html").write_text("2016", encoding="utf-8")
    (work / "2016" / "plans" / "index.html").write_text("计划", encoding="utf-8")
    (work / "versions.json").write_text("[]\n", encoding="utf-8")
    git(tmp_path, "init", "-q", "-b", "gh-pages", str(repo))
    git(repo, "--work-tree", str(work), "add", "-A", ".")
    git(repo, "--work-tree", str(work), "commit", "-q", "-m", "site")
    return repo


def test_a_tree_becomes_another_folder_and_a_blob_a_file_in_one_commit(repo: Path) -> None:
    before = git(repo, "rev-parse", "gh-pages")
    edition = git(repo, "rev-parse", "gh-pages:2016")
    versions = git_adapter.write_blob(repo, '[{"version": "2016"}]\n'.encode())
    assert git_adapter.commit_top_entries(
        repo, "gh-pages", {"latest": ("tree", edition), "versions.json": ("blob", versions)}, "Copy 2016 to latest", IDENTITY,
    )
    assert git(repo, "rev-parse", "gh-pages^") == before
    assert git(repo, "rev-parse", "gh-pages:latest") == edition
    assert git(repo, "show", "gh-pages:latest/plans/index.html") == "计划"
    assert git(repo, "show", "gh-pages:versions.json") == '[{"version": "2016"}]'
    assert git(repo, "ls-tree", "--name-only", "gh-pages").split() == ["2016", "latest", "versions.json"]
    assert git(repo, "log", "-1", "--format=%an %s", "gh-pages") == "编辑 Copy 2016 to latest"
    assert git_adapter.object_id(repo, f"{edition}:index.html") == git(repo, "rev-parse", "gh-pages:2016/index.html")
    assert git_adapter.object_id(repo, f"{edition}:missing.html") is None


def test_nothing_to_change_makes_no_commit(repo: Path) -> None:
    before = git(repo, "rev-parse", "gh-pages")
    same = git_adapter.top_entries(repo, "gh-pages")["2016"]
    assert not git_adapter.commit_top_entries(repo, "gh-pages", {"2016": same}, "nothing", IDENTITY)
    assert git(repo, "rev-parse", "gh-pages") == before


def test_no_branch_is_an_error_not_a_new_root(repo: Path) -> None:
    with pytest.raises(git_adapter.GitFailed, match="no branch missing"):
        git_adapter.commit_top_entries(repo, "missing", {}, "x", IDENTITY)
