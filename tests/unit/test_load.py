"""load: data/ into the model, validated, with locations; fast on 10,000 measures."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
import yaml

from generator.errors import InvalidData
from generator.load import (
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
