"""Issue 12: a migrant office's rules are ``MigrantOffice``'s (field messages and validators); ``full_clean`` says
what the service says, and nothing is written when they refuse."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from migrants import services
from migrants.models import MigrantOffice
from portal.core.exceptions import ValidationFailed
from tests.factories import local_official

pytestmark = pytest.mark.django_db

YEAR = "El año de creación debe estar entre 1900 y el año en curso."


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"institutional_form": "consulado"}, {"institutional_form": ["Forma institucional desconocida."]}),
        ({"creation_year": 1492}, {"creation_year": [YEAR]}),
        ({"creation_year": timezone.localdate().year + 1}, {"creation_year": [YEAR]}),
        (
            {"institutional_form": "otra", "creation_year": 1800},
            {"institutional_form": ["Forma institucional desconocida."], "creation_year": [YEAR]},
        ),
    ],
)
def test_an_office_is_refused_with_the_models_words(data, expected):
    office = MigrantOffice.objects.get(institution__municipality_id="07089")
    before = (office.institutional_form, office.creation_year, office.confirmed_at)
    row = MigrantOffice.objects.get(pk=office.pk)
    for field, value in data.items():
        setattr(row, field, value)
    with pytest.raises(ValidationError) as model:
        row.full_clean(exclude=["institution"])
    with pytest.raises(ValidationFailed) as refused:
        services.migrant_office_update(user=local_official(office.institution), office_id=office.pk, data=data)
    assert {k: [str(m) for m in v] for k, v in model.value.message_dict.items()} == expected
    assert refused.value.field_errors == expected
    assert refused.value.message == next(iter(expected.values()))[0]
    office.refresh_from_db()
    assert (office.institutional_form, office.creation_year, office.confirmed_at) == before


def test_this_years_office_is_accepted():
    office = MigrantOffice.objects.get(institution__municipality_id="07089")
    year = timezone.localdate().year
    services.migrant_office_update(
        user=local_official(office.institution), office_id=office.pk, data={"creation_year": year}
    )
    office.refresh_from_db()
    assert office.creation_year == year
