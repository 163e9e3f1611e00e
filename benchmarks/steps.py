"""One benchmark step, run in a fresh process so its time and peak memory are its own.

`python benchmarks/steps.py <step> <arguments as JSON>` prints one JSON object
on its last stdout line: {"status": "ok" | "not available" | "failed", ...}.
A step whose module is not written yet reports "not available" with the
missing module's name; it never reports a figure it did not measure.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import resource
import sys
import tempfile
import time
import traceback
from pathlib import Path


class NotAvailable(Exception):
    """The module a step measures does not exist (yet)."""


class StepFailed(Exception):
    """The measured operation failed; `log` is what it printed before."""

    def __init__(self, message: str, log: list[str]):
        super().__init__(message)
        self.log = log


def _need(module: str, names: tuple[str, ...] = ()):
    import importlib

    try:
        loaded = importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name and (error.name == module or module.startswith(error.name + ".")):
            raise NotAvailable(f"{module} does not exist") from None
        raise
    missing = [name for name in names if not hasattr(loaded, name)]
    if missing:
        raise NotAvailable(f"{module} has no {', '.join(missing)}")
    return loaded


def step_load(data: str) -> dict:
    load = _need("generator.load", ("load_corpus",))
    started = time.perf_counter()
    corpus = load.load_corpus(Path(data))
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "plans": len(corpus.plans),
        "measures": sum(len(plan.measures) for plan in corpus.plans),
        "agencies": len(corpus.agencies),
        "campaigns": len(corpus.campaigns),
        "editions": list(corpus.years),
    }


def step_align(data: str) -> dict:
    from generator.load import load_dataset

    align = _need("generator.align", ("align_corpus",))
    dataset = load_dataset(Path(data))
    started = time.perf_counter()
    alignment = align.align_corpus(dataset.corpus, dataset.overrides)
    seconds = time.perf_counter() - started
    plans = getattr(alignment, "plans", ())
    pairings = sum(len(getattr(plan, "pairings", ())) for plan in plans)
    return {"seconds": seconds, "aligned_plans": len(plans), "pairings": pairings}


def step_render(data: str, edition: int | None = None) -> dict:
    """generator.build.build_edition, the function the hook and the CLI call, then its write."""
    from generator.load import load_dataset
    from generator.write import write_tree

    build = _need("generator.build", ("build_edition",))
    dataset = load_dataset(Path(data))
    started = time.perf_counter()
    output = build.build_edition(dataset, edition)
    rendered = time.perf_counter() - started
    with tempfile.TemporaryDirectory(prefix="qp-bench-render-") as scratch:
        started = time.perf_counter()
        write_tree(output.files, Path(scratch) / "docs")
        written = time.perf_counter() - started
    pages = {path: content for path, content in output.files.items() if path.endswith(".md")}
    return {
        "seconds": rendered,
        "write_seconds": written,
        "edition": output.edition,
        "pages": len(pages),
        "markdown_bytes": sum(len(content) for content in pages.values()),
    }


def step_build(config: str, site_dir: str, project_origins: list[str] | None = None) -> dict:
    """`mkdocs build` in this process, timing every plugin and hook event by its origin.

    It runs MkDocs' own command-line entry with the same arguments as
    `mkdocs build -f CONFIG -d SITE`; the only addition is a clock around each
    event handler, so the generator's share of the build is measured inside the
    build rather than estimated from separate runs.
    """
    from mkdocs.__main__ import cli
    from mkdocs.plugins import PluginCollection

    spent: dict[str, float] = {}
    spent_cpu: dict[str, float] = {}
    original = PluginCollection.run_event

    def timed_run_event(self, name, item=None, **kwargs):
        pass_item = item is not None
        for method in self.events[name]:
            origin = self._event_origins.get(method, "<unknown>")
            self._current_plugin = origin
            started, started_cpu = time.perf_counter(), _cpu_with_children()
            result = method(item, **kwargs) if pass_item else method(**kwargs)
            key = f"{origin} on_{name}"
            spent[key] = spent.get(key, 0.0) + time.perf_counter() - started
            spent_cpu[key] = spent_cpu.get(key, 0.0) + _cpu_with_children() - started_cpu
            if result is not None:
                item = result
        self._current_plugin = None
        return item

    warnings = _WarningCounter()
    logging.getLogger("mkdocs").addHandler(warnings)
    PluginCollection.run_event = timed_run_event
    started, started_cpu = time.perf_counter(), _cpu_with_children()
    try:
        cli.main(["build", "--quiet", "-f", config, "-d", site_dir], standalone_mode=False)
    finally:
        PluginCollection.run_event = original
    seconds = time.perf_counter() - started
    cpu_seconds = _cpu_with_children() - started_cpu

    def project(times: dict[str, float]) -> float:
        return sum(value for key, value in times.items() if key.rsplit(" ", 1)[0] in (project_origins or ()))

    # A streamed edition (generator.streamed) is made beside MkDocs' page pass: the build's
    # share of it is what it waited for outside the hook's events, and the thread that
    # received the files; the making process's CPU is the hook's on_post_build, which reaps it.
    receipt = _stream_receipt()
    return {
        "seconds": seconds,
        "process_cpu_seconds": cpu_seconds,
        "project_cpu_seconds": project(spent_cpu) + receipt.get("receiving_cpu", 0.0),
        "plugin_seconds": {key: round(value, 3) for key, value in sorted(spent.items()) if value >= 0.001},
        "stream": receipt,
        "project_seconds": project(spent) + receipt.get("waited_for_content", 0.0),
        "warnings": warnings.count,
        "first_warnings": warnings.first,
    }


def _stream_receipt() -> dict[str, float]:
    try:
        streamed = _need("generator.streamed", ("last_receipt",))
    except NotAvailable:
        return {}
    return dataclasses.asdict(streamed.last_receipt)


def _cpu_with_children() -> float:
    """CPU seconds of this process and of the children it has waited for: the hook forks for its own work."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def step_parallel(config: str, site_dir: str, jobs: int = 2) -> dict:
    """The same edition built by generator.parallel_build on `jobs` processes (CPU time includes the workers)."""
    parallel = _need("generator.parallel_build", ("build_site",))
    started = time.perf_counter()
    parallel.build_site(config, jobs, site_dir=site_dir)
    return {"seconds": time.perf_counter() - started, "jobs": jobs}


def step_preview(config: str, data: str, plan: str, old: str, new: str) -> dict:
    """What `mkdocs serve --dirty` does when an editor changes one measure: the rebuild after it, timed.

    A first dirty build as serve makes it on start (untimed), then `old`
    becomes `new` in data/`plan` and the configuration is loaded again and
    built dirty, as serve's rebuild does. The rebuilt pages are the HTML
    files the rebuild wrote.
    """

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site = Path(tempfile.mkdtemp(prefix="qp-bench-preview-"))

    def dirty_build() -> None:
        loaded = load_config(config_file=config, site_dir=str(site), strict=False)
        build(loaded, serve_url="http://127.0.0.1:8000/", dirty=True)

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    first = load_config(config_file=config, site_dir=str(site), strict=False)
    first.plugins.on_startup(command="serve", dirty=True)
    build(first, serve_url="http://127.0.0.1:8000/", dirty=True)
    pages = {path: path.stat().st_mtime_ns for path in site.rglob("*.html")}
    path = Path(data) / plan
    text = path.read_text(encoding="utf-8")
    if text.count(old) != 1:
        raise StepFailed(f"{plan}: the measure text to change is not there once", [])
    path.write_text(text.replace(old, new), encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    dirty_build()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    rebuilt = sorted(str(page.relative_to(site)) for page, mtime in pages.items() if page.stat().st_mtime_ns != mtime)
    return {
        "seconds": seconds,
        "rebuild_cpu_seconds": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
        "pages": len(pages),
        "rebuilt": len(rebuilt),
        "rebuilt_sample": rebuilt[:12],
    }


class _WarningCounter(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.count = 0
        self.first: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        if len(self.first) < 5:
            self.first.append(record.getMessage()[:300])


def step_search(site_dir: str, queries: list[str]) -> dict:
    """Bytes a browser fetches before the first results of each query, from the built index.

    The edition build writes the index (made from the data, not from the
    built pages); a site without one is reported as such.
    """
    import gzip

    search = _need("generator.search", ("search_site",))
    index_dir = getattr(_need("generator.search.build"), "INDEX_DIR", "search-index")
    if not (Path(site_dir) / index_dir / "meta.json").is_file():
        raise NotAvailable(f"the build wrote no {index_dir}/meta.json")
    files = [path for path in (Path(site_dir) / index_dir).rglob("*") if path.is_file()]
    figures = {
        "files": len(files),
        "bytes": sum(path.stat().st_size for path in files),
        "gzip_bytes": sum(len(gzip.compress(path.read_bytes(), compresslevel=6)) for path in files),
    }
    results = {}
    for query in queries:
        started = time.perf_counter()
        result = search.search_site(Path(site_dir), query, limit=10)
        results[query] = {
            "first_files": len(result.first_files),
            "first_bytes": result.first_bytes,
            "first_gzip_bytes": result.first_gzip_bytes,
            "candidates": result.candidates,
            "hits_shown": len(result.hits),
            "python_seconds": round(time.perf_counter() - started, 4),
        }
    return {"index": figures, "queries": results, "index_built_by_benchmark": False}


def step_publish(data: str, out: str, repo: str, config: str) -> dict:
    publish = _need("generator.publish", ("publish_site",))
    lines: list[str] = []
    started = time.perf_counter()
    try:
        status = publish.publish_site(Path(data), Path(out), repo=Path(repo), config_file=Path(config),
                                      echo=lines.append)
    except Exception as error:
        # publish prints the failing build's log through echo: keep it with the error.
        raise StepFailed(str(error), lines[-40:]) from error
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "exit_status": status, "log": lines[-40:], **publish_phases(lines)}


def publish_phases(lines: list[str]) -> dict:
    """Seconds of each phase, from publish's own progress lines: the builds, the commit, the export."""
    phases: dict = {"build_seconds": {}}
    for line in lines:
        built = re.match(r"edition (\d+): built in ([\d.]+)s", line)
        committed = re.match(r"gh-pages: committed in ([\d.]+)s", line)
        exported = re.match(r"exported gh-pages to .* in ([\d.]+)s \((.*)\)$", line)
        if built:
            phases["build_seconds"][built.group(1)] = float(built.group(2))
        elif committed:
            phases["commit_seconds"] = float(committed.group(1))
        elif exported:
            phases["export_seconds"] = float(exported.group(1))
            phases["exported"] = exported.group(2)
    return phases


STEPS = {
    "load": step_load,
    "align": step_align,
    "render": step_render,
    "build": step_build,
    "parallel": step_parallel,
    "preview": step_preview,
    "search": step_search,
    "publish": step_publish,
}


def main(argv: list[str]) -> int:
    name, arguments = argv[0], json.loads(argv[1]) if len(argv) > 1 else {}
    try:
        result = {"status": "ok", **STEPS[name](**arguments)}
    except NotAvailable as error:
        result = {"status": "not available", "reason": str(error)}
    except BaseException as error:  # the harness reports it and goes on with the other steps
        message = str(error).strip().splitlines()
        result = {
            "status": "failed",
            "error": f"{type(error).__name__}: {message[0] if message else ''}"[:500],
            "detail": "\n".join(message[:20])[:4000],
            "traceback": traceback.format_exc()[-3000:],
        }
        if isinstance(error, StepFailed):
            result["log"] = error.log
    sys.stdout.flush()
    print("\n" + json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
