"""The registry's one column spec: the export's bytes are pinned, and the import, the list and publishing read it."""

import csv
import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from openpyxl import load_workbook

from agreements.registry import columns, exports, services
from agreements.registry.models import RegistryEntry
from agreements.registry.selectors import registry_list_values
from agreements.registry.selectors.entries import entry_status_expression
from tests.registry.test_registry import csv_bytes

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 6, 1)  # the day the pinned statuses are read on

PINNED_HEADER = (
    "registry_number,title,kind,level,state_code,municipality_code,signing_office,counterpart_name,counterpart_type,"
    "counterpart_country,counterpart_subdivision,themes,signed_on,signed_place,registered_on,expires_on,region,"
    "terminated_on,status,amendments,last_amendment"
)
PINNED_ROWS = [
    "R-005,Cooperación universitaria con la Universidad de Salamanca,university_cooperation_framework,state,26,,"
    "Universidad de Sonora,Junta de Castilla y León,government,ES,ES-CL,education,2020-02-01,Salamanca,2020-03-01,"
    "2026-12-31,europe,,in_force,0,",
    "R-004,Carta de intención con ACNUR,letter_of_intent,municipal,07,07089,H. Ayuntamiento de Tapachula,"
    "Alto Comisionado de las Naciones Unidas para los Refugiados,international_organization,,,health;migration,"
    "2017-05-20,Tapachula,2017-07-01,,global,,in_force,0,",
    "R-003,Memorándum con el Estado de Texas,memorandum_of_understanding,state,26,,Gobierno del Estado de Sonora,"
    "Estado de Texas,government,US,US-TX,investment;trade,2012-09-15,Hermosillo,2012-10-01,2020-09-15,"
    "north_america,,expired,0,",
    "R-002,Hermanamiento Guadalajara–Kraków,twinning,municipal,14,14039,H. Ayuntamiento de Guadalajara,"
    "Ciudad de Kraków,government,PL,PL-12,culture;education,2005-03-10,Kraków,2005-05-01,2030-03-10,europe,,"
    "in_force,0,",
    "R-006,Cooperación técnica con Arizona en seguridad fronteriza,technical_cooperation,state,26,,"
    "Gobierno del Estado de Sonora,Estado de Arizona,government,US,US-AZ,security,1999-11-11,Phoenix,2000-01-15,,"
    "north_america,,in_force,0,",
    "R-001,Acuerdo de Cooperación Técnica en materia ambiental,technical_cooperation,state,14,,"
    "Gobierno del Estado de Jalisco,Estado de California,government,US,US-CA,environment;science_technology,"
    "1995-06-01,Guadalajara,1995-08-01,,north_america,2001-02-03,terminated,0,",
]


@pytest.fixture
def pinned():
    assert services.registry_import(content=csv_bytes()).ok
    RegistryEntry.objects.filter(registry_number="R-001").update(terminated_on=dt.date(2001, 2, 3))
    return RegistryEntry.objects.select_related("state", "municipality").annotate(status=entry_status_expression(ON))


def test_the_csv_export_is_byte_for_byte_the_pinned_file(pinned):
    handle = io.BytesIO()
    exports.write_csv(handle, pinned)
    expected = "\ufeff" + "".join(f"{line}\r\n" for line in [PINNED_HEADER, *PINNED_ROWS])
    assert handle.getvalue() == expected.encode("utf-8")


def test_the_xlsx_export_holds_the_pinned_cells(pinned):
    handle = io.BytesIO()
    exports.write_xlsx(handle, pinned)
    rows = list(load_workbook(io.BytesIO(handle.getvalue()), read_only=True).active.iter_rows(values_only=True))
    assert ",".join(rows[0]) == PINNED_HEADER
    assert [",".join("" if v is None else str(v) for v in row) for row in rows[1:]] == PINNED_ROWS


def xlsx_rows(queryset) -> list[tuple]:
    handle = io.BytesIO()
    exports.write_xlsx(handle, queryset)
    workbook = load_workbook(io.BytesIO(handle.getvalue()))  # the full loader: it reads the cells' types
    assert workbook.sheetnames == ["registro"]
    return list(workbook.active.iter_rows(values_only=True))


def test_the_xlsx_export_holds_the_csv_rows_with_numbers_as_numbers(pinned):
    handle = io.BytesIO()
    exports.write_csv(handle, pinned)
    csv_rows = list(csv.reader(io.StringIO(handle.getvalue().decode("utf-8-sig"))))
    rows = xlsx_rows(pinned)
    assert [["" if v is None else str(v) for v in row] for row in rows] == csv_rows
    amendments = columns.EXPORT_COLUMNS.index("amendments")
    assert {type(row[amendments]) for row in rows[1:]} == {int}
    signed_on = columns.EXPORT_COLUMNS.index("signed_on")
    assert {type(row[signed_on]) for row in rows[1:]} == {str}  # the CSV's ISO text, as before


def test_the_xlsx_export_never_fails_on_a_title_and_never_makes_it_a_formula(pinned):
    """openpyxl refused control characters (the whole job failed) and wrote a leading "=" as a formula."""
    RegistryEntry.objects.filter(registry_number="R-001").update(title='=HYPERLINK("http://x.test","ver")')
    RegistryEntry.objects.filter(registry_number="R-002").update(title="Hermanamiento\x0bGuadalajara & Kraków <1>")
    titles = {row[0]: row[1] for row in xlsx_rows(pinned)[1:]}
    assert titles["R-001"] == '=HYPERLINK("http://x.test","ver")'
    assert titles["R-002"] == "Hermanamiento_x000B_Guadalajara & Kraków <1>"  # Excel's escape, read back by Excel


@pytest.mark.postgres
@pytest.mark.skipif(not settings.USING_POSTGRES, reason="COPY is PostgreSQL's")
def test_copy_of_export_values_gives_the_rows_the_export_writes(pinned):
    """The bench's anchor wraps ``export_values`` in ``COPY ... TO STDOUT``: the same statement, the same rows."""
    sql, params = exports.export_values(pinned).query.sql_with_params()
    copied = io.BytesIO()
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy:
        for data in copy:
            copied.write(bytes(data))
    rows = list(csv.reader(io.StringIO(copied.getvalue().decode())))
    assert [",".join(row) for row in rows] == PINNED_ROWS


def test_the_themes_cell_joins_the_keys_in_order_and_is_empty_without_themes(pinned):
    RegistryEntry.objects.filter(registry_number="R-006").update(theme_keys=[])
    cells = {
        row[0]: row[columns.EXPORT_COLUMNS.index("themes")]
        for row in exports.export_values(pinned.filter(registry_number__in=["R-001", "R-006"]))
    }
    assert cells == {"R-001": "environment;science_technology", "R-006": ""}


def test_the_export_writes_the_import_columns_first_then_what_they_derive():
    assert columns.EXPORT_COLUMNS[: len(columns.IMPORT_COLUMNS)] == columns.IMPORT_COLUMNS
    assert ",".join(columns.EXPORT_COLUMNS) == PINNED_HEADER
    assert len(columns.EXPORT_LOOKUPS) == len(columns.EXPORT_COLUMNS)


def test_publishing_copies_every_published_field_of_the_case(cases):
    case = cases.closed("RAII-2026-0042")
    entry = RegistryEntry.objects.get(registry_number="RAII-2026-0042")
    case_fields = {f.name for f in case._meta.concrete_fields}
    copied = [name for name in columns.PUBLISHED_FIELDS if name in case_fields]
    assert {"title", "counterpart_country", "signed_on", "signed_place", "registered_on"} <= set(copied)
    assert {name: getattr(entry, name) for name in copied} == {name: getattr(case, name) for name in copied}
    assert sorted(entry.themes.values_list("key", flat=True)) == ["culture", "education"]
    assert entry.theme_keys == ["culture", "education"]
    assert (entry.signing_office, entry.state_id) == (case.institution.name, case.institution.state_id)


def test_publishing_again_under_the_same_number_updates_the_entry(cases):
    case = cases.closed("RAII-2026-0043")
    entry = RegistryEntry.objects.get(registry_number="RAII-2026-0043")
    RegistryEntry.objects.filter(pk=entry.pk).update(terminated_on=dt.date(2030, 1, 1))
    published = {name: getattr(case, name, None) for name in columns.PUBLISHED_FIELDS}
    published.update(title="Título corregido", themes=["trade"], expires_on=None)
    services.registry_publish(
        agreement_id=case.pk, case_kind="original", amends_entry_id=None, institution=case.institution, **published
    )
    again = RegistryEntry.objects.get(registry_number="RAII-2026-0043")
    assert again.pk == entry.pk and again.title == "Título corregido"
    assert again.terminated_on == dt.date(2030, 1, 1)  # not a published field: kept
    assert list(again.themes.values_list("key", flat=True)) == ["trade"] == again.theme_keys


@pytest.mark.parametrize(("drop", "add"), [("signed_place", None), (None, "region")])
def test_publishing_refuses_fields_the_spec_does_not_publish_or_a_missing_one(drop, add):
    published = {name: None for name in columns.PUBLISHED_FIELDS if name != drop}
    if add:
        published[add] = "europe"
    with pytest.raises(TypeError, match=drop or add):
        services.registry_publish(
            agreement_id=1, case_kind="original", amends_entry_id=None, institution=None, **published
        )
    assert not RegistryEntry.objects.exists()


def test_the_list_reads_the_listed_columns(pinned):
    row = registry_list_values(pinned.filter(registry_number="R-002")).get()
    assert set(row) == set(columns.LIST_LOOKUPS)
    assert (row["state__short_name"], row["municipality__name"], row["status"]) == (
        "Jalisco",
        "Guadalajara",
        "in_force",
    )


def test_an_import_cell_is_parsed_by_its_column():
    by_name = {c.name: c for c in columns.IMPORTED}
    assert by_name["themes"].parse("trade; investment;trade") == ["investment", "trade"]
    assert by_name["themes"].parse("") == []
    assert by_name["counterpart_country"].parse("us") == "US"
    assert by_name["expires_on"].parse("") is None and by_name["municipality_code"].parse("") is None
    with pytest.raises(ValidationError, match="no es una fecha válida"):
        by_name["signed_on"].parse("2023-02-30")
