"""generator.parallel_build against the real `mkdocs build --strict`: the same bytes, the same verdicts.

Every build runs on a throw-away copy of the project (the hook writes beside
mkdocs.yml), as a real command: `mkdocs build --strict` for the serial build,
`python -m generator.parallel_build --strict --jobs N` for the parallel one.
SOURCE_DATE_EPOCH is fixed for both: it is how MkDocs itself makes its one
time-dependent value (the build date in sitemap.xml and its gzip header)
reproducible, so no byte of the output needs normalising.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "corpus_small"
REAL_DATA = ROOT / "data"
MKDOCS = Path(sys.executable).with_name("mkdocs")
sys.path.insert(0, str(ROOT / "benchmarks"))
from sites import differing_files  # noqa: E402  (the benchmark compares its builds the same way)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("parallel-build")]


def copy_project(dest: Path, extra_config: str = "", pages: dict[str, str] | None = None) -> Path:
    """The site's configuration in `dest` (hooks by absolute path), plus `pages` in its docs/; returns mkdocs.yml."""
    dest.mkdir(parents=True)
    shutil.copytree(ROOT / "docs", dest / "docs", ignore=shutil.ignore_patterns("_generated"))
    shutil.copytree(ROOT / "overrides", dest / "overrides")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    hooks = re.findall(r"^hooks:\n((?:  - .*\n)+)", config, flags=re.M)
    assert hooks, "mkdocs.yml lists no hooks"
    for hook in re.findall(r"  - (.*)", hooks[0]):
        config = config.replace(f"  - {hook}\n", f"  - {(ROOT / hook).as_posix()}\n")
    (dest / "mkdocs.yml").write_text(config + extra_config, encoding="utf-8")
    for name, text in (pages or {}).items():
        (dest / "docs" / name).write_text(text, encoding="utf-8")
    return dest / "mkdocs.yml"


def run(command: list[str], config: Path, site: Path, data: Path) -> subprocess.CompletedProcess:
    # NO_MKDOCS_2_WARNING: Material's banner, printed only when the command is `mkdocs`.
    env = dict(os.environ, QP_DATA=str(data), SOURCE_DATE_EPOCH="1700000000", NO_MKDOCS_2_WARNING="true")
    env.pop("QP_EDITION", None)
    return subprocess.run(
        command + ["--strict", "-f", str(config), "-d", str(site)],
        cwd=config.parent, env=env, capture_output=True, text=True, timeout=900,
    )


def serial(config: Path, site: Path, data: Path = FIXTURE) -> subprocess.CompletedProcess:
    return run([str(MKDOCS), "build"], config, site, data)


def parallel(config: Path, site: Path, jobs: int, data: Path = FIXTURE) -> subprocess.CompletedProcess:
    return run([sys.executable, "-m", "generator.parallel_build", "--jobs", str(jobs)], config, site, data)


def log_lines(result: subprocess.CompletedProcess) -> list[str]:
    """The build's messages, without the one that states its duration, its output folder as SITE."""
    site = result.args[result.args.index("-d") + 1]
    lines = (result.stdout + result.stderr).replace(site, "SITE").splitlines()
    return [line for line in lines if not line.startswith("INFO    -  Documentation built in")]


@pytest.mark.parametrize(
    ("data", "jobs"),
    [pytest.param(FIXTURE, 2, id="corpus_small-2"), pytest.param(FIXTURE, 3, id="corpus_small-3"),
     pytest.param(REAL_DATA, 2, id="shipped-data-2")],
)
def test_parallel_site_is_byte_identical_to_mkdocs_build(tmp_path: Path, data: Path, jobs: int) -> None:
    config = copy_project(tmp_path / "project")
    one = serial(config, tmp_path / "serial", data)
    assert one.returncode == 0, one.stdout + one.stderr
    many = parallel(config, tmp_path / "parallel", jobs, data)
    assert many.returncode == 0, many.stdout + many.stderr

    files = [path for path in (tmp_path / "serial").rglob("*") if path.is_file()]
    pages = [path for path in files if path.name == "index.html" and "plans" in path.parts]
    assert len(pages) >= 3, "the serial build made no plan pages: nothing was compared"
    assert (tmp_path / "serial" / "sitemap.xml.gz").is_file()
    assert differing_files(tmp_path / "serial", tmp_path / "parallel") == []
    # The same messages in the same order: pages' records are replayed in page order.
    assert log_lines(many) == log_lines(one)


# Pages of both parities in the documentation order, so that with 2 or 3 jobs
# links are checked in several processes and point from one to another.
LINKS = {
    "zz-link-a.md": "# A\n\n## 有锚点 {#here}\n\n[到 B](zz-link-b.md#there)\n\n[不存在的页](nowhere.md)\n",
    "zz-link-b.md": "# B\n\n## 也有 {#there}\n\n[到 A](zz-link-a.md#here)\n\n[坏锚点](zz-link-c.md#missing)\n",
    "zz-link-c.md": "# C\n\n[到 A 的坏锚点](zz-link-a.md#gone)\n\n[到 B](zz-link-b.md#there)\n",
    "zz-link-d.md": "# D\n\n[又一个不存在的页](../missing/page.md)\n\n[到 C](zz-link-c.md)\n",
}
EXPECTED_WARNINGS = [
    "WARNING -  Doc file 'zz-link-a.md' contains a link 'nowhere.md', but the target is not found among documentation files.",
    "WARNING -  Doc file 'zz-link-d.md' contains a link '../missing/page.md', but the target is not found among documentation files.",
    "WARNING -  Doc file 'zz-link-b.md' contains a link 'zz-link-c.md#missing', but the doc 'zz-link-c.md' does not contain an anchor '#missing'.",
    "WARNING -  Doc file 'zz-link-c.md' contains a link 'zz-link-a.md#gone', but the doc 'zz-link-a.md' does not contain an anchor '#gone'.",
]


@pytest.fixture(scope="module")
def broken_links(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    folder = tmp_path_factory.mktemp("broken-links")
    # Broken anchors are only INFO in MkDocs 1.6 unless asked for; asked for here.
    config = copy_project(folder / "project", "\nvalidation:\n  anchors: warn\n", LINKS)
    result = serial(config, folder / "serial")
    return config, result


def test_serial_build_fails_on_the_broken_links_and_anchors(broken_links) -> None:
    _, one = broken_links
    assert one.returncode == 1
    warnings = [line for line in log_lines(one) if line.startswith("WARNING")]
    assert sorted(warnings) == sorted(EXPECTED_WARNINGS)
    assert "Aborted with 4 warnings in strict mode!" in one.stdout + one.stderr


@pytest.mark.parametrize("jobs", [2, 3])
def test_parallel_build_fails_on_broken_links_and_anchors_like_serial(tmp_path: Path, broken_links, jobs: int) -> None:
    config, one = broken_links
    many = parallel(config, tmp_path / "parallel", jobs)
    assert many.returncode == 1
    # Every message, warning or not, word for word and in MkDocs' order; the
    # valid cross-page anchors (A → B#there, B → A#here, C → B#there) raise none.
    assert log_lines(many) == log_lines(one)
    assert "Aborted with 4 warnings in strict mode!" in many.stdout + many.stderr


@pytest.mark.parametrize("padding", [False, True], ids=["as-is", "shifted-by-one"])
def test_a_page_that_fails_stops_the_build_at_the_same_page_as_serial(tmp_path: Path, padding: bool) -> None:
    pages = {
        "zz-template-1.md": "---\ntemplate: no-such-template.html\n---\n# 一\n",
        "zz-template-2.md": "---\ntemplate: no-such-template-either.html\n---\n# 二\n",
    }
    if padding:  # moves the first failing page to the other process
        pages["zz-template-0.md"] = "# 零\n"
    config = copy_project(tmp_path / "project", pages=pages)
    one = serial(config, tmp_path / "serial")
    many = parallel(config, tmp_path / "parallel", 2)
    assert one.returncode != 0 and many.returncode != 0
    errors = [line for line in log_lines(one) if line.startswith("ERROR")]
    assert len(errors) == 1 and errors[0].startswith(
        "ERROR   -  Error building page 'zz-template-1.md': 'no-such-template.html' not found"
    )
    assert [line for line in log_lines(many) if line.startswith("ERROR")] == errors
    # The worker's exception itself, raised in the parent as MkDocs raises it.
    assert many.stderr.splitlines()[-1] == one.stderr.splitlines()[-1]
    assert one.stderr.splitlines()[-1].startswith("jinja2.exceptions.TemplateNotFound: 'no-such-template.html'")


HOOKS_REFUSED = {
    "on_page_markdown": (
        "seen = []\n\ndef on_page_markdown(markdown, page, config, files):\n    seen.append(page.file.src_uri)\n    return markdown\n",
        "what it keeps from a page would stay in a worker process",
    ),
    # The workers are forked before MkDocs fires on_env, between the two page passes.
    "on_env": (
        "def on_env(env, config, files):\n    env.globals['extra_word'] = 'late'\n    return env\n",
        "the worker processes, forked before it runs, would not see what it changes",
    ),
}


@pytest.mark.parametrize("event", sorted(HOOKS_REFUSED))
def test_a_plugin_handling_an_event_of_the_page_passes_is_refused_and_the_old_site_kept(tmp_path: Path, event: str) -> None:
    source, why = HOOKS_REFUSED[event]
    hook = tmp_path / "counting_hook.py"
    hook.write_text(source, encoding="utf-8")
    config = copy_project(tmp_path / "project")
    text = config.read_text(encoding="utf-8").replace("hooks:\n", f"hooks:\n  - {hook.as_posix()}\n", 1)
    config.write_text(text, encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "earlier.html").write_text("an earlier build", encoding="utf-8")

    many = parallel(config, site, 2)

    assert many.returncode == 1
    assert (
        f"Error: plugin '{hook.as_posix()}' handles {event}: {why} (build with one job)"
    ) in many.stderr
    assert "Traceback" not in many.stderr
    assert (site / "earlier.html").read_text(encoding="utf-8") == "an earlier build"
