"""How running time grows with input size, measured so that a busy machine cannot fake growth.

A check of "linear time" that compares two wall-clock timings fails whenever the
machine is busy during the larger one. Here each size is timed in CPU time of
this process (other processes do not count), the quickest of several runs is
kept (a pause is noise, never speed), and the growth is the slope of log(time)
against log(size) fitted over several sizes, so that one odd point cannot make
it. Linear work gives an exponent near 1, quadratic work near 2.
"""

from __future__ import annotations

import gc
import math
import time
from typing import Callable, Sequence


def cpu_seconds(work: Callable[[], object], runs: int = 3) -> float:
    """The quickest CPU time of `runs` calls of `work`, each after a full collection."""
    best = math.inf
    for _ in range(runs):
        gc.collect()
        started = time.process_time()
        work()
        best = min(best, time.process_time() - started)
    return best


def growth_exponent(make_work: Callable[[int], Callable[[], object]], sizes: Sequence[int], runs: int = 3) -> float:
    """The least-squares slope of log(CPU time) on log(size) over `sizes`.

    `make_work(size)` prepares the input outside the timing and returns the call to time.
    """
    points = [(math.log(size), math.log(max(cpu_seconds(make_work(size), runs), 1e-6))) for size in sizes]
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / sum((x - mean_x) ** 2 for x, _ in points)
