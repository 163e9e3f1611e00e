"""Ingest is linear in the size of its input, adversarial lines included.

CPU time (not wall time) of a source four times larger must stay well under
sixteen times (what a quadratic step, such as a backtracking regular
expression or string building in a loop, would cost).
"""

from __future__ import annotations

import time
from pathlib import Path

from generator.ingest import ingest_source
from generator.ingest.agencies import AgencyRegistry
from generator.ingest.regions import RegionPrefixes


def write_source(path: Path, measures: int) -> Path:
    lines = [
        "各省人民政府：",
        "《压力测试行动计划》已经国务院同意，现印发给你们。",
        "国务院办公厅",
        "2016年4月4日",
        # Unclosed brackets and quotes, repeated, in the preamble.
        "（" * (measures * 4) + "“" * (measures * 4) + "《" * (measures * 4),
    ]
    # A sentence broken over many lines: joined into one paragraph.
    lines += ["质量提升工作要持续推进"] * (measures // 2)
    per_part = measures // 9
    number = 0
    for part in "一二三四五六七八九":
        lines.append(f"{part}、第{part}部分")
        for _ in range(per_part):
            number += 1
            lines.append(
                f"{number}．开展“质检利剑”行动，推进质量提升，加强监督检查，完善标准体系（含团体标准），"
                "提高服务水平。（发展改革委、质检总局按职责分工负责，省质监局协助）"
            )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def cpu_seconds(path: Path) -> float:
    start = time.process_time()
    plans = ingest_source(path, AgencyRegistry([], RegionPrefixes()), {"质检利剑": "zhijian-lijian"})
    elapsed = time.process_time() - start
    assert len(plans[0]["nodes"]) == 9
    return elapsed


def test_four_times_the_input_costs_about_four_times_the_time(tmp_path):
    small = write_source(tmp_path / "small.txt", 2_000)
    large = write_source(tmp_path / "large.txt", 8_000)
    assert large.stat().st_size > 3.5 * small.stat().st_size
    cpu_seconds(small)  # warm the converters and caches
    small_time = min(cpu_seconds(small) for _ in range(2))
    large_time = cpu_seconds(large)
    assert large_time < 8 * small_time + 0.5, (small_time, large_time)


HEADER = (
    "索 引 号：\t000014349/2018-00207\t主题分类：\t综合政务\n"
    "发文机关：\t国务院\t成文日期：\t2018年11月07日\n"
    "标　　题：\t{title}\n"
    "发文字号：\t国发〔2018〕38号\t发布日期：\t2018年11月23日\n"
)


def write_long_lines(path: Path, size: int) -> Path:
    """Long single lines where a backtracking pattern would be quadratic: the 标题 cell and a measure."""
    title = "国务院" + "关于印发" * size  # never ends in 的通知
    body = [
        HEADER.format(title=title),
        "一、总体要求",
        "（一）加强统筹。" + "推进质量工作，" * size + "（" * (size // 4) + "。（发展改革委负责）",
        "（二）完善制度。" + "（本省（市）" * (size // 4) + "负责落实。",
    ]
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    return path


def long_line_seconds(path: Path) -> float:
    start = time.process_time()
    (plan,) = ingest_source(path, AgencyRegistry([], RegionPrefixes()), {})
    elapsed = time.process_time() - start
    assert plan["full_title"].startswith("国务院关于印发关于印发")
    return elapsed


def test_long_lines_cost_linear_time(tmp_path):
    small = write_long_lines(tmp_path / "small.txt", 25_000)
    large = write_long_lines(tmp_path / "large.txt", 100_000)
    long_line_seconds(small)
    small_time = min(long_line_seconds(small) for _ in range(3))
    large_time = min(long_line_seconds(large) for _ in range(2))
    assert large_time < 8 * small_time + 0.5, (small_time, large_time)
