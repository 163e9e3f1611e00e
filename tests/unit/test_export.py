"""export: the open data records, the files, and the swap that keeps old output on failure."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from generator.errors import InvalidData
from generator.align import align_corpus
from generator.commands import export_open_data
from generator.export import build_records, open_data_files
from generator.load import load_corpus, load_dataset
from generator.write import write_tree

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "data_minimal"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(FIXTURE)


def test_a_measure_record_has_exactly_the_promised_fields(corpus):
    measure = build_records(corpus, True, align_corpus(corpus))["measures"][2]
    assert measure == {
        "id": "guobanfa-2016-18/07",
        "plan_id": "guobanfa-2016-18",
        "plan_title": "贯彻实施质量发展纲要2016年行动计划",
        "doc_number": "国办发〔2016〕18号",
        "level": "national",
        "region": None,
        "year": 2016,
        "path": ["二、", "（七）"],
        "label": "（七）",
        "ordinal": 7,
        "heading": "加强重点领域质量安全监管。",
        "text": "全力保障人民群众“舌尖上的安全”。开展进口食品“清源”行动。",
        "agencies": [
            {"id": "zhijianzongju", "name": "质检总局", "role": "lead"},
            {"id": "shipinyaopinjianguanzongju", "name": "食品药品监管总局", "role": "lead"},
        ],
        "campaigns": [{"id": "qingyuan", "name": "清源"}],
        "url": "plans/guobanfa-2016-18/07/",
    }


def test_a_plan_record_has_exactly_the_promised_fields(corpus):
    plan = build_records(corpus, False, align_corpus(corpus))["plans"][1]
    assert plan == {
        "id": "wanzhengbanmi-2016-76",
        "title": "贯彻质量发展纲要推进质量安徽建设2016年行动计划",
        "doc_number": "皖政办秘〔2016〕76号",
        "issuers": ["安徽省人民政府办公厅"],
        "level": "provincial",
        "region": "安徽省",
        "year": 2016,
        "implements": "guobanfa-2016-18",
        "forwards": None,
        "incomplete": False,
        "measure_count": 1,
    }


def test_without_urls_no_record_has_one(corpus):
    records = build_records(corpus, False, align_corpus(corpus))
    assert all("url" not in record for items in records.values() for record in items)


def test_registries_are_exported_with_their_pages(corpus):
    records = build_records(corpus, True, align_corpus(corpus))
    assert [agency["id"] for agency in records["agencies"]][:2] == ["fazhangaigewei", "zhijianzongju"]
    assert records["agencies"][1]["successor"] == "shichangjianguanzongju"
    assert records["agencies"][1]["url"] == "agencies/zhijianzongju/"
    assert records["campaigns"][1] == {
        "id": "qingyuan",
        "name": "清源",
        "kind": "enforcement",
        "first_year": 2016,
        "variants": ["清源"],
        "description": "进口食品的专项整治行动。",
        "url": "campaigns/qingyuan/",
    }


def test_files_are_utf8_json_and_a_plain_csv(corpus, tmp_path):
    out = tmp_path / "open"
    write_tree(open_data_files(corpus, align_corpus(corpus)), out)
    assert sorted(path.name for path in out.iterdir()) == [
        "agencies.json", "alignments.json", "campaigns.json", "measures.csv", "measures.json", "plans.json",
    ]  # fmt: skip
    raw = (out / "measures.json").read_bytes()
    assert "质检总局".encode("utf-8") in raw and b"\\u" not in raw
    assert json.loads(raw) == build_records(corpus, True, align_corpus(corpus))["measures"]
    csv_bytes = (out / "measures.csv").read_bytes()
    assert not csv_bytes.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(csv_bytes.decode("utf-8").splitlines()))
    assert list(rows[0]) == [
        "id", "plan_id", "plan_title", "doc_number", "level", "region", "year", "path", "label",
        "ordinal", "heading", "text", "agencies", "campaigns", "url",
    ]  # fmt: skip
    assert rows[2]["path"] == "二、 > （七）"
    assert rows[2]["agencies"] == "zhijianzongju:lead;shipinyaopinjianguanzongju:lead"
    assert rows[2]["campaigns"] == "qingyuan"
    assert len(rows) == 4
    assert out.stat().st_mode & 0o777 == 0o755


def test_a_failed_export_leaves_the_previous_output_untouched(tmp_path, capsys):
    out = tmp_path / "open"
    assert export_open_data(FIXTURE, out) == 0
    before = {path.name: path.read_bytes() for path in out.iterdir()}
    broken = tmp_path / "broken"
    shutil.copytree(FIXTURE, broken)
    (broken / "agencies.yaml").write_text("- {id: x\n", encoding="utf-8")
    with pytest.raises(InvalidData):
        export_open_data(broken, out)
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["broken", "open"]


def test_export_replaces_the_folder_whole(tmp_path, capsys):
    out = tmp_path / "open"
    out.mkdir()
    (out / "stale.json").write_text("[]", encoding="utf-8")
    export_open_data(FIXTURE, out)
    assert not (out / "stale.json").exists()
    assert [path.name for path in tmp_path.iterdir()] == ["open"]


def test_export_writes_what_every_edition_publishes_under_data(tmp_path, capsys):
    from generator.build import build_edition

    export_open_data(FIXTURE, tmp_path / "open")
    edition = build_edition(load_dataset(FIXTURE))
    assert {path.name: path.read_bytes() for path in (tmp_path / "open").iterdir()} == {
        name: edition.files[f"data/{name}"] for name in edition.open_data
    }


def test_the_export_command(tmp_path, capsys):
    assert export_open_data(FIXTURE, tmp_path / "open") == 0
    assert capsys.readouterr().out == (
        f"wrote 4 measures, 2 plans, 6 agencies, 2 campaigns, 1 alignments to {(tmp_path / 'open').as_posix()}/\n"
    )
    assert json.loads((tmp_path / "open" / "plans.json").read_text(encoding="utf-8"))[0]["measure_count"] == 3


def test_alignments_json_holds_every_pairing_with_its_rank_and_source(tmp_path):
    # The shipped data: 安徽 and 重庆 implement 国办发〔2016〕18号.
    data = ROOT / "data"
    dataset = load_dataset(data)
    real = dataset.corpus
    files = open_data_files(real, align_corpus(real, dataset.overrides))
    rows = json.loads(files["alignments.json"])
    assert rows and {tuple(sorted(row)) for row in rows} == {
        ("local_measure_id", "national_measure_id", "rank", "score", "source")
    }
    local_ids = {m.id for plan in real.plans if plan.implements for m in plan.measures}
    national_ids = {m.id for m in real.plan("guobanfa-2016-18").measures}
    assert {row["local_measure_id"] for row in rows} <= local_ids
    assert {row["national_measure_id"] for row in rows} <= national_ids
    firsts = [row for row in rows if row["rank"] == 1]
    # Exactly one best pairing for every local measure that matched anything.
    assert len(firsts) == len({row["local_measure_id"] for row in rows})
    assert {row["source"] for row in rows} <= {"computed", "reviewed"}
    # 安徽 (十三) carries out the national (六): the 质检利剑 family of campaigns.
    best = {row["local_measure_id"]: row["national_measure_id"] for row in firsts}
    assert best["wanzhengbanmi-2016-76/13"] == "guobanfa-2016-18/06"
