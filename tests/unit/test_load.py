"""load: data/ into the model, validated, with locations; fast on 10,000 measures."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
import yaml

from generator.errors import InvalidData
from generator.load import (
    ReadCache,
    load_corpus,
    load_dataset,
    plan_from_dict,
    read_optional_file,
)
from generator.model import SourceLocation
from generator.corpus import Override

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "data_minimal"


@pytest.fixture
def data(tmp_path, monkeypatch) -> Path:
    """A copy of the minimal data, named as messages name it: data/…"""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(FIXTURE, tmp_path / "data")
    return Path("data")


def test_the_minimal_data_loads():
    corpus = load_corpus(FIXTURE)
    assert [plan.id for plan in corpus.plans] == ["guobanfa-2016-18", "wanzhengbanmi-2016-76"]
    assert [measure.id for measure in corpus.plan("guobanfa-2016-18").measures] == [
        "guobanfa-2016-18/01",
        "guobanfa-2016-18/06",
        "guobanfa-2016-18/07",
    ]
    assert corpus.plan("wanzhengbanmi-2016-76").implements == "guobanfa-2016-18"
    assert corpus.agency("anhui-zhijianju").national_counterpart == "zhijianzongju"
    assert corpus.campaign("qingyuan").first_year == 2016
    assert corpus.non_campaigns == ("舌尖上的安全", "一带一路")


def test_locations_point_at_the_defining_lines(data):
    corpus = load_corpus(data)
    plan = corpus.plan("guobanfa-2016-18")
    assert plan.location == SourceLocation("data/plans/guobanfa-2016-18.yaml", 1)
    assert plan.nodes[1].location == SourceLocation("data/plans/guobanfa-2016-18.yaml", 51)
    assert plan.measures[1].location == SourceLocation("data/plans/guobanfa-2016-18.yaml", 58)
    assert corpus.agency("zhijianzongju").location == SourceLocation("data/agencies.yaml", 7)
    assert corpus.campaign("qingyuan").location == SourceLocation("data/campaigns.yaml", 7)


def test_optional_files_may_be_absent(data):
    for name in ("non_campaigns.yaml", "alignments.yaml", "redirects.yaml", "urls.lock"):
        (data / name).unlink()
    dataset = load_dataset(data)
    assert dataset.corpus.non_campaigns == ()
    assert (dataset.overrides, dataset.redirects, dict(dataset.url_lock)) == ((), (), {})


def test_the_dataset_holds_every_file_typed():
    dataset = load_dataset(FIXTURE)
    assert dataset.overrides == (
        Override(local="wanzhengbanmi-2016-76/01", national="guobanfa-2016-18/06", decision="pin", note="both name 质检利剑"),
    )
    assert dataset.redirects == ()
    assert "plans/guobanfa-2016-18/06/" in dataset.url_lock[2016]
    assert dataset.data_dir == FIXTURE.as_posix()


def test_the_single_file_reader_validates_too(data):
    (data / "redirects.yaml").write_text("- {from: plans/a/, to: plans/b/}\n", encoding="utf-8")
    with pytest.raises(InvalidData) as raised:
        read_optional_file(data, "redirects")
    assert [str(problem) for problem in raised.value.problems] == [
        "data/redirects.yaml:1: [0]: missing required field 'reason' (add it; docs/data-format.md shows every field)"
    ]


def test_the_single_file_reader_checks_the_url_lock_as_json_as_a_full_load_does(data):
    # YAML would accept this (a superset of JSON); the lock is JSON that publish writes.
    (data / "urls.lock").write_text('{"editions": {2016: []}}\n', encoding="utf-8")
    with pytest.raises(InvalidData) as raised:
        read_optional_file(data, "url_lock")
    assert [problem.message for problem in raised.value.problems] == [
        problem.message for problem in _load_problems(data)
    ]
    assert "not valid JSON" in raised.value.problems[0].message


def _load_problems(data):
    with pytest.raises(InvalidData) as raised:
        load_dataset(data)
    return raised.value.problems


def test_problems_of_every_file_are_reported_together(data):
    (data / "campaigns.yaml").write_text("- id: x\n  name: x\n  kind: enforcement\n", encoding="utf-8")
    (data / "non_campaigns.yaml").write_text("a: [\n", encoding="utf-8")
    plan = data / "plans" / "guobanfa-2016-18.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("year: 2016", "year: MMXVI"), encoding="utf-8")
    with pytest.raises(InvalidData) as raised:
        load_corpus(data)
    assert sorted(problem.file for problem in raised.value.problems) == [
        "data/campaigns.yaml",
        "data/non_campaigns.yaml",
        "data/plans/guobanfa-2016-18.yaml",
    ]


def test_a_missing_data_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InvalidData) as raised:
        load_corpus(Path("nowhere"))
    assert str(raised.value.problems[0]) == "nowhere: no data folder here (run from the project root, or pass --data FOLDER)"


def test_plan_from_dict_still_works_without_a_document():
    data = yaml.safe_load((FIXTURE / "plans" / "guobanfa-2016-18.yaml").read_text(encoding="utf-8"))
    plan = plan_from_dict(data)
    assert plan.location is None
    assert len(plan.measures) == 3


DATA_FILES = 8
"""The files of data_minimal a load reads: two plans, six registries and lists."""
PLAN = "plans/guobanfa-2016-18.yaml"
TEXT = "以空气净化器、电饭煲等消费者普遍关注的消费品为重点，开展改善消费品供给专项行动。"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def _problems(data: Path, cache: ReadCache | None) -> list[str]:
    with pytest.raises(InvalidData) as raised:
        load_dataset(data, cache)
    return [str(problem) for problem in raised.value.problems]


def test_the_read_cache_parses_only_the_files_whose_bytes_changed(data):
    cache = ReadCache()
    first = load_dataset(data, cache)
    assert cache.parsed == DATA_FILES
    again = load_dataset(data, cache)
    assert cache.parsed == DATA_FILES, "an unchanged file was parsed again"
    assert again == first
    # Unchanged files give back the very objects of the last load (frozen, so safe to share).
    assert again.corpus.plan("guobanfa-2016-18") is first.corpus.plan("guobanfa-2016-18")
    assert again.corpus.agencies is first.corpus.agencies

    plan = data / PLAN
    stat = plan.stat()
    _edit(plan, TEXT, TEXT.replace("。", "（改）。"))
    # Keyed by the bytes, not the mtime: an edit that keeps the mtime is seen all the same.
    os.utime(plan, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    edited = load_dataset(data, cache)
    assert cache.parsed == DATA_FILES + 1
    assert edited == load_dataset(data)
    assert edited.corpus.plan("guobanfa-2016-18").measures[0].text.endswith("（改）。")
    assert edited.corpus.plan("wanzhengbanmi-2016-76") is first.corpus.plan("wanzhengbanmi-2016-76")

    # A new mtime over the same bytes parses nothing.
    os.utime(data / "agencies.yaml")
    load_dataset(data, cache)
    assert cache.parsed == DATA_FILES + 1


def test_with_the_read_cache_an_invalid_edit_is_reported_as_before_and_a_fix_recovers(data):
    cache = ReadCache()
    load_dataset(data, cache)
    plan = data / PLAN
    _edit(plan, "year: 2016", "year: MMXVI")
    assert _problems(data, cache) == _problems(data, None) == [
        "data/plans/guobanfa-2016-18.yaml:10: year: expected a whole number, got text 'MMXVI' (write the number without quotes)"
    ]
    _edit(plan, "year: MMXVI", "year: 2016")
    # The rules across files still run over the files the cache holds: an
    # agency removed from the registry is named where the unchanged plans use it.
    _edit(data / "agencies.yaml", "- id: fazhangaigewei", "- id: fazhangaigewei-old")
    found = _problems(data, cache)
    assert found == _problems(data, None)
    assert any(line.startswith("data/plans/guobanfa-2016-18.yaml:") and "unknown agency 'fazhangaigewei'" in line for line in found)
    _edit(data / "agencies.yaml", "- id: fazhangaigewei-old", "- id: fazhangaigewei")
    _edit(plan, TEXT, TEXT.replace("。", "（改）。"))
    fixed = load_dataset(data, cache)
    assert fixed == load_dataset(data)
    assert fixed.corpus.plan("guobanfa-2016-18").measures[0].text.endswith("（改）。")


def test_with_the_read_cache_a_deleted_or_added_file_is_seen(data, tmp_path):
    # Without the lock and the reviewed pairings, a plan may come and go.
    (data / "urls.lock").unlink()
    (data / "alignments.yaml").unlink()
    cache = ReadCache()
    load_dataset(data, cache)
    parsed = cache.parsed
    local = data / "plans" / "wanzhengbanmi-2016-76.yaml"
    local.rename(tmp_path / local.name)
    (data / "non_campaigns.yaml").unlink()
    without = load_dataset(data, cache)
    assert [plan.id for plan in without.corpus.plans] == ["guobanfa-2016-18"]
    assert without.corpus.non_campaigns == ()
    assert without == load_dataset(data)
    (tmp_path / local.name).rename(local)
    shutil.copy(FIXTURE / "non_campaigns.yaml", data / "non_campaigns.yaml")
    back = load_dataset(data, cache)
    assert [plan.id for plan in back.corpus.plans] == ["guobanfa-2016-18", "wanzhengbanmi-2016-76"]
    assert back.corpus.non_campaigns == ("舌尖上的安全", "一带一路")
    assert back == load_dataset(data)
    assert cache.parsed == parsed + 2, "a file that came back is read again, the others are not"


def _write_synthetic(data: Path, plans: int, measures_per_plan: int) -> None:
    template = yaml.safe_load((FIXTURE / "plans" / "guobanfa-2016-18.yaml").read_text(encoding="utf-8"))
    measure = template["nodes"][1]["children"][1]
    for number in range(plans):
        plan_id = f"synth-2016-{number}"
        parts = []
        for part in range(10):
            children = []
            for index in range(measures_per_plan // 10):
                child = dict(measure, id=f"{plan_id}/{part + 1:02d}-{index + 1:02d}", ordinal=index + 1)
                children.append(child)
            parts.append({"kind": "part", "label": "一、", "ordinal": part + 1, "heading": "h", "text": "", "children": children})
        plan = dict(template, id=plan_id, nodes=parts)
        text = yaml.dump(plan, Dumper=_NoAliases, allow_unicode=True, sort_keys=False)
        (data / "plans" / f"{plan_id}.yaml").write_text(text, encoding="utf-8")


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def test_ten_thousand_measures_load_in_a_few_seconds(data):
    _write_synthetic(data, plans=20, measures_per_plan=500)
    # CPU time of this process, not wall time: the suite runs beside other work.
    started = time.process_time()
    corpus = load_corpus(data)
    elapsed = time.process_time() - started
    assert sum(len(plan.measures) for plan in corpus.plans) == 10_004
    # About 2 s of CPU; the bound leaves room for a slower CI machine.
    assert elapsed < 8, f"{elapsed:.1f} s"


def test_plans_read_on_forked_processes_load_the_same_dataset_with_the_same_lines():
    # The repository's own data: every plan, node and measure compared, locations (file:line) included.
    serial = load_dataset(ROOT / "data")
    forked = load_dataset(ROOT / "data", jobs=3)
    assert forked == serial
    assert [plan.id for plan in forked.corpus.plans] == [plan.id for plan in serial.corpus.plans]
    assert all(measure.location and measure.location.line for plan in forked.corpus.plans for measure in plan.measures)


def test_problems_found_on_forked_processes_are_the_serial_load_s_with_their_lines(data):
    def problems(jobs: int) -> list[tuple]:
        with pytest.raises(InvalidData) as raised:
            load_dataset(data, jobs=jobs)
        return [(problem.file, problem.line, problem.message) for problem in raised.value.problems]

    # A file's own problem, found on a forked process.
    plan = data / "plans" / "guobanfa-2016-18.yaml"
    original = plan.read_text(encoding="utf-8")
    plan.write_text(original.replace("year: 2016", "year: MMXVI"), encoding="utf-8")
    assert problems(2) == problems(1)
    assert {file for file, _, _ in problems(2)} == {str(plan)} and all(line for _, line, _ in problems(2))
    # A problem across files, whose line is looked up after the load: composed again from the file's bytes.
    plan.write_text(original, encoding="utf-8")
    other = data / "plans" / "wanzhengbanmi-2016-76.yaml"
    other.write_text(other.read_text(encoding="utf-8").replace("implements: guobanfa-2016-18", "implements: no-such-plan"),
                     encoding="utf-8")
    assert problems(2) == problems(1)
    assert str(other) in {file for file, _, _ in problems(2)} and all(line for _, line, _ in problems(2))
