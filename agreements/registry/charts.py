"""Geometry for the registry's SVG charts, drawn server-side (no JavaScript, no CDN)."""

from __future__ import annotations

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 760, 260, 44, 28, 16
MARKERS = {1994: "TLCAN (1994)", 2000: "2000"}


def _ticks(peak: int, count: int = 4) -> list[int]:
    if peak <= 0:
        return [0]
    step = max(1, round(peak / count))
    return list(range(0, peak + step, step))


def year_bars(rows: list[dict]) -> dict:
    """Vertical bars per signing year, with the 1994 (NAFTA) and 2000 markers."""
    points = {int(r["key"]): r["count"] for r in rows}
    if not points:
        return {"bars": [], "markers": [], "ticks": [], "width": WIDTH, "height": HEIGHT}
    first, last = min(min(points), 1990), max(points)
    years = list(range(first, last + 1))
    peak = max(points.values())
    plot_w, plot_h = WIDTH - PAD_LEFT - 8, HEIGHT - PAD_BOTTOM - PAD_TOP
    slot = plot_w / len(years)
    bars = []
    for i, year in enumerate(years):
        count = points.get(year, 0)
        h = plot_h * count / peak if peak else 0
        bars.append(
            {
                "year": year,
                "count": count,
                "x": PAD_LEFT + i * slot + 1,
                "w": max(slot - 2, 1),
                "y": PAD_TOP + plot_h - h,
                "h": h,
                "label": year % 5 == 0,
            }
        )
    markers = [
        {"x": PAD_LEFT + (year - first) * slot + slot / 2, "label": label}
        for year, label in MARKERS.items()
        if first <= year <= last
    ]
    ticks = [{"value": t, "y": PAD_TOP + plot_h - plot_h * t / peak} for t in _ticks(peak)] if peak else []
    return {
        "bars": bars,
        "markers": markers,
        "ticks": ticks,
        "width": WIDTH,
        "height": HEIGHT,
        "baseline": PAD_TOP + plot_h,
        "left": PAD_LEFT,
    }


def projection_lines(projection: dict) -> dict:
    """Three polylines (base, best, worst) over five-year steps."""
    scenarios = projection["scenarios"]
    years = [p["year"] for p in scenarios["base"]]
    peak = max([p["count"] for series in scenarios.values() for p in series] + [1])
    plot_w, plot_h = WIDTH - PAD_LEFT - 20, HEIGHT - PAD_BOTTOM - PAD_TOP
    step = plot_w / max(len(years) - 1, 1)

    def xy(i, count):
        return PAD_LEFT + i * step, PAD_TOP + plot_h - plot_h * count / peak

    lines = {}
    for name, series in scenarios.items():
        coords = [xy(i, p["count"]) for i, p in enumerate(series)]
        lines[name] = {
            "points": " ".join(f"{x:.1f},{y:.1f}" for x, y in coords),
            "dots": [
                {"x": x, "y": y, "count": p["count"], "year": p["year"]}
                for (x, y), p in zip(coords, series, strict=True)
            ],
        }
    ticks = [{"value": t, "y": PAD_TOP + plot_h - plot_h * t / peak} for t in _ticks(peak)]
    labels = [{"year": year, "x": PAD_LEFT + i * step} for i, year in enumerate(years)]
    return {
        "lines": lines,
        "ticks": ticks,
        "labels": labels,
        "width": WIDTH,
        "height": HEIGHT,
        "baseline": PAD_TOP + plot_h,
        "left": PAD_LEFT,
    }
