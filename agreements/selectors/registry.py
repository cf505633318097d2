"""Reads of the public registry: search, counts, statistics and projections (no login needed)."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import BooleanField, Count, F
from django.db.models.expressions import Expression
from django.db.models.functions import ExtractYear
from django.shortcuts import get_object_or_404
from django.utils import timezone

from portal.core.text import fold
from portal.geography.models import State
from portal.institutions.choices import Level

from .. import countries
from ..choices import CounterpartType, Kind, Region, Theme
from ..models import RegistryEntry

__all__ = [
    "COUNT_CAP",
    "SEARCH_COUNT_CAP",
    "cached_registry_stats",
    "filter_key",
    "registry_version",
    "STAT_DIMENSIONS",
    "capped_count",
    "expiring_soon",
    "projection",
    "registered_agreements",
    "registry_entry_detail",
    "registry_search",
    "registry_stats",
    "signed_before",
]

COUNT_CAP = 1_000
SEARCH_COUNT_CAP = 100
EXPIRY_WINDOW_DAYS = 90


def registered_agreements():
    """What the public registry shows: published entries, never the internal review documents."""
    return RegistryEntry.objects.select_related("state", "municipality")


def registry_entry_detail(*, registry_number: str) -> RegistryEntry:
    return get_object_or_404(registered_agreements().prefetch_related("themes"), registry_number=registry_number)


class _PostgresTextMatch(Expression):
    """``search_vector @@ websearch_to_tsquery(...) OR search_text LIKE …`` on the query's own alias.

    ``search_vector`` is a PostgreSQL-only generated column (migration 0004), so it is not a model
    field; this expression names it through the table alias Django gives the registry in each query,
    which keeps it valid inside subqueries (statistics by theme, ``pk__in`` filters).
    """

    output_field = BooleanField()
    conditional = True

    def __init__(self, text: str, folded: str, alias: str | None = None):
        super().__init__()
        self.text, self.folded, self.alias = text, folded, alias

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        return _PostgresTextMatch(self.text, self.folded, query.get_initial_alias() if query else self.alias)

    def relabeled_clone(self, change_map):
        return _PostgresTextMatch(self.text, self.folded, change_map.get(self.alias, self.alias))

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(self.alias)
        sql = (
            f"({alias}.search_vector @@ websearch_to_tsquery('public.spanish_unaccent', %s)"
            f" OR {alias}.search_text LIKE %s)"
        )
        return sql, [self.text, f"%{self.folded}%"]


def registry_search(queryset, text: str):
    """Spanish, accent- and case-insensitive search over title, counterpart and signing office.

    PostgreSQL: the stored ``spanish_unaccent`` tsvector (GIN) or a trigram-indexed substring of the
    folded names. Elsewhere: every folded word must appear in the folded text.
    """
    folded = fold(text)
    if not folded:
        return queryset
    if settings.USING_POSTGRES:
        return queryset.filter(_PostgresTextMatch(text, folded))
    for word in folded.split():
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def capped_count(queryset, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """``(count, capped)`` without counting every match of a broad search."""
    count = queryset.order_by()[: cap + 1].count()
    return min(count, cap), count > cap


def expiring_soon(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    return today, today + dt.timedelta(days=EXPIRY_WINDOW_DAYS)


# --- statistics ---------------------------------------------------------------

STAT_DIMENSIONS = ("state", "level", "region", "country", "subdivision", "counterpart_type", "theme", "kind", "year")


def _labels(dimension: str, keys: list) -> dict:
    if dimension == "state":
        return dict(State.objects.filter(code__in=keys).values_list("code", "short_name"))
    if dimension == "country":
        return {k: countries.country_name(k) for k in keys}
    if dimension == "subdivision":
        return {k: countries.subdivision_name(k) for k in keys}
    vocabularies = {"level": Level, "region": Region, "counterpart_type": CounterpartType, "theme": Theme, "kind": Kind}
    if dimension in vocabularies:
        labels = dict(vocabularies[dimension].choices)
        return {k: str(labels.get(k, k)) for k in keys}
    return {k: str(k) for k in keys}


def registry_stats(queryset, dimension: str) -> dict:
    """``{"by", "total", "results": [{"key", "label", "count"}]}`` sorted by count, then key."""
    if dimension not in STAT_DIMENSIONS:
        raise ValueError(dimension)
    base = queryset.order_by()
    if dimension == "theme":
        through = RegistryEntry.themes.through
        rows = (
            through.objects.filter(registryentry_id__in=base.values("pk"))
            .values(key=F("theme_id"))
            .annotate(count=Count("id"))
        )
    elif dimension == "year":
        rows = base.annotate(key=ExtractYear("signed_on")).values("key").annotate(count=Count("id"))
    else:
        column = {"state": "state_id", "country": "counterpart_country", "subdivision": "counterpart_subdivision"}.get(
            dimension, dimension
        )
        rows = base.exclude(**{column: ""}) if dimension in ("country", "subdivision") else base
        rows = rows.values(key=F(column)).annotate(count=Count("id"))
    results = [{"key": str(r["key"]), "count": r["count"]} for r in rows if r["key"] not in (None, "")]
    labels = _labels(dimension, [r["key"] for r in results])
    for r in results:
        r["label"] = labels.get(r["key"], r["key"])
    results.sort(key=lambda r: (-r["count"], r["key"]))
    return {
        "by": dimension,
        "total": base.count(),
        "results": [{"key": r["key"], "label": r["label"], "count": r["count"]} for r in results],
    }


REGISTRY_VERSION_KEY = "registry:version"
STATS_CACHE_SECONDS = 15 * 60


def registry_version() -> int:
    """Bumped by every registry write (see services.registry); part of every cached statistic's key."""
    return cache.get_or_set(REGISTRY_VERSION_KEY, 1, None)


def filter_key(filterset) -> str:
    """A stable key from the *validated* filter values: unknown or empty parameters do not create new keys."""
    data = filterset.form.cleaned_data if filterset.is_bound and filterset.is_valid() else {}
    items = sorted((name, repr(value)) for name, value in data.items() if value not in (None, "", [], ()))
    return hashlib.sha1(repr(items).encode()).hexdigest()


def cached_registry_stats(queryset, dimension: str, *, key: str) -> dict:
    """``registry_stats`` kept for 15 minutes per filter set, until the registry changes."""
    cache_key = f"registry-stats:{registry_version()}:{dimension}:{key}"
    result = cache.get(cache_key)
    if result is None:
        result = registry_stats(queryset, dimension)
        cache.set(cache_key, result, STATS_CACHE_SECONDS)
    return result


def projection(*, base_count: int, base_year: int, until: int, rate: float) -> dict:
    """Five-year projection: base compounds ``rate``; best adds twice the base increment; worst is flat.

    Unrounded values are carried between periods; counts are rounded only in the output.
    """
    base = best = float(base_count)
    series = {"base": [], "best": [], "worst": []}
    year = base_year
    while year <= until:
        series["base"].append({"year": year, "count": round(base)})
        series["best"].append({"year": year, "count": round(best)})
        series["worst"].append({"year": year, "count": base_count})
        increment = base * rate
        base += increment
        best += 2 * increment
        year += 5
    return {"base_year": base_year, "base_count": base_count, "rate": rate, "scenarios": series}


def signed_before(queryset, year: int) -> int:
    return queryset.filter(signed_on__lt=dt.date(year, 1, 1)).count()
