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
    plans = ingest_source(path, AgencyRegistry([]), {"质检利剑": "zhijian-lijian"})
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
