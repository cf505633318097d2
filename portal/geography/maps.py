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
