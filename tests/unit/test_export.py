"""export: the open data records, the files, and the swap that keeps old output on failure."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from generator.errors import InvalidData
from generator.align import align_corpus
from generator.commands import export_open_data
from generator.export import OPEN_DATA_NAMES, build_records, indented_json, measure_row, open_data_files
from generator.load import load_corpus, load_dataset
from generator.model import AgencyRef, Node
from generator.corpus import Corpus
from generator.write import write_tree
from builders import plan as plan_of

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
        "heading_simplified": None,
        "text": "全力保障人民群众“舌尖上的安全”。开展进口食品“清源”行动。",
        "text_simplified": None,
        "responsibility": "（质检总局、食品药品监管总局按职责分工负责）",
        "agencies": [
            {"id": "zhijianzongju", "name": "质检总局", "printed": None, "role": "lead", "wording": None, "role_label": "牵头"},
            {"id": "shipinyaopinjianguanzongju", "name": "食品药品监管总局", "printed": None, "role": "lead", "wording": None, "role_label": "牵头"},
        ],
        "mentions": [],
        "campaigns": [{"id": "qingyuan", "name": "清源"}],
        "url": "plans/guobanfa-2016-18/07/",
    }


def test_a_plan_record_has_exactly_the_promised_fields(corpus):
    plan = build_records(corpus, False, align_corpus(corpus))["plans"][1]
    assert plan == {
        "id": "wanzhengbanmi-2016-76",
        "title": "贯彻质量发展纲要推进质量安徽建设2016年行动计划",
        "title_as_printed": None,
        "full_title": None,
        "doc_number": "皖政办秘〔2016〕76号",
        "issuers": ["安徽省人民政府办公厅"],
        "level": "provincial",
        "region": "安徽省",
        "year": 2016,
        "date_written": None,
        "date_published": None,
        "date_effective": None,
        "subject": None,
        "subject_simplified": None,
        "script": "simplified",
        "implements": "guobanfa-2016-18",
        "forwards": None,
        "cites": [],
        "lead_rule": None,
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


def test_the_names_the_open_data_page_lists_are_the_files_made_in_their_order(corpus):
    # The page listing them is rendered before (or beside) the files themselves.
    assert tuple(open_data_files(corpus, align_corpus(corpus))) == OPEN_DATA_NAMES


def test_files_are_utf8_json_and_a_csv_that_spreadsheets_read_as_utf8(corpus, tmp_path):
    out = tmp_path / "open"
    write_tree(open_data_files(corpus, align_corpus(corpus)), out)
    assert sorted(path.name for path in out.iterdir()) == [
        ".qp-output", "agencies.json", "alignments.json", "campaigns.json", "measures.csv", "measures.json", "plans.json",
    ]  # fmt: skip
    raw = (out / "measures.json").read_bytes()
    assert "质检总局".encode("utf-8") in raw and b"\\u" not in raw and not raw.startswith(b"\xef\xbb\xbf")
    assert json.loads(raw) == build_records(corpus, True, align_corpus(corpus))["measures"]
    csv_bytes = (out / "measures.csv").read_bytes()
    # Excel on Chinese Windows reads a CSV without a byte order mark as GBK.
    assert csv_bytes.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(csv_bytes.decode("utf-8-sig").splitlines()))
    assert list(rows[0]) == [
        "id", "plan_id", "plan_title", "doc_number", "level", "region", "year", "path", "label",
        "ordinal", "heading", "heading_simplified", "text", "text_simplified", "responsibility",
        "agencies", "agency_ids", "mentions", "mention_ids", "campaigns", "campaign_ids", "url",
    ]  # fmt: skip
    assert rows[2]["path"] == "二、 > （七）"
    assert rows[2]["agencies"] == "质检总局（牵头）、食品药品监管总局（牵头）"
    assert rows[2]["agency_ids"] == "zhijianzongju;shipinyaopinjianguanzongju"
    assert rows[2]["responsibility"] == "（质检总局、食品药品监管总局按职责分工负责）"
    assert rows[2]["campaigns"] == "清源" and rows[2]["campaign_ids"] == "qingyuan"
    assert len(rows) == 4
    assert out.stat().st_mode & 0o777 == 0o755


def _row(**fields):
    measure = {
        "id": "p/01", "path": ["一、"], "agencies": [], "mentions": [], "campaigns": [], "heading": "", "text": "",
    }
    measure.update(fields)
    return measure_row(measure)


class _Text(str):
    pass


@pytest.mark.parametrize(
    "value",
    [
        [],
        {},
        "中文\"\n\u2028\x00",
        [1, -0.0, 2.5, 1e-7, 10**30, True, False, None, float("nan"), float("inf"), float("-inf")],
        {"a": [], "b": {}, "c": [{"d": [1, [2, []]], "e": ("t", "u")}], "f": _Text("g")},
        {1: "a key json turns into text", None: 2},
    ],
)
def test_the_open_data_json_is_the_text_json_dumps_writes(value):
    assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=1)


def test_the_open_data_json_is_the_text_json_dumps_writes_for_a_whole_edition(corpus):
    records = build_records(corpus, True, align_corpus(corpus))
    for items in records.values():
        assert indented_json(items) == json.dumps(items, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_a_spreadsheet_would_read_as_a_formula_is_neutralised(start):
    payload = start + "HYPERLINK(\"http://x.invalid\",\"点击\")"
    row = _row(heading=payload, text=payload, path=[payload, "（一）"])
    assert row["heading"] == row["text"] == "'" + payload
    assert row["path"] == "'" + payload + " > （一）"


def test_a_neutralised_name_stays_neutralised_in_its_list_cell():
    row = _row(
        agencies=[{"id": "x", "name": "=cmd|' /C calc'!A0", "printed": None, "role": "lead", "wording": None, "role_label": "牵头"}],
        campaigns=[{"id": "y", "name": "@SUM(1)"}],
    )
    assert row["agencies"] == "'=cmd|' /C calc'!A0（牵头）"
    assert row["campaigns"] == "'@SUM(1)"


def test_cells_that_only_contain_formula_characters_later_are_kept_as_written():
    row = _row(heading="加强监管。", text="——经济发展质量效益明显提升 a=b, -1", path=["一、", "（一）"])
    assert row["heading"] == "加强监管。"
    assert row["text"] == "——经济发展质量效益明显提升 a=b, -1"
    assert row["path"] == "一、 > （一）"
    assert _row(ordinal=-1)["ordinal"] == -1  # numbers are not text a spreadsheet evaluates


def test_agencies_are_named_with_their_role_as_the_document_words_it():
    refs = (
        AgencyRef(id="shangwubu", name="商务部", role="lead", printed="商务部等"),
        AgencyRef(id="zhijianzongju", name="质检总局", role="assisting", wording="配合"),
        AgencyRef(id="gongxinbu", name="工业和信息化部", role="guiding"),
    )
    measure = Node(kind="measure", id="p/01", label="（一）", ordinal=1, heading="", text="正文。", agencies=refs)
    single = Corpus(plans=(plan_of("p", [measure], level="national"),), agencies=(), campaigns=())
    record = build_records(single, False, align_corpus(single))["measures"][0]
    assert record["agencies"][0] == {
        "id": "shangwubu", "name": "商务部", "printed": "商务部等", "role": "lead", "wording": None, "role_label": "牵头",
    }  # fmt: skip
    assert [ref["role_label"] for ref in record["agencies"]] == ["牵头", "配合", "指导"]
    row = measure_row(record)
    assert row["agencies"] == "商务部（牵头）、质检总局（配合）、工业和信息化部（指导）"
    assert row["agency_ids"] == "shangwubu;zhijianzongju;gongxinbu"


def test_the_real_csv_has_no_agency_as_id_and_role_code():
    dataset = load_dataset(ROOT / "data")
    real = dataset.corpus
    files = open_data_files(real, align_corpus(real, dataset.overrides))
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(files["measures.csv"].decode("utf-8-sig"), newline=""))}
    for plan in real.plans:
        for measure in plan.measures:
            row = rows[measure.id]
            assert row["agencies"] == "、".join(f"{ref.name}（{ref.role_label}）" for ref in measure.agencies)
            assert row["agency_ids"] == ";".join(ref.id for ref in measure.agencies)
    assert any("（负责）" in row["agencies"] for row in rows.values())


def test_a_traditional_source_is_exported_with_its_simplified_forms_beside_the_original():
    dataset = load_dataset(ROOT / "data")
    real = dataset.corpus
    files = open_data_files(real, align_corpus(real, dataset.overrides))
    plan_id = "zhongyang-2023-zhiliang-qiangguo-jianshe-gangyao"
    measures = [row for row in json.loads(files["measures.json"]) if row["plan_id"] == plan_id]
    plan = real.plan(plan_id)
    assert len(measures) == len(plan.measures)
    for record, measure in zip(measures, plan.measures):
        assert record["text"] == measure.text and record["heading"] == measure.heading
        assert record["text_simplified"] == measure.text_simplified
        assert record["heading_simplified"] == measure.heading_simplified
    assert any("品質" in row["text"] and "质量" in row["text_simplified"] for row in measures)
    rows = [row for row in csv.DictReader(io.StringIO(files["measures.csv"].decode("utf-8-sig"), newline="")) if row["plan_id"] == plan_id]
    assert [row["text_simplified"] for row in rows] == [measure.text_simplified for measure in plan.measures]
    assert [row["text"] for row in rows] == [measure.text for measure in plan.measures]
    plans = {row["id"]: row for row in json.loads(files["plans.json"])}
    assert plans[plan_id]["subject"] == "國民經濟、國有資産監管/宏觀經濟"
    assert plans[plan_id]["subject_simplified"] == "国民经济、国有资产监管/宏观经济"
    assert plans[plan_id]["title_as_printed"] == "品質強國建設綱要" and plans[plan_id]["script"] == "traditional"
    # A Simplified source has no second form.
    assert all(row["text_simplified"] is None for row in json.loads(files["measures.json"]) if row["plan_id"] != plan_id)


def test_mentions_and_cites_reach_the_open_data():
    dataset = load_dataset(ROOT / "data")
    real = dataset.corpus
    files = open_data_files(real, align_corpus(real, dataset.overrides))
    measures = {row["id"]: row for row in json.loads(files["measures.json"])}
    mentioned = [(measure.id, measure.mentions) for plan in real.plans for measure in plan.measures if measure.mentions]
    assert mentioned
    for measure_id, mentions in mentioned:
        assert measures[measure_id]["mentions"] == [{"id": m.id, "name": m.name, "task": m.task} for m in mentions]
    plans = {row["id"]: row for row in json.loads(files["plans.json"])}
    assert {plan.id: list(plan.cites) for plan in real.plans} == {key: row["cites"] for key, row in plans.items()}


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
    export_open_data(FIXTURE, out)  # a folder export made (it holds the writer's marker) is replaced whole
    (out / "stale.json").write_text("[]", encoding="utf-8")
    export_open_data(FIXTURE, out)
    assert not (out / "stale.json").exists()
    assert [path.name for path in tmp_path.iterdir()] == ["open"]


def test_export_writes_what_every_edition_publishes_under_data(tmp_path, capsys):
    from generator.build import build_edition

    export_open_data(FIXTURE, tmp_path / "open")
    edition = build_edition(load_dataset(FIXTURE))
    exported = {path.name: path.read_bytes() for path in (tmp_path / "open").iterdir() if path.name != ".qp-output"}
    assert exported == {name: edition.files[f"data/{name}"] for name in edition.open_data}


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


def test_the_open_data_page_describes_every_file_and_field_in_chinese():
    import html
    import re

    from generator import urls
    from generator.build import build_edition
    from generator.export import MEASURE_FIELDS

    dataset = load_dataset(ROOT / "data")
    edition = build_edition(dataset)
    page = html.unescape(edition.files[urls.markdown_file(urls.open_data_path())].decode("utf-8"))
    sections = re.split(r"^## ", page, flags=re.MULTILINE)
    described: dict[str, set[str]] = {}
    for section in sections[1:]:
        name = section.split("：", 1)[0].strip()
        cells = re.findall(r"^\| ([^|]+?) \| [^|]*[\u4e00-\u9fff][^|]* \|$", section, flags=re.MULTILINE)
        described[name] = {field for cell in cells for field in cell.split("、")}
    assert set(edition.open_data) <= set(described)
    records = build_records(dataset.corpus, True, align_corpus(dataset.corpus, dataset.overrides))
    for kind, items in records.items():
        keys = {key for item in items for key in item}
        if kind == "measures":
            keys |= {f"agencies[].{key}" for item in items for ref in item["agencies"] for key in ref}
        missing = keys - described[f"{kind}.json"]
        assert not missing, (kind, missing)
    assert set(MEASURE_FIELDS + ("url",)) <= described["measures.csv"]
