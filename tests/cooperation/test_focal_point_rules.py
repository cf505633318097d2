"""Issue 12: a focal point's rules are ``FocalPoint``'s (field messages, the institutional address, ``clean()``);
``full_clean`` says what the service says, under the same keys, and nothing is written when they refuse."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cooperation import services
from cooperation.models import FocalPoint
from portal.core.exceptions import ValidationFailed
from portal.geography.government import get_government
from tests.factories import FocalPointFactory, InstitutionFactory, local_official

pytestmark = pytest.mark.django_db

DATA = {
    "name": "Ana Ruiz",
    "position": "Directora de Asuntos Internacionales",
    "email": "ana.ruiz@jalisco.gob.mx",
    "designated_on": dt.date(2025, 1, 10),
}
FIELDS = ["name", "position", "area", "email", "phone", "designated_on", "term_ends_on"]
FUTURE = timezone.localdate() + dt.timedelta(days=3)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"name": "  "}, {"name": "Escriba el nombre."}),
        ({"position": ""}, {"position": "Escriba el cargo."}),
        ({"email": ""}, {"email": "Escriba el correo institucional."}),
        ({"email": "Ana@GMAIL.com"}, {"email": "Use un correo institucional, no uno personal."}),
        ({"designated_on": None}, {"designated_on": "Indique la fecha de designación."}),
        ({"designated_on": FUTURE}, {"designated_on": "La fecha de designación no puede estar en el futuro."}),
        (
            {"term_ends_on": dt.date(2024, 12, 31)},
            {"term_ends_on": "El fin del encargo no puede ser anterior a la designación."},
        ),
        (
            {"name": "", "email": "ana@hotmail.com", "designated_on": None},
            {
                "name": "Escriba el nombre.",
                "email": "Use un correo institucional, no uno personal.",
                "designated_on": "Indique la fecha de designación.",
            },
        ),
    ],
)
def test_a_focal_point_is_refused_with_the_models_words(overrides, expected):
    current = FocalPointFactory(state_id="14")
    values = {**DATA, **overrides}
    point = FocalPoint(
        state_id="14", **{k: (v.strip().lower() if isinstance(v, str) else v) for k, v in values.items()}
    )
    with pytest.raises(ValidationError) as model:
        point.full_clean(exclude=[f.name for f in FocalPoint._meta.fields if f.name not in FIELDS])
    staff = local_official(InstitutionFactory(state_id="14"))
    with pytest.raises(ValidationFailed) as refused:
        services.focal_point_assign(user=staff, government=get_government("estado", "14"), data=values)
    assert refused.value.field_errors == {k: [str(m) for m in v] for k, v in model.value.message_dict.items()}
    assert refused.value.field_errors == {field: [message] for field, message in expected.items()}
    assert refused.value.message == next(iter(expected.values()))
    assert list(FocalPoint.objects.all()) == [current]
    current.refresh_from_db()
    assert current.is_current and current.ended_on is None
