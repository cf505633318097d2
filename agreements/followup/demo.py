"""Demo follow-up: one agreement of the Jalisco demo office registered about fourteen months ago, with a work plan
(three activities, three indicators) and its two six-monthly reports, recorded through the real services.
Loaded once: a second load finds the plan and changes nothing."""

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from agreements.models import Theme
from agreements.registry.models import RegistryEntry
from portal.core.pdf import demo_pdf
from portal.core.text import fold
from portal.institutions.models import User

from . import services
from .models import WorkPlan

REGISTRY_NUMBER = "DEMO-SEG-001"
TITLE = "Programa de cooperación técnica en formación docente con la Región de Valonia (demo)"


@transaction.atomic
def load() -> dict:
    if WorkPlan.objects.filter(entry__registry_number=REGISTRY_NUMBER).exists():
        return {"followup_plans": 0}
    office = User.objects.filter(email="enlace.jalisco@demo.mx").select_related("institution").first()
    if office is None or office.institution is None:
        return {"followup_plans": 0}
    today = timezone.localdate()
    signed_on = today - dt.timedelta(days=420)
    registered_on = signed_on + dt.timedelta(days=20)
    entry, _created = RegistryEntry.objects.get_or_create(
        registry_number=REGISTRY_NUMBER,
        defaults={
            "title": TITLE,
            "kind": "technical_cooperation",
            "level": "state",
            "state_id": office.institution.state_id,
            "signing_office": office.institution.name,
            "counterpart_name": "Gobierno de la Región de Valonia",
            "counterpart_type": "government",
            "counterpart_country": "BE",
            "region": "europe",
            "signed_on": signed_on,
            "signed_place": "Guadalajara, Jalisco",
            "registered_on": registered_on,
            "expires_on": signed_on + relativedelta(years=4),
            "institution": office.institution,
            "source": "workflow",
            "search_text": fold(f"{TITLE} Gobierno de la Región de Valonia {office.institution.name}"),
            "theme_keys": "education",
            "is_demo": True,
        },
    )
    entry.themes.set([Theme.objects.get(key="education")])
    start = registered_on
    plan = services.work_plan_create(
        user=office,
        entry_id=entry.pk,
        starts_on=start,
        ends_on=start + relativedelta(years=2) - dt.timedelta(days=1),
        objectives="Formar a docentes de educación básica en enseñanza de lenguas y ciencias con apoyo de Valonia.",
    )
    WorkPlan.objects.filter(pk=plan.pk).update(is_demo=True)
    workshop = services.activity_add(
        user=office,
        plan_id=plan.pk,
        name="Taller de enseñanza de ciencias para 40 docentes",
        responsible_name="Laura Gómez",
        responsible_email="enlace.jalisco@demo.mx",
        starts_on=start,
        ends_on=start + relativedelta(months=5),
        budget=Decimal("180000.00"),
    )
    exchange = services.activity_add(
        user=office,
        plan_id=plan.pk,
        name="Intercambio de diez docentes con escuelas de Lieja",
        responsible_name="Jorge Ramírez",
        starts_on=start + relativedelta(months=4),
        ends_on=start + relativedelta(months=10),
        budget=Decimal("650000.00"),
    )
    platform = services.activity_add(
        user=office,
        plan_id=plan.pk,
        name="Plataforma de materiales didácticos bilingües",
        responsible_name="Laura Gómez",
        starts_on=start + relativedelta(months=6),
        ends_on=start + relativedelta(years=2) - dt.timedelta(days=2),
        budget=Decimal("250000.00"),
    )
    projects = services.indicator_add(user=office, plan_id=plan.pk, kind="projects_executed", target=Decimal(3))
    scholarships = services.indicator_add(user=office, plan_id=plan.pk, kind="scholarships", target=Decimal(10))
    teachers = services.indicator_add(
        user=office, plan_id=plan.pk, kind="custom", name="Docentes capacitados", unit="docentes", target=Decimal(120)
    )
    first_end = start + relativedelta(months=6) - dt.timedelta(days=1)
    services.report_file(
        user=office,
        plan_id=plan.pk,
        period_start=start,
        period_end=first_end,
        summary="Se impartió el taller de ciencias a 42 docentes y se seleccionó a los participantes del intercambio.",
        progress={workshop.pk: {"percent": 100}, exchange.pk: {"percent": 30, "note": "Convocatoria cerrada."}},
        values={projects.pk: 1, scholarships.pk: 0, teachers.pk: 42},
        evidence=[
            demo_pdf("Lista de asistencia del taller de ensenanza de ciencias (demo).", name="evidencia-demo.pdf")
        ],
        today=today,
    )
    services.report_file(
        user=office,
        plan_id=plan.pk,
        period_start=first_end + dt.timedelta(days=1),
        period_end=start + relativedelta(months=12) - dt.timedelta(days=1),
        summary="Diez docentes completaron el intercambio en Lieja; la plataforma de materiales está en desarrollo.",
        progress={
            workshop.pk: {"percent": 100},
            exchange.pk: {"percent": 100},
            platform.pk: {"percent": 40, "note": "Primer módulo publicado."},
        },
        values={projects.pk: 2, scholarships.pk: 10, teachers.pk: 65},
        today=today,
    )
    return {"followup_plans": 1}
