"""`publish`: real mike deployments into a throw-away git repository, real builds.

Each test copies the site (mkdocs.yml, docs/, overrides/, the generator package)
and a data folder into tmp_path, makes it a git repository, and publishes it to
a local gh-pages branch with the real mkdocs and mike, with no git identity
configured anywhere. A session fixture publishes both editions once per worker;
tests that change things start from a copy of it.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

from generator.check import check_data
from generator.errors import GeneratorError
from generator.load import load_corpus
from generator.publish import PublishError, edition_fingerprint, publish_site
from generator.permalinks import locked_paths
from generator.urls import measure_path

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
FIXTURE = ROOT / "tests" / "fixtures" / "corpus_small"


def _data_source() -> Path:
    return DATA if any((DATA / "plans").glob("*.yaml")) else FIXTURE


def newest_plans(data: Path) -> list[str]:
    corpus = load_corpus(data)
    return [plan.id for plan in corpus.plans if plan.year == corpus.years[-1]]


def git(repo: Path, *arguments: str) -> str:
    return subprocess.run(["git", *arguments], cwd=repo, check=True, capture_output=True, text=True).stdout


def make_project(target: Path) -> Path:
    """A copy of the site and the data in a fresh git repository with one commit on main."""
    target.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "_generated", "*.pyc")
    shutil.copy2(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copy2(ROOT / ".gitignore", target / ".gitignore")
    for folder in ("docs", "overrides", "generator"):
        shutil.copytree(ROOT / folder, target / folder, ignore=ignore)
    # Published paths of this repository's own history would not match a fresh branch.
    shutil.copytree(_data_source(), target / "data", ignore=shutil.ignore_patterns("urls.lock"))
    git(target, "init", "-q", "-b", "main")
    git(target, "add", "-A")
    git(target, "-c", "user.name=Test", "-c", "user.email=test@example.invalid", "commit", "-q", "-m", "project")
    return target


@pytest.fixture(autouse=True)
def no_git_identity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Publish must work on a machine where git knows nobody."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    for role in ("AUTHOR", "COMMITTER"):
        for key in ("NAME", "EMAIL", "DATE"):
            monkeypatch.delenv(f"GIT_{role}_{key}", raising=False)


def publish(project: Path, out: Path, lines: list[str] | None = None) -> int:
    echo = lines.append if lines is not None else (lambda line: None)
    return publish_site(project / "data", out, echo=echo)


def branch_head(repo: Path) -> str:
    return git(repo, "rev-parse", "refs/heads/gh-pages").strip()


def tree_id(repo: Path, path: str) -> str:
    """Git's own hash of a folder on gh-pages: equal only if every byte and name is."""
    return git(repo, "rev-parse", f"gh-pages:{path}").strip()


def folder_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def worktree_state(repo: Path) -> tuple[str, str, str, str]:
    """Current branch, its commit, the index's entries, and changes to tracked files."""
    return (
        git(repo, "symbolic-ref", "HEAD"),
        git(repo, "rev-parse", "HEAD"),
        git(repo, "ls-files", "--stage"),
        git(repo, "status", "--porcelain", "--untracked-files=no"),
    )


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """A project with both editions published, to be copied by the tests that change it.

    Built once per run, not once per xdist worker: the workers share it under a lock.
    """
    if hasattr(request.config, "workerinput"):
        shared = tmp_path_factory.getbasetemp().parent
    else:
        shared = tmp_path_factory.mktemp("shared")
    base = shared / "published"
    with open(shared / "published.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (base / "done").exists():
            shutil.rmtree(base, ignore_errors=True)
            project = make_project(base / "project")
            home = base / "home"
            home.mkdir()
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv("HOME", str(home))
                patch.setenv("GIT_CONFIG_NOSYSTEM", "1")
                patch.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
                publish(project, base / "out")
            (base / "done").touch()
    return base


def copy_published(published: Path, tmp_path: Path) -> tuple[Path, Path]:
    shutil.copytree(published / "project", tmp_path / "project", symlinks=True)
    shutil.copytree(published / "out", tmp_path / "out", symlinks=True)
    return tmp_path / "project", tmp_path / "out"


@pytest.fixture
def served():
    """Serve a folder with Python's own static server, as the README tells readers to."""
    servers = []

    def serve(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


def fetch(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url) as response:
        return response.status, response.read()


def test_a_new_year_adds_an_edition_and_leaves_the_older_one_byte_for_byte(tmp_path: Path, served) -> None:
    project = make_project(tmp_path / "project")
    out = tmp_path / "out"
    before = worktree_state(project)
    newest = newest_plans(project / "data")
    assert load_corpus(project / "data").years == (2016, 2023)
    held_back = tmp_path / "held-back"
    held_back.mkdir()
    for plan_id in newest:
        (project / "data" / "plans" / f"{plan_id}.yaml").rename(held_back / f"{plan_id}.yaml")

    lines: list[str] = []
    assert publish(project, out, lines) == 0
    assert json.loads((out / "versions.json").read_text()) == [
        {"version": "2016", "title": "2016年版（最新）", "aliases": ["latest"], "properties": {"fingerprint": _fingerprint(out, "2016")}}
    ]
    frozen_tree = tree_id(project, "2016")
    frozen_files = folder_digest(out / "2016")
    assert folder_digest(out / "latest") == frozen_files

    for plan_id in newest:
        (held_back / f"{plan_id}.yaml").rename(project / "data" / "plans" / f"{plan_id}.yaml")
    lines.clear()
    assert publish(project, out, lines) == 0
    assert "edition 2016: unchanged since it was published, skipped" in lines
    assert any(line.startswith("edition 2023: built in ") for line in lines)
    assert tree_id(project, "2016") == frozen_tree
    assert folder_digest(out / "2016") == frozen_files
    versions = json.loads((out / "versions.json").read_text())
    assert [(v["version"], v["title"], v["aliases"]) for v in versions] == [
        ("2023", "2023年版（最新）", ["latest"]), ("2016", "2016年版", []),
    ]
    assert "version selector: 2016 2016年版" in lines
    assert folder_digest(out / "latest") == folder_digest(out / "2023")
    assert tree_id(project, "latest") == tree_id(project, "2023")
    # A real folder on the branch (mike first records the alias as a symlink), made as the edition's own tree.
    assert git(project, "cat-file", "-t", "gh-pages:latest").strip() == "tree"
    assert git(project, "log", "-1", "--format=%s", "gh-pages").startswith("Copy 2023 to latest")

    corpus = load_corpus(project / "data")
    measures_2016 = [measure_path(m.id) for plan in corpus.up_to(2016).plans for m in plan.measures]
    assert measures_2016
    for edition in ("2016", "2023", "latest"):
        missing = [path for path in measures_2016 if not (out / edition / path / "index.html").is_file()]
        assert missing == [], edition
    for plan_id in newest:
        assert (out / "2023" / "plans" / plan_id / "index.html").is_file()
        assert not (out / "2016" / "plans" / plan_id).exists()

    lock = json.loads((project / "data" / "urls.lock").read_text())
    assert lock["editions"] == {
        "2016": sorted(locked_paths(corpus.up_to(2016))),
        "2023": sorted(locked_paths(corpus.up_to(2023))),
    }

    # Git saw only gh-pages move: same branch, same commit, same index, no tracked file changed.
    assert worktree_state(project) == before
    assert git(project, "branch", "--list", "--format=%(refname:short)").split() == ["gh-pages", "main"]

    # Behind a plain static server: the root sends readers to latest, the selector finds versions.json.
    base = served(out)
    status, root_page = fetch(base + "/")
    assert status == 200 and b'window.location.replace(\n      "latest/"' in root_page
    # The theme's Chinese redirect page (overrides/redirects/mike.html), not mike's English one.
    assert '<html lang="zh-CN">'.encode() in root_page and "正在转到".encode() in root_page
    # A root 404 page for static hosts that serve /404.html for any missing path: the newest edition's.
    status, page_404 = fetch(base + "/404.html")
    assert status == 200 and page_404 == (out / "latest" / "404.html").read_bytes()
    assert git(project, "rev-parse", "gh-pages:404.html") == git(project, "rev-parse", "gh-pages:latest/404.html")
    status, body = fetch(base + "/versions.json")
    assert status == 200 and json.loads(body)[0]["aliases"] == ["latest"]
    for edition in ("2016", "2023", "latest"):
        status, page = fetch(f"{base}/{edition}/{measures_2016[0]}")
        assert status == 200 and b"<html" in page
    status, page = fetch(f"{base}/2023/whats-new/")
    assert status == 200 and "2023 年版新增内容".encode() in page

    # The same data again: nothing is rebuilt, no commit, the exported tree is unchanged.
    head, exported = branch_head(project), folder_digest(out)
    lines.clear()
    assert publish(project, out, lines) == 0
    assert "edition 2023: unchanged since it was published, skipped" in lines
    assert "  built: nothing" in lines
    assert branch_head(project) == head
    assert folder_digest(out) == exported


def _fingerprint(out: Path, version: str) -> str:
    for entry in json.loads((out / "versions.json").read_text()):
        if entry["version"] == version:
            return entry["properties"]["fingerprint"]
    raise AssertionError(version)


def test_latest_moves_back_to_a_published_edition_without_building_or_copying_it(published: Path, tmp_path: Path) -> None:
    project, out = copy_published(published, tmp_path)
    frozen_tree = tree_id(project, "2016")
    lines: list[str] = []
    assert publish_site(project / "data", out, until=2016, echo=lines.append) == 0
    assert "edition 2016: unchanged since it was published, skipped" in lines
    assert "latest: now edition 2016" in lines
    assert not any(" building " in line for line in lines)
    assert tree_id(project, "latest") == tree_id(project, "2016") == frozen_tree
    assert git(project, "cat-file", "-t", "gh-pages:latest").strip() == "tree"
    versions = json.loads((out / "versions.json").read_text())
    assert [(v["version"], v["title"], v["aliases"]) for v in versions] == [
        ("2023", "2023年版", []), ("2016", "2016年版（最新）", ["latest"]),
    ]
    assert folder_digest(out / "latest") == folder_digest(out / "2016")
    assert (out / "404.html").read_bytes() == (out / "2016" / "404.html").read_bytes()


def test_a_failed_build_leaves_the_branch_and_the_output_as_they_were(published: Path, tmp_path: Path) -> None:
    project, out = copy_published(published, tmp_path)
    head, exported = branch_head(project), folder_digest(out)
    lock = (project / "data" / "urls.lock").read_bytes()
    # A link to a page that does not exist fails `mkdocs build --strict` for the edition being rebuilt.
    about = project / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[broken](no-such-page.md)\n", encoding="utf-8")

    lines: list[str] = []
    with pytest.raises(
        PublishError,
        match=r"^edition 2023: mkdocs build failed: WARNING -  Doc file 'about.md' contains a link 'no-such-page.md'"
        r".*\(see the log above; rerun with QP_EDITION=2023 mkdocs build --strict\); nothing was published$",
    ):
        publish(project, out, lines)
    assert "edition 2016: frozen, kept as published (its inputs changed since; an older edition is never rebuilt)" in lines
    assert branch_head(project) == head
    assert folder_digest(out) == exported
    assert (project / "data" / "urls.lock").read_bytes() == lock


def test_a_removed_measure_fails_check_until_a_redirect_is_declared(published: Path, tmp_path: Path, capsys) -> None:
    project, out = copy_published(published, tmp_path)
    data = project / "data"
    corpus = load_corpus(data)
    plan = corpus.plan(newest_plans(data)[0])
    old_id = plan.measures[-1].id
    new_id = f"{plan.id}/99"
    plan_file = data / "plans" / f"{plan.id}.yaml"
    text = plan_file.read_text(encoding="utf-8")
    assert text.count(f"id: {old_id}\n") == 1
    plan_file.write_text(text.replace(f"id: {old_id}\n", f"id: {new_id}\n"), encoding="utf-8")
    capsys.readouterr()

    assert check_data(data) == 1
    report = capsys.readouterr().out
    assert measure_path(old_id) in report and "redirects.yaml" in report

    (data / "redirects.yaml").write_text(
        f"- from: {measure_path(old_id)}\n  to: {measure_path(new_id)}\n  reason: renumbered in review\n",
        encoding="utf-8",
    )
    assert check_data(data) == 0

    frozen = tree_id(project, "2016")
    assert publish(project, out) == 0
    assert tree_id(project, "2016") == frozen
    for edition in ("2023", "latest"):
        moved = out / edition / measure_path(old_id) / "index.html"
        stub = moved.read_text(encoding="utf-8")
        target = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', stub)
        assert target, edition
        # The theme's Chinese stub (overrides/redirects/page.html), set by the hook for mkdocs-redirects.
        assert '<html lang="zh-CN">' in stub and "本页已移到" in stub and "redirected" not in stub
        assert (moved.parent / target.group(1) / "index.html").resolve() == (
            out / edition / measure_path(new_id) / "index.html"
        ).resolve()
        assert (out / edition / measure_path(new_id) / "index.html").is_file()
    lock = json.loads((data / "urls.lock").read_text())
    # The old path stays promised (the redirect keeps it), the new one joins it.
    assert {measure_path(old_id), measure_path(new_id)} <= set(lock["editions"]["2023"])


def test_an_edition_fingerprint_ignores_later_years_and_the_lock(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    data = project / "data"
    corpus = load_corpus(data)
    site = "site-inputs"
    before = {year: edition_fingerprint(corpus, year, data, site) for year in corpus.years}
    newest_file = data / "plans" / f"{newest_plans(data)[0]}.yaml"
    newest_file.write_text(newest_file.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
    (data / "urls.lock").write_text('{"version": 1, "editions": {}}\n', encoding="utf-8")
    after = {year: edition_fingerprint(corpus, year, data, site) for year in corpus.years}
    assert after[2016] == before[2016]
    assert after[2023] != before[2023]
    (data / "agencies.yaml").write_text((data / "agencies.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert edition_fingerprint(corpus, 2016, data, site) != before[2016]
    assert edition_fingerprint(corpus, 2016, data, "other site") != edition_fingerprint(corpus, 2016, data, site)


def test_publish_refuses_to_replace_a_folder_that_is_not_a_published_site(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(GeneratorError, match=r"precious: not empty and not made by this generator \(no .qp-output in it\)"):
        publish(project, precious)
    with pytest.raises(GeneratorError, match=r"--out would replace"):
        publish(project, project)
    assert (precious / "notes.txt").read_text(encoding="utf-8") == "mine"
    with pytest.raises(PublishError, match=r"data/plans: no plans, so no edition to publish"):
        publish_site(project / "data", tmp_path / "out", until=2015, echo=lambda line: None)
    assert git(project, "branch", "--list", "gh-pages") == ""
    assert not (tmp_path / "out").exists()


def test_cli_outside_a_repository_prints_one_error_line(tmp_path: Path) -> None:
    data = tmp_path / "site" / "data"
    shutil.copytree(_data_source(), data, ignore=shutil.ignore_patterns("urls.lock"))
    shutil.copy2(ROOT / "mkdocs.yml", tmp_path / "site" / "mkdocs.yml")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--data", str(data), "publish", "--out", str(tmp_path / "out")],
        cwd=tmp_path, capture_output=True, text=True,
    )
    assert result.returncode == 1
    assert result.stderr == f"error: {data}: not inside a git repository (pass --repo, or run git init)\n"
    assert not (tmp_path / "out").exists()
