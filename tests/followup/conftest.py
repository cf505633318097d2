import datetime as dt
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from agreements.followup import services
from tests.factories import RegistryEntryFactory

TODAY = timezone.localdate()


def make_entry(number, *, institution, signed_on=None, state_id="14", municipality_id=None, **extra):
    signed_on = signed_on or TODAY - dt.timedelta(days=500)
    return RegistryEntryFactory(
        registry_number=number,
        level="municipal" if municipality_id else "state",
        state_id=state_id,
        municipality_id=municipality_id,
        source="workflow",
        signed_on=signed_on,
        registered_on=extra.pop("registered_on", signed_on),
        expires_on=extra.pop("expires_on", None),
        institution=institution,
        **extra,
    )


@pytest.fixture
def entry(office):
    return make_entry("SEG-0001", institution=office)


def plan_for(entry, user, *, starts_on=None, months=24):
    starts_on = starts_on or entry.registered_on
    return services.work_plan_create(
        user=user,
        entry_id=entry.pk,
        starts_on=starts_on,
        ends_on=starts_on + relativedelta(months=months) - dt.timedelta(days=1),
        objectives="Formación docente.",
    )


def activity_for(plan, user, *, starts_on, ends_on, budget=Decimal("1000.00"), name="Taller"):
    return services.activity_add(
        user=user,
        plan_id=plan.pk,
        name=name,
        responsible_name="Laura Gómez",
        starts_on=starts_on,
        ends_on=ends_on,
        budget=budget,
    )
