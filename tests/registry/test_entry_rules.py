"""A registry entry's rules live in the model (``RegistryEntry.clean()`` and its field validators): the RAII import
applies the same rules, reports them in the same words (by line and column) and stays at a constant number of
queries however many rows it checks."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from agreements.registry import services
from agreements.registry.columns import IMPORT_COLUMNS, IMPORTED
from agreements.registry.models import RegistryEntry
from portal.core.exceptions import ValidationFailed
from tests import documents
from tests.factories import InstitutionFactory, local_official
from tests.support import assert_queries_constant

pytestmark = pytest.mark.django_db

# One valid row of the import, by column.
ROW = {
    "registry_number": "R-100",
    "title": "Hermanamiento Guadalajara–Kraków",
    "kind": "twinning",
    "level": "municipal",
    "state_code": "14",
    "municipality_code": "14039",
    "signing_office": "H. Ayuntamiento de Guadalajara",
    "counterpart_name": "Ciudad de Kraków",
    "counterpart_type": "government",
    "counterpart_country": "PL",
    "counterpart_subdivision": "PL-12",
    "themes": "culture;education",
    "signed_on": "2005-03-10",
    "signed_place": "Kraków",
    "registered_on": "2005-05-01",
    "expires_on": "2030-03-10",
}


def csv_bytes(rows: list[dict]) -> bytes:
    lines = [",".join(IMPORT_COLUMNS), *(",".join(row[name] for name in IMPORT_COLUMNS) for row in rows)]
    return ("\n".join(lines) + "\n").encode()


def entry_of(row: dict) -> RegistryEntry:
    """The entry the row describes, as a form or a service would build it: each cell parsed by its column, or
    as written where the column refuses it (the model's field validators judge it)."""
    values = {}
    for column in IMPORTED:
        try:
            values[column.lookup] = column.parse(row[column.name])
        except ValidationError:
            values[column.lookup] = row[column.name]
    return RegistryEntry(source="import", region="europe", **values)


def model_errors(row: dict) -> dict[str, list[str]]:
    try:
        entry_of(row).full_clean()
    except ValidationError as exc:
        return exc.message_dict
    return {}


def import_errors(row: dict) -> dict[str, list[str]]:
    report = services.registry_import(content=csv_bytes([row]))
    found: dict[str, list[str]] = {}
    for error in report.errors:
        assert error.line == 2
        found.setdefault(error.column, []).append(str(error.message))
    return found


def test_a_valid_row_passes_both():
    assert model_errors(ROW) == {}
    assert import_errors(ROW) == {}


@pytest.mark.parametrize(
    ("change", "field", "column", "fragment"),
    [
        ({"municipality_code": ""}, "municipality", "municipality_code", "requiere la clave INEGI"),
        ({"state_code": "07"}, "municipality", "municipality_code", "no pertenece a la entidad 07"),
        ({"level": "state"}, "municipality", "municipality_code", "no lleva municipio"),
        ({"counterpart_country": "", "counterpart_subdivision": ""}, "counterpart_country", "counterpart_country",
         "país del gobierno extranjero"),
        ({"counterpart_subdivision": "US-CA"}, "counterpart_subdivision", "counterpart_subdivision", "ISO 3166-2"),
        ({"registered_on": "2005-03-09"}, "registered_on", "registered_on", "anterior a la firma"),
        ({"expires_on": "2005-03-09"}, "expires_on", "expires_on", "antes de la firma"),
        ({"counterpart_country": "XX", "counterpart_subdivision": ""}, "counterpart_country", "counterpart_country",
         "ISO 3166-1"),
        ({"registry_number": "RAII/2005/1"}, "registry_number", "registry_number", "sin espacios ni diagonales"),
    ],
)  # fmt: skip
def test_a_rule_broken_in_the_import_and_in_the_model_gives_the_same_message(change, field, column, fragment):
    row = {**ROW, **change}
    from_model, from_import = model_errors(row), import_errors(row)
    assert from_import == {column: from_model[field]}
    assert fragment in from_model[field][0]
    assert not RegistryEntry.objects.exists()


def test_the_shared_messages_are_translated():
    with translation.override("en"):
        assert model_errors({**ROW, "level": "state"})["municipality"] == ["A state agreement has no municipality."]
        assert import_errors({**ROW, "expires_on": "2005-01-01"})["expires_on"] == [
            "The validity period cannot end before the signing date."
        ]


def test_an_entry_ends_after_it_was_signed_in_the_model_as_in_a_termination_notice():
    """The office's notice of a termination is refused with the words the entry's own rule uses."""
    office = InstitutionFactory(state_id="14")
    saved = entry_of(ROW)
    saved.institution = office
    saved.save()
    with pytest.raises(ValidationFailed) as notice:
        services.termination_request(
            user=local_official(institution=office),
            entry=saved,
            terminated_on=dt.date(2005, 3, 9),
            reason="Acuerdo de las partes.",
            notice_letter=documents.pdf_upload(),
        )
    saved.terminated_on = dt.date(2005, 3, 9)
    with pytest.raises(ValidationError) as model:
        saved.full_clean()
    expected = ["La terminación no puede ser anterior a la firma (10/03/2005)."]
    assert model.value.message_dict == {"terminated_on": expected}
    assert notice.value.field_errors["terminated_on"] == expected


def _rows(count: int, **change) -> list[dict]:
    return [{**ROW, **change, "registry_number": f"R-{n:04d}"} for n in range(count)]


def test_checking_the_rules_costs_no_query_per_row():
    """Every row breaks a rule between its columns (a municipality of another state): the import checks them
    against the geography it loaded once and writes nothing."""
    rows = _rows(10, state_code="07")

    def fetch():
        report = services.registry_import(content=csv_bytes(rows))
        assert len(report.errors) == len(rows)

    assert_queries_constant(fetch, lambda: rows.extend(_rows(50, state_code="07")[10:]))


def test_an_import_of_50_rows_costs_what_one_of_10_costs():
    """Rows already in the registry, unchanged: each is checked by the model's rules and compared, in the same
    statements for 10 rows as for 50 (new rows add INSERT batches only where the database limits parameters)."""
    rows = _rows(50)
    assert services.registry_import(content=csv_bytes(rows)).ok
    shown = rows[:10]

    def fetch():
        report = services.registry_import(content=csv_bytes(shown))
        assert report.ok and report.unchanged == len(shown)

    assert_queries_constant(fetch, lambda: shown.extend(rows[10:]))
