"""Verdicts on samples: medians over repetitions, whether a repetition has samples, a target judged, the CPU busy."""

from __future__ import annotations

import contextlib
import statistics
import time
from pathlib import Path

__all__ = ["CPU_BUSY_WARN", "IDLE_SAMPLE_S", "busy_warnings", "cpu_busy", "judge", "median", "run_has_samples"]


def median(values):
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 3) if values else None


def run_has_samples(run: dict) -> bool:
    """A repetition counts only if requests finished and the server timed them: wrk reports p95 = -1 when no
    response arrived (a page slower than wrk's timeout), which must never read as a fast page."""
    return run.get("requests", 0) > 0 and run.get("server_ms", {}).get("samples", 0) > 0


def judge(figure: float | None, limit: float, *, inclusive: bool = True) -> bool:
    """A target judged on the figure the table prints (the median of the repetitions): missing is a miss."""
    if figure is None or figure < 0:
        return False
    return figure <= limit if inclusive else figure < limit


IDLE_SAMPLE_S = 0.3  # /proc/stat sample taken between two scenarios, while nothing of this run works
CPU_BUSY_WARN = 0.25


def busy_warnings(samples: list[float], *, where: str) -> list[str]:
    """Warnings when the CPU was busy while this run was idle: the median (steady competition) or any sample
    over the threshold (a burst during part of the run), with how many samples were taken."""
    samples = [s for s in samples if s is not None]
    if not samples:
        return []
    busy = [s for s in samples if s > CPU_BUSY_WARN]
    if not busy:
        return []
    return [
        f"the CPU was more than {CPU_BUSY_WARN:.0%} busy while {where} was idle in {len(busy)} of {len(samples)} "
        f"samples taken throughout (median {statistics.median(samples):.0%}, max {max(samples):.0%}): another "
        "process competed for the machine"
    ]


def cpu_busy(seconds: float = 1.0) -> float:
    """Share of the machine's CPU busy over ``seconds`` (/proc/stat); measured while our processes are idle."""

    def sample():
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + fields[4]  # idle + iowait
        return sum(fields[:8]), idle

    with contextlib.suppress(OSError, ValueError, IndexError):
        total0, idle0 = sample()
        time.sleep(seconds)
        total1, idle1 = sample()
        return round(1 - (idle1 - idle0) / max(total1 - total0, 1), 3)
    return 0.0
