"""The outline of Mexico's 32 states from @svg-maps/mexico (CC BY 4.0, vendored in static/)."""

import json
from functools import lru_cache

from django.conf import settings

ATTRIBUTION = "Mapa: @svg-maps/mexico (Victor Cazanave), CC BY 4.0"


@lru_cache(maxsize=1)
def mexico_outline() -> dict:
    path = settings.BASE_DIR / "static" / "vendor" / "svg-maps-mexico" / "mexico.json"
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def choropleth(counts: dict[str, int], states) -> list[dict]:
    """One SVG path per state with its count and a shade 0–5 (0 = none, 5 = the highest count)."""
    by_iso = {state.iso_code.split("-")[1].lower(): state for state in states}
    peak = max(counts.values(), default=0)
    shapes = []
    for location in mexico_outline()["locations"]:
        state = by_iso[location["id"]]
        count = counts.get(state.code, 0)
        shade = 1 + min(4, int(4 * count / peak)) if count and peak else 0
        shapes.append({"path": location["path"], "state": state, "count": count, "shade": shade})
    return shapes
