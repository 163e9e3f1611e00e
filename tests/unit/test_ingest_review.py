"""What ingest reports for review, --dry-run, and metadata a capture lacks (given on the command line)."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
import yaml

from generator.check import check_data
from generator.cli import main
from generator.ingest import ingest_files
from generator.ingest.metadata import read_metadata
from generator.ingest.structure import parse_structure
from generator.ingest.paragraphs import make_paragraphs
from registries import fresh_data_dir

ROOT = Path(__file__).resolve().parents[2]

UNDATED = """国务院关于推进测试工作的意见
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
为推进测试工作，现提出以下意见。
一、总体要求
（一）加强统筹。统筹推进测试工作。（发展改革委、科技部按职责分工负责）
（二）完善制度。开展“测试利剑”行动，完善测试制度（科技部负责）
（四）强化保障。5.100家企业参加测试。
国务院
"""


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return fresh_data_dir(tmp_path)


def _source(data_dir: Path, text: str, name: str = "undated.txt") -> Path:
    path = data_dir / "sources" / name
    path.write_text(text, encoding="utf-8")
    return path


def _ingested_plan(data_dir: Path, text: str, name: str) -> dict:
    """The plan `ingest` writes for `text` saved as data/sources/<name> (the only plan in data_dir)."""
    source = _source(data_dir, text, name)
    assert ingest_files([source], data_dir=data_dir, report_to=io.StringIO()) == 0
    (path,) = (data_dir / "plans").glob("*.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _dry_run_report(data_dir: Path, capsys, text: str, name: str) -> str:
    """What `ingest --dry-run` prints for `text` saved as data/sources/<name>."""
    source = _source(data_dir, text, name)
    assert main(["--data", str(data_dir), "ingest", str(source), "--dry-run"]) == 0
    return capsys.readouterr().out


def test_no_printed_date_gives_a_draft_that_check_flags(data_dir):
    source = _source(data_dir, UNDATED)
    report = io.StringIO()
    assert ingest_files([source], data_dir=data_dir, report_to=report) == 0
    (path,) = (data_dir / "plans").glob("*.yaml")
    plan = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert plan["year"] is None and plan["date_written"] is None
    assert plan["issuers"] == ["国务院"]  # the bare signature
    assert plan["review_notes"][0].startswith("no printed date found")
    out = io.StringIO()
    assert check_data(data_dir, out=out) == 1
    assert f"{path}:11: year: expected a whole number, got null (write the number without quotes)" in out.getvalue()
    # Once the year is written, the note still holds the plan back until it is deleted.
    path.write_text(path.read_text(encoding="utf-8").replace("year: null", "year: 2019"), encoding="utf-8")
    out = io.StringIO()
    assert check_data(data_dir, out=out) == 1
    assert "review_notes[0]: awaits review: no printed date found" in out.getvalue()


def test_the_date_given_on_the_command_line_makes_a_plan_check_passes(data_dir, capsys):
    source = _source(data_dir, UNDATED)
    assert main(["--data", str(data_dir), "ingest", str(source), "--date", "2019年1月24日", "--doc-number", "国发〔2019〕99号"]) == 0
    plan = yaml.safe_load((data_dir / "plans" / "guofa-2019-99.yaml").read_text(encoding="utf-8"))
    assert plan["date_written"] == {"printed": "2019年1月24日", "iso": "2019-01-24"}
    assert plan["year"] == 2019 and plan["doc_number"] == "国发〔2019〕99号"
    assert "review_notes" not in plan
    capsys.readouterr()
    assert check_data(data_dir) == 0, capsys.readouterr().out


def test_a_bad_date_on_the_command_line_is_one_line(data_dir, capsys):
    source = _source(data_dir, UNDATED)
    assert main(["--data", str(data_dir), "ingest", str(source), "--date", "soon"]) == 1
    assert capsys.readouterr().err == "error: --date soon: not a date (write it as 2019-01-24 or 2019年1月24日)\n"


def test_dry_run_prints_the_report_and_writes_nothing(data_dir, capsys):
    source = _source(data_dir, UNDATED)
    registry = (data_dir / "agencies.yaml").read_bytes()
    assert main(["--data", str(data_dir), "ingest", str(source), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert not (data_dir / "plans").exists()
    assert (data_dir / "agencies.yaml").read_bytes() == registry
    assert "| measures | with agencies | roles | new agency drafts | campaign mentions | campaign candidates |" in out
    assert "| 3 | 2 | 负责 3 | 0 | 0 | “测试利剑” |" not in out and "| 3 | 2 | 负责 3 | 0 | 0 | 测试利剑 |" in out
    assert "dry run: nothing was written" in out


def test_the_report_warns_of_gaps_and_unread_parentheses(data_dir, capsys):
    source = _source(data_dir, UNDATED)
    assert main(["--data", str(data_dir), "ingest", str(source), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "undated.txt:7: numbering jumps from （二） to （四）" in out
    assert "undated.txt:7: （四） has no agencies, though most measures of this document have" in out
    assert "warning: undated.txt: no printed date found" in out


def test_an_item_whose_text_starts_with_digits_keeps_its_label():
    text = "一、任务\n1．开展测试。\n2．推进测试。\n3．完善测试。\n4．加强测试。\n5.100家企业参加测试。\n6.2倍增长。"
    paragraphs = make_paragraphs(list(enumerate(text.split("\n"), start=1)))
    structure = parse_structure(paragraphs)
    items = [(d.label, d.text) for d in structure.walk() if d.level == "item"]
    assert items[4] == ("5.", "100家企业参加测试。")
    assert items[5] == ("6.", "2倍增长。")


def test_a_long_title_line_is_linear(tmp_path):
    from generator.ingest.furniture import Furniture

    def seconds(size: int) -> float:
        title = "国务院" + "关于印发" * size
        table = [Furniture(rule="gov-cn-metadata", line=1, text=f"标　　题：\t{title}\t发文字号：\t国发〔2019〕1号")]
        start = time.process_time()
        meta = read_metadata(table, [], [], "simplified")
        assert meta.full_title == title
        return time.process_time() - start

    seconds(1_000)
    small = min(seconds(50_000) for _ in range(3))
    large = min(seconds(200_000) for _ in range(3))
    assert large < 8 * small + 0.2, (small, large)


def test_a_title_long_enough_for_a_255_byte_file_name_still_ingests(data_dir):
    long_title = "国务院关于推进" + "质量" * 300 + "工作的意见"
    source = _source(data_dir, UNDATED.replace("国务院关于推进测试工作的意见", long_title), "long.txt")
    assert main(["--data", str(data_dir), "ingest", str(source), "--date", "2019-01-24"]) == 0
    (path,) = (data_dir / "plans").glob("*.yaml")
    assert len(path.name.encode("utf-8")) <= 255


def test_a_bare_国务院_signature_with_its_date_dates_the_plan(data_dir):
    source = _source(data_dir, UNDATED + "2019年1月24日\n", "signed.txt")
    assert ingest_files([source], data_dir=data_dir, report_to=io.StringIO()) == 0
    (path,) = (data_dir / "plans").glob("*.yaml")
    plan = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert plan["date_written"] == {"printed": "2019年1月24日", "iso": "2019-01-24"} and plan["year"] == 2019
    assert plan["issuers"] == ["国务院"] and plan["closing"] == "国务院\n2019年1月24日"
    assert "review_notes" not in plan


def test_role_fields_are_read_outside_parentheses_and_unread_ones_reported(data_dir, capsys):
    text = UNDATED.replace(
        "（四）强化保障。5.100家企业参加测试。",
        "（三）强化监管。开展抽查。\n牵头单位：科技部；配合单位：发展改革委\n"
        "（四）强化保障。明确责任单位：要把任务落到实处。",
    )
    out = _dry_run_report(data_dir, capsys, text, "fields.txt")
    assert "| 4 | 3 | 负责 3、牵头 1、协助 1 | 0 | 0 | 测试利剑 |" in out
    assert "fields.txt:9: （四） writes “责任单位：” where no agencies were read" in out


def test_a_municipal_office_signing_a_covering_notice_dates_the_plan_and_an_annex_keeps_its_rows(data_dir):
    text = (
        "某某市人民政府办公室关于印发某某市质量强市建设实施方案的通知\n"
        "各区县人民政府，市政府各部门：\n"
        "《某某市质量强市建设实施方案》已经市政府同意，现印发给你们，请认真组织实施。\n"
        "某某市人民政府办公室\n"
        "2024年4月1日\n"
        "某某市质量强市建设实施方案\n"
        "一、重点任务\n"
        "1、提升产品质量。实施质量提升行动。（责任单位：市市场监管局）\n"
        "2、提升工程质量。强化工程质量监管。（责任单位：市住房城乡建设局）\n"
        "附件\n"
        "重点任务分工表\n"
        "序号\t工作任务\t牵头单位\n"
        "1\t开展质量提升行动\t市市场监管局\n"
    )
    source = _source(data_dir, text, "municipal.txt")
    report = io.StringIO()
    assert ingest_files([source], data_dir=data_dir, report_to=report) == 0
    assert ("municipal.txt: a table after the measures has the columns 牵头单位, which ingest does not read: "
            "give each measure its agencies from it") in report.getvalue()
    (path,) = (data_dir / "plans").glob("*.yaml")
    plan = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert plan["date_written"] == {"printed": "2024年4月1日", "iso": "2024-04-01"} and plan["year"] == 2024
    measures = plan["nodes"][0]["children"]
    assert [(m["label"], m["agencies"][0]["name"]) for m in measures] == [("1、", "市市场监管局"), ("2、", "市住房城乡建设局")]
    assert plan["closing"] == "附件\n重点任务分工表\n序号\t工作任务\t牵头单位\n1\t开展质量提升行动\t市市场监管局"


def test_a_name_with_a_list_inside_its_parentheses_is_not_called_compound():
    from generator.ingest.report import plan_warnings

    measure = {"lines": [3], "label": "（一）", "heading": "", "text": "建设。", "responsibility": "（各县（市、区）人民政府负责）",
               "agencies": [{"id": "gexianshiqurenminzhengfu", "name": "各县（市、区）人民政府", "role": "responsible"}]}
    compound = dict(measure, agencies=[{"id": "x", "name": "商务部、财政部", "role": "responsible"}])
    shared_head = dict(measure, agencies=[{"id": "y", "name": "各市、县（区）人民政府", "role": "responsible"}])
    plan = {"source": {"file": "a.txt"}, "full_title": "t", "title": "t", "nodes": []}
    assert not any("looks compound" in warning for warning in plan_warnings(plan, [measure, shared_head]))
    assert any("looks compound" in warning for warning in plan_warnings(plan, [compound]))


def test_agencies_in_a_group_heading_go_to_the_measures_under_it_and_are_reported(data_dir, capsys):
    text = UNDATED.replace(
        "（四）强化保障。5.100家企业参加测试。",
        "（三）培育品牌主体（科技部牵头，发展改革委配合）\n1.实施品牌培育工程。\n2.开展品牌价值评价。（商务部负责）",
    )
    out = _dry_run_report(data_dir, capsys, text, "grouped.txt")
    assert ("grouped.txt:7: （三） names agencies in its heading （科技部牵头，发展改革委配合）: given to the 1 measure(s) "
            "under it that print none of their own; check that the document means them") in out
    group = _ingested_plan(data_dir, text, "grouped.txt")["nodes"][0]["children"][2]
    first, second = group["children"]
    assert (first["responsibility"], [(ref["name"], ref["role"]) for ref in first["agencies"]]) == (
        "", [("科技部", "lead"), ("发展改革委", "assisting")]
    )
    # A measure that prints its own agencies keeps them.
    assert [(ref["name"], ref["role"]) for ref in second["agencies"]] == [("商务部", "responsible")]


def test_bare_lists_of_bodies_are_read_and_reported_once(data_dir, capsys):
    text = UNDATED.replace(
        "（四）强化保障。5.100家企业参加测试。",
        "（三）强化监管。开展抽查。（科技部、发展改革委）\n（四）强化保障。加强经费保障。（财政部）（2024年底前完成）",
    )
    out = _dry_run_report(data_dir, capsys, text, "bare.txt")
    assert "| 4 | 4 | 负责 6 | 0 | 0 | 测试利剑 |" in out
    assert ("bare.txt:7: 2 measure(s) list bodies without a role word, such as （科技部、发展改革委）; each body was read "
            "as responsible (负责, or by the document’s first-listed rule): check the roles the document means") in out
    assert "parenthesis that was not read" not in out


def test_words_after_the_agencies_that_assign_nothing_are_reported(data_dir, capsys):
    text = UNDATED.replace("（科技部负责）", "（科技部负责，以下均需各地落实，不再列出）")
    out = _dry_run_report(data_dir, capsys, text, "remark.txt")
    assert "remark.txt:6: （二）: “以下均需各地落实，不再列出” after its agencies was not read as agencies: check whether it names more" in out


def test_a_first_listed_rule_stated_before_the_measures_holds_for_all(data_dir):
    text = UNDATED.replace("为推进测试工作，现提出以下意见。", "为推进测试工作，现提出以下意见。各项任务中列在首位的为牵头单位。")
    plan = _ingested_plan(data_dir, text, "rule.txt")
    assert plan["lead_rule"] == "列在首位的为牵头单位"
    first = plan["nodes"][0]["children"][0]
    assert [(ref["name"], ref["role"]) for ref in first["agencies"]] == [("发展改革委", "lead"), ("科技部", "assisting")]


def test_an_impossible_date_under_the_signature_is_reported_not_kept(data_dir, capsys):
    text = UNDATED + "2023年2月30日\n"
    out = _dry_run_report(data_dir, capsys, text, "baddate.txt")
    assert ("baddate.txt: the date printed as 2023年2月30日 does not exist: check the source, then fill date_written and year, "
            "or re-ingest with --date") in out
    assert "no printed date found" not in out


def test_a_time_limit_alone_is_not_called_an_unread_agency_parenthesis():
    from generator.ingest.report import plan_warnings

    plan = {"source": {"file": "a.txt"}, "full_title": "t", "title": "t", "nodes": []}
    due = {"lines": [3], "label": "（一）", "heading": "", "text": "推进合作（2024年底前完成）。", "responsibility": "", "agencies": []}
    unread = dict(due, label="（二）", text="推进合作（技工院校内由人力资源社会保障部门负责）。")
    assert plan_warnings(plan, [due, unread]) == ["a.txt:3: （二） ends in a parenthesis that was not read as agencies"]


def test_the_report_names_a_draft_that_may_be_a_known_body_and_suggested_counterparts():
    from generator.ingest.report import review_report

    draft = {"id": "guangdong-shichangjianduguanliju", "name": "广东省市场监督管理局", "national_counterpart": "shichangjianguanzongju"}
    report = review_report([], [draft], written_out={draft["id"]: ("guangdong-shichangjianguanju", "广东省市场监管局")})
    assert "national counterparts suggested by name (check each): 广东省市场监督管理局 → shichangjianguanzongju" in report
    assert ("warning: 广东省市场监督管理局 (guangdong-shichangjianduguanliju) may be 广东省市场监管局 (guangdong-shichangjianguanju) "
            "with its name written otherwise: if so, add 广东省市场监督管理局 to that body's aliases, delete the draft and "
            "re-ingest with --force") in report


def test_a_first_listed_rule_in_a_note_after_the_last_measure_holds_for_all(data_dir):
    text = UNDATED.replace("（四）强化保障。5.100家企业参加测试。", "（三）强化保障。加强保障。（财政部、科技部负责）\n注：各项任务中排在第一位的为牵头单位。")
    plan = _ingested_plan(data_dir, text, "note.txt")
    assert plan["lead_rule"] == "排在第一位的为牵头单位"
    roles = [[(ref["name"], ref["role"]) for ref in measure["agencies"]] for measure in plan["nodes"][0]["children"]]
    assert roles[0] == [("发展改革委", "lead"), ("科技部", "assisting")]
    assert roles[2] == [("财政部", "lead"), ("科技部", "assisting")]


def test_measures_in_a_row_without_agencies_are_one_warning():
    from generator.ingest.report import plan_warnings

    plan = {"source": {"file": "a.txt"}, "full_title": "t", "title": "t", "nodes": []}

    def measure(line, label, agencies):
        refs = [{"id": "x", "name": "甲局", "role": "responsible"}] if agencies else []
        return {"lines": [line], "label": label, "heading": "", "text": "做好。", "responsibility": "（甲局负责）" if agencies else "",
                "agencies": refs}

    measures = [measure(1, "（一）", True), measure(2, "（二）", True), measure(3, "（三）", True), measure(4, "（四）", False),
                measure(5, "（五）", False), measure(6, "（六）", True), measure(7, "（七）", False)]
    assert plan_warnings(plan, measures) == [
        "a.txt:4: （四）、（五） (2 measures in a row) have no agencies, though most measures of this document have",
        "a.txt:7: （七） has no agencies, though most measures of this document have",
    ]
