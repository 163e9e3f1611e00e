"""The corpus of bad data: each case breaks the minimal valid data one way.

A case (cases/*.yaml) names what it breaks, the edits that break it (replace,
write, append, copy, delete, mkdir, a nested_list of N levels, move_to and
link_to a path beside data/), and the exact lines `python -m generator check` must print. Each runs the real CLI in
a subprocess, as an editor would: exit status 1, every expected line, the
file:line and fix in each, no traceback. docs/bad-input.md lists the cases.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "data_minimal"
CASES = sorted(HERE.glob("cases/*.yaml"))


def load_case(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def make_broken_data(case: dict, folder: Path) -> Path:
    """A copy of the minimal data in folder/data with the case's edits applied."""
    data = folder / "data"
    shutil.copytree(FIXTURE, data)
    for edit in case["edit"]:
        target = data / edit["file"]
        if edit.get("delete"):
            target.unlink()
        elif edit.get("mkdir"):
            target.mkdir()
        elif "nested_list" in edit:
            target.write_text("[" * edit["nested_list"] + "]" * edit["nested_list"] + "\n", encoding="utf-8")
        elif "move_to" in edit:
            target.rename(folder / edit["move_to"])
        elif "link_to" in edit:
            target.symlink_to(folder / edit["link_to"])
        elif "copy" in edit:
            shutil.copyfile(data / edit["copy"], target)
        elif "write" in edit:
            target.write_bytes(edit["write"].encode(edit.get("encoding", "utf-8")))
        elif "append" in edit:
            target.chmod(0o644)
            target.write_bytes(target.read_bytes() + edit["append"].encode("utf-8"))
        else:
            text = target.read_text(encoding="utf-8")
            # Each edit must change exactly one place, or the case tests nothing.
            assert text.count(edit["replace"]) == 1, f"{edit['replace']!r} not found once in {edit['file']}"
            target.write_text(text.replace(edit["replace"], edit["with"]), encoding="utf-8")
    return data


def run_check(folder: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", *options, "--data", "data", "check"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_there_are_enough_cases():
    assert len(CASES) >= 25


def test_the_unbroken_fixture_passes(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "data")
    result = run_check(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith("data/ is valid: 2 plans, 4 measures")


@pytest.mark.parametrize("path", CASES, ids=[path.stem for path in CASES])
def test_bad_input_gives_its_exact_error(path, tmp_path):
    case = load_case(path)
    make_broken_data(case, tmp_path)
    result = run_check(tmp_path)
    printed = result.stdout.splitlines()
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert printed[:-1] == case["expect"]
    assert printed[-1] == f"{len(case['expect'])} problem(s) in data/; fix them and run check again"
    for line in case["expect"]:
        assert line.startswith("data/"), "every problem names its file"
        assert line.endswith(")"), "every problem ends with its fix in parentheses"


def test_debug_still_reports_problems_without_crashing(tmp_path):
    make_broken_data(load_case(HERE / "cases" / "20-ref-unknown-agency.yaml"), tmp_path)
    result = run_check(tmp_path, "--debug")
    assert result.returncode == 1
    assert "unknown agency 'foo'" in result.stdout


def test_every_case_is_listed_in_the_docs():
    table = (ROOT / "docs" / "bad-input.md").read_text(encoding="utf-8")
    for path in CASES:
        assert f"`{path.stem}`" in table, f"{path.stem} missing from docs/bad-input.md"
