"""`publish`, `render` and `export` as an unlucky editor runs them: two at once, a read-only
output, a killed run, an `--out` that names the project. Real git, real mike, real builds,
each command run as the editor runs it (`python -m generator …` in a child process).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Iterator

import pytest
from test_publish import branch_head, copy_published, folder_digest, git, make_project, no_git_identity, published

pytestmark = pytest.mark.slow

__all__ = ["no_git_identity", "published"]  # fixtures, used by name


def cli(project: Path, *arguments: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "--data", str(project / "data"), *arguments],
        cwd=project, capture_output=True, text=True, env=env,
    )


def start_publish(project: Path, out: Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "--data", str(project / "data"), "publish", "--out", str(out)],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True,
    )


def wait_for_line(process: subprocess.Popen[str], start: str) -> list[str]:
    assert process.stdout is not None
    seen = []
    for line in process.stdout:
        seen.append(line)
        if line.startswith(start):
            return seen
    raise AssertionError(f"no line starting {start!r}: {''.join(seen)}{process.stderr.read() if process.stderr else ''}")


def change_the_newest_edition(project: Path) -> None:
    """A site change (a hand-written page): the newest edition is rebuilt, the older one stays frozen."""
    about = project / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n本页于审校后补充。\n", encoding="utf-8")


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """`folder` refuses new entries: the immutable flag as root (who ignores modes), else no write bit."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        mode = folder.stat().st_mode
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(mode)


def test_a_second_publish_while_one_runs_stops_with_one_line_naming_the_lock(published: Path, tmp_path: Path) -> None:
    project, out = copy_published(published, tmp_path)
    change_the_newest_edition(project)
    lock = Path(git(project, "rev-parse", "--absolute-git-dir").strip()) / "qp-publish" / "lock"

    first = start_publish(project, out)
    wait_for_line(first, "publish: editions")  # printed once the lock is held
    second = cli(project, "publish", "--out", str(out))
    first_out, first_err = first.communicate(timeout=600)
    assert first.returncode == 0, first_err

    assert second.returncode == 1
    assert second.stdout == ""
    assert second.stderr == (
        f"error: {lock}: another publish of this repository holds this lock; wait for it to finish, then publish again\n"
    )
    # The lock went with the run that held it.
    again = cli(project, "publish", "--out", str(out))
    assert again.returncode == 0, again.stderr
    assert "  built: nothing" in again.stdout.splitlines()


def test_an_export_that_fails_puts_gh_pages_back_and_the_next_run_replaces_only_what_changed(
    published: Path, tmp_path: Path
) -> None:
    project, out = copy_published(published, tmp_path)
    change_the_newest_edition(project)
    head, exported = branch_head(project), folder_digest(out)

    with read_only(out):
        failed = cli(project, "publish", "--out", str(out))
    assert failed.returncode == 1
    assert "Traceback" not in failed.stderr
    assert re.fullmatch(
        rf"error: exporting gh-pages to {re.escape(str(out))} failed: (Operation not permitted|Permission denied) "
        rf"\({re.escape(str(out))}/\.2023\.new-\w+\); gh-pages was put back where it was and {re.escape(str(out))} is as it was\n",
        failed.stderr,
    ), failed.stderr
    assert "edition 2023: committed to gh-pages (also as latest)" in failed.stdout
    assert branch_head(project) == head
    assert folder_digest(out) == exported

    # Again, with a watcher: the output is never missing while the changed editions are swapped in.
    frozen = {name: (out / name).stat().st_ino for name in ("2016",)}
    replaced = {name: (out / name).stat().st_ino for name in ("2023", "latest")}
    missing: list[str] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            for path in (out / "versions.json", out / "2023" / "index.html", out / "latest" / "index.html"):
                if not path.exists():
                    missing.append(str(path))

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        result = cli(project, "publish", "--out", str(out))
    finally:
        done.set()
        watcher.join()
    assert result.returncode == 0, result.stderr
    assert missing == []
    assert branch_head(project) != head
    # Only what changed was exported: the frozen edition's folder is the very same one.
    assert {name: (out / name).stat().st_ino for name in frozen} == frozen
    assert all((out / name).stat().st_ino != inode for name, inode in replaced.items())
    assert re.search(r"^exported gh-pages to .* \(replaced: 2023, latest(, [\w.]+)*\)$", result.stdout, re.M), result.stdout
    assert "replaced: 2016" not in result.stdout and ", 2016," not in result.stdout
    assert folder_digest(out / "latest") == folder_digest(out / "2023")
    assert git(project, "rev-parse", "gh-pages:2016").strip() == _tree(out, "2016")


def _tree(out: Path, name: str) -> str:
    import json

    return json.loads((out / ".qp-output").read_text(encoding="utf-8"))["trees"][name]


def test_a_killed_run_leaves_nothing_the_next_run_does_not_remove_and_git_ignores_it(
    published: Path, tmp_path: Path
) -> None:
    project, old_out = copy_published(published, tmp_path)
    out = project / "public"  # inside the repository, as `nox -s site` has it
    old_out.rename(out)
    change_the_newest_edition(project)
    scratch_place = Path(git(project, "rev-parse", "--absolute-git-dir").strip()) / "qp-publish"
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = dict(os.environ, TMPDIR=str(temporary))

    run = start_publish(project, out, env=env)
    wait_for_line(run, "edition 2023: building")
    os.killpg(run.pid, signal.SIGKILL)
    run.communicate()
    left = sorted(path.name for path in scratch_place.glob("build-*"))
    assert len(left) == 1
    # What a kill inside the export's swaps leaves: staged folders beside and inside the output.
    (project / ".public.new-x1y2").mkdir()
    (project / ".public.old-z3").mkdir()
    (out / ".2023.new-a4").mkdir()
    (out / ".versions.json.tmp-b5").write_text("half", encoding="utf-8")
    status = git(project, "status", "--porcelain", "--untracked-files=all", "--", ".public.new-x1y2", ".public.old-z3")
    assert git(project, "check-ignore", ".public.new-x1y2", ".public.old-z3").split() == [".public.new-x1y2", ".public.old-z3"]
    assert status == ""

    result = cli(project, "publish", "--out", str(out), env=env)
    assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in scratch_place.iterdir()) == ["lock"]
    assert not (project / ".public.new-x1y2").exists() and not (project / ".public.old-z3").exists()
    assert sorted(path.name for path in out.glob(".*")) == [".nojekyll", ".qp-output"]
    assert list(temporary.iterdir()) == []


@pytest.mark.parametrize("command", ["render", "export", "publish"])
def test_out_refuses_the_project_data_docs_their_ancestors_and_a_folder_it_did_not_make(
    tmp_path: Path, command: str
) -> None:
    project = make_project(tmp_path / "project")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine", encoding="utf-8")
    before = folder_digest(project)
    suffix = "choose a folder of its own, e.g. public/"
    for out, message in (
        (project, f"{project}: --out would replace {project}; {suffix}"),
        (tmp_path, f"{tmp_path}: --out would replace {project}; {suffix}"),
        (project / "data", f"{project / 'data'}: --out would replace {project / 'data'}; {suffix}"),
        (project / "docs", f"{project / 'docs'}: --out would replace {project / 'docs'}; {suffix}"),
        (project / "data" / "plans", f"{project / 'data' / 'plans'}: --out lies inside {project / 'data'}; {suffix}"),
        (mine, f"{mine}: not empty and not made by this generator (no .qp-output in it); "
               "choose a new or empty folder (--out is replaced whole)"),
    ):
        result = cli(project, command, "--out", str(out))
        assert (result.returncode, result.stderr) == (1, f"error: {message}\n"), out
    assert folder_digest(project) == before
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert git(project, "branch", "--list", "gh-pages") == ""


def test_render_into_a_read_only_place_says_so_in_one_line_and_keeps_the_previous_output(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    place = tmp_path / "place"
    out = place / "md"
    assert cli(project, "render", "--out", str(out), "--edition", "2016").returncode == 0
    before = folder_digest(out)
    with read_only(place):
        result = cli(project, "render", "--out", str(out))
    assert result.returncode == 1
    assert re.fullmatch(
        rf"error: {re.escape(str(place))}/\.md\.new-\w+: (Operation not permitted|Permission denied)\n", result.stderr
    ), result.stderr
    assert folder_digest(out) == before
