"""Regions that read alike without tones (山西省, 陕西省) get ids of their own from ingest, by the region pages' rule."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml

from generator import urls
from generator.ingest import ingest_files
from registries import fresh_data_dir

ROOT = Path(__file__).resolve().parents[2]
TITLE = "guanyu-tuijin-ceshi-gongzuo-deyi-jian"
"""The plan id's part after region and year: 关于推进测试工作的意见, no doc number."""


def _document(region: str, year: int, task: str = "省科技厅") -> str:
    return f"""{region}人民政府关于推进测试工作的意见
各市人民政府，省人民政府各工作部门、各直属机构：
为推进测试工作，现提出以下意见。
一、总体要求
（一）加强统筹。统筹推进测试工作。（省质监局负责）
（二）完善制度。完善测试制度。（{task}负责）
{region}人民政府
{year}年1月24日
"""


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return fresh_data_dir(tmp_path)


def _ingest(data_dir: Path, *documents: tuple[str, str]) -> str:
    sources = []
    for name, text in documents:
        sources.append(data_dir / "sources" / name)
        sources[-1].write_text(text, encoding="utf-8")
    report = io.StringIO()
    assert ingest_files(sources, data_dir=data_dir, report_to=report) == 0
    return report.getvalue()


def _agency_ids(data_dir: Path, region: str) -> list[str]:
    entries = yaml.safe_load((data_dir / "agencies.yaml").read_text(encoding="utf-8"))
    return [entry["id"] for entry in entries if entry["region"] == region]


def _plan_ids(data_dir: Path) -> list[str]:
    return sorted(path.stem for path in (data_dir / "plans").glob("*.yaml"))


def test_a_namesake_of_a_region_in_the_data_is_spelled_with_tones(data_dir):
    _ingest(data_dir, ("shanxi.txt", _document("山西省", 2016)))
    shanxi_plan = (data_dir / "plans" / f"shanxi-2016-{TITLE}.yaml").read_bytes()
    assert _agency_ids(data_dir, "山西省") == ["shanxi-zhijianju", "shanxi-kejiting"]

    report = _ingest(data_dir, ("shaanxi.txt", _document("陕西省", 2019)))
    # Not shanxi-zhijianju-2: an id that says nothing and depends on which was ingested first.
    assert _agency_ids(data_dir, "陕西省") == ["shan3xi1-zhijianju", "shan3xi1-kejiting"]
    assert _plan_ids(data_dir) == [f"shan3xi1-2019-{TITLE}", f"shanxi-2016-{TITLE}"]
    plan = yaml.safe_load((data_dir / "plans" / f"shan3xi1-2019-{TITLE}.yaml").read_text(encoding="utf-8"))
    assert [ref["id"] for node in plan["nodes"] for measure in node["children"] for ref in measure["agencies"]] == [
        "shan3xi1-zhijianju", "shan3xi1-kejiting"]
    assert _agency_ids(data_dir, "山西省") == ["shanxi-zhijianju", "shanxi-kejiting"]
    assert (data_dir / "plans" / f"shanxi-2016-{TITLE}.yaml").read_bytes() == shanxi_plan
    assert "warning: 陕西省 reads shanxi like 山西省, which came first: its new ids begin shan3xi1-" in report

    # Each keeps its spelling in later runs: 陕西's new body is shan3xi1-…, 山西's is shanxi-….
    report = _ingest(data_dir, ("shaanxi-2.txt", _document("陕西省", 2020, task="省商务厅")),
                     ("shanxi-2.txt", _document("山西省", 2020, task="省商务厅")))
    assert _agency_ids(data_dir, "陕西省")[-1] == "shan3xi1-shangwuting"
    assert _agency_ids(data_dir, "山西省")[-1] == "shanxi-shangwuting"
    assert "warning" not in report


def test_a_region_the_registry_knows_keeps_the_plain_prefix_whatever_the_years(data_dir):
    # A reviewed entry, with no plan of 山西 in the data: the published id shanxi-zhijianju is 山西's.
    with (data_dir / "agencies.yaml").open("a", encoding="utf-8") as registry:
        registry.write("- id: shanxi-zhijianju\n  name: 山西省质监局\n  full_name: 山西省质量技术监督局\n  level: provincial\n"
                       "  region: 山西省\n  aliases: [省质监局]\n  national_counterpart: zhijianzongju\n  successor: null\n"
                       "  collective: false\n")
    _ingest(data_dir, ("shaanxi.txt", _document("陕西省", 2015)))
    assert _agency_ids(data_dir, "陕西省") == ["shan3xi1-zhijianju", "shan3xi1-kejiting"]
    assert _plan_ids(data_dir) == [f"shan3xi1-2015-{TITLE}"]


@pytest.mark.parametrize("order", [("shanxi.txt", "shaanxi.txt"), ("shaanxi.txt", "shanxi.txt")])
@pytest.mark.parametrize(("shanxi_year", "shaanxi_year"), [(2016, 2019), (2018, 2018)])
def test_namesakes_new_in_one_run_are_spelled_as_their_region_pages(data_dir, order, shanxi_year, shaanxi_year):
    texts = {"shanxi.txt": _document("山西省", shanxi_year), "shaanxi.txt": _document("陕西省", shaanxi_year)}
    report = _ingest(data_dir, *[(name, texts[name]) for name in order])
    pages = urls.region_ids({"山西省": shanxi_year, "陕西省": shaanxi_year})
    assert _agency_ids(data_dir, "山西省") == [f"{pages['山西省']}-zhijianju", f"{pages['山西省']}-kejiting"]
    assert _agency_ids(data_dir, "陕西省") == [f"{pages['陕西省']}-zhijianju", f"{pages['陕西省']}-kejiting"]
    assert _plan_ids(data_dir) == sorted([f"{pages['山西省']}-{shanxi_year}-{TITLE}", f"{pages['陕西省']}-{shaanxi_year}-{TITLE}"])
    if shanxi_year == shaanxi_year:
        # Neither came first: neither was ever alone under shanxi, and the reviewer is told.
        assert pages == {"山西省": "shan1xi1", "陕西省": "shan3xi1"}
        assert "warning: 山西省 reads shanxi like 陕西省, and which came first is not known" in report
        assert "its new ids begin shan3xi1- (rename them if it should keep shanxi-)" in report
    else:
        assert pages == {"山西省": "shanxi", "陕西省": "shan3xi1"}
