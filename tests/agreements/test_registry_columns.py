"""The registry's one column spec: the export's bytes are pinned, and the import, the list and publishing read it."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from agreements.registry import exports, services
from agreements.registry.models import RegistryEntry
from agreements.registry.selectors.entries import entry_status_expression
from tests.agreements.test_registry import csv_bytes

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
