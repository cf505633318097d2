"""The public registry: import, search, filters, statistics, projection, exports and access."""

import base64
import csv
import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements import services
from agreements.registry import selectors
from agreements.registry import services as registry_services
from agreements.registry.models import ImportJob, RegistryEntry
from tests.factories import admin_user
from tests.support import assert_queries_constant

pytestmark = pytest.mark.django_db

HEADER = ",".join(registry_services.IMPORT_COLUMNS)
ROWS = [
    "R-001,Acuerdo de Cooperación Técnica en materia ambiental,technical_cooperation,state,14,,Gobierno del Estado de Jalisco,Estado de California,government,US,US-CA,environment;science_technology,1995-06-01,Guadalajara,1995-08-01,",
    "R-002,Hermanamiento Guadalajara–Kraków,twinning,municipal,14,14039,H. Ayuntamiento de Guadalajara,Ciudad de Kraków,government,PL,PL-12,culture;education,2005-03-10,Kraków,2005-05-01,2030-03-10",
    "R-003,Memorándum con el Estado de Texas,memorandum_of_understanding,state,26,,Gobierno del Estado de Sonora,Estado de Texas,government,US,US-TX,trade;investment,2012-09-15,Hermosillo,2012-10-01,2020-09-15",
    "R-004,Carta de intención con ACNUR,letter_of_intent,municipal,07,07089,H. Ayuntamiento de Tapachula,Alto Comisionado de las Naciones Unidas para los Refugiados,international_organization,,,migration;health,2017-05-20,Tapachula,2017-07-01,",
    "R-005,Cooperación universitaria con la Universidad de Salamanca,university_cooperation_framework,state,26,,Universidad de Sonora,Junta de Castilla y León,government,ES,ES-CL,education,2020-02-01,Salamanca,2020-03-01,2026-12-31",
    "R-006,Cooperación técnica con Arizona en seguridad fronteriza,technical_cooperation,state,26,,Gobierno del Estado de Sonora,Estado de Arizona,government,US,US-AZ,security,1999-11-11,Phoenix,2000-01-15,",
]


def csv_bytes(rows=ROWS, header=HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


@pytest.fixture
def corpus():
    report = registry_services.registry_import(content=csv_bytes())
    assert report.ok, [str(e) for e in report.errors]
    return report


# --- import -------------------------------------------------------------------


def test_import_creates_every_row_with_derived_fields(corpus):
    assert (corpus.created, corpus.updated, corpus.unchanged) == (6, 0, 0)
    entry = RegistryEntry.objects.get(registry_number="R-002")
    assert (entry.level, entry.state_id, entry.municipality_id, entry.region) == ("municipal", "14", "14039", "europe")
    assert sorted(entry.themes.values_list("key", flat=True)) == ["culture", "education"]
    assert RegistryEntry.objects.get(registry_number="R-004").region == "global"


def test_reimporting_the_same_file_changes_nothing(corpus):
    before = list(RegistryEntry.objects.order_by("pk").values_list("pk", "updated_at"))
    report = registry_services.registry_import(content=csv_bytes())
    assert (report.created, report.updated, report.unchanged) == (0, 0, 6)
    assert list(RegistryEntry.objects.order_by("pk").values_list("pk", "updated_at")) == before


def test_a_changed_row_is_updated_in_place(corpus):
    changed = [ROWS[0].replace("Guadalajara,1995-08-01", "Zapopan,1995-08-01")] + ROWS[1:]
    report = registry_services.registry_import(content=csv_bytes(changed))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 5)
    assert RegistryEntry.objects.get(registry_number="R-001").signed_place == "Zapopan"


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        (ROWS[0].replace(",14,,", ",99,,"), "state_code", "clave INEGI de entidad"),
        (ROWS[1].replace("14039", "14999"), "municipality_code", "no es una clave INEGI de municipio"),
        (ROWS[1].replace("14,14039", "07,14039"), "municipality_code", "no pertenece a la entidad"),
        (ROWS[0].replace("1995-06-01", "2023-02-30"), "signed_on", "no es una fecha válida"),
        (ROWS[0].replace("technical_cooperation", "alliance"), "kind", "no es un tipo válido"),
        (ROWS[0].replace(",state,", ",federal,"), "level", "nivel válido"),
        (ROWS[0].replace("US,US-CA", "XX,"), "counterpart_country", "ISO 3166-1"),
        (ROWS[0].replace("US-CA", "MX-JAL"), "counterpart_subdivision", "ISO 3166-2"),
        (ROWS[0].replace("environment;", "astrology;"), "themes", "temas desconocidos"),
        (ROWS[0].replace(",14,,", ",14,14039,"), "municipality_code", "no lleva municipio"),
        (ROWS[0].replace("1995-08-01", "1990-01-01"), "registered_on", "anterior a la firma"),
        (ROWS[0].replace("R-001,", ",", 1), "registry_number", "obligatorio"),
        (ROWS[0].replace("R-001,", "RAII/2024/1,", 1), "registry_number", "sin espacios ni diagonales"),
    ],
)
def test_each_error_kind_is_reported_with_line_and_column_and_nothing_is_written(row, column, fragment):
    report = registry_services.registry_import(content=csv_bytes([ROWS[1], ROWS[2], row]))
    assert not report.ok
    errors = [(e.line, e.column) for e in report.errors]
    assert (4, column) in errors, [str(e) for e in report.errors]
    assert any(fragment in str(e.message) for e in report.errors)
    assert RegistryEntry.objects.count() == 0


def test_duplicate_numbers_and_bad_headers():
    report = registry_services.registry_import(content=csv_bytes([ROWS[0], ROWS[0]]))
    assert [(e.line, e.column) for e in report.errors] == [(3, "registry_number")]
    report = registry_services.registry_import(content=csv_bytes(header="registry_number,title"))
    assert report.errors[0].line == 1 and "kind" in report.errors[0].column
    report = registry_services.registry_import(content="registry_number\nRÉ".encode("latin-1"))
    assert "UTF-8" in str(report.errors[0].message)


def test_dry_run_validates_and_writes_nothing():
    report = registry_services.registry_import(content=csv_bytes(), dry_run=True)
    assert report.ok and report.created == 6
    assert RegistryEntry.objects.count() == 0


def test_command_prints_every_error_and_exits_non_zero(tmp_path):
    bad = tmp_path / "malo.csv"
    bad.write_bytes(csv_bytes([ROWS[0].replace(",14,,", ",99,,"), ROWS[1].replace("2005-03-10", "2005-13-10")]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 error"):
        call_command("import_registry", str(bad), stderr=err)
    assert "línea 2, columna state_code" in err.getvalue()
    assert "línea 3, columna signed_on" in err.getvalue()
    assert RegistryEntry.objects.count() == 0


def test_command_imports_and_is_idempotent(tmp_path):
    good = tmp_path / "raii.csv"
    good.write_bytes(csv_bytes())
    out = io.StringIO()
    call_command("import_registry", str(good), "--dry-run", stdout=out)
    assert "simulación" in out.getvalue() and RegistryEntry.objects.count() == 0
    call_command("import_registry", str(good), stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_registry", str(good), stdout=out)
    assert "0 creados, 0 actualizados, 6 sin cambios" in out.getvalue()


def test_administrators_import_from_the_browser_with_progress(client, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(admin_user())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("agreements:registry_import"), {"file": SimpleUploadedFile("raii.csv", csv_bytes()), "dry_run": ""}
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    status = client.get(reverse("agreements:registry_import_detail", args=[job.pk]) + "?json=1").json()
    assert status["status"] == "done" and status["percent"] == 100 and status["created"] == 6
    page = client.get(reverse("agreements:registry_import_detail", args=[job.pk])).content.decode()
    assert '<progress class="meter"' in page


def test_import_page_is_for_administrators_only(client):
    from tests.factories import analyst

    client.force_login(analyst())
    assert client.get(reverse("agreements:registry_import")).status_code == 403


# --- search and filters -----------------------------------------------------------


def _numbers(response):
    return sorted(row["registry_number"] for row in response.json()["results"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("cooperacion tecnica", ["R-001", "R-006"]),
        ("COOPERACIÓN TÉCNICA", ["R-001", "R-006"]),
        ("krakow", ["R-002"]),
        ("refugiados", ["R-004"]),
        ("sonora", ["R-003", "R-005", "R-006"]),
        ("salamanca", ["R-005"]),
    ],
)
def test_search_is_accent_and_case_insensitive(client, corpus, query, expected):
    assert _numbers(client.get("/api/v1/registry/", {"q": query})) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("coope", ["R-001", "R-005", "R-006"]),  # the beginning of a word, as it is being typed
        ("cooperación técn", ["R-001", "R-006"]),
        ("Naciones Unid", ["R-004"]),
        ("hermosill", []),  # the place of signature is not searched
        ("acuerdos", ["R-001"]),  # PostgreSQL: the Spanish stem «acuerd» (SQLite: below)
    ],
)
def test_a_search_finds_words_by_their_beginning(client, corpus, query, expected):
    """What a search box promises: words, accents and case aside, and words as they are being typed. (The trigram
    substring it replaced also matched a word's middle; the year keys cannot, and no one searches that way.)"""
    from django.conf import settings

    if query == "acuerdos" and not settings.USING_POSTGRES:
        expected = []  # SQLite matches substrings of the folded text, without Spanish stems
    assert _numbers(client.get("/api/v1/registry/", {"q": query})) == expected
    html = client.get("/registro/", {"q": query})
    assert sorted(row["number"] for row in html.context["rows"]) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"state": "26"}, ["R-003", "R-005", "R-006"]),
        ({"municipality": "07089"}, ["R-004"]),
        ({"level": "municipal"}, ["R-002", "R-004"]),
        ({"counterpart_type": "international_organization"}, ["R-004"]),
        ({"country": "us"}, ["R-001", "R-003", "R-006"]),
        ({"subdivision": "US-TX"}, ["R-003"]),
        ({"region": "europe"}, ["R-002", "R-005"]),
        ({"theme": ["education", "security"]}, ["R-002", "R-005", "R-006"]),
        ({"kind": "twinning"}, ["R-002"]),
        ({"year_min": "2000", "year_max": "2012"}, ["R-002", "R-003"]),
        ({"in_force": "false"}, ["R-003"]),
        ({"state": "26", "q": "cooperacion"}, ["R-005", "R-006"]),
    ],
)
def test_filters(client, corpus, params, expected):
    assert _numbers(client.get("/api/v1/registry/", params)) == expected


def test_bad_filter_values_are_400_not_500(client, corpus):
    response = client.get("/api/v1/registry/", {"year_min": "dos mil"})
    assert response.status_code == 400 and "year_min" in response.json()["errors"]
    fraction = client.get("/api/v1/registry/", {"year_max": "2020.5"})
    assert fraction.status_code == 400 and "year_max" in fraction.json()["errors"]  # a year is a whole number
    assert client.get("/api/v1/registry/", {"region": "mars"}).status_code == 400
    assert client.get(reverse("agreements:registry_list"), {"year_min": "x"}).status_code == 200


def test_html_list_shows_results_count_and_keyset_pages(client, corpus):
    response = client.get(reverse("agreements:registry_list"), {"q": "cooperacion tecnica"})
    html = response.content.decode()
    assert response.status_code == 200 and "2 acuerdos" in html and "R-006" in html and "R-002" not in html
    first = client.get(reverse("agreements:registry_list"))
    assert first.context["page"].next_cursor is None  # six rows fit on one page


def test_keyset_pagination_walks_every_row_once(corpus):
    from portal.core.keyset import keyset_page

    seen, cursor = [], None
    while True:
        page = keyset_page(
            selectors.registered_agreements(), fields=("signed_on", "id"), kinds=(dt.date, int), size=4, after=cursor
        )
        seen += [e.registry_number for e in page.items]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert sorted(seen) == sorted(f"R-00{i}" for i in range(1, 7))
    assert len(seen) == 6
    back = keyset_page(
        selectors.registered_agreements(), fields=("signed_on", "id"), kinds=(dt.date, int), size=4, before=cursor
    )
    assert [e.registry_number for e in back.items] == seen[:3]  # the rows before the 4th, newest first
    garbage = keyset_page(
        selectors.registered_agreements(),
        fields=("signed_on", "id"),
        kinds=(dt.date, int),
        size=4,
        after="no-es-un-cursor",
    )
    assert len(garbage.items) == 4


# --- statistics and projection -------------------------------------------------


STATS = {
    "state": [("26", 3), ("14", 2), ("07", 1)],
    "level": [("state", 4), ("municipal", 2)],
    "region": [("north_america", 3), ("europe", 2), ("global", 1)],
    "country": [("US", 3), ("ES", 1), ("PL", 1)],
    "subdivision": [("ES-CL", 1), ("PL-12", 1), ("US-AZ", 1), ("US-CA", 1), ("US-TX", 1)],
    "counterpart_type": [("government", 5), ("international_organization", 1)],
    "theme": [
        ("education", 2),
        ("culture", 1),
        ("environment", 1),
        ("health", 1),
        ("investment", 1),
        ("migration", 1),
        ("science_technology", 1),
        ("security", 1),
        ("trade", 1),
    ],
    "kind": [
        ("technical_cooperation", 2),
        ("letter_of_intent", 1),
        ("memorandum_of_understanding", 1),
        ("twinning", 1),
        ("university_cooperation_framework", 1),
    ],
    "year": [("1995", 1), ("1999", 1), ("2005", 1), ("2012", 1), ("2017", 1), ("2020", 1)],
}


@pytest.mark.parametrize("dimension", list(STATS))
def test_stats_for_every_dimension(client, corpus, dimension):
    body = client.get("/api/v1/registry/stats/", {"by": dimension}).json()
    assert body["by"] == dimension and body["total"] == 6
    assert [(r["key"], r["count"]) for r in body["results"]] == STATS[dimension]
    assert all(r["label"] for r in body["results"])


@pytest.mark.parametrize("filters", [{}, {"state": "26"}, {"q": "cooperacion"}, {"theme": "education"}])
def test_all_dimensions_counted_in_one_pass_equal_each_dimension_alone(corpus, filters):
    from agreements.registry.filtersets import RegistryFilterSet

    queryset = RegistryFilterSet(filters, queryset=selectors.registered_agreements()).qs
    together = selectors.registry_stats_many(queryset)
    assert together == {d: selectors.registry_stats(queryset, d) for d in selectors.STAT_DIMENSIONS}
    if not filters:
        assert {d: [(r["key"], r["count"]) for r in together[d]["results"]] for d in STATS} == STATS


def test_theme_counts_follow_the_theme_rows(corpus):
    from django.db.models import Count

    through = RegistryEntry.themes.through
    expected = dict(through.objects.values_list("theme_id").annotate(n=Count("id")))
    counted = selectors.registry_stats(selectors.registered_agreements(), "theme")["results"]
    assert {r["key"]: r["count"] for r in counted} == expected


def test_the_dashboard_counts_every_dimension_in_one_statement_and_then_from_the_cache(client, corpus):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("agreements:registry_stats")
    filters = {"state": "26", "level": "state"}  # not one state alone: counted live (see test_registry_stats_summary)
    with CaptureQueriesContext(connection) as cold:
        assert client.get(url, filters).status_code == 200
    counts = [q["sql"].upper() for q in cold.captured_queries if "COUNT(" in q["sql"].upper()]
    aggregates = [sql for sql in counts if "GROUP BY" in sql]
    assert len(aggregates) == (1 if connection.vendor == "postgresql" else 4)  # GROUPING SETS, or 4 GROUP BYs
    # Besides them, only the matches counted up to the cap (REGISTRY_STATS_LIVE_MAX_ROWS), by their keys.
    assert len(counts) - len(aggregates) == 1 and "LIMIT" in next(sql for sql in counts if "GROUP BY" not in sql)
    with CaptureQueriesContext(connection) as warm:
        assert client.get(url, {**filters, "_": "1"}).status_code == 200  # unknown parameters share the key
    assert not [q for q in warm.captured_queries if "COUNT(" in q["sql"].upper()]
    html = client.get(url).content.decode()
    assert "Sonora" in html


def test_a_registry_change_counts_the_unfiltered_statistics_before_anyone_asks(client, run_on_commit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run_on_commit(registry_services.registry_import, content=csv_bytes())  # bumps the version, then warms the cache
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/registry/stats/", {"by": "country"}).json()
    assert body["total"] == 6 and [(r["key"], r["count"]) for r in body["results"]] == STATS["country"]
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


def test_registry_entries_are_read_only_in_the_admin(rf, corpus):
    from django.contrib import admin

    entry_admin = admin.site._registry[RegistryEntry]
    request = rf.get("/admin/")
    request.user = admin_user()
    assert entry_admin.has_view_permission(request)
    assert not entry_admin.has_change_permission(request, RegistryEntry.objects.first())
    assert not entry_admin.has_add_permission(request) and not entry_admin.has_delete_permission(request)


def test_stats_labels_and_filters(client, corpus):
    body = client.get("/api/v1/registry/stats/", {"by": "region", "state": "26"}).json()
    assert body["total"] == 3
    assert [(r["key"], r["label"], r["count"]) for r in body["results"]] == [
        ("north_america", "América del Norte", 2),
        ("europe", "Europa", 1),
    ]
    states = client.get("/api/v1/registry/stats/", {"by": "state"}).json()["results"]
    assert states[0]["label"] == "Sonora"
    assert client.get("/api/v1/registry/stats/", {"by": "planet"}).status_code == 400


def test_projection_arithmetic():
    result = selectors.projection(base_count=1350, base_year=2025, until=2050, rate=0.20)
    assert [p["count"] for p in result["scenarios"]["base"]] == [1350, 1620, 1944, 2333, 2799, 3359]
    assert [p["count"] for p in result["scenarios"]["best"]] == [1350, 1890, 2538, 3316, 4249, 5368]
    assert [p["count"] for p in result["scenarios"]["worst"]] == [1350] * 6
    assert [p["year"] for p in result["scenarios"]["base"]] == [2025, 2030, 2035, 2040, 2045, 2050]


def test_projection_endpoint_counts_agreements_signed_before_the_base_year(client, corpus):
    body = client.get("/api/v1/registry/projection/", {"base_year": 2015, "until": 2025, "rate": 0.5}).json()
    assert body["base_year"] == 2015 and body["base_count"] == 4
    assert body["scenarios"]["base"] == [
        {"year": 2015, "count": 4},
        {"year": 2020, "count": 6},
        {"year": 2025, "count": 9},
    ]
    assert body["scenarios"]["best"] == [
        {"year": 2015, "count": 4},
        {"year": 2020, "count": 8},
        {"year": 2025, "count": 14},
    ]
    assert client.get("/api/v1/registry/projection/", {"base_year": 2030, "until": 2020}).status_code == 400


def test_stats_dashboard_renders_map_charts_and_tables(client, corpus):
    html = client.get(reverse("agreements:registry_stats")).content.decode()
    assert html.count("<path ") == 32 and "CC BY 4.0" in html
    assert "TLCAN (1994)" in html and "<polyline" in html
    response = client.get(reverse("agreements:registry_stats_csv", args=["state"]), {"level": "state"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows == [["key", "label", "count"], ["26", "Sonora", "3"], ["14", "Jalisco", "1"]]


# --- exports ---------------------------------------------------------------------


def test_csv_export_is_streamed_with_the_current_filters(client, corpus):
    response = client.get(reverse("agreements:registry_export"), {"state": "26", "formato": "csv"})
    assert response.streaming and response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert sorted(r["registry_number"] for r in rows) == ["R-003", "R-005", "R-006"]
    assert {r["registry_number"]: r["themes"] for r in rows}["R-003"] == "investment;trade"
    assert {r["registry_number"]: r["region"] for r in rows}["R-005"] == "europe"


def test_exported_csv_reimports_unchanged(client, corpus):
    response = client.get("/api/v1/registry/export/", {"file_format": "csv"})
    content = b"".join(response.streaming_content)
    report = registry_services.registry_import(content=content)
    assert report.ok and report.unchanged == 6


def test_xlsx_export(client, corpus):
    from openpyxl import load_workbook

    response = client.get(reverse("agreements:registry_export"), {"formato": "xlsx", "region": "europe"})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "registry_number" and sorted(r[0] for r in rows[1:]) == ["R-002", "R-005"]


# --- access -----------------------------------------------------------------------


def test_public_without_login_and_no_internal_data(client, cases, corpus):
    draft = cases.with_documents(title="Borrador interno sin registrar")  # with internal documents
    closed_case = cases.registration_requested()
    services.agreement_register(
        user=cases.cja,
        agreement_id=closed_case.pk,
        registry_number="W-77",
        registered_on=services.today(),
        recommendations_incorporated=True,
    )
    services.agreement_walk_automatic(agreement_id=closed_case.pk, expected_step=12)
    listed = [r["registry_number"] for r in client.get("/api/v1/registry/").json()["results"]]
    assert "W-77" in listed and len(listed) == 7
    assert draft.title not in client.get(reverse("agreements:registry_list")).content.decode()
    page = client.get(reverse("agreements:registry_detail", args=["W-77"])).content.decode()
    document = closed_case.documents.first()
    assert document.sha256 not in page and document.original_name not in page and "descargar" not in page
    detail = client.get("/api/v1/registry/W-77/").json()
    assert "documents" not in detail and "timeline" not in detail
    assert client.get("/api/v1/agreements/").status_code == 401


def test_registry_pages_never_render_all_municipalities(client, corpus):
    for url in (reverse("agreements:registry_list"), reverse("agreements:registry_stats")):
        # The country picker lists about 250 countries by name; the 2,478 municipalities are searched, never listed.
        assert client.get(url).content.decode().count("<option") < 600


def test_municipality_search_api(client):
    body = client.get("/api/v1/municipalities/", {"q": "tapachula"}).json()
    assert [m["inegi_code"] for m in body["results"]] == ["07089"]
    names = [m["name"] for m in client.get("/api/v1/municipalities/", {"q": "cosio", "state": "01"}).json()["results"]]
    assert names == ["Cosío"]


@pytest.mark.parametrize("size", [10, 25, 100])
def test_registry_api_query_count_is_constant_across_page_sizes(client, corpus, django_assert_num_queries, size):
    with django_assert_num_queries(1):  # the page, its entries' amendments in the same statement
        assert client.get("/api/v1/registry/", {"page_size": size}).status_code == 200


def test_registry_api_search_costs_the_same_queries_on_every_page(client, corpus):
    """Page 1 of a search, its cursor pages and a cursor past the last match (an empty page) issue the same
    statements: the amendments are read with the page, not by a prefetch Django skips over an empty page."""

    def queries(url, params=None) -> tuple[int, dict]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, params)
        assert response.status_code == 200
        return len(captured.captured_queries), response.json()

    first, body = queries("/api/v1/registry/", {"q": "cooperacion", "page_size": 1})
    assert first >= 1 and len(body["results"]) == 1
    counts, numbers = [], [body["results"][0]["registry_number"]]
    while body["next"]:
        count, body = queries(body["next"])
        counts.append(count)
        numbers += [row["registry_number"] for row in body["results"]]
    assert sorted(numbers) == ["R-001", "R-005", "R-006"]
    past_the_end = base64.b64encode(b"p=1900-01-01").decode()  # older than every match: no rows
    count, body = queries("/api/v1/registry/", {"q": "cooperacion", "page_size": 1, "cursor": past_the_end})
    assert body["results"] == []
    assert counts + [count] == [first] * (len(counts) + 1)


def test_registry_page_query_count_does_not_grow(client, corpus):
    # The warm-up fills the filter form's per-process cache, which is built on its first use.
    assert_queries_constant(
        lambda: client.get(reverse("agreements:registry_list")),
        lambda: registry_services.registry_import(content=csv_bytes([r.replace("R-00", "S-00") for r in ROWS])),
    )


# --- expiry -----------------------------------------------------------------------


def test_expiry_reminders_go_once_to_the_signing_office(corpus, local, django_capture_on_commit_callbacks):
    from django.core import mail

    entry = RegistryEntry.objects.get(registry_number="R-005")
    entry.institution = local.institution
    entry.expires_on = services.today() + dt.timedelta(days=60)
    entry.save()
    far = RegistryEntry.objects.get(registry_number="R-002")  # ends in 2030: no reminder yet
    far.institution = local.institution
    far.save()

    with django_capture_on_commit_callbacks(execute=True):
        sent = registry_services.registry_expiry_reminders()
    assert sent == 1
    assert local.notifications.filter(subject__contains="R-005").count() == 1
    assert not local.notifications.filter(subject__contains="R-002").exists()
    assert [m.to for m in mail.outbox] == [[local.email]]
    assert "diez días hábiles" in mail.outbox[0].body
    assert registry_services.registry_expiry_reminders() == 0  # sent once


@pytest.mark.parametrize("dimension", list(STATS))
def test_stats_combine_with_the_search_box(client, corpus, dimension):
    body = client.get("/api/v1/registry/stats/", {"by": dimension, "q": "cooperacion tecnica"})
    assert body.status_code == 200
    assert body.json()["total"] == 2
    assert sum(r["count"] for r in body.json()["results"]) >= (2 if dimension != "subdivision" else 1)


def test_stats_dashboard_and_exports_accept_a_search(client, corpus):
    assert client.get(reverse("agreements:registry_stats"), {"q": "cooperacion"}).status_code == 200
    response = client.get(reverse("agreements:registry_stats_csv", args=["theme"]), {"q": "refugiados"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert sorted(r[0] for r in rows[1:]) == ["health", "migration"]


def test_statistics_are_cached_until_the_registry_changes(
    client, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        assert registry_services.registry_import(content=csv_bytes(ROWS[:3])).ok
    assert client.get("/api/v1/registry/stats/", {"by": "level"}).json()["total"] == 3
    with django_assert_num_queries(0):
        assert client.get("/api/v1/registry/stats/", {"by": "level"}).json()["total"] == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert registry_services.registry_import(content=csv_bytes(ROWS)).ok
    assert client.get("/api/v1/registry/stats/", {"by": "level"}).json()["total"] == 6
    assert client.get("/api/v1/registry/stats/", {"by": "level", "state": "26"}).json()["total"] == 3


def test_unknown_parameters_do_not_create_new_statistics(client, corpus, django_assert_num_queries):
    client.get("/api/v1/registry/stats/", {"by": "level", "state": "26"})
    with django_assert_num_queries(0):
        body = client.get("/api/v1/registry/stats/", {"by": "level", "state": "26", "junk": "x1", "q": ""}).json()
    assert body["total"] == 3


def test_cached_filter_form_echoes_each_search_and_shows_errors(client, corpus):
    url = reverse("agreements:registry_list")
    assert 'value="krakow"' in client.get(url, {"q": "krakow"}).content.decode()
    html = client.get(url, {"q": "salamanca"}).content.decode()
    assert 'value="salamanca"' in html and 'value="krakow"' not in html
    html = client.get(url, {"year_min": "x"}).content.decode()
    assert 'role="alert"' in html and 'value="x"' in html
    assert 'href="/registro/acuerdo/R-002/"' in client.get(url).content.decode()


def test_the_statistics_page_counts_in_the_singular_and_the_plural(client, corpus):
    url = reverse("agreements:registry_stats")
    assert "1 acuerdo con los filtros actuales." in client.get(url, {"state": "07"}).content.decode()
    assert "6 acuerdos con los filtros actuales." in client.get(url).content.decode()
    english = client.get(url, {"state": "07"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 agreement with the current filters." in english


def test_expiry_states_around_the_90_day_window():
    window = selectors.expiring_soon(dt.date(2026, 1, 10))
    assert selectors.expiry_state(None, window) == "open_ended"
    assert selectors.expiry_state(dt.date(2026, 1, 9), window) == "expired"
    assert selectors.expiry_state(dt.date(2026, 1, 10), window) == "expiring"
    assert selectors.expiry_state(dt.date(2026, 4, 10), window) == "expiring"  # day 90
    assert selectors.expiry_state(dt.date(2026, 4, 11), window) == "in_force"


def test_the_list_and_the_permanent_page_show_each_entrys_validity(client, corpus):
    from django.utils import timezone

    today = timezone.localdate()
    soon = today + dt.timedelta(days=10)
    RegistryEntry.objects.filter(registry_number="R-001").update(expires_on=soon)
    RegistryEntry.objects.filter(registry_number="R-002").update(expires_on=today - dt.timedelta(days=1))
    RegistryEntry.objects.exclude(registry_number__in=["R-001", "R-002"]).update(expires_on=None)
    html = client.get(reverse("agreements:registry_list")).content.decode()
    assert f'<span class="status status-not_viable">Vence el {soon:%d/%m/%Y}</span>' in html
    assert '<span class="status status-withdrawn">Vencido</span>' in html
    assert html.count("Indefinida") == 4
    detail = client.get(reverse("agreements:registry_detail", args=["R-001"])).content.decode()
    assert "Vence en menos de 90 días" in detail


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("cooperación técn", "'cooperacion' & 'tecn':*"),
        ("salud pública jalisco", "'salud' & 'publica' & 'jalisco':*"),
        ("jalisco -salud", "'jalisco':* & !'salud'"),
        ("-jalisco", ""),  # only an exclusion: the Spanish words decide alone
        ("de la", ""),
        ('"distrito federal" or cdmx', "'distrito' & 'federal' & 'cdmx':*"),
    ],
)
def test_the_word_beginnings_of_a_search(query, expected):
    from agreements.registry.selectors.entries import word_beginnings
    from portal.core.text import fold

    assert word_beginnings(fold(query)) == expected


@pytest.mark.postgres
def test_an_excluded_word_stays_excluded(client, corpus):
    from django.conf import settings

    if not settings.USING_POSTGRES:
        pytest.skip("websearch syntax is PostgreSQL's")
    assert _numbers(client.get("/api/v1/registry/", {"q": "sonora -cooperacion"})) == ["R-003"]
    assert "R-006" not in _numbers(client.get("/api/v1/registry/", {"q": "-sonora"}))


def test_a_search_with_few_matches_looks_for_them_once(client, corpus):
    """The count of a search (up to «más de 100») reads the matches' keys; the page is then read among them by
    primary key, not looked for a second time through the search indexes (a search with a state: 50 ms each at
    1,000,000 entries)."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get("/registro/", {"q": "sonora", "state": "26"})
    assert sorted(row["number"] for row in response.context["rows"]) == ["R-003", "R-005", "R-006"]
    searching = [q["sql"] for q in captured.captured_queries if "sonora" in q["sql"] and "registryentry" in q["sql"]]
    assert len(searching) == 2, searching  # the keys, then the page
    among = re.search(r'"agreements_registryentry"\."id" IN \(([\d, ]+)\)', searching[1])
    expected = RegistryEntry.objects.filter(registry_number__in=["R-003", "R-005", "R-006"]).values_list(
        "pk", flat=True
    )
    assert among and sorted(int(k) for k in among.group(1).split(",")) == sorted(expected), searching[1]


@pytest.mark.postgres
def test_the_word_being_typed_is_looked_up_as_the_words_it_begins(client, corpus):
    """The registry keeps the list of its words (triggers, migration 0009): a beginning is looked up as the words
    it begins, exactly (65 ms → 2 ms for «jalisco» at 1,000,000 entries); past 50 words, as a prefix."""
    from django.conf import settings
    from django.db import connection

    if not settings.USING_POSTGRES:
        pytest.skip("the word list is PostgreSQL's")

    def words(prefix):
        with connection.cursor() as cursor:
            cursor.execute("SELECT word FROM registry_search_word WHERE word LIKE %s ORDER BY word", [prefix + "%"])
            return [row[0] for row in cursor.fetchall()]

    assert words("cooperaci") == ["cooperacion"] and words("refug") == ["refugiados"]
    RegistryEntry.objects.filter(registry_number="R-004").update(
        search_text="carta de intencion con acnur sobre refugios temporales alto comisionado"
    )
    assert words("refug") == ["refugiados", "refugios"]  # an update adds its words
    assert _numbers(client.get("/api/v1/registry/", {"q": "refugi"})) == ["R-004"]
    assert _numbers(client.get("/api/v1/registry/", {"q": "cooperación técn"})) == ["R-001", "R-006"]

    # More words than the list looks up: the beginning stays a prefix, and still finds them all.
    RegistryEntry.objects.filter(registry_number="R-002").update(
        search_text=" ".join(f"zeta{i:03d}" for i in range(60)) + " hermanamiento guadalajara"
    )
    assert len(words("zeta")) == 60
    assert _numbers(client.get("/api/v1/registry/", {"q": "zeta"})) == ["R-002"]
