"""An editor's preview: `mkdocs serve --dirty` rebuilds the changed measure's pages and no others.

A real `mkdocs serve --dirty --no-strict` runs (MkDocs warns that a dirty
build may leave other pages' navigation stale, which `--strict` would turn
into an abort) on a copy of the project and of the small
corpus; one measure's text is changed in data/. MkDocs' own DEBUG log names
every page of the first build ("Building page …"); after the change, the
pages whose HTML file was written again (its mtime) must be exactly those
whose generated Markdown changed, computed independently by building the
edition before and after with generator.build, and the served page must show
the new text. (The log cannot be used for the rebuild: after the first build
MkDocs' build logger stops printing DEBUG lines in serve.) The hook's own
INFO line says how many data files were parsed and plans aligned again: one
each, the rest kept from the first build. Then an invalid edit stops the
rebuild with the message a plain load gives (file:line), and a fix afterwards
builds again and serves the fixed text.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from generator.build import build_edition
from generator.errors import InvalidData
from generator.load import load_dataset
from test_build import FIXTURE, copy_project

MKDOCS = Path(sys.executable).with_name("mkdocs")
PLAN = "plans/guobanfa-2016-18.yaml"
OLD = "以空气净化器等产品为重点，开展质量提升行动。"
NEW = "以空气净化器等产品为重点，开展质量提升行动（预览修改）。"
FIXED = "以空气净化器等产品为重点，开展质量提升行动（预览再改）。"

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Serve:
    """A running `mkdocs serve --dirty -v`; its log lines, split by build."""

    def __init__(self, config: Path, data: Path, port: int):
        # serve builds into a fresh tempfile.mkdtemp(); TMPDIR says where, so its files can be read.
        self.tmp = config.parent / "tmp"
        self.tmp.mkdir()
        env = dict(os.environ, QP_DATA=str(data), TMPDIR=str(self.tmp))
        env.pop("QP_EDITION", None)
        self.process = subprocess.Popen(
            [str(MKDOCS), "serve", "--dirty", "--no-strict", "-v", "-a", f"127.0.0.1:{port}", "-f", str(config)],
            cwd=config.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def builds(self) -> list[list[str]]:
        """The log of each finished build, oldest first."""
        finished, current, ended = [], [], False
        for line in list(self.lines):
            if "Detected file changes" in line:
                ended = False
            current.append(line)
            # MkDocs drops a message it logged before (its DuplicateFilter), so a rebuild
            # that took as long as an earlier one to the hundredth of a second has no
            # "Documentation built in"; serve's "Reloading browsers" then ends it.
            if "Documentation built in" in line or ("Reloading browsers" in line and not ended):
                finished.append(current)
                current, ended = [], True
        return finished

    def wait_for_builds(self, count: int, timeout: float) -> list[list[str]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            builds = self.builds()
            if len(builds) >= count:
                return builds
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"{count} builds expected; log:\n" + "\n".join(self.lines[-40:]))

    def wait_for_line(self, text: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(text in line for line in list(self.lines)):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"no log line with {text!r}; log:\n" + "\n".join(self.lines[-40:]))

    def site(self) -> Path:
        (site,) = self.tmp.glob("mkdocs_*")
        return site

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def built_pages(log: list[str]) -> set[str]:
    return {match.group(1) for line in log if (match := re.search(r"Building page (\S+)", line))}


def html_of(page: str) -> str:
    """The built HTML file of a Markdown page (use_directory_urls)."""
    stem = page.removesuffix(".md")
    return f"{stem}.html" if stem == "index" or stem.endswith("/index") else f"{stem}/index.html"


def test_serve_dirty_rebuilds_only_the_changed_measure_and_its_dependants(tmp_path):
    config = copy_project(tmp_path / "project")
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    before = build_edition(load_dataset(data)).files
    port = _free_port()
    serve = Serve(config, data, port)
    try:
        first = serve.wait_for_builds(1, timeout=120)[0]
        pages_first = built_pages(first)
        assert "plans/guobanfa-2016-18/01/index.md" in pages_first, "the first build builds every page"
        site = serve.site()
        mtimes = {page: (site / html_of(page)).stat().st_mtime_ns for page in pages_first}

        plan = data / PLAN
        text = plan.read_text(encoding="utf-8")
        assert text.count(OLD) == 1
        plan.write_text(text.replace(OLD, NEW), encoding="utf-8")
        after = build_edition(load_dataset(data)).files
        changed = {path for path in after if path.endswith(".md") and after[path] != before.get(path)}
        assert "plans/guobanfa-2016-18/01/index.md" in changed

        second = serve.wait_for_builds(2, timeout=120)[1]
        assert second
        rebuilt = {page for page, mtime in mtimes.items() if (site / html_of(page)).stat().st_mtime_ns != mtime}
        assert rebuilt == changed, (sorted(rebuilt - changed), sorted(changed - rebuilt))
        assert len(rebuilt) < len(pages_first) / 2, "a change to one measure rebuilt most of the site"
        assert not [line for line in second if line.startswith("ERROR") or "Aborted" in line], second

        # Only the edited plan was parsed, and only the plan implementing it aligned, again.
        assert "Preview: 1 data files parsed, 1 plans aligned; the rest reused" in "\n".join(second), second
        assert "（预览修改）" in _served(port)

        broken = text.replace(OLD, FIXED).replace("year: 2016", "year: MMXVI")
        plan.write_text(broken, encoding="utf-8")
        with pytest.raises(InvalidData) as raised:
            load_dataset(data)
        (problem,) = raised.value.problems
        assert str(problem).startswith(f"{data.as_posix()}/{PLAN}:9: year: ")
        serve.wait_for_line(str(problem), timeout=120)

        plan.write_text(text.replace(OLD, FIXED), encoding="utf-8")
        third = serve.wait_for_builds(3, timeout=120)[2]
        assert "Preview: 1 data files parsed, 1 plans aligned; the rest reused" in "\n".join(third), third
        assert "（预览再改）" in _served(port)
    finally:
        serve.stop()


def _served(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/plans/guobanfa-2016-18/01/", timeout=30) as response:
        return response.read().decode("utf-8")
