"""Dates and empty values read the same on every plan page: one formatter (model.shown_date / shown_value)."""

from __future__ import annotations

import re
from pathlib import Path

from generator import urls
from generator.build import build_edition
from generator.load import load_dataset
from generator.model import EMPTY, PrintedDate, shown_date, shown_value

ROOT = Path(__file__).resolve().parents[2]


def test_a_date_is_written_the_chinese_way_from_its_iso_reading():
    assert shown_date(PrintedDate(printed="2016年4月4日", iso="2016-04-04")) == "2016年4月4日"
    assert shown_date(PrintedDate(printed="2016年10月25日", iso="2016-10-25")) == "2016年10月25日"


def test_the_printed_form_stays_beside_where_it_is_written_otherwise():
    assert shown_date(PrintedDate(printed="2023-02-06", iso="2023-02-06")) == "2023年2月6日（原文：2023-02-06）"
    assert shown_date(PrintedDate(printed="2016.10.25", iso="2016-10-25")) == "2016年10月25日（原文：2016.10.25）"
    assert shown_date(PrintedDate(printed="2016年04月04日", iso="2016-04-04")) == "2016年4月4日"  # zero padding is not another wording


def test_an_empty_value_is_one_dash():
    assert shown_date(None) == EMPTY == "—"
    assert shown_value(None) == shown_value("") == EMPTY
    assert shown_value("国办发〔2016〕18号") == "国办发〔2016〕18号"


def test_every_plan_page_of_the_real_corpus_writes_dates_and_empty_values_alike():
    dataset = load_dataset(ROOT / "data")
    files = build_edition(dataset).files
    date_row = re.compile(r"^\| (成文日期|发布日期|施行日期) \| (?P<value>.*) \|$", re.MULTILINE)
    one_form = re.compile(r"^(—|\d{4}年\d{1,2}月\d{1,2}日(（原文：[^）]+）)?)$")
    for plan in dataset.corpus.plans:
        page = files[urls.markdown_file(urls.plan_path(plan.id))].decode("utf-8")
        rows = [match for match in date_row.finditer(page)]
        assert [match[1] for match in rows] == ["成文日期", "发布日期", "施行日期"], plan.id
        for match in rows:
            assert one_form.match(match["value"]), (plan.id, match[0])
        assert "| 无 |" not in page and "|  |" not in page, plan.id
