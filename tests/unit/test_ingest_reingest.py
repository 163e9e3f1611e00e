"""Re-ingesting a source whose YAML exists: refused without --force, ids kept with it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.errors import GeneratorError
from generator.ingest import ingest_files

ROOT = Path(__file__).resolve().parents[2]
NATIONAL = ROOT / "data" / "sources" / "000_efb95279d0e108c1.txt"
GUANGDONG = ROOT / "data" / "sources" / "002_66769d208b9c5bf1.txt"


@pytest.fixture
def data_dir(tmp_path) -> Path:
    for name in ("agencies.yaml", "campaigns.yaml", "non_campaigns.yaml"):
        shutil.copy(ROOT / "data" / name, tmp_path / name)
    return tmp_path


def test_refuses_without_force_and_names_the_file(data_dir):
    ingest_files([NATIONAL], data_dir=data_dir, force=False)
    target = data_dir / "plans" / "guobanfa-2016-18.yaml"
    reviewed = target.read_text(encoding="utf-8").replace("深入开展质量提升行动。", "深入开展质量提升行动（已审）。")
    target.write_text(reviewed, encoding="utf-8")
    with pytest.raises(GeneratorError) as raised:
        ingest_files([NATIONAL], data_dir=data_dir, force=False)
    assert str(raised.value) == (
        f"{target}: already exists and may hold reviewed edits; nothing was written "
        f"(run `python -m generator ingest {NATIONAL} --force` to re-ingest it, keeping its ids)"
    )
    assert target.read_text(encoding="utf-8") == reviewed


def test_cli_prints_one_error_line(data_dir, capsys):
    assert main(["--data", str(data_dir), "ingest", str(NATIONAL)]) == 0
    capsys.readouterr()
    assert main(["--data", str(data_dir), "ingest", str(NATIONAL)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and "--force" in err


def test_force_keeps_plan_and_measure_ids(data_dir):
    ingest_files([NATIONAL], data_dir=data_dir, force=False)
    original = data_dir / "plans" / "guobanfa-2016-18.yaml"
    text = original.read_text(encoding="utf-8")
    # An editor renamed the plan (file and id) and one measure id before publication.
    text = text.replace("id: guobanfa-2016-18\n", "id: guobanfa-2016-18-renamed\n", 1)
    text = text.replace("id: guobanfa-2016-18/06\n", "id: guobanfa-2016-18-renamed/six\n")
    original.unlink()
    (data_dir / "plans" / "guobanfa-2016-18-renamed.yaml").write_text(text, encoding="utf-8")
    ingest_files([NATIONAL], data_dir=data_dir, force=True)
    assert [path.name for path in (data_dir / "plans").glob("*.yaml")] == ["guobanfa-2016-18-renamed.yaml"]
    plan = yaml.safe_load((data_dir / "plans" / "guobanfa-2016-18-renamed.yaml").read_text(encoding="utf-8"))
    assert plan["id"] == "guobanfa-2016-18-renamed"
    ids = [child["id"] for part in plan["nodes"] for child in part["children"]]
    assert ids[5] == "guobanfa-2016-18-renamed/six"
    # The other measures keep the ids stored in the reviewed file.
    assert ids[0] == "guobanfa-2016-18/01" and ids[17] == "guobanfa-2016-18/18"


def test_force_on_a_file_with_two_documents_keeps_both(data_dir):
    ingest_files([GUANGDONG], data_dir=data_dir, force=False)
    before = sorted(path.name for path in (data_dir / "plans").glob("*.yaml"))
    ingest_files([GUANGDONG], data_dir=data_dir, force=True)
    after = sorted(path.name for path in (data_dir / "plans").glob("*.yaml"))
    assert before == after == ["guobanfa-2016-68.yaml", "yuefuban-2016-112.yaml"]


def test_same_output_twice_with_force(data_dir):
    ingest_files([NATIONAL], data_dir=data_dir, force=False)
    first = (data_dir / "plans" / "guobanfa-2016-18.yaml").read_bytes()
    ingest_files([NATIONAL], data_dir=data_dir, force=True)
    assert (data_dir / "plans" / "guobanfa-2016-18.yaml").read_bytes() == first


def test_two_sources_making_the_same_plan_are_refused(data_dir, tmp_path):
    copy = tmp_path / "000_copy.txt"
    copy.write_bytes(NATIONAL.read_bytes())
    with pytest.raises(GeneratorError) as raised:
        ingest_files([NATIONAL, copy], data_dir=data_dir, force=False)
    assert str(raised.value).startswith(f"{copy}: makes plan guobanfa-2016-18, which another source of this run makes too")
    assert not (data_dir / "plans").exists()
