"""Sources as editors will paste them: encodings accepted, bad files refused with one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.errors import GeneratorError
from generator.ingest import ingest_files
from generator.ingest.decode import decode_source
from registries import copy_registries

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "sources"


@pytest.fixture
def data_dir(tmp_path) -> Path:
    copy_registries(tmp_path)
    return tmp_path


def ingest_one(name: str, data_dir: Path) -> dict:
    ingest_files([FIXTURES / name], data_dir=data_dir, force=False)
    (path,) = (data_dir / "plans").glob("*.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("small_plan.txt", "utf-8"), ("small_plan_gbk.txt", "gbk"), ("small_plan_bom_crlf.txt", "utf-8-sig")],
)
def test_encodings_give_the_same_plan(name, encoding, data_dir, tmp_path_factory):
    plan = ingest_one(name, data_dir)
    reference = ingest_one("small_plan.txt", _fresh(tmp_path_factory))
    assert plan["source"]["encoding"] == encoding
    assert plan["nodes"] == reference["nodes"]
    assert plan["preamble"] == reference["preamble"]
    assert plan["id"] == "cezhengban-2016-9"


def _fresh(factory) -> Path:
    folder = factory.mktemp("data")
    copy_registries(folder)
    return folder


def test_small_plan_roles_unclosed_parenthesis_and_drafted_agencies(data_dir):
    plan = ingest_one("small_plan.txt", data_dir)
    (part_one, part_two) = plan["nodes"]
    first, second = part_one["children"]
    assert first["text"] == "开展“质检利剑”行动，打击假冒伪劣。"  # "打击\n假冒伪劣" joined
    assert first["lines"] == [13, 14]
    assert [(a["name"], a["role"]) for a in first["agencies"]] == [
        ("省质监局", "responsible"), ("省质量工作领导小组其他成员单位", "assisting"),
    ]
    # The closing "）" is missing in the source: read anyway, kept verbatim.
    assert second["responsibility"] == "（质检总局、省商务厅按职责分工负责"
    assert [a["id"] for a in second["agencies"]] == ["zhijianzongju", "ceshi-shangwuting"]
    # 省质监局 in a plan of 测试省 is that province's body, never Anhui's.
    assert first["agencies"][0]["id"] == "ceshi-zhijianju"
    assert part_two["children"][0]["agencies"][1]["id"] == "anhui-yinjianju"
    # The national plan it carries out is not in this data folder: kept as a doc number, not a dangling id.
    assert plan["implements"] is None and plan["cites"] == ["国办发〔2016〕18号"]
    assert plan["closing"] == "各地要结合实际抓好落实。"
    assert plan["furniture"] == [
        {"rule": "gov-cn-breadcrumb", "line": 1, "text": "首页 > 信息公开 > 国务院文件"},
        {"rule": "gov-cn-share", "line": 19, "text": "扫一扫在手机打开当前页"},
    ]
    registry = yaml.safe_load((data_dir / "agencies.yaml").read_text(encoding="utf-8"))
    drafted = {entry["id"]: entry for entry in registry if entry.get("region") == "测试省"}
    assert set(drafted) == {"ceshi-zhijianju", "ceshi-zhilianggongzuolingdaoxiaozuqitachengyuandanwei", "ceshi-shangwuting"}
    assert drafted["ceshi-zhijianju"]["aliases"] == ["省质监局"]
    assert drafted["ceshi-zhilianggongzuolingdaoxiaozuqitachengyuandanwei"]["collective"] is True
    # Drafts are marked for review and the registry stays valid YAML written through the YAML layer.
    assert all(entry["draft"] is True for entry in drafted.values())
    assert not any(entry.get("draft") for entry in registry if entry.get("region") != "测试省")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.txt", "{path}: the file is empty (paste the document's text into it, then ingest again)"),
        (
            "binary.txt",
            "{path}:3: this is a binary file, not text (NUL byte at offset 8) "
            "(save the document as plain text, UTF-8 or GBK, and ingest that file)",
        ),
        (
            "page.html",
            "{path}:1: this is an HTML page, not the document's text "
            "(open the page in a browser, copy the article's text into a .txt file and ingest that)",
        ),
        (
            "no_measures.txt",
            "{path}:1: no numbered provisions found in lines 1–5 (a plan needs measures numbered 一、 / （一） / 1．; "
            "check that the file holds the document's full text)",
        ),
        (
            "duplicate_numbers.txt",
            "{path}:6: provision （一） has the same number as the one on line 5 under the same heading "
            "(correct the numbering in a copy of the source, or split the file so each document is ingested on its own)",
        ),
    ],
)
def test_bad_sources_give_one_clear_error(name, message, data_dir):
    path = FIXTURES / name
    with pytest.raises(GeneratorError) as raised:
        ingest_files([path], data_dir=data_dir, force=False)
    assert str(raised.value) == message.format(path=path)
    assert not (data_dir / "plans").exists()


def test_missing_file(data_dir):
    path = data_dir / "nope.txt"
    with pytest.raises(GeneratorError) as raised:
        ingest_files([path], data_dir=data_dir, force=False)
    assert str(raised.value) == f"{path}: no such file (give a file in data/sources/)"


def test_undecodable_bytes():
    with pytest.raises(GeneratorError) as raised:
        decode_source("质量\n".encode("utf-8") + b"\xff\xfe\xfa\xfb\x80\x81", "bad.txt")
    assert str(raised.value) == (
        "bad.txt:2: cannot decode the file as UTF-8 or GBK/GB18030 (bad byte at offset 7) "
        "(save the document as plain text in UTF-8 and ingest again)"
    )


def test_text_without_chinese():
    with pytest.raises(GeneratorError) as raised:
        decode_source(b"just some notes\n", "notes.txt")
    assert "notes.txt: no Chinese text found" in str(raised.value)


def test_crlf_and_cr_become_lf():
    decoded = decode_source("一\r\n二\r三\n".encode("utf-8"), "x.txt")
    assert decoded.lines == ["一", "二", "三"]


def test_zero_width_marks_at_a_lines_ends_are_no_part_of_it():
    text = "一、重点任务\n\u200b（一）加强监管。（甲局负责）\u200b\n\ufeff\u3000（二）强化基础。\n中\u200b间\n"
    lines = decode_source(text.encode("utf-8"), "x.txt").lines
    # The labels are read again; a mark inside a line stays with the text.
    assert lines == ["一、重点任务", "（一）加强监管。（甲局负责）", "（二）强化基础。", "中\u200b间"]


def test_gb18030_outside_gbk():
    # 𠀀 (U+20000) exists in GB18030 but not in GBK.
    text = "国务院办公厅关于质量工作的通知𠀀" * 3
    decoded = decode_source(text.encode("gb18030"), "x.txt")
    assert decoded.encoding == "gb18030" and decoded.text == text


def test_nothing_written_when_a_later_source_fails(data_dir):
    with pytest.raises(GeneratorError):
        ingest_files([FIXTURES / "small_plan.txt", FIXTURES / "empty.txt"], data_dir=data_dir, force=False)
    assert not (data_dir / "plans").exists()


def test_mixed_full_width_and_half_width_numbering_reads_as_one_sequence(data_dir, tmp_path_factory):
    # Pasted text often mixes （二） and (二) in one document: same structure, labels as printed.
    plan = ingest_one("small_plan_mixed_numbering.txt", data_dir)
    reference = ingest_one("small_plan.txt", _fresh(tmp_path_factory))

    def measures(nodes):
        for node in nodes:
            if node["kind"] == "measure":
                yield node
            yield from measures(node.get("children") or [])

    mixed, plain = list(measures(plan["nodes"])), list(measures(reference["nodes"]))
    assert [m["label"] for m in mixed] == ["（一）", "(二)", "(三)"]
    assert [m["ordinal"] for m in mixed] == [m["ordinal"] for m in plain] == [1, 2, 3]
    assert [m["id"] for m in mixed] == [m["id"] for m in plain]
    assert [(m["heading"], m["text"]) for m in mixed] == [(m["heading"], m["text"]) for m in plain]
