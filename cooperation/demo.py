"""Demo focal points and administrations (marked is_demo): one government up to date, one pending."""

import datetime as dt

from django.utils import timezone

from portal.institutions.models import Institution

from .models import FocalPoint, GovernmentTerm


def load() -> dict:
    if FocalPoint.objects.filter(is_demo=True).exists():
        return {"focal_points": 0}
    today = timezone.localdate()
    jalisco = Institution.objects.filter(acronym="CAI Jalisco").first()
    tapachula = Institution.objects.filter(municipality_id="07089", acronym="DMPI Tapachula").first()
    GovernmentTerm.objects.create(state_id="14", started_on=today - dt.timedelta(days=120), is_demo=True)
    GovernmentTerm.objects.create(municipality_id="07089", started_on=today - dt.timedelta(days=400), is_demo=True)
    # Jalisco's focal point was confirmed under the previous administration: it shows as pending.
    FocalPoint.objects.create(
        state_id="14",
        institution=jalisco,
        name="Laura Gómez (demo)",
        position="Coordinadora de Asuntos Internacionales",
        area="Coordinación de Asuntos Internacionales",
        email="enlace.jalisco@demo.mx",
        phone="33 0000 0000",
        designated_on=today - dt.timedelta(days=700),
        confirmed_at=timezone.now() - dt.timedelta(days=300),
        is_demo=True,
    )
    FocalPoint.objects.create(
        municipality_id="07089",
        institution=tapachula,
        name="Mario Pérez (demo)",
        position="Director de Migración y Política Internacional",
        email="enlace.tapachula@demo.mx",
        designated_on=today - dt.timedelta(days=300),
        confirmed_at=timezone.now(),
        is_demo=True,
    )
    return {"focal_points": 2, "terms": 2}
