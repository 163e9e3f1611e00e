"""Serial against parallel `mkdocs build` of one edition, and the floor, on a synthetic corpus (issue 13).

    python benchmarks/parallel_build.py --measures 1000              # synth, then every build twice
    python benchmarks/parallel_build.py --data DIR --jobs 2 --rounds 3

Builds, each in a fresh process, in turns so that a busy spell of the shared
machine hits all alike: the edition (real mkdocs.yml and hook) with MkDocs'
own serial build and with `generator.parallel_build` on `--jobs` processes,
then the floor (the same Markdown as plain files, no project code) both ways.
Every parallel site is compared byte for byte with its serial twin
(SOURCE_DATE_EPOCH fixed, so MkDocs' build date is the same in both).
Reports wall time, CPU time of the build process and of its workers, and the
critical path: the CPU seconds of the build process itself plus, for each page
pass, how much longer the slowest worker's share took than its own, which is
what the build would take on an idle machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import describe_machine  # noqa: E402
from sites import ROOT, differing_files, make_plain_project, make_project  # noqa: E402

# One build in a fresh interpreter; prints its own and its workers' CPU seconds.
BUILD = """
import json, logging, re, resource, sys
from generator.parallel_build import build_site, timings
passes = []
class Passes(logging.Handler):
    def emit(self, record):
        passes.append([float(s) for s in re.search(r"process: (.*)\)", record.getMessage()).group(1).split(", ")])
timings.setLevel(logging.DEBUG)
timings.addHandler(Passes())
build_site(sys.argv[1], int(sys.argv[2]), site_dir=sys.argv[3])
own = resource.getrusage(resource.RUSAGE_SELF)
workers = resource.getrusage(resource.RUSAGE_CHILDREN)
own_cpu = own.ru_utime + own.ru_stime
# The build process waits for a slower worker: that wait is on the critical path too.
waited = sum(max(seconds[1:], default=0) - seconds[0] for seconds in passes if max(seconds[1:], default=0) > seconds[0])
print(json.dumps({"own_cpu": own_cpu, "workers_cpu": workers.ru_utime + workers.ru_stime, "critical": own_cpu + waited,
                  "passes": passes, "own_rss_mb": own.ru_maxrss / 1024, "worker_rss_mb": workers.ru_maxrss / 1024}))
"""


def run_build(config: Path, jobs: int, site: Path, env: dict) -> dict:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", BUILD, str(config), str(jobs), str(site)],
        cwd=config.parent, env=env, capture_output=True, text=True,
    )
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"error: build of {config} with {jobs} job(s) failed:\n{result.stderr[-2000:]}")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["wall"] = wall
    figures["cpu"] = figures["own_cpu"] + figures["workers_cpu"]
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--measures", type=int, default=1000, help="synthesise a corpus of this size (default 1000)")
    source.add_argument("--data", type=Path, help="a data folder instead of a synthetic corpus")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--skip-floor", action="store_true", help="only the edition builds")
    parser.add_argument("--work", type=Path, help="keep corpora and sites here (default: a temporary folder)")
    args = parser.parse_args(argv)

    work = args.work or Path(tempfile.mkdtemp(prefix="qp-parallel-bench-"))
    data = args.data.resolve() if args.data else work / "data"
    if not args.data:
        subprocess.run([sys.executable, str(Path(__file__).resolve().parent / "synth.py"), "--measures",
                        str(args.measures), "--out", str(data)], cwd=ROOT, check=True, capture_output=True)
    env = {**os.environ, "QP_DATA": str(data), "SOURCE_DATE_EPOCH": "1700000000"}
    env.pop("QP_EDITION", None)
    edition = make_project(work / "edition")
    kinds = {"edition": edition}
    runs: dict[tuple[str, int], list[dict]] = {}
    if not args.skip_floor:
        # The floor's Markdown is what the edition build rendered; that build counts as the first serial one.
        runs[("edition", 1)] = [run_build(edition, 1, work / "site-edition-1", env)]
        kinds["floor"] = make_plain_project(work / "floor", work / "edition", data, None)

    for round_ in range(args.rounds):
        for kind, config in kinds.items():
            for jobs in (1, args.jobs) if round_ % 2 == 0 else (args.jobs, 1):
                if round_ == 0 and jobs == 1 and (kind, jobs) in runs:
                    figures = runs[(kind, jobs)][0]
                else:
                    figures = run_build(config, jobs, work / f"site-{kind}-{jobs}", env)
                    runs.setdefault((kind, jobs), []).append(figures)
                print(f"{kind} jobs={jobs}: {figures['wall']:.1f} s wall, {figures['cpu']:.1f} s CPU "
                      f"({figures['own_cpu']:.1f} s in the build process), load {os.getloadavg()[0]:.1f}",
                      flush=True)
            differing = differing_files(work / f"site-{kind}-1", work / f"site-{kind}-{args.jobs}")
            print(f"{kind}: {'identical output' if not differing else 'DIFFERENT: ' + ', '.join(differing[:20])}")
            if differing:
                return 1

    def best(kind: str, jobs: int, key: str) -> float:
        return min(run[key] for run in runs[(kind, jobs)])

    summary = {
        f"{kind} jobs={jobs}": {
            key: {"min": round(best(kind, jobs, key), 2),
                  "median": round(statistics.median(run[key] for run in runs[(kind, jobs)]), 2)}
            for key in ("wall", "cpu", "own_cpu", "workers_cpu", "critical", "own_rss_mb")
        }
        for kind, jobs in runs
    }
    figures = work / "parallel-build.json"
    figures.write_text(json.dumps({"machine": describe_machine(), "runs": summary}, indent=1), encoding="utf-8")
    print(f"figures: {figures}")
    print("\nbest of each (s)            wall    CPU   critical path")
    for kind, jobs in runs:
        print(f"  {kind:8} jobs={jobs:<3}  {best(kind, jobs, 'wall'):8.1f} {best(kind, jobs, 'cpu'):6.1f} "
              f"{best(kind, jobs, 'critical'):8.1f}")
    if "floor" in kinds:
        floor = "floor", 1
        for key, label in (("wall", "wall"), ("critical", "critical path")):
            ratio = best("edition", args.jobs, key) / best(*floor, key)
            verdict = "met" if ratio < 0.75 else "missed"
            print(f"parallel edition / serial floor ({label}): {ratio:.2f}x (target below 0.75x: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
