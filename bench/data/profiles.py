"""The profile skew: a couple of governments with many linked rows, one with none."""

from __future__ import annotations

import datetime as dt
import random

from .vocabulary import FIRST_NAMES, LAST_NAMES, PROFILE_EMAIL, PROFILE_MEDIUM, PROFILE_RICH

__all__ = ["write_profile_skew"]


def write_profile_skew(*, seed: int) -> dict:
    """Extra offices, partnerships, focal points and memberships for two governments (none for the poor one).

    Profiles must issue the same number of queries for a government with 100 linked rows as for one with none.
    """
    from django.db import transaction

    from cooperation.models import (
        CityNetwork,
        FocalPoint,
        GovernmentTerm,
        NetworkMembership,
        Organisation,
        Partnership,
        PartnershipTheme,
    )
    from migrants.choices import InstitutionalForm, Population, Service
    from migrants.models import MigrantOffice, OfficeAbroad
    from portal.geography.models import Municipality, State
    from portal.institutions.models import Institution

    rng = random.Random(f"{seed}-profiles")
    bench_themes = [PartnershipTheme.objects.get_or_create(name=name)[0] for name in ("Migración", "Desarrollo local")]
    organisations = list(Organisation.objects.order_by("id"))
    networks = list(CityNetwork.objects.order_by("id"))
    areas = ["Relaciones Internacionales", "Desarrollo Económico", "Educación", "Cultura", "Turismo", "Salud"]
    areas += ["Medio Ambiente", "Atención al Migrante", "Planeación", "Innovación", "Seguridad", "Movilidad"]
    plan = [  # (state, municipality, extra institutions, partnerships per institution, past focal points)
        (PROFILE_RICH["state"], None, 12, 5, 6),
        (None, PROFILE_RICH["municipality"], 6, 6, 5),
        (PROFILE_MEDIUM["state"], None, 4, 3, 2),
        (None, PROFILE_MEDIUM["municipality"], 2, 3, 1),
    ]
    counts = {"institutions": 0, "partnerships": 0, "offices": 0, "abroad": 0, "focal_points": 0, "memberships": 0}
    with transaction.atomic():
        for state_code, inegi_code, n_institutions, per_institution, past_points in plan:
            municipality = Municipality.objects.select_related("state").get(pk=inegi_code) if inegi_code else None
            state = municipality.state if municipality else State.objects.get(pk=state_code)
            where = f"{municipality.name}, {state.short_name}" if municipality else f"el Estado de {state.short_name}"
            unit = "Dirección de {} de {}" if municipality else "Secretaría de {} d{}"
            institutions = Institution.objects.bulk_create(
                Institution(
                    name=f"{unit.format(area, where)} (bench perfil)",
                    level="municipal" if municipality else "state",
                    state=state,
                    municipality=municipality,
                    email=PROFILE_EMAIL,
                    is_demo=True,
                )
                for area in areas[:n_institutions]
            )
            partnerships = []
            for area, institution in zip(areas, institutions, strict=False):
                for organisation in rng.sample(organisations, per_institution):
                    year = rng.randint(2008, 2025)
                    partnerships.append(
                        Partnership(
                            institution=institution,
                            organisation=organisation,
                            instrument=rng.choice(["letter_of_understanding", "cooperation_agreement", "mou", "other"]),
                            title=f"Programa conjunto de {area.lower()} con {organisation.acronym or 'el organismo'}",
                            year=year,
                            started_on=dt.date(year, rng.randint(1, 12), 1),
                            status=rng.choice(["active", "concluded", "unknown"]),
                            source="bench",
                        )
                    )
            Partnership.objects.bulk_create(partnerships)
            # Many-to-many rows straight into the join tables (the rows were just created: no history to add).
            Partnership.themes.through.objects.bulk_create(
                Partnership.themes.through(partnership_id=p.pk, partnershiptheme_id=t.pk)
                for p in partnerships
                for t in bench_themes
            )
            Partnership.populations.through.objects.bulk_create(
                Partnership.populations.through(partnership_id=p.pk, populationgroup_id=Population.TRANSIT)
                for p in partnerships
            )
            offices = MigrantOffice.objects.bulk_create(
                MigrantOffice(
                    institution=institution,
                    institutional_form=rng.choice(InstitutionalForm.values),
                    parent_body=f"Gobierno de {where}",
                    creation_year=rng.randint(1995, 2022),
                    handles_international_affairs=rng.random() < 0.5,
                    email=f"migrantes{institution.pk}@bench.example",
                    source="bench",
                )
                for institution in institutions
            )
            MigrantOffice.populations.through.objects.bulk_create(
                MigrantOffice.populations.through(migrantoffice_id=o.pk, populationgroup_id=key)
                for o in offices
                for key in rng.sample(Population.values, 3)
            )
            MigrantOffice.services.through.objects.bulk_create(
                MigrantOffice.services.through(migrantoffice_id=o.pk, officeservice_id=key)
                for o in offices
                for key in rng.sample(Service.values, 4)
            )
            abroad = [
                OfficeAbroad(office=office, city=city, region=region, country=country, is_liaison=rng.random() < 0.3)
                for office in offices
                for city, region, country in rng.sample(
                    [
                        ("Los Ángeles", "California", "US"),
                        ("Chicago", "Illinois", "US"),
                        ("Houston", "Texas", "US"),
                        ("Dallas", "Texas", "US"),
                        ("Phoenix", "Arizona", "US"),
                        ("Nueva York", "Nueva York", "US"),
                        ("Atlanta", "Georgia", "US"),
                        ("Toronto", "Ontario", "CA"),
                    ],
                    rng.randint(1, 4),
                )
            ]
            OfficeAbroad.objects.bulk_create(abroad)
            government = {"municipality": municipality} if municipality else {"state": state}
            has_current = FocalPoint.objects.filter(**government, is_current=True).exists()
            points = [
                FocalPoint(
                    **government,
                    institution=institutions[k % len(institutions)],
                    name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {rng.choice(LAST_NAMES)}",
                    position="Titular de asuntos internacionales",
                    email=f"enlace{k}.{institutions[0].pk}@bench.example",
                    designated_on=dt.date(2010 + 2 * k, 3, 1),
                    is_current=(k == past_points and not has_current),
                    ended_on=None if (k == past_points and not has_current) else dt.date(2012 + 2 * k, 2, 1),
                    is_demo=True,
                )
                for k in range(past_points + 1)
            ]
            FocalPoint.objects.bulk_create(points)
            taken = set(NetworkMembership.objects.filter(**government).values_list("network_id", flat=True))
            members = [
                NetworkMembership(network=network, joined_year=rng.randint(2005, 2024), **government)
                for network in networks[: 6 if state_code == PROFILE_RICH["state"] else 4]
                if network.pk not in taken
            ]
            NetworkMembership.objects.bulk_create(members)
            if not GovernmentTerm.objects.filter(**government).exists():
                GovernmentTerm.objects.create(**government, started_on=dt.date(2024, 10, 1), is_demo=True)
            for key, value in (
                ("institutions", len(institutions)),
                ("partnerships", len(partnerships)),
                ("offices", len(offices)),
                ("abroad", len(abroad)),
                ("focal_points", len(points)),
                ("memberships", len(members)),
            ):
                counts[key] += value
    return counts
