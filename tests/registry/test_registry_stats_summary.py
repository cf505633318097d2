"""The statistics of the whole registry come from a summary the database keeps in the transaction of every
registry write: after each kind of write it equals a live count, the status follows the day without any write,
and the dashboard's queries do not grow with the registry."""

import datetime as dt
import io
import random

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.choices import Theme
from agreements.registry import selectors as registry_selectors
from agreements.registry import services
from agreements.registry.filtersets import RegistryFilterSet
from agreements.registry.models import RegistryEntry, RegistryStat
from tests import documents
from tests.support import assert_queries_constant, count_queries

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
HEADER = ",".join(services.IMPORT_COLUMNS)
STATES = [("14", "14039", "Guadalajara"), ("26", "", ""), ("07", "07089", "Tapachula"), ("19", "", ""), ("09", "", "")]
COUNTERPARTS = [
    ("government", "US", "US-TX"),
    ("government", "ES", "ES-CL"),
    ("government", "GT", ""),
    ("international_organization", "", ""),
    ("ngo", "PL", ""),
]
KINDS = ["technical_cooperation", "twinning", "letter_of_intent", "memorandum_of_understanding"]


def varied_rows(count: int, *, prefix: str = "V", seed: int = 7) -> list[str]:
    """Entries over several states and levels, counterparts, themes (none to three), years from 1990, and ends in
    the past, near today, far ahead or none at all."""
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        state, municipality, _name = rng.choice(STATES)
        level = "municipal" if municipality and rng.random() < 0.5 else "state"
        ctype, country, subdivision = rng.choice(COUNTERPARTS)
        themes = ";".join(rng.sample(Theme.values, rng.randint(0, 3)))
        signed = dt.date(rng.randint(1990, TODAY.year - 1), rng.randint(1, 12), rng.randint(1, 28))
        end = rng.choice(
            [None, TODAY - dt.timedelta(days=400), TODAY, TODAY + dt.timedelta(days=1), dt.date(2099, 1, 1)]
        )
        end = end if end is None or end >= signed else None
        rows.append(
            ",".join(
                [
                    f"{prefix}-{i:04d}",
                    f"Acuerdo {prefix} {i}",
                    rng.choice(KINDS),
                    level,
                    state,
                    municipality if level == "municipal" else "",
                    "Oficina firmante",
                    f"Contraparte {i}",
                    ctype,
                    country,
                    subdivision,
                    themes,
                    signed.isoformat(),
                    "Lugar",
                    signed.isoformat(),
                    end.isoformat() if end else "",
                ]
            )
        )
    return rows


def import_rows(rows):
    report = services.registry_import(content=("\n".join([HEADER, *rows]) + "\n").encode())
    assert report.ok, [str(e) for e in report.errors]
    return report


def live(today=None, state=None):
    """Every dimension counted over the registry rows themselves (with a filter that keeps every entry)."""
    entries = registry_selectors.registered_agreements().filter(pk__gt=0)
    entries = entries.filter(state_id=state) if state else entries
    return registry_selectors.registry_stats_many(entries, today=today)


def summary(today=None, state=None):
    entries = registry_selectors.registered_agreements()
    entries = entries.filter(state_id=state) if state else entries
    return registry_selectors.registry_stats_many(entries, today=today)


def assert_summary_is_live(today=None):
    for state in (None, "14", "26", "07", "19", "09", "01"):
        expected = live(today, state)
        entries = RegistryEntry.objects.filter(state_id=state) if state else RegistryEntry.objects.all()
        assert expected["level"]["total"] == entries.count()
        assert summary(today, state) == expected, state


# Year ranges (alone and with a state): cutting through the data, open-ended, every year, none, a state without
# entries. Each is read from the summary's year rows; with ``pk__gt=0`` the same filter is counted live.
YEAR_FILTERS = [
    {"year_min": "2000"},
    {"year_max": "2005"},
    {"year_min": "1995", "year_max": "2010"},
    {"year_min": "2010", "year_max": "2010"},
    {"year_min": "1900", "year_max": "2200"},
    {"year_min": "2015", "year_max": "2001"},
    {"year_min": str(TODAY.year + 1)},
    {"state": "14", "year_min": "2000"},
    {"state": "26", "year_max": "2003"},
    {"state": "07", "year_min": "1998", "year_max": "2012"},
    {"state": "01", "year_min": "1990"},
]


def filtered(filters):
    return RegistryFilterSet(filters, queryset=registry_selectors.registered_agreements()).qs


def assert_years_are_live(today=None):
    for filters in YEAR_FILTERS:
        queryset = filtered(filters)
        expected = registry_selectors.registry_stats_many(queryset.filter(pk__gt=0), today=today)
        assert expected["level"]["total"] == queryset.count()
        assert registry_selectors.registry_stats_many(queryset, today=today) == expected, (filters, today)


def stored_rows():
    return set(
        RegistryStat.objects.exclude(entries=0).values_list(
            "state_code", "dimension", "year", "key", "expires_on", "terminated_on", "entries"
        )
    )


def _tables(filters) -> str:
    queryset = RegistryFilterSet(filters, queryset=registry_selectors.registered_agreements()).qs
    with CaptureQueriesContext(connection) as queries:
        registry_selectors.registry_stats_many(queryset)
    return " ".join(q["sql"] for q in queries.captured_queries)


@pytest.mark.parametrize("filters", [None, {}, {"q": "", "junk": "1"}, {"state": "14"}, {"state": "14", "q": " "}])
def test_the_whole_registry_and_one_state_are_read_from_the_summary(filters):
    import_rows(varied_rows(30))
    tables = _tables(filters)
    assert "agreements_registrystat" in tables and "agreements_registryentry" not in tables


@pytest.mark.parametrize(
    "filters",
    [
        {"q": "acuerdo"},
        {"state": "14", "level": "state"},
        {"theme": ["health"]},
        {"year_min": "2000", "kind": "twinning"},
    ],
)
def test_any_other_filter_is_counted_live_with_the_same_figures(filters):
    import_rows(varied_rows(30))
    tables = _tables(filters)
    assert "agreements_registrystat" not in tables and "agreements_registryentry" in tables
    queryset = RegistryFilterSet(filters, queryset=registry_selectors.registered_agreements()).qs
    assert registry_selectors.registry_stats(queryset, "level")["total"] == queryset.count()


def test_import_publish_amendment_termination_and_direct_writes_keep_the_summary_equal_to_a_live_count(
    cases, run_on_commit
):
    assert_summary_is_live()  # empty
    import_rows(varied_rows(120))
    assert_summary_is_live()

    # A second import: new rows, changed rows (state, themes, dates, country) and unchanged ones.
    again = varied_rows(120)
    changed = [row.replace(",26,", ",19,").replace(",US,US-TX,", ",ES,ES-CL,") for row in again[:40]]
    import_rows(changed + again[40:] + varied_rows(20, prefix="W", seed=8))
    assert_summary_is_live()
    assert_years_are_live()
    assert_summary_is_live(TODAY + dt.timedelta(days=1))

    # Step 12 publishes, then a prórroga moves its end.
    cases.closed("RAII-2026-0042")
    assert_summary_is_live()
    cases.defaults = {"case_kind": "extension", "amends": "RAII-2026-0042", "term_years": 6}
    cases.closed("RAII-2026-0099")
    assert RegistryEntry.objects.get(registry_number="RAII-2026-0042").amendments.count() == 1
    assert_summary_is_live()

    # A termination confirmed by the CJA.
    entry = RegistryEntry.objects.get(registry_number="RAII-2026-0042")
    termination = services.termination_request(
        user=cases.local,
        entry=entry,
        terminated_on=TODAY,
        reason="Por mutuo acuerdo.",
        notice_letter=documents.pdf_upload("nota.pdf", "Nota de terminación."),
    )
    run_on_commit(services.termination_confirm, user=cases.cja, termination_id=termination.pk)
    assert RegistryEntry.objects.get(pk=entry.pk).terminated_on == TODAY
    assert_summary_is_live()

    # Writes that go around the services: save(), update(), bulk_update(), create() and delete().
    some = list(RegistryEntry.objects.filter(registry_number__startswith="V-").order_by("pk")[:6])
    some[0].theme_keys = ["health", "migration"]
    some[0].save()
    RegistryEntry.objects.filter(pk=some[1].pk).update(terminated_on=TODAY, counterpart_country="CA")
    some[2].kind, some[3].signed_on = "twinning", dt.date(1985, 5, 5)
    RegistryEntry.objects.bulk_update(some[2:4], ["kind", "signed_on"])
    RegistryEntry.objects.filter(pk=some[4].pk).update(expiry_reminder_stage=90)  # counts nothing: writes nothing
    twin = RegistryEntry.objects.get(pk=some[5].pk)
    twin.pk, twin.registry_number = None, "COPY-1"
    twin.save()
    RegistryEntry.objects.filter(pk=some[5].pk).delete()
    assert_summary_is_live()
    assert_years_are_live()

    # The rebuild counts the same rows as the writes kept, and again the same.
    kept = stored_rows()
    out = io.StringIO()
    call_command("rebuild_registry_stats", stdout=out)
    assert stored_rows() == kept and "filas" in out.getvalue()
    call_command("rebuild_registry_stats", stdout=io.StringIO())
    assert stored_rows() == kept


def test_the_status_follows_the_day_without_any_write():
    import_rows(varied_rows(60))
    day = dt.timedelta(days=1)
    first = RegistryEntry.objects.exclude(expires_on=None).order_by("expires_on").first()
    RegistryEntry.objects.filter(pk=first.pk).update(terminated_on=TODAY + 10 * day)
    statuses = []
    for today in (first.expires_on - day, first.expires_on, first.expires_on + day, TODAY, TODAY + 11 * day):
        with CaptureQueriesContext(connection) as writes:
            statuses.append({r["key"]: r["count"] for r in summary(today)["status"]["results"]})
        assert not [q for q in writes.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")]
        assert_summary_is_live(today)
        assert_years_are_live(today)
    assert statuses[0] != statuses[2]  # the earliest end passed
    assert statuses[3] != statuses[4]  # the termination took effect
    assert statuses[4].get("terminated", 0) == 1 + statuses[3].get("terminated", 0)


@pytest.mark.parametrize(
    "filters", [{"year_min": "2000"}, {"year_max": "2004"}, {"year_min": "1995", "year_max": "2010", "state": "14"}]
)
def test_a_year_range_alone_or_with_a_state_is_read_from_the_summary(filters):
    import_rows(varied_rows(30))
    assert registry_selectors.stats._summary_scope(filtered(filters)) is not None
    for dimension in ("level", "theme", "year", "country"):  # no status: the summary alone
        with CaptureQueriesContext(connection) as queries:
            registry_selectors.registry_stats_many(filtered(filters), [dimension])
        tables = " ".join(q["sql"] for q in queries.captured_queries)
        assert "agreements_registrystat" in tables and "agreements_registryentry" not in tables
    # The status: the summary, and the registry only for the entries ending or terminated this month.
    with CaptureQueriesContext(connection) as queries:
        registry_selectors.registry_stats_many(filtered(filters), ["status"])
    registry = [q["sql"] for q in queries.captured_queries if "agreements_registryentry" in q["sql"]]
    assert len(registry) == 1 and "expires_on" in registry[0] and "terminated_on" in registry[0]


def test_signing_dates_that_are_not_whole_years_are_counted_live():
    import_rows(varied_rows(30))
    entries = registry_selectors.registered_agreements()
    for queryset in (
        entries.filter(signed_on__gte=dt.date(2000, 6, 1)),
        entries.filter(signed_on__lte=dt.date(2005, 12, 30)),
        entries.filter(signed_on__lt=dt.date(2005, 1, 1)),
        entries.filter(signed_on__gte=dt.date(2000, 1, 1)).exclude(state_id="14"),
        entries.filter(state_id=""),  # no state: not the whole registry
        entries.filter(state_id="14").filter(state_id="26"),
    ):
        assert registry_selectors.stats._summary_scope(queryset) is None
        assert registry_selectors.registry_stats(queryset, "level")["total"] == queryset.count()


def test_year_ranges_count_as_a_live_count_on_any_day_around_this_months_ends_and_terminations():
    import_rows(varied_rows(150))
    day = dt.timedelta(days=1)
    first_of_month = TODAY.replace(day=1)
    end_of_month = (first_of_month + 31 * day).replace(day=1) - day
    some = list(RegistryEntry.objects.order_by("pk").values_list("pk", flat=True)[:40])
    # Terminated this month (before and after today), last month, next month, and after having expired.
    RegistryEntry.objects.filter(pk__in=some[:5]).update(terminated_on=TODAY)
    RegistryEntry.objects.filter(pk__in=some[5:10]).update(terminated_on=end_of_month)
    RegistryEntry.objects.filter(pk__in=some[10:15]).update(terminated_on=first_of_month - day)
    RegistryEntry.objects.filter(pk__in=some[15:20]).update(terminated_on=end_of_month + day)
    RegistryEntry.objects.filter(pk__in=some[20:25]).update(
        expires_on=first_of_month - 40 * day, terminated_on=first_of_month + 2 * day
    )
    RegistryEntry.objects.filter(pk__in=some[25:30]).update(expires_on=first_of_month, terminated_on=None)
    RegistryEntry.objects.filter(pk__in=some[30:35]).update(expires_on=end_of_month, terminated_on=None)
    assert_summary_is_live()
    for today in (
        TODAY,
        first_of_month,
        first_of_month - day,
        first_of_month + day,
        end_of_month,
        end_of_month + day,
        TODAY - dt.timedelta(days=400),
        TODAY - dt.timedelta(days=399),
        dt.date(2099, 1, 1),
    ):
        assert_years_are_live(today)


def test_the_year_rows_stay_bounded_ends_on_any_day_of_a_month_share_one_row():
    rows = varied_rows(20)
    same_months = []
    for i, row in enumerate(rows):  # signed in March 2001, ending on twenty days of April 2004, none terminated
        cells = row.split(",")
        cells[12] = cells[14] = f"2001-03-{i + 1:02d}"
        cells[15] = f"2004-04-{i + 1:02d}"
        same_months.append(",".join(cells))
    import_rows(same_months)
    validity = RegistryStat.objects.filter(state_code="", dimension="validity").exclude(entries=0)
    assert validity.filter(year=0).count() == 20
    assert list(validity.filter(year=2001).values_list("expires_on", "terminated_on", "entries")) == [
        (dt.date(2004, 4, 1), dt.date(9999, 12, 31), 20)
    ]
    for today in (dt.date(2004, 4, 1), dt.date(2004, 4, 10), dt.date(2004, 5, 1), TODAY):
        assert_years_are_live(today)


def test_the_state_comparison_reads_the_summary_and_counts_as_a_live_count_on_any_day():
    from django.db.models import Count

    from agreements.registry.selectors import registry_counts_by_state

    import_rows(varied_rows(80))
    RegistryEntry.objects.filter(pk__in=RegistryEntry.objects.order_by("pk").values("pk")[:5]).update(
        terminated_on=TODAY
    )
    for today in (TODAY - dt.timedelta(days=1), TODAY, dt.date(2099, 1, 2)):
        live = {
            row["state_id"]: {"total": row["total"], "in_force": row["in_force"]}
            for row in RegistryEntry.objects.order_by()
            .values("state_id")
            .annotate(total=Count("id"), in_force=Count("id", filter=registry_selectors.in_force_q(today)))
        }
        with CaptureQueriesContext(connection) as queries:
            counted = registry_counts_by_state(today=today)
        assert len(counted) == 32 and counted["01"] == {"total": 0, "in_force": 0}
        assert {code: c for code, c in counted.items() if c["total"]} == live
        assert "agreements_registryentry" not in " ".join(q["sql"] for q in queries.captured_queries)
        assert registry_counts_by_state(["14", "26"], today=today) == {"14": live["14"], "26": live["26"]}


def test_the_unfiltered_dashboard_costs_the_same_queries_with_ten_times_the_registry(client):
    from django.core.cache import cache

    url = reverse("agreements:registry_stats")
    import_rows(varied_rows(15))

    def uncached_dashboard():
        cache.incr(registry_selectors.stats.REGISTRY_VERSION_KEY)  # what a registry write does, without the warm-up
        assert client.get(url).status_code == 200

    assert_queries_constant(uncached_dashboard, lambda: import_rows(varied_rows(150, prefix="X", seed=9)))
    _count, statements = count_queries(uncached_dashboard)
    assert [sql for sql in statements if "agreements_registrystat" in sql]
    assert not [sql for sql in statements if "agreements_registryentry" in sql]


def test_the_dashboard_of_a_year_range_and_a_state_costs_the_same_queries_with_ten_times_the_registry(client):
    from django.core.cache import cache

    url = reverse("agreements:registry_stats") + "?year_min=1995&year_max=2100&state=14"
    import_rows(varied_rows(15))

    def uncached_dashboard():
        cache.incr(registry_selectors.stats.REGISTRY_VERSION_KEY)
        assert client.get(url).status_code == 200

    assert_queries_constant(uncached_dashboard, lambda: import_rows(varied_rows(150, prefix="X", seed=9)))
    _count, statements = count_queries(uncached_dashboard)
    assert [sql for sql in statements if "agreements_registrystat" in sql]
    registry = [sql for sql in statements if "agreements_registryentry" in sql]
    assert len(registry) == 1 and "terminated_on" in registry[0]  # this month's ends and terminations only
    assert "agreements_registrystat" in registry[0]  # counted in the summary's statement


def test_a_status_count_costs_one_statement_with_or_without_a_year_range(client):
    """The bench's hard gate: ``?by=status`` issued a second statement (this month's ends) for a year range."""
    from django.core.cache import cache

    import_rows(varied_rows(15))
    base = reverse("api:registry-stats") + "?by=status"
    counts = {}
    for suffix in ("", "&state=14", "&year_min=2015&year_max=2020", "&year_min=1995&year_max=2100&state=14"):
        cache.incr(registry_selectors.stats.REGISTRY_VERSION_KEY)
        counts[suffix], _statements = count_queries(lambda url=base + suffix: client.get(url))
    assert len(set(counts.values())) == 1, counts


class _Editor:
    """What the migration's functions use of a schema editor (SQLite's refuses to open inside a test's transaction)."""

    connection = connection

    def execute(self, sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def test_the_migration_fills_the_summary_of_an_existing_registry():
    import importlib

    # The triggers of today's schema (the signing year in the key), which replaced 0003's and 0034's.
    migration = importlib.import_module("agreements.registry.migrations.0004_registry_stats_by_signing_year")
    import_rows(varied_rows(40))
    kept = stored_rows()
    migration.uninstall(None, _Editor())
    RegistryStat.objects.all().delete()
    for number, entry in enumerate(RegistryEntry.objects.order_by("pk")[:10]):  # not counted: no triggers
        entry.pk, entry.registry_number, entry.state_id = None, f"Y-{number}", "19"
        entry.save()
    assert not RegistryStat.objects.exists()
    migration.install(None, _Editor())
    assert stored_rows() != kept
    assert_summary_is_live()
    assert_years_are_live()
    import_rows(varied_rows(5, prefix="Z", seed=4))  # the triggers are back
    assert_summary_is_live()
    assert_years_are_live()


@pytest.mark.postgres
@pytest.mark.skipif(not settings.USING_POSTGRES, reason="concurrent transactions need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_registry_writes_lose_no_count(committed_reference_data):
    import threading
    from concurrent.futures import ThreadPoolExecutor

    writers = 6
    barrier = threading.Barrier(writers)

    def write(n):
        try:
            rows = varied_rows(25, prefix=f"C{n}", seed=n)
            barrier.wait(timeout=20)
            import_rows(rows)  # each in its own transaction, all adding to the same summary rows at once
            changed = [r.replace(",26,", ",19,") for r in rows]
            import_rows(changed)
        finally:
            connection.close()

    with ThreadPoolExecutor(writers) as pool:
        list(pool.map(write, range(writers)))
    assert RegistryEntry.objects.count() == writers * 25
    assert_summary_is_live()

    with connection.cursor() as cursor:  # only the registry (the test flush truncates every table at once)
        cursor.execute("TRUNCATE agreements_registryentry CASCADE")
    assert not RegistryStat.objects.exists()


@pytest.mark.postgres
@pytest.mark.skipif(not settings.USING_POSTGRES, reason="concurrent transactions need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_an_import_in_progress_does_not_hold_up_other_registry_writes(committed_reference_data):
    import threading

    from django.db import transaction

    import_rows(varied_rows(20))
    target = RegistryEntry.objects.order_by("pk").first()
    other_kind = next(k for k in KINDS if k != target.kind)
    written, release = threading.Event(), threading.Event()

    def importing():
        def progress(done, total):  # after each batch: its rows (and their deltas) written, not committed
            written.set()
            release.wait(timeout=30)

        try:
            content = ("\n".join([HEADER, *varied_rows(60, prefix="IMP", seed=5)]) + "\n").encode()
            assert services.registry_import(content=content, progress=progress).ok
        finally:
            connection.close()

    thread = threading.Thread(target=importing)
    thread.start()
    try:
        assert written.wait(timeout=30)
        with transaction.atomic():  # a registry write touching the summary rows the import's rows touch too
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '3s'")
            RegistryEntry.objects.filter(pk=target.pk).update(kind=other_kind, terminated_on=TODAY)
    finally:
        release.set()
        thread.join(timeout=60)
    assert RegistryEntry.objects.count() == 80
    assert_summary_is_live()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM agreements_registrystat_pending")
        assert cursor.fetchone()[0] == 0


def _insert_entries_one_in_twenty_ending_this_month(cursor, n: int = 100_000) -> None:
    """``n`` entries of Jalisco in one INSERT, signed 1990-2025, one in twenty ending this month."""
    cursor.execute(
        """
        INSERT INTO agreements_registryentry (registry_number, title, kind, level, signing_office,
            counterpart_name, counterpart_type, counterpart_country, counterpart_subdivision, region, signed_on,
            signed_place, registered_on, expires_on, source, is_demo, created_at, updated_at, state_id,
            search_text, theme_keys, automatic_renewal)
        SELECT 'Y-' || i, 'Acuerdo ' || i, 'technical_cooperation', 'state', 'Gobierno de Jalisco', 'Ciudad',
            'government', 'US', '', 'north_america', signed, '', signed,
            CASE WHEN i %% 20 = 0 THEN %s + (i %% 28) ELSE signed + 3650 + (i %% 4000) END,
            'import', false, now(), now(), '14', 'acuerdo', '[]', false
        FROM generate_series(1, %s) AS i, LATERAL (SELECT date '1990-01-01' + (i * 7919) %% 13000 AS signed) d
        """,
        [TODAY.replace(day=1), n],
    )


def _status_statement_over_years(client) -> str:
    from django.core.cache import cache

    cache.incr(registry_selectors.stats.REGISTRY_VERSION_KEY)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("api:registry-stats"), {"by": "status", "year_min": 2015, "year_max": 2020})
    assert response.status_code == 200
    (statement,) = [q["sql"] for q in captured.captured_queries if "agreements_registryentry" in q["sql"]]
    return statement


@pytest.mark.postgres
@pytest.mark.skipif(not settings.USING_POSTGRES, reason="the plan is PostgreSQL's")
def test_a_status_count_over_years_reads_only_this_months_ends_not_every_entry_of_those_years(client):
    """``?by=status&year_min=2015&year_max=2020`` at 1,000,000 entries: the live count of this month's ends added the
    bitmap of every entry signed in those years (275,000, 28 ms for 294 rows); with the signing date in the expiry
    index the range is checked there. Here 100,000 entries (one INSERT), 5,000 ending this month."""

    from tests.support import explained_plan_nodes

    with connection.cursor() as cursor:
        _insert_entries_one_in_twenty_ending_this_month(cursor)
        cursor.execute("ANALYZE agreements_registryentry")
    nodes = explained_plan_nodes(_status_statement_over_years(client))
    assert not [n for n in nodes if n.get("Index Name") == "registry_signed_idx"], nodes[0]
    read = sum(n.get("Actual Rows", 0) for n in nodes if n.get("Index Name") in ("registry_expires_idx",))
    assert read <= 5_000, read


@pytest.mark.postgres
@pytest.mark.skipif(not settings.USING_POSTGRES, reason="the plan is PostgreSQL's")
def test_this_months_ends_and_terminations_are_counted_from_the_indexes_alone(committed_reference_data, client):
    """The same count reads no entry's row: the expiry index carries the termination date and the termination index
    the end, so a month's ends (0.4 % of the entries: 5,000 heap pages at 1,000,000) are counted from the indexes
    of a vacuumed table. An entry both ending and terminated this month is counted once."""
    from tests.support import explained_plan_nodes

    with connection.cursor() as cursor:
        _insert_entries_one_in_twenty_ending_this_month(cursor, 20_000)
        cursor.execute(
            "UPDATE agreements_registryentry SET terminated_on = %s WHERE registry_number IN ('Y-20', 'Y-21')",
            [TODAY.replace(day=1)],
        )
        cursor.execute("VACUUM (ANALYZE) agreements_registryentry")
    try:
        nodes = explained_plan_nodes(_status_statement_over_years(client))
        entry_scans = [n for n in nodes if n.get("Relation Name") == "agreements_registryentry"]
        assert {n["Node Type"] for n in entry_scans} == {"Index Only Scan"}, entry_scans
        assert {n["Index Name"] for n in entry_scans} == {"registry_expires_idx", "registry_terminated_idx"}
        assert sum(n["Heap Fetches"] for n in entry_scans) == 0
        counted = client.get(reverse("api:registry-stats"), {"by": "status", "year_min": 1990, "year_max": 2025})
        expected = RegistryEntry.objects.count()
        assert sum(row["count"] for row in counted.json()["results"]) == expected
        live = RegistryFilterSet(
            {"year_min": 1990, "year_max": 2025}, queryset=registry_selectors.registered_agreements()
        )
        # The same filter plus one the summary does not know (``pk > 0``): counted live from every entry's row.
        assert {row["key"]: row["count"] for row in counted.json()["results"]} == {
            row["key"]: row["count"]
            for row in registry_selectors.stats.registry_stats(live.qs.filter(pk__gt=0), "status")["results"]
        }
    finally:
        RegistryEntry.objects.filter(registry_number__startswith="Y-").delete()
