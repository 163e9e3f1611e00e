"""Re-ingesting a source whose YAML exists: refused without --force, ids kept with it."""

from __future__ import annotations

import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.errors import GeneratorError
from generator.ingest import ingest_files
from registries import copy_registries

ROOT = Path(__file__).resolve().parents[2]
NATIONAL = ROOT / "data" / "sources" / "000_efb95279d0e108c1.txt"
GUANGDONG = ROOT / "data" / "sources" / "002_66769d208b9c5bf1.txt"


@pytest.fixture
def data_dir(tmp_path) -> Path:
    copy_registries(tmp_path)
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


def _edit_reviewed(data_dir: Path) -> tuple[Path, str]:
    ingest_files([NATIONAL], data_dir=data_dir)
    target = data_dir / "plans" / "guobanfa-2016-18.yaml"
    reviewed = target.read_text(encoding="utf-8").replace(
        "title: 贯彻实施质量发展纲要2016年行动计划", "title: 贯彻实施质量发展纲要2016年行动计划（审定）", 1
    )
    assert reviewed != target.read_text(encoding="utf-8")
    target.write_text(reviewed, encoding="utf-8")
    return target, reviewed


def test_force_stops_and_lists_a_reviewed_edit_it_would_revert(data_dir):
    target, reviewed = _edit_reviewed(data_dir)
    with pytest.raises(GeneratorError) as raised:
        ingest_files([NATIONAL], data_dir=data_dir, force=True)
    assert str(raised.value) == (
        f"{target}: re-ingesting would change 1 reviewed field(s): "
        "title ('贯彻实施质量发展纲要2016年行动计划（审定）' → '贯彻实施质量发展纲要2016年行动计划'); nothing was written "
        "(add --keep-reviewed to keep the reviewed values, or --take-new to replace them with the new reading)"
    )
    assert target.read_text(encoding="utf-8") == reviewed


def test_keep_reviewed_keeps_the_edit_and_take_new_replaces_it(data_dir):
    target, reviewed = _edit_reviewed(data_dir)
    ingest_files([NATIONAL], data_dir=data_dir, force=True, on_reviewed="keep")
    assert target.read_text(encoding="utf-8") == reviewed
    ingest_files([NATIONAL], data_dir=data_dir, force=True, on_reviewed="new")
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["title"] == "贯彻实施质量发展纲要2016年行动计划"


def test_a_colliding_plan_id_never_replaces_another_source_s_plan(data_dir, tmp_path):
    ingest_files([NATIONAL], data_dir=data_dir)
    target = data_dir / "plans" / "guobanfa-2016-18.yaml"
    before = target.read_bytes()
    copy = tmp_path / "000_copy.txt"
    copy.write_bytes(NATIONAL.read_bytes())
    with pytest.raises(GeneratorError) as raised:
        ingest_files([copy], data_dir=data_dir, force=True)
    assert str(raised.value) == (
        f"{target}: already holds the plan of 000_efb95279d0e108c1.txt; nothing was written, even with --force "
        "(give this document its own --doc-number or --title, or rename the other plan's id first)"
    )
    assert target.read_bytes() == before


def test_drafts_into_an_empty_registry_make_valid_yaml(data_dir):
    (data_dir / "agencies.yaml").write_text("# The registry.\n[]\n", encoding="utf-8")
    ingest_files([NATIONAL], data_dir=data_dir)
    text = (data_dir / "agencies.yaml").read_text(encoding="utf-8")
    registry = yaml.safe_load(text)
    assert text.startswith("# The registry.\n- id: ")
    assert {entry["name"] for entry in registry} >= {"发展改革委", "质检总局"}
    assert all(entry["draft"] is True for entry in registry)


def test_the_atomic_writer_leaves_the_previous_file_whole_when_a_write_fails(tmp_path):
    from generator.ingest.write import write_atomic

    target = tmp_path / "plan.yaml"
    target.write_text("reviewed: true\n", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_atomic(target, "id: x\n" * 1000 + "\ud800")  # fails half way through, like a full disk
    assert target.read_text(encoding="utf-8") == "reviewed: true\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["plan.yaml"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("agencies.yaml", "- id: a\n  name: [unclosed\n", "agencies.yaml:3:1: YAML syntax error"),
        ("agencies.yaml", "- id: zhijianzongju\n  name: 质检总局\n".encode("gbk"), "not UTF-8"),
        ("agencies.yaml", "id: a\n", "a registry is a list of entries"),
        ("plans/list.yaml", "- a\n- b\n", "plans/list.yaml:1: a plan file holds one mapping, not list"),
        ("plans/string-source.yaml", "id: x\nsource: 000.txt\n", "source: is '000.txt', not a mapping"),
        (
            "plans/bomb.yaml",
            "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8)),
            "bomb.yaml",
        ),
    ],
)
def test_broken_data_files_give_one_line_not_a_traceback(data_dir, capsys, name, content, message):
    path = data_dir / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    assert main(["--data", str(data_dir), "ingest", str(NATIONAL), "--force"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and "Traceback" not in err
    assert not (data_dir / "plans" / "guobanfa-2016-18.yaml").exists()


ANHUI = ROOT / "data" / "sources" / "003_d675dad4058447c9.txt"


def test_a_cited_plan_outside_the_corpus_is_a_doc_number_and_is_linked_once_it_arrives(data_dir):
    ingest_files([ANHUI], data_dir=data_dir)
    anhui = yaml.safe_load((data_dir / "plans" / "wanzhengbanmi-2016-76.yaml").read_text(encoding="utf-8"))
    assert (anhui["implements"], anhui["cites"]) == (None, ["国办发〔2016〕18号"])
    ingest_files([NATIONAL], data_dir=data_dir)
    ingest_files([ANHUI], data_dir=data_dir, force=True, on_reviewed="new")
    anhui = yaml.safe_load((data_dir / "plans" / "wanzhengbanmi-2016-76.yaml").read_text(encoding="utf-8"))
    assert anhui["implements"] == "guobanfa-2016-18" and "cites" not in anhui


def test_a_registry_that_is_a_folder_is_one_line(data_dir, capsys):
    (data_dir / "agencies.yaml").unlink()
    (data_dir / "agencies.yaml").mkdir()
    assert main(["--data", str(data_dir), "ingest", str(NATIONAL)]) == 1
    assert capsys.readouterr().err == f"error: {data_dir / 'agencies.yaml'}: is not a file (it must be a YAML file; move the folder away)\n"


def test_a_full_disk_changes_nothing_and_is_one_line(data_dir):
    ingest_files([NATIONAL], data_dir=data_dir)
    target = data_dir / "plans" / "guobanfa-2016-18.yaml"
    reviewed = target.read_text(encoding="utf-8").replace("深入开展质量提升行动。", "深入开展质量提升行动（审）。")
    target.write_text(reviewed, encoding="utf-8")
    registry = (data_dir / "agencies.yaml").read_bytes()

    def small_disk():
        # The kernel refuses to let this process write a file over 10 kB: what a full disk does to a write.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (10_000, 10_000))

    run = subprocess.run(
        [sys.executable, "-m", "generator", "--data", str(data_dir), "ingest", str(NATIONAL), "--force", "--take-new"],
        capture_output=True, text=True, preexec_fn=small_disk, cwd=ROOT,
    )
    assert run.returncode == 1, run.stderr
    assert run.stderr.startswith("error: ") and "could not write (File too large); nothing was changed" in run.stderr
    assert "Traceback" not in run.stderr and run.stderr.count("\n") == 1
    assert target.read_text(encoding="utf-8") == reviewed
    assert (data_dir / "agencies.yaml").read_bytes() == registry
    assert sorted(path.name for path in (data_dir / "plans").iterdir()) == ["guobanfa-2016-18.yaml"]


def test_files_staged_by_a_killed_run_are_cleaned_and_nothing_else(data_dir):
    plans = data_dir / "plans"
    plans.mkdir()
    stale = plans / ".guobanfa-2016-18.yaml.k3j_x9ab.tmp"
    stale.write_text("half a pl", encoding="utf-8")
    kept = [plans / ".notes.tmp", plans / ".editor-backup.yaml.tmp", data_dir / "mine.tmp"]
    for path in kept:
        path.write_text("not ingest's", encoding="utf-8")
    ingest_files([NATIONAL], data_dir=data_dir)
    assert not stale.exists()
    assert all(path.exists() for path in kept)


def test_dry_run_over_reviewed_yaml_shows_what_force_would_stop_on(data_dir, capsys):
    target, reviewed = _edit_reviewed(data_dir)
    capsys.readouterr()
    assert main(["--data", str(data_dir), "ingest", str(NATIONAL), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"would stop: {target}: re-ingesting would change 1 reviewed field(s): title" in out
    assert out.rstrip().endswith("dry run: nothing was written")
    assert target.read_text(encoding="utf-8") == reviewed
