"""Entry points: `nox -s site` builds every edition, `nox -s tests` runs the checks."""

from __future__ import annotations

import os
import shutil

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["tests"]

PYTHON = "3.11"
CHROMIUM = "/usr/bin/chromium"


def install(session: nox.Session, *extras: str) -> None:
    target = ".[" + ",".join(extras) + "]" if extras else "."
    session.install("-q", "-c", "constraints.txt", "-e", target)


@nox.session(python=PYTHON)
def site(session: nox.Session) -> None:
    """Build every yearly edition with mike and export it to public/."""
    install(session)
    out = session.posargs[0] if session.posargs else "public"
    session.run("python", "-m", "generator", "publish", "--out", out)
    session.log(f"Open it with: python3 -m http.server -d {out} 8000  →  http://127.0.0.1:8000/")


@nox.session(python=PYTHON)
def build(session: nox.Session) -> None:
    """Build the newest edition alone into site/: `mkdocs build --strict` with its page passes on every core."""
    install(session)
    # The same output and checks as `mkdocs build --strict` (generator/parallel_build.py says how).
    session.run("python", "-m", "generator.parallel_build", "--strict", *session.posargs)


@nox.session(python=PYTHON)
def serve(session: nox.Session) -> None:
    """Serve the newest edition with live reload (data/ changes included)."""
    install(session)
    session.run("mkdocs", "serve", *session.posargs)


def ensure_browser_tools(session: nox.Session) -> None:
    """Debian's chromium (never a downloaded browser), npm for axe-core, a CJK font for screenshots."""
    missing = [
        package
        for package, present in (
            ("chromium", os.path.exists(CHROMIUM)),
            ("npm", shutil.which("npm") is not None),
            ("fonts-wqy-microhei", os.path.exists("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")),
        )
        if not present
    ]
    if not missing:
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        session.run("apt-get", "update", "-qq", external=True)
        session.run("apt-get", "install", "-y", "-qq", *missing, external=True,
                    env={"DEBIAN_FRONTEND": "noninteractive"})
        return
    session.error(f"the browser tests need: sudo apt-get install {' '.join(missing)}")


def run_lint(session: nox.Session) -> None:
    # Settings live in pyproject.toml ([tool.ruff], [tool.mypy]).
    session.run("ruff", "check", "generator", "benchmarks", "tests", "noxfile.py")
    session.run("mypy")


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff on the code and tests, mypy on generator/."""
    install(session, "lint")
    run_lint(session)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Lint, then every test: unit, golden, build, editions and browser. `nox -s tests -- -m browser` runs the browser ones alone."""
    install(session, "test", "lint")
    run_lint(session)
    ensure_browser_tools(session)
    session.run("pytest", "-n", "2", "--dist", "loadgroup", *session.posargs)


@nox.session(python=PYTHON)
def goldens(session: nox.Session) -> None:
    """Regenerate the golden files (ingested YAML, rendered Markdown) after an intended change."""
    install(session, "test")
    session.run("pytest", "tests/golden", "tests/unit/test_ingest_golden.py", "--update-goldens", *session.posargs)


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmark with synthetic corpora of 1,000 and 10,000 measures; prints a table, writes JSON."""
    install(session, "test")
    session.run("python", "benchmarks/run.py", *session.posargs)
