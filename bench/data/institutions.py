"""The generated offices (state and municipal) and their local officials."""

from __future__ import annotations

import datetime as dt
import math
import random

from .tables import Table, next_id, reset_sequence
from .vocabulary import BENCH_EMAIL, FIRST_NAMES, LAST_NAMES

__all__ = ["write_institutions"]


def _weighted_sample(rng: random.Random, items: list, weights: list[float], k: int) -> list:
    """``k`` distinct items, probability proportional to weight (Efraimidis-Spirakis keys)."""
    keyed = sorted(((rng.random() ** (1.0 / w), i) for i, w in enumerate(weights)), reverse=True)
    return [items[i] for _key, i in keyed[:k]]


def write_institutions(*, rng: random.Random, n: int, now: dt.datetime) -> dict:
    """``n`` offices (one per state, the rest on municipalities sampled by population) with 1-3 local officials
    each in the "Enlace local" group (unusable passwords); returns them with the demo reviewers' ids."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import connection, transaction

    from portal.geography.models import Municipality, State
    from portal.institutions.choices import Role
    from portal.institutions.models import Institution, User
    from portal.institutions.roles import GROUP_NAMES

    states = list(State.objects.order_by("code"))
    municipalities = list(Municipality.objects.select_related("state").order_by("inegi_code"))
    n_municipal = max(0, min(n - len(states), len(municipalities)))
    chosen = _weighted_sample(
        rng, municipalities, [math.sqrt(max(m.population_2020, 1000)) for m in municipalities], n_municipal
    )
    chosen.sort(key=lambda m: m.inegi_code)
    unusable = make_password(None)  # one hash for all: these accounts never sign in with a password
    local_group = Group.objects.get(name=GROUP_NAMES[Role.LOCAL])

    with transaction.atomic(), connection.cursor() as cursor:
        institution_table = Table(
            Institution, ["id", "name", "acronym", "level", "state_id", "municipality_id", "email", "is_demo"]
        )
        user_table = Table(
            User,
            [
                "id",
                "password",
                "is_superuser",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
                "institution_id",
                "position",
                "is_demo",
            ],
        )
        group_table = Table(User.groups.through, ["id", "user_id", "group_id"])
        next_institution = next_id(cursor, Institution._meta.db_table)
        next_user = next_id(cursor, User._meta.db_table)
        next_member = next_id(cursor, User.groups.through._meta.db_table)
        institutions: list[dict] = []
        rows = [("state", s, None) for s in states] + [("municipal", m.state, m) for m in chosen]
        for level, state, municipality in rows:
            if level == "state":
                name = f"Coordinación de Asuntos Internacionales del Estado de {state.short_name} (bench)"
                place, short = state.short_name, f"el Estado de {state.short_name}"
                acronym = f"CAI {state.iso_code[3:]}"
                weight = 40.0
            else:
                name = (
                    f"Dirección de Relaciones Internacionales de {municipality.name}, "
                    f"{state.short_name} ({municipality.inegi_code}, bench)"
                )
                place, short = f"{municipality.name}, {state.short_name}", f"el Municipio de {municipality.name}"
                acronym = f"DRI {municipality.inegi_code}"
                weight = 0.5 + math.sqrt(max(municipality.population_2020, 1000)) / 200
            pk = next_institution
            next_institution += 1
            institution_table.add(
                (
                    pk,
                    name[:250],
                    acronym,
                    level,
                    state.code,
                    municipality.inegi_code if municipality else None,
                    BENCH_EMAIL,
                    True,
                )
            )
            users = []
            for k in range(rng.choice((1, 1, 2, 2, 3))):
                uid = next_user
                next_user += 1
                first, last = rng.choice(FIRST_NAMES), f"{rng.choice(LAST_NAMES)} {rng.choice(LAST_NAMES)}"
                user_table.add(
                    (
                        uid,
                        unusable,
                        False,
                        first,
                        last,
                        f"enlace{k + 1}.{pk}@bench.example",
                        False,
                        True,
                        now - dt.timedelta(days=rng.randint(400, 2000)),
                        pk,
                        "Enlace de asuntos internacionales",
                        True,
                    )
                )
                group_table.add((next_member, uid, local_group.pk))
                next_member += 1
                users.append(uid)
            institutions.append(
                {
                    "id": pk,
                    "level": level,
                    "state_id": state.code,
                    "municipality_id": municipality.inegi_code if municipality else None,
                    "name": name[:250],
                    "place": place,
                    "short": short,
                    "users": users,
                    "weight": weight,
                }
            )
        for table in (institution_table, user_table, group_table):
            table.flush(cursor)
            reset_sequence(cursor, table.table)
    return {
        "institutions": institutions,
        "counts": {"institutions": institution_table.total, "users": user_table.total},
        "cja_user": User.objects.get(email="cja@demo.mx").pk,
        "dgcp_user": User.objects.get(email="dgcp@demo.mx").pk,
    }
