"""Benchmark the generator and the site build on synthetic corpora (issues 7 and 13).

    nox -s bench                                  # N = 1,000 and 10,000
    python benchmarks/run.py --measures 1000      # one size
    python benchmarks/run.py --skip publish       # leave out a step

For each N: synth, load + validate, alignment, rendering, `mkdocs build` of
the newest edition (the real mkdocs.yml and hook), the same Markdown built by
plain MkDocs + Material (the floor), the same edition built by
generator.parallel_build on two processes, an editor's preview (the dirty
rebuild `mkdocs serve --dirty` makes after one measure changes), search bytes
for a first query, and
`publish` of one new edition onto a site holding every earlier one. Every step
runs in its own process: its peak memory is that process's maximum RSS (for
the build, the MkDocs process itself). Prints a table, writes JSON to
bench-results/. A step whose module does not exist yet says "not available".
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import describe_machine  # noqa: E402
from sites import (  # noqa: E402
    ROOT,
    branch_trees,
    differing_files,
    init_identity,
    init_repository,
    make_plain_project,
    make_project,
    project_origins,
    split_last_year,
    tree_size,
)

STEPS_SCRIPT = Path(__file__).resolve().parent / "steps.py"
# The files MkDocs stamps with the build date.
SITEMAPS = frozenset({"sitemap.xml", "sitemap.xml.gz"})
RESULTS = ROOT / "bench-results"
ALL_STEPS = ("load", "align", "render", "build", "plain", "parallel", "preview", "search", "publish")
# Issue 13's targets (issue 7's, tightened: the edition over the floor from 1.15x to 1.10x).
TARGETS = {
    "linear": 11.0,
    "generator_share": 0.10,
    "over_plain": 1.10,
    "parallel_over_plain": 0.75,
    "preview_seconds": 15.0,
    "memory_mb": 1024,
    "memory_mb_100k": 8192,
    "search_gzip_kb": 300,
    "publish_over_build": 1.3,
}


def run_step(name: str, arguments: dict, env: dict | None = None, timeout: float = 3600) -> dict:
    """Run one step in a fresh Python process; adds wall seconds and the process's peak RSS."""
    # The files the previous step wrote go to disk first: on this kind of machine
    # a deletion waits for pending writes, and the step before must not bill the next.
    os.sync()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, str(STEPS_SCRIPT), name, json.dumps(arguments)],
            stdout=out, stderr=err, env={**os.environ, **(env or {})}, cwd=ROOT, start_new_session=True,
        )
        timer = threading.Timer(timeout, lambda: os.killpg(process.pid, signal.SIGKILL))
        timer.start()
        together = _GroupMemory(process.pid)
        try:
            # wait4, not wait: the rusage of this very child (and the children it
            # waited for, such as publish's mkdocs builds) gives its peak RSS.
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
            together.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    try:
        result = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        tail = (stderr or stdout).strip().splitlines()[-3:]
        result = {"status": "failed", "error": f"exit {process.returncode}: {' | '.join(tail)}"[:500]}
    result["wall_seconds"] = round(wall, 3)
    # CPU time (the step's and its children's) stays meaningful when other work
    # shares the machine; wall time is what a user waits on a quiet one.
    result["cpu_seconds"] = round(usage.ru_utime + usage.ru_stime, 3)
    result["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)
    if together.peak_bytes:
        result["peak_group_rss_mb"] = round(together.peak_bytes / 2**20, 1)
    return result


class _GroupMemory:
    """The largest sum of the resident sets of a step's processes at one moment, sampled (Linux /proc).

    ru_maxrss is one process's peak: a step whose build forks (the edition made on
    its own process, generator.streamed) holds memory in several at once.
    """

    EVERY = 0.5
    """Seconds between samples: a scan of /proc costs a few milliseconds of the runner's time."""

    def __init__(self, group: int) -> None:
        self.group, self.peak_bytes = group, 0
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        if os.path.isdir("/proc/self"):
            self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join()

    def _sample(self) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        while not self._stopped.wait(self.EVERY):
            total = 0
            for entry in os.scandir("/proc"):
                if not entry.name.isdigit():
                    continue
                try:
                    with open(f"/proc/{entry.name}/stat", "rb") as stat:
                        # After the command's ")": state, ppid, pgrp … rss (the 24th field).
                        fields = stat.read().rsplit(b")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[2]) == self.group:
                    total += int(fields[21]) * page
            self.peak_bytes = max(self.peak_bytes, total)


def bench_size(measures: int, work: Path, steps: set[str], seed: int, echo, publish_max: int | None = None,
               rounds_wanted: int = 1) -> dict:
    """Every step for one corpus size; missing or failing steps are recorded, not fatal."""
    figures: dict = {"measures": measures}
    data = work / "data"
    echo(f"[{measures}] synth …")
    started = time.perf_counter()
    synth = subprocess.run(
        [sys.executable, str(Path(__file__).resolve().parent / "synth.py"), "--measures", str(measures), "--out", str(data),
         "--seed", str(seed)],
        capture_output=True, text=True, cwd=ROOT,
    )
    figures["synth"] = {"status": "ok" if synth.returncode == 0 else "failed",
                        "wall_seconds": round(time.perf_counter() - started, 3),
                        "output": (synth.stdout + synth.stderr).strip()[-500:]}
    if synth.returncode != 0:
        return figures
    figures["corpus"] = tree_size(data)

    for name in ("load", "align", "render"):
        if name in steps:
            echo(f"[{measures}] {name} …")
            figures[name] = run_step(name, {"data": str(data)})
    edition = (figures.get("load") or {}).get("editions", [None])[-1]

    site = work / "project" / "site"
    env = {"QP_DATA": str(data)}
    if edition:
        env["QP_EDITION"] = str(edition)
    config = make_project(work / "project")
    rounds: dict[str, list[dict]] = {"build": [], "plain": [], "parallel": []}
    builds = bool(steps & {"build", "plain", "parallel", "search"})
    for round_number in range(1, max(1, rounds_wanted) + 1 if builds else 1):
        # The edition, the floor and the parallel edition one after the other in
        # each round, so a machine that slows down for a while (a shared host)
        # weighs on all three alike; the median round of each is reported.
        shown = f" (round {round_number} of {rounds_wanted})" if rounds_wanted > 1 else ""
        echo(f"[{measures}] mkdocs build of the newest edition{shown} …")
        build = run_step(
            "build", {"config": str(config), "site_dir": str(site), "project_origins": project_origins()}, env=env,
        )
        rounds["build"].append(build)
        if build["status"] != "ok":
            break
        if "plain" in steps:
            echo(f"[{measures}] plain MkDocs + Material on the same Markdown{shown} …")
            if round_number == 1:
                plain_config = make_plain_project(work / "plain", work / "project", data, edition)
            rounds["plain"].append(run_step("build", {"config": str(plain_config), "site_dir": str(work / "plain" / "site")}))
        if "parallel" in steps:
            echo(f"[{measures}] the same edition by generator.parallel_build on 2 processes{shown} …")
            parallel = run_step("parallel", {"config": str(config), "site_dir": str(work / "parallel-site")}, env=env)
            if parallel["status"] == "ok":
                # MkDocs stamps the build date into the sitemap; every other file must match.
                parallel["identical"] = not differing_files(site, work / "parallel-site", SITEMAPS)
            rounds["parallel"].append(parallel)
    if rounds["build"]:
        figures["build"] = _median_round(rounds["build"])
        if figures["build"]["status"] == "ok":
            figures["build"]["site"] = tree_size(site)
            figures["build"]["material_search_index"] = _material_index(site)
    built = figures.get("build", {}).get("status") == "ok"
    for name in ("plain", "parallel"):
        if name in steps:
            figures[name] = (_median_round(rounds[name]) if rounds[name] else
                             {"status": "not available", "reason": "the edition build did not succeed"})
    if figures.get("plain", {}).get("status") == "ok":
        figures["plain"]["site"] = tree_size(work / "plain" / "site")

    if "preview" in steps:
        echo(f"[{measures}] preview: serve --dirty, one measure changed …")
        preview_data = work / "preview" / "data"
        shutil.copytree(data, preview_data)
        plan, old, new = _preview_change(preview_data)
        preview_config = make_project(work / "preview" / "project")
        figures["preview"] = run_step("preview", {"config": str(preview_config), "data": str(preview_data),
                                                  "plan": plan, "old": old, "new": new},
                                      env={**env, "QP_DATA": str(preview_data)})

    if "search" in steps and built:
        echo(f"[{measures}] search bytes for first queries …")
        figures["search"] = run_step("search", {"site_dir": str(site), "queries": _queries(data)})
    elif "search" in steps:
        figures["search"] = {"status": "not available", "reason": "the edition build did not succeed"}

    if "publish" in steps and publish_max is not None and measures > publish_max:
        figures["publish"] = {"status": "skipped", "reason": f"--publish-max {publish_max}"}
    elif "publish" in steps:
        echo(f"[{measures}] publish: every edition but the newest, then the newest (timed) …")
        figures["publish"] = bench_publish(work / "publish", data, echo)
    return figures


def _median_round(results: list[dict]) -> dict:
    """The round with the median wall time (all its figures from that one real run), with every round's clocks."""
    if any(result.get("status") != "ok" for result in results):
        return next(result for result in results if result.get("status") != "ok")
    ordered = sorted(results, key=lambda result: result["wall_seconds"])
    median = dict(ordered[(len(ordered) - 1) // 2])
    median["rounds"] = [{"wall_seconds": result["wall_seconds"], "cpu_seconds": result["cpu_seconds"]} for result in results]
    return median


def bench_publish(work: Path, data: Path, echo) -> dict:
    """Publish all years but the last, then time publishing the last onto that site."""
    work.mkdir(parents=True)
    published = work / "data"
    last, held_back = split_last_year(data, published)
    config = make_project(work / "project")
    repo, out = work / "repo", work / "out"
    identity = init_repository(repo)
    arguments = {"data": str(published), "out": str(out), "repo": str(repo), "config": str(config)}
    earlier = run_step("publish", arguments, env=identity, timeout=7200)
    if earlier["status"] != "ok":
        return {"status": earlier["status"], "stage": "publishing the earlier editions",
                **{k: v for k, v in earlier.items() if k != "status"}}
    for relative in held_back:
        target = published / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(data / relative, target)
    (work / "new-edition").write_text(str(last), encoding="utf-8")
    echo(f"  earlier editions published in {earlier['wall_seconds']:.0f}s; now {last} …")
    return {
        **publish_new_edition(work),
        "earlier_editions_seconds": earlier["wall_seconds"],
        "earlier_peak_rss_mb": earlier["peak_rss_mb"],
    }


def publish_new_edition(work: Path) -> dict:
    """The timed publish of the newest edition onto the site `bench_publish` published in `work`.

    Also what `--republish` reruns when that attempt failed, without
    publishing every earlier edition again.
    """
    repo, out = work / "repo", work / "out"
    arguments = {"data": str(work / "data"), "out": str(out), "repo": str(repo),
                 "config": str(work / "project" / "mkdocs.yml")}
    before = branch_trees(repo)
    latest = run_step("publish", arguments, env=init_identity(), timeout=7200)
    after = branch_trees(repo)
    return {
        **latest,
        "new_edition": int((work / "new-edition").read_text(encoding="utf-8")),
        "editions_on_branch": sorted(name for name in after if name.isdigit()),
        "changed_entries": sorted(name for name in after if before.get(name) != after[name]),
        "output": tree_size(out) if out.exists() else None,
    }


def _commit() -> str | None:
    """The work tree's commit, "+changes" when files differ from it: which code was measured."""
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    if head.returncode != 0:
        return None
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return head.stdout.strip() + ("+changes" if dirty else "")


def _preview_change(data: Path) -> tuple[str, str, str]:
    """One measure of the newest plan and an edit to its text: (plan path in data/, old line, new line)."""
    plans = sorted((data / "plans").glob("*.yaml"))
    newest = max(plans, key=lambda path: (yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)["year"],
                                          path.name))
    text = newest.read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.lstrip().startswith("text:") and "。" in line and text.count(line) == 1:
            return str(newest.relative_to(data)), line, line.replace("。", "（预览修改）。", 1)
    raise SystemExit(f"{newest}: no measure text to change for the preview")


def _material_index(site: Path) -> dict | None:
    # Material's own index, for comparison: the browser fetches all of it before any result.
    path = site / "search" / "search_index.json"
    if not path.is_file():
        return None
    data = path.read_bytes()
    return {"bytes": len(data), "gzip_bytes": len(gzip.compress(data, compresslevel=6))}


def _queries(data: Path) -> list[str]:
    """A campaign and two agencies of the synthetic corpus, the national regulator, a common phrase."""
    with open(data / "campaigns.yaml", encoding="utf-8") as handle:
        campaigns = yaml.load(handle, Loader=yaml.CSafeLoader) or []
    with open(data / "agencies.yaml", encoding="utf-8") as handle:
        agencies = yaml.load(handle, Loader=yaml.CSafeLoader) or []
    local = [agency["name"] for agency in agencies if agency.get("region")]
    queries = [campaigns[0]["name"]] if campaigns else []
    queries += local[:1] + ["市场监管总局", "质量强国", "质量提升"]
    return queries


def evaluate(results: list[dict]) -> list[dict]:
    """Each target of issue 7 against the figures: met, missed (by how much) or not measured."""
    checks = []
    by_size = {result["measures"]: result for result in results}

    def ok(step: dict | None) -> bool:
        return bool(step) and step.get("status") == "ok"

    sizes = sorted(by_size)
    for smaller, larger in zip(sizes, sizes[1:]):
        small, large = by_size[smaller], by_size[larger]
        if ok(small.get("build")) and ok(large.get("build")):
            limit = TARGETS["linear"] * (larger / smaller) / 10
            for clock in ("cpu_seconds", "wall_seconds"):
                ratio = large["build"][clock] / small["build"][clock]
                checks.append(_check(f"build {larger} ≤ {limit:g}× build {smaller} ({_CLOCKS[clock]})",
                                     ratio, limit, "×"))
    for size in sizes:
        result = by_size[size]
        build, plain = result.get("build"), result.get("plain")
        if ok(build):
            # Both clocks inside the one MkDocs process: the hook's events over the whole build.
            share = build["project_seconds"] / build["seconds"]
            checks.append(_check(f"{size}: generator's work ≤ 10% of the build (wall time)", share, TARGETS["generator_share"], "%"))
        if ok(build):
            if "project_cpu_seconds" in build:
                # The same share in CPU time (the hook's events and the whole MkDocs process),
                # which a busy machine does not skew.
                share = build["project_cpu_seconds"] / build["process_cpu_seconds"]
                checks.append(_check(f"{size}: generator's work ≤ 10% of the build (CPU time)", share,
                                     TARGETS["generator_share"], "%"))
        if ok(build) and ok(plain):
            for clock in ("cpu_seconds", "wall_seconds"):
                ratio = build[clock] / plain[clock]
                checks.append(_check(f"{size}: build ≤ {TARGETS['over_plain']:g}× plain MkDocs + Material ({_CLOCKS[clock]})",
                                     ratio, TARGETS["over_plain"], "×"))
        parallel = result.get("parallel")
        if ok(parallel) and ok(plain):
            # The point of two processes is the time one waits: judged on wall time.
            # Their CPU time added up is shown for information, it cannot fall below one process's.
            ratio = parallel["wall_seconds"] / plain["wall_seconds"]
            checks.append(_check(f"{size}: parallel edition (2 processes) ≤ {TARGETS['parallel_over_plain']:g}× "
                                 f"single-process floor (wall time)", ratio, TARGETS["parallel_over_plain"], "×"))
            checks.append({"target": f"{size}: parallel edition, CPU time of both processes over the floor's",
                           "value": f"{parallel['cpu_seconds'] / plain['cpu_seconds']:.2f}×", "met": None})
            checks.append({"target": f"{size}: parallel edition identical to the serial one",
                           "value": "identical" if parallel.get("identical") else "differs",
                           "met": bool(parallel.get("identical"))})
        preview = result.get("preview")
        if ok(preview):
            checks.append(_check(f"{size}: preview shows one changed measure within 15 s (wall)",
                                 preview["seconds"], TARGETS["preview_seconds"], " s"))
            checks.append(_check(f"{size}: preview rebuild within 15 s (its CPU time)",
                                 preview["rebuild_cpu_seconds"], TARGETS["preview_seconds"], " s"))
        # The processes of a step together where sampled, else its largest process.
        peaks = [step.get("peak_group_rss_mb", step["peak_rss_mb"]) for name in ("load", "align", "render", "build", "publish")
                 if ok(step := result.get(name)) and "peak_rss_mb" in step]
        if peaks:
            limit = TARGETS["memory_mb"] if size <= 10_000 else TARGETS["memory_mb_100k"]
            checks.append(_check(f"{size}: peak memory < {limit // 1024} GB", max(peaks), limit, "MB"))
        search = result.get("search")
        if ok(search):
            worst = max(q["first_gzip_bytes"] for q in search["queries"].values()) / 1024
            checks.append(_check(f"{size}: ≤ 300 KB gzip before first results", worst, TARGETS["search_gzip_kb"], "KB"))
        publish = result.get("publish")
        if ok(publish):
            expected = {str(publish["new_edition"]), "latest", "versions.json"}
            unexpected = sorted(set(publish["changed_entries"]) - expected - {"index.html", "404.html", ".nojekyll"})
            checks.append({
                "target": f"{size}: publish rebuilds only the new edition and latest",
                "value": ", ".join(publish["changed_entries"]) or "nothing",
                "met": not unexpected and str(publish["new_edition"]) in publish["changed_entries"],
            })
            build = (publish.get("build_seconds") or {}).get(str(publish["new_edition"]))
            if build:
                # Issue 13: publishing a new edition costs at most 1.3× building it alone.
                checks.append(_check(f"{size}: publish one new edition ≤ {TARGETS['publish_over_build']:g}× its build "
                                     f"({build:.1f} s)", publish["wall_seconds"] / build,
                                     TARGETS["publish_over_build"], "×"))
    return checks


_CLOCKS = {"cpu_seconds": "CPU time", "wall_seconds": "wall time"}


def _check(target: str, value: float, limit: float, unit: str) -> dict:
    shown = f"{value:.1%}" if unit == "%" else f"{value:.2f}{unit}"
    return {"target": target, "value": shown, "met": value <= limit if unit != "MB" else value < limit}


def format_table(results: list[dict]) -> str:
    rows = [("step", *[f"N = {result['measures']:,}" for result in results])]

    def cell(result: dict, name: str, fmt) -> str:
        step = result.get(name)
        if not step:
            return "skipped"
        if step.get("status") != "ok":
            return step.get("status", "?") + (f" ({step.get('reason') or step.get('error', '')})"[:60])
        try:
            return fmt(step)
        except (KeyError, TypeError, ValueError):
            return "?"

    def mb(value: int) -> str:
        return f"{value / 1e6:.1f} MB"

    lines = [
        ("synth", lambda r: cell(r, "synth", lambda s: f"{s['wall_seconds']:.1f} s")),
        ("load + validate", lambda r: cell(r, "load", lambda s: f"{s['seconds']:.2f} s · {s['peak_rss_mb']:.0f} MB")),
        ("align", lambda r: cell(r, "align", lambda s: f"{s['seconds']:.2f} s · {s['pairings']} pairings")),
        ("render (+ write)", lambda r: cell(r, "render", lambda s: f"{s['seconds']:.2f} s (+{s['write_seconds'] or 0:.2f} s) · {s['pages']} pages")),
        ("mkdocs build, edition", lambda r: cell(r, "build", lambda s: f"{s['wall_seconds']:.1f} s ({s['cpu_seconds']:.1f} s CPU) · {s['peak_rss_mb']:.0f} MB RSS"
                                                                  + (f", {s['peak_group_rss_mb']:.0f} MB together" if "peak_group_rss_mb" in s else ""))),
        ("  per page", lambda r: cell(r, "build", lambda s: (
            f"{1000 * s['wall_seconds'] / r['render']['pages']:.1f} ms ({1000 * s['cpu_seconds'] / r['render']['pages']:.1f} ms CPU)"))),
        ("  of which project hook", lambda r: cell(r, "build", lambda s: (
            f"{s['project_seconds']:.1f} s ({s['project_seconds'] / s['seconds']:.0%})"
            + (f", {s['project_cpu_seconds']:.1f} s CPU ({s['project_cpu_seconds'] / s['process_cpu_seconds']:.0%})"
               if "project_cpu_seconds" in s else "")))),
        ("  warnings", lambda r: cell(r, "build", lambda s: str(s["warnings"]))),
        ("  rounds (wall; median shown)", lambda r: cell(r, "build", lambda s: _rounds(s))),
        ("  output", lambda r: cell(r, "build", lambda s: f"{mb(s['site']['bytes'])} · {s['site']['files']} files")),
        ("plain MkDocs + Material", lambda r: cell(r, "plain", lambda s: f"{s['wall_seconds']:.1f} s ({s['cpu_seconds']:.1f} s CPU) · {s['peak_rss_mb']:.0f} MB RSS")),
        ("  output", lambda r: cell(r, "plain", lambda s: f"{mb(s['site']['bytes'])} · {s['site']['files']} files")),
        ("  rounds (wall)", lambda r: cell(r, "plain", lambda s: _rounds(s))),
        ("parallel edition, 2 processes", lambda r: cell(r, "parallel", lambda s: f"{s['wall_seconds']:.1f} s ({s['cpu_seconds']:.1f} s CPU) · {'identical' if s.get('identical') else 'DIFFERS'}")),
        ("  rounds (wall)", lambda r: cell(r, "parallel", lambda s: _rounds(s))),
        ("preview: rebuild after one measure", lambda r: cell(r, "preview", lambda s: f"{s['seconds']:.1f} s ({s['rebuild_cpu_seconds']:.1f} s CPU) · {s['rebuilt']} of {s['pages']} pages")),
        ("Material search_index.json", lambda r: cell(r, "build", lambda s: (
            f"{mb(s['material_search_index']['bytes'])} ({s['material_search_index']['gzip_bytes'] / 1024:.0f} KB gz)"
            if s.get("material_search_index") else "none"))),
        ("search index", lambda r: cell(r, "search", lambda s: (
            f"{mb(s['index']['bytes'])} ({s['index']['gzip_bytes'] / 1e6:.1f} MB gz) · {s['index']['files']} files"))),
        ("search: first query, gz", lambda r: cell(r, "search", lambda s: " / ".join(
            f"{q['first_gzip_bytes'] / 1024:.0f}" for q in s["queries"].values()) + " KB"
            + (" (index built by the benchmark)" if s["index_built_by_benchmark"] else ""))),
        ("publish one new edition", lambda r: cell(r, "publish", lambda s: f"{s['wall_seconds']:.1f} s ({s['cpu_seconds']:.1f} s CPU) · {s['peak_rss_mb']:.0f} MB · changed: {', '.join(s['changed_entries'])}")),
        ("  of which build · commit · export", lambda r: cell(r, "publish", lambda s: (
            f"{s['build_seconds'][str(s['new_edition'])]:.1f} s · {s['commit_seconds']:.1f} s · {s['export_seconds']:.1f} s"))),
        ("  earlier editions (untimed)", lambda r: cell(r, "publish", lambda s: f"{s['earlier_editions_seconds']:.0f} s")),
    ]
    for label, get in lines:
        rows.append((label, *[get(result) for result in results]))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    text = ["  ".join(value.ljust(width) for value, width in zip(row, widths)).rstrip() for row in rows]
    text.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(text)


def _rounds(step: dict) -> str:
    return " / ".join(f"{round_['wall_seconds']:.1f}" for round_ in step.get("rounds", [])) + " s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, nargs="+", default=[1000, 10000], help="corpus sizes (default 1000 10000)")
    parser.add_argument("--skip", nargs="*", default=[], choices=ALL_STEPS, help="steps to leave out")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=3,
                        help="edition, floor and parallel builds, interleaved, this many times; the median is reported (default 3)")
    parser.add_argument("--publish-max", type=int, default=None,
                        help="skip publish for corpora larger than this (it builds every earlier edition first)")
    parser.add_argument("--work", type=Path, default=None, help="keep the corpora and sites here (default: a temporary folder)")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where the JSON goes (default bench-results/)")
    parser.add_argument("--republish", type=Path, default=None, metavar="WORK/nN/publish",
                        help="only time publishing the newest edition again onto a site an earlier --work run published")
    args = parser.parse_args(argv)

    steps = set(ALL_STEPS) - set(args.skip)
    work = args.work or Path(tempfile.mkdtemp(prefix="qp-bench-"))
    started = datetime.now(timezone.utc)
    args.results.mkdir(parents=True, exist_ok=True)
    path = args.results / f"bench-{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    report = {
        "started": started.isoformat(timespec="seconds"),
        "finished": None,
        "machine": describe_machine(),
        "commit": _commit(),
        "seed": args.seed,
        "rounds": args.rounds,
        "results": [],
        "targets": [],
    }
    results = report["results"]
    if args.republish:
        marker = (args.republish / "data" / ".synthetic").read_text(encoding="utf-8")
        measures = int(marker.split(":")[1].split()[0])
        results.append({"measures": measures, "publish": publish_new_edition(args.republish)})
        report.update(finished=datetime.now(timezone.utc).isoformat(timespec="seconds"), targets=evaluate(results))
        path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        args.measures = []
    try:
        for measures in args.measures:
            folder = work / f"n{measures}"
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir(parents=True)
            results.append(bench_size(measures, folder, steps, args.seed, lambda line: print(line, flush=True),
                                      publish_max=args.publish_max, rounds_wanted=args.rounds))
            # Written after every size, so a long run that is stopped keeps what it measured.
            report.update(finished=datetime.now(timezone.utc).isoformat(timespec="seconds"), targets=evaluate(results))
            path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print(format_table(results))
    print()
    for check in report["targets"]:
        verdict = "info  " if check["met"] is None else "met   " if check["met"] else "MISSED"
        print(f"{verdict}  {check['target']}: {check['value']}")
    print(f"\ncommit {report['commit']} · {report['machine']['cpus']} CPUs ({report['machine']['cpu_model']}) · "
          f"{report['machine']['memory_mb']} MB · Python {report['machine']['python']}")
    print(f"JSON: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
