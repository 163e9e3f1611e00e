"""generator.site_tree: exporting the branch touches only what changed, and a copied edition is unpacked once."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from generator import git as git_adapter
from generator.site_tree import export_branch

ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
       "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin"}


def git(repo: Path, *arguments: str) -> str:
    return subprocess.run(["git", *arguments], cwd=repo, env=ENV, check=True, capture_output=True, text=True).stdout


def commit_site(repo: Path, files: dict[str, str]) -> None:
    """Commit exactly `files` (path -> text) as the tree of branch gh-pages."""
    work = repo / "work"
    subprocess.run(["rm", "-rf", str(work)], check=True)
    for path, text in files.items():
        (work / path).parent.mkdir(parents=True, exist_ok=True)
        (work / path).write_text(text, encoding="utf-8")
    git(repo, "--work-tree", str(work), "add", "-A", ".")
    git(repo, "--work-tree", str(work), "commit", "-q", "--allow-empty", "-m", "site")


def edition(year: str, text: str) -> dict[str, str]:
    return {f"{year}/index.html": f"{year} {text}", f"{year}/measures/a/index.html": f"a {text}"}


def test_the_copy_of_the_newest_edition_is_the_same_files_and_outlives_the_next_year(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, out = tmp_path / "repo", tmp_path / "out"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "gh-pages")
    newest = edition("2023", "new")
    latest = {path.replace("2023/", "latest/", 1): text for path, text in newest.items()}
    commit_site(repo, {**edition("2016", "old"), **newest, **latest, "versions.json": "[]"})

    assert export_branch(repo, "gh-pages", out) == ["2016", "2023", "latest", "versions.json"]
    for path in ("index.html", "measures/a/index.html"):
        assert (out / "latest" / path).read_bytes() == (out / "2023" / path).read_bytes()

    # A later year: latest moves on, 2023 and 2016 stay as they were and are not rewritten.
    kept = (out / "2023" / "measures/a/index.html").stat().st_ino
    following = edition("2024", "next")
    commit_site(repo, {**edition("2016", "old"), **newest, **following, "versions.json": "[1]",
                       **{path.replace("2024/", "latest/", 1): text for path, text in following.items()}})
    unpacked: list[str] = []
    real_extract = git_adapter.extract_branch

    def counted(repo_dir: Path, treeish: str, into: Path) -> None:
        unpacked.append(treeish)
        real_extract(repo_dir, treeish, into)

    monkeypatch.setattr(git_adapter, "extract_branch", counted)
    assert export_branch(repo, "gh-pages", out) == ["2024", "latest", "versions.json"]
    assert len(unpacked) == 1, "latest holds the same tree as 2024: unpacked once, linked once"
    assert (out / "latest" / "index.html").read_text(encoding="utf-8") == "2024 next"
    assert (out / "2023" / "measures/a/index.html").read_text(encoding="utf-8") == "a new"
    assert (out / "2023" / "measures/a/index.html").stat().st_ino == kept
    assert sorted(path.name for path in out.iterdir() if not path.name.startswith(".")) == [
        "2016", "2023", "2024", "latest", "versions.json"]


@pytest.mark.parametrize("built_differs", [False, True])
def test_a_fresh_build_of_the_same_tree_is_moved_in_and_any_other_folder_is_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, built_differs: bool
) -> None:
    repo, out = tmp_path / "repo", tmp_path / "out"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "gh-pages")
    commit_site(repo, {**edition("2016", "old"), "versions.json": "[]"})
    export_branch(repo, "gh-pages", out)
    newest = edition("2023", "new")
    commit_site(repo, {**edition("2016", "old"), **newest, "versions.json": "[1]"})
    # What publish built into its scratch space: the committed files, or one byte off.
    built = tmp_path / "scratch" / "2023"
    for path, text in newest.items():
        (built / path.removeprefix("2023/")).parent.mkdir(parents=True, exist_ok=True)
        (built / path.removeprefix("2023/")).write_text(text + ("!" if built_differs else ""), encoding="utf-8")
    unpacked: list[str] = []
    real_extract = git_adapter.extract_branch
    monkeypatch.setattr(git_adapter, "extract_branch",
                        lambda repo_dir, treeish, into: (unpacked.append(treeish), real_extract(repo_dir, treeish, into)))

    assert export_branch(repo, "gh-pages", out, built={"2023": built}) == ["2023", "versions.json"]
    for path, text in newest.items():
        assert (out / path).read_text(encoding="utf-8") == text
    assert (out / "2023").stat().st_mode & 0o777 == 0o755
    if built_differs:
        assert len(unpacked) == 1 and built.is_dir(), "a folder git hashes differently is unpacked over, and left alone"
    else:
        assert unpacked == [] and not built.exists(), "the same tree: moved in, nothing unpacked"
