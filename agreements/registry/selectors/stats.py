"""Statistics of the public registry: counts by dimension (from the summary the database keeps, or live), their
cache keyed on the registry's version, per-state figures for the profiles, and the projection."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import Col
from django.db.models.functions import ExtractYear
from django.db.models.lookups import Exact, GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone, translation
from django.utils.translation import get_language

from agreements import countries
from agreements.choices import (
    STAT_DIMENSIONS,
    CounterpartType,
    EntryStatus,
    Kind,
    Region,
    StatDimension,
    Theme,
)
from portal.core.keyset import capped_count
from portal.geography.models import State
from portal.institutions.choices import Level

from ..models import (
    RegistryEntry,
    RegistryStat,
)
from .entries import entry_status_expression, in_force_q, registered_agreements

__all__ = [
    "PROJECTION_RATE",
    "PROJECTION_YEARS",
    "REGISTRY_STATS_WARM_QUEUED_KEY",
    "REGISTRY_VERSION_KEY",
    "STATS_CACHE_SECONDS",
    "STAT_DIMENSIONS",
    "cached_registry_counts_by_state",
    "cached_registry_stats",
    "cached_registry_stats_many",
    "counted_registry_stats_many",
    "filter_key",
    "municipality_registry_figures",
    "projection",
    "projection_base_year",
    "registry_counts_by_state",
    "registry_stats",
    "registry_stats_counting_key",
    "registry_stats_many",
    "registry_stats_warm",
    "registry_version",
    "signed_before",
    "state_entries_ending",
    "state_registry_figures",
]


# --- statistics ---------------------------------------------------------------


def _labels(dimension: str, keys: list) -> dict:
    if dimension == "state":
        return dict(State.objects.filter(code__in=keys).values_list("code", "short_name"))
    if dimension == "country":
        return {k: countries.country_name(k) for k in keys}
    if dimension == "subdivision":
        return {k: countries.subdivision_name(k) for k in keys}
    vocabularies = {
        "level": Level,
        "region": Region,
        "counterpart_type": CounterpartType,
        "theme": Theme,
        "kind": Kind,
        "status": EntryStatus,
    }
    if dimension in vocabularies:
        labels = dict(vocabularies[dimension].choices)
        return {k: str(labels.get(k, k)) for k in keys}
    return {k: str(k) for k in keys}


# Each dimension is counted from one column of the filtered entries (``theme`` from the sorted list of theme keys
# that services.entries keeps beside the M2M rows: grouped by the whole list, then counted per key). Several
# dimensions are counted in one pass: the columns are grouped in a few sets, each a GROUP BY whose rows roll up
# into the counts of its dimensions.
_KEYS = {
    "state": F("state_id"),
    "level": F("level"),
    "counterpart_type": F("counterpart_type"),
    "kind": F("kind"),
    "country": F("counterpart_country"),
    "region": F("region"),
    "subdivision": F("counterpart_subdivision"),
    "year": ExtractYear("signed_on"),
    "theme": F("theme_keys"),
    "status": entry_status_expression,  # called per count: it depends on the day
}
_PASS_SETS = (
    ("state", "level", "counterpart_type", "kind", "status"),
    ("country", "region", "subdivision"),
    ("year",),
    ("theme",),
)


_THEME_KEYS = RegistryEntry._meta.get_field("theme_keys")


def _decoded(dimension: str, key):
    """A key as the ORM would read it: a raw cursor gets the ``theme`` list as JSON text."""
    return _THEME_KEYS.from_db_value(key, None, connection) if dimension == "theme" else key


def _grouping_sets(dimensions) -> list[tuple[str, ...]]:
    """One set per dimension when one is asked for; the four wide sets (a few thousand groups) otherwise."""
    if len(dimensions) == 1:
        return [tuple(dimensions)]
    return [group for group in _PASS_SETS if set(group) & set(dimensions)]


def _grouped_rows(base, sets: list[tuple[str, ...]], today: dt.date):
    """``(set index, {dimension: key}, count)`` for every group of every set, in one statement on PostgreSQL."""
    wanted = [d for group in sets for d in group]
    values = {f"k_{d}": _KEYS[d](today) if callable(_KEYS[d]) else _KEYS[d] for d in wanted}
    if settings.USING_POSTGRES and len(sets) > 1:
        sql, params = base.values(**values).query.sql_with_params()
        columns = ", ".join(f'"k_{d}"' for d in wanted)
        grouping = ", ".join(f'"k_{group[0]}"' for group in sets)
        group_sets = ", ".join("(" + ", ".join(f'"k_{d}"' for d in group) + ")" for group in sets)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {columns}, GROUPING({grouping}), COUNT(*) FROM ({sql}) AS entries "  # noqa: S608 - names are ours
                f"GROUP BY GROUPING SETS ({group_sets})",
                params,
            )
            for row in cursor.fetchall():
                *keys, bits, count = row
                keys = [_decoded(d, key) for d, key in zip(wanted, keys, strict=True)]
                index = next(i for i in range(len(sets)) if not bits & (1 << (len(sets) - 1 - i)))
                yield index, dict(zip(wanted, keys, strict=True)), count
        return
    for index, group in enumerate(sets):
        names = [f"k_{d}" for d in group]
        for row in base.values(**{n: values[n] for n in names}).annotate(count=Count("pk")):
            yield index, {d: row[f"k_{d}"] for d in group}, row["count"]


def _result(dimension: str, counts: dict, total: int) -> dict:
    results = [{"key": key, "count": count} for key, count in counts.items() if key not in (None, "")]
    labels = _labels(dimension, [r["key"] for r in results])
    results.sort(key=lambda r: (-r["count"], r["key"]))
    return {
        "by": dimension,
        "total": total,
        "results": [{"key": r["key"], "label": labels.get(r["key"], r["key"]), "count": r["count"]} for r in results],
    }


_STATE = RegistryEntry._meta.get_field("state")
_SIGNED_ON = RegistryEntry._meta.get_field("signed_on")
_EVERY_YEAR = (1, 32767)  # the summary's ``year`` rows: any signing year


def _whole_years(lookup) -> tuple[int, int] | None:
    """The years a ``signed_on`` bound of ``RegistryFilterSet`` keeps (``year_min``: from 1 January, ``year_max``:
    to 31 December); ``None`` for any other bound, which does not fall on whole years."""
    value = lookup.rhs
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        return None
    if isinstance(lookup, GreaterThanOrEqual) and (value.month, value.day) == (1, 1):
        return value.year, _EVERY_YEAR[1]
    if isinstance(lookup, LessThanOrEqual) and (value.month, value.day) == (12, 31):
        return _EVERY_YEAR[0], value.year
    return None


def _summary_scope(queryset) -> tuple[str, tuple[int, int] | None] | None:
    """Which rows of the summary answer ``queryset``: ``(state, years)``, the state ``""`` for the whole registry
    or a state's code when it is filtered by that state (``?state=``), and ``years`` ``None`` for every year or
    the signing years ``(first, last)`` it is filtered by (``?year_min=``, ``?year_max=``); ``None`` when it has
    to be counted live (any other filter)."""
    query = queryset.query
    if query.model is not RegistryEntry or query.is_sliced or query.distinct or query.combinator:
        return None
    if query.where.negated or query.where.connector != "AND":
        return None
    state, years = None, None
    for lookup in query.where.children:
        if not isinstance(getattr(lookup, "lhs", None), Col):
            return None
        target = lookup.lhs.target
        if target is _STATE and isinstance(lookup, Exact) and isinstance(lookup.rhs, str) and lookup.rhs and not state:
            state = lookup.rhs
        elif target is _SIGNED_ON and (bound := _whole_years(lookup)):
            first, last = years or _EVERY_YEAR
            years = (max(first, bound[0]), min(last, bound[1]))
        else:
            return None
    return state or "", years


def _live_counts(queryset, dimensions, today) -> tuple[dict[str, dict], int]:
    """Count the entries ``queryset`` selects (GROUPING SETS over the filtered rows)."""
    counts = {d: {} for d in dimensions}
    total = 0
    for index, keys, count in _grouped_rows(queryset.order_by(), _grouping_sets(dimensions), today):
        if index == 0:
            total += count  # every entry falls in exactly one group of each set
        for dimension, key in keys.items():
            if dimension not in counts:
                continue
            if dimension == "theme":
                for theme in key or ():
                    counts["theme"][theme] = counts["theme"].get(theme, 0) + count
            else:
                key = str(int(key)) if dimension == "year" and key is not None else key
                counts[dimension][key] = counts[dimension].get(key, 0) + count
    return counts, total


def _summary_counts(queryset, dimensions, today, scope) -> tuple[dict[str, dict], int]:
    """The same counts for the whole registry or one state, over every year or a range of signing years, from
    ``RegistryStat`` (thousands of rows, whatever the registry's size): one query. ``validity`` rows become
    statuses on ``today`` by the one rule (``entry_status_expression``); the total is the sum of the ``level`` rows
    (one per entry).

    A range of years reads the rows of those years, whose ``validity`` dates are the first of their month: read
    on the first of today's month, the rule gives each entry's status today, except for the entries that end or
    are terminated this month. Those rows are left out and the entries counted live instead (``queryset``
    filtered to this month's ends and terminations: a few hundred at a million entries, by index)."""
    state_code, years = scope
    wanted = {StatDimension.VALIDITY if d == "status" else d for d in dimensions} | {StatDimension.LEVEL}
    rows = RegistryStat.objects.filter(state_code=state_code, dimension__in=wanted).exclude(entries=0)
    day = today
    if years is None:
        rows = rows.filter(year=0)
    else:
        day = today.replace(day=1)
        rows = (
            rows.filter(year__gte=max(years[0], _EVERY_YEAR[0]), year__lte=years[1])
            .exclude(dimension=StatDimension.VALIDITY, expires_on=day)
            .exclude(dimension=StatDimension.VALIDITY, terminated_on=day)
        )
    rows = (
        rows.order_by()
        .values(
            "dimension",
            group=Case(
                When(dimension=StatDimension.VALIDITY, then=entry_status_expression(day)),
                default=F("key"),
                output_field=CharField(),
            ),
        )
        .annotate(n=Sum("entries"))
    )
    if years is not None and "status" in dimensions:
        # This month's ends and terminations, counted live in the same statement (a page costs one query
        # whatever its filters): the entries ending this month, then those terminated this month that do not end
        # in it. Each part is read from its index alone (``registry_expires_idx`` carries the termination date,
        # ``registry_terminated_idx`` the end): one month's ends are about 0.4 % of the entries, 5,000 heap
        # pages to visit at 1,000,000 entries where the index holds every value the status needs (issue #14).
        following = (day + dt.timedelta(days=31)).replace(day=1)
        ending = Q(expires_on__gte=day, expires_on__lt=following)
        terminated = Q(terminated_on__gte=day, terminated_on__lt=following) & ~ending

        def live(this_month: Q):
            return (
                queryset.filter(this_month)
                .order_by()
                .annotate(dimension=Value(StatDimension.VALIDITY.value, output_field=CharField()))
                .values("dimension", group=entry_status_expression(today))
                .annotate(n=Count("*"))
            )

        rows = rows.union(live(ending), live(terminated), all=True)
    counts = {d: {} for d in dimensions}
    total = 0
    for row in rows:
        dimension = "status" if row["dimension"] == StatDimension.VALIDITY else row["dimension"]
        if row["dimension"] == StatDimension.LEVEL:
            total += row["n"]
        if dimension in counts:
            counts[dimension][row["group"]] = counts[dimension].get(row["group"], 0) + row["n"]
    return counts, total


def registry_stats_many(queryset, dimensions=STAT_DIMENSIONS, *, today: dt.date | None = None) -> dict[str, dict]:
    """``{dimension: registry_stats(queryset, dimension)}`` for several dimensions, counted in one pass.

    The whole registry and one state, over every year or a range of signing years, are read from the summary the
    database keeps (``RegistryStat``); any other filter is counted live. ``today`` (default: today) decides each entry's status."""
    dimensions = list(dict.fromkeys(dimensions))
    unknown = set(dimensions) - set(STAT_DIMENSIONS)
    if unknown:
        raise ValueError(sorted(unknown))
    today = today or timezone.localdate()
    scope = _summary_scope(queryset)
    if scope is not None:
        counts, total = _summary_counts(queryset, dimensions, today, scope)
    else:
        counts, total = _live_counts(queryset, dimensions, today)
    return {d: _result(d, counts[d], total) for d in dimensions}


def registry_stats(queryset, dimension: str, *, today: dt.date | None = None) -> dict:
    """``{"by", "total", "results": [{"key", "label", "count"}]}`` sorted by count, then key."""
    return registry_stats_many(queryset, [dimension], today=today)[dimension]


REGISTRY_VERSION_KEY = "registry:version"
# Set while a count of the unfiltered statistics is queued and not started (``services.entries._registry_changed``).
REGISTRY_STATS_WARM_QUEUED_KEY = "registry:stats-warm-queued"
STATS_CACHE_SECONDS = 15 * 60


def registry_version() -> int:
    """Bumped by every registry write (see services.entries); part of every cached statistic's key."""
    return cache.get_or_set(REGISTRY_VERSION_KEY, 1, None)


def filter_key(filterset) -> str:
    """A stable key from the *validated* filter values: unknown or empty parameters do not create new keys."""
    data = filterset.form.cleaned_data if filterset.is_bound and filterset.is_valid() else {}
    items = sorted((name, repr(value)) for name, value in data.items() if value not in (None, "", [], ()))
    return _filter_key(items)


def _filter_key(items: list) -> str:
    return hashlib.sha1(repr(items).encode()).hexdigest()


def _stats_cache_key(dimension: str, key: str, version: int) -> str:
    # The labels are translated as they are counted: each language keeps its own copy.
    return f"registry-stats:{version}:{get_language()}:{dimension}:{key}"


def registry_stats_counting_key(key: str) -> str:
    """The mark of a filter set's statistics being counted in the background (``jobs.registry_stats_count``), in
    the request's language and for the registry's current version: one count per filter set however many ask."""
    return f"registry-stats-counting:{registry_version()}:{get_language()}:{key}"


def _stats_from_cache(queryset, dimensions, key: str, *, max_live_rows: int | None) -> dict[str, dict] | None:
    version = registry_version()
    keys = {d: _stats_cache_key(d, key, version) for d in dimensions}
    found = cache.get_many(list(keys.values()))
    stats = {d: found[k] for d, k in keys.items() if k in found}
    missing = [d for d in dimensions if d not in stats]
    if missing:
        live = max_live_rows is not None and _summary_scope(queryset) is None  # the summary answers the others
        if live and (max_live_rows == 0 or capped_count(queryset, max_live_rows)[1]):
            return None
        computed = registry_stats_many(queryset, missing)
        cache.set_many({keys[d]: computed[d] for d in missing}, STATS_CACHE_SECONDS)
        stats.update(computed)
    return {d: stats[d] for d in dimensions}


def cached_registry_stats_many(queryset, dimensions=STAT_DIMENSIONS, *, key: str) -> dict[str, dict]:
    """``registry_stats_many`` kept for 15 minutes per dimension and filter set, until the registry changes.

    The dimensions missing from the cache are counted together, in one pass, however many entries match (the
    background count and the warm-up; a request asks :func:`counted_registry_stats_many`)."""
    return _stats_from_cache(queryset, dimensions, key, max_live_rows=None)


def counted_registry_stats_many(
    queryset, dimensions=STAT_DIMENSIONS, *, key: str, max_live_rows: int | None = None
) -> dict[str, dict] | None:
    """:func:`cached_registry_stats_many` when it costs a request bounded work: from the cache, from the summary
    (the whole registry, a state, whole signing years), or counted live when at most ``max_live_rows`` entries
    match (default ``settings.REGISTRY_STATS_LIVE_MAX_ROWS``; the matches are counted up to one more than that,
    by their keys; ``0``: never counted here). ``None`` when more match: a broad search is counted in the
    background (``jobs.registry_stats_count``), never over every match on the request path."""
    if max_live_rows is None:
        max_live_rows = settings.REGISTRY_STATS_LIVE_MAX_ROWS
    return _stats_from_cache(queryset, dimensions, key, max_live_rows=max_live_rows)


def cached_registry_stats(queryset, dimension: str, *, key: str) -> dict:
    """``registry_stats`` kept for 15 minutes per filter set, until the registry changes."""
    return cached_registry_stats_many(queryset, [dimension], key=key)[dimension]


def registry_counts_by_state(codes=None, *, today=None) -> dict[str, dict[str, int]]:
    """``{state code: {"total", "in_force"}}`` for every state (0 where the registry has none).

    The one source of these figures: the state page, the 32-state comparison, the state map and the API read
    it, so they cannot disagree (the registry is complete: no entry means 0, not "sin datos"). Read from the
    statistics summary the database keeps per state (``RegistryStat``: each state's entries by end and
    termination dates), not by counting the registry; ``in_force`` by the one rule, on ``today``."""
    rows = RegistryStat.objects.filter(dimension=StatDimension.VALIDITY, year=0).exclude(state_code="").order_by()
    states = State.objects.order_by("code")
    if codes is not None:
        rows, states = rows.filter(state_code__in=codes), states.filter(code__in=codes)
    counts = {code: {"total": 0, "in_force": 0} for code in states.values_list("code", flat=True)}
    rows = rows.values("state_code").annotate(
        total=Sum("entries"), in_force=Sum("entries", filter=in_force_q(today), default=0)
    )
    for row in rows:
        if row["state_code"] in counts:
            counts[row["state_code"]] = {"total": row["total"], "in_force": row["in_force"]}
    return counts


def cached_registry_counts_by_state(today: dt.date | None = None) -> dict[str, dict[str, int]]:
    """:func:`registry_counts_by_state` of every state, kept until the registry changes or the day ends (the
    status of an entry depends on the day). Summing the per-state ``validity`` rows takes tens of milliseconds
    and grows with the registry's distinct dates; the state pages, the comparison and the map read it on every
    request."""
    today = today or timezone.localdate()
    key = f"registry-counts-by-state:{registry_version()}:{today.isoformat()}"
    counts = cache.get(key)
    if counts is None:
        counts = registry_counts_by_state(today=today)
        cache.set(key, counts, STATS_CACHE_SECONDS)
    return counts


def state_registry_figures(code: str) -> dict:
    """A state's entries with the United States (``with_us``), by year of signing (``years``: ``{year: n}``)
    and by region (``regions``: ``{region: n}``), from the statistics summary: one query over at most one row
    per year and region, whatever the registry's size."""
    rows = (
        RegistryStat.objects.filter(state_code=code, year=0)
        .filter(
            Q(dimension__in=[StatDimension.YEAR, StatDimension.REGION]) | Q(dimension=StatDimension.COUNTRY, key="US")
        )
        .exclude(entries=0)
        .order_by()
        .values("dimension", "key")
        .annotate(n=Sum("entries"))
    )
    figures = {"with_us": 0, "years": {}, "regions": {}}
    for row in rows:
        if row["dimension"] == StatDimension.COUNTRY:
            figures["with_us"] = row["n"]
        elif row["dimension"] == StatDimension.YEAR:
            figures["years"][int(row["key"])] = row["n"]
        else:
            figures["regions"][row["key"]] = row["n"]
    return figures


def municipality_registry_figures(inegi_code: str) -> dict:
    """A municipality's figures in the shape of :func:`state_registry_figures` plus ``total`` and ``in_force``,
    counted from its entries in one pass grouped by year and region (an index-only scan of
    ``registry_munic_stats_idx``): the summary keeps no per-municipality rows."""
    rows = (
        RegistryEntry.objects.filter(municipality_id=inegi_code)
        .order_by()
        .values("region", year=ExtractYear("signed_on"))
        .annotate(
            n=Count("id"),
            in_force=Count("id", filter=in_force_q()),
            with_us=Count("id", filter=Q(counterpart_country="US")),
        )
    )
    figures = {"total": 0, "in_force": 0, "with_us": 0, "years": {}, "regions": {}}
    for row in rows:
        for key in ("in_force", "with_us"):
            figures[key] += row[key]
        figures["total"] += row["n"]
        figures["years"][row["year"]] = figures["years"].get(row["year"], 0) + row["n"]
        figures["regions"][row["region"]] = figures["regions"].get(row["region"], 0) + row["n"]
    return figures


def state_entries_ending(code: str, until: dt.date, *, today: dt.date | None = None) -> int:
    """How many of a state's entries in force ``today`` end by ``until``, from the summary's ``validity`` rows:
    at most one row per end and termination date in the window, whatever the registry's size."""
    rows = RegistryStat.objects.filter(in_force_q(today), state_code=code, dimension=StatDimension.VALIDITY, year=0)
    return rows.filter(expires_on__lte=until).aggregate(n=Sum("entries", default=0))["n"]


def registry_stats_warm() -> None:
    """Count the unfiltered statistics into the cache (after a registry change), in every language of the portal,
    under the key of a page or API call without filters (``filter_key`` of no filter values), and every state's
    totals (:func:`cached_registry_counts_by_state`, which the state pages, the comparison and the map read)."""
    cached_registry_counts_by_state()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            cached_registry_stats_many(registered_agreements(), key=_filter_key([]))


def signed_before(year_stats: dict, year: int) -> int:
    """Entries signed before 1 January of ``year``, from the ``year`` statistics (no query)."""
    return sum(r["count"] for r in year_stats["results"] if int(r["key"]) < year)


# The projection's defaults, for the statistics page and the API alike: from next year's base, 25 years on,
# growing 20 % every five years in the base scenario.
PROJECTION_RATE = 0.20
PROJECTION_YEARS = 25


def projection_base_year(today: dt.date | None = None) -> int:
    """Next year: the projection starts from the current count (every agreement signed before next 1 January), as
    the domain notes say. A fixed past base year projected nothing from a registry whose agreements are all recent."""
    return (today or timezone.localdate()).year + 1


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
