import datetime as dt

import factory
from django.utils import timezone

from portal.institutions.choices import Level, Role
from portal.institutions.models import Institution, User
from portal.institutions.roles import group_for

PASSWORD = "Sup3r-Secreta-2026"


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Coordinación de Asuntos Internacionales {n}")
    acronym = factory.Sequence(lambda n: f"CAI{n}")
    level = Level.STATE
    state_id = "14"
    municipality_id = None


class MunicipalInstitutionFactory(InstitutionFactory):
    level = Level.MUNICIPAL
    state_id = "07"
    municipality_id = "07089"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persona{n}@gob.mx")
    first_name = "Persona"
    last_name = factory.Sequence(lambda n: f"Prueba {n}")
    institution = None
    is_demo = True  # demo accounts are exempt from the MFA requirement; tests of MFA set False

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(group_for(Role(extracted)))


def local_official(institution=None, **kwargs):
    return UserFactory(institution=institution or InstitutionFactory(), role=Role.LOCAL, **kwargs)


def dgcp_reviewer(**kwargs):
    return UserFactory(institution=Institution.objects.get(acronym="DGCP"), role=Role.DGCP, **kwargs)


def cja_reviewer(**kwargs):
    return UserFactory(institution=Institution.objects.get(acronym="CJA"), role=Role.CJA, **kwargs)


def cja_head(**kwargs):
    """The head of the CJA («Titular de la CJA»): a CJA member who also (re)assigns the office's cases."""
    user = cja_reviewer(**kwargs)
    user.groups.add(group_for(Role.CJA_HEAD))
    return user


def dgcp_head(**kwargs):
    user = dgcp_reviewer(**kwargs)
    user.groups.add(group_for(Role.DGCP_HEAD))
    return user


def analyst(**kwargs):
    return UserFactory(role=Role.ANALYST, **kwargs)


def admin_user(**kwargs):
    return UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True, **kwargs)


def future_date(days=60) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


# --- migrants and cooperation -----------------------------------------------------


def _many_to_many(field: str, default: list):
    def set_values(obj, create, extracted, **kwargs):
        if create:
            getattr(obj, field).set(default if extracted is None else extracted)

    return factory.PostGeneration(set_values)


class MigrantOfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "migrants.MigrantOffice"
        skip_postgeneration_save = True

    institution = factory.SubFactory(InstitutionFactory)
    institutional_form = "direccion"
    populations = _many_to_many("populations", ["transit"])
    services = _many_to_many("services", ["legal_advice"])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cooperation.Organisation"

    name = factory.Sequence(lambda n: f"Organismo de prueba {n}")
    acronym = factory.Sequence(lambda n: f"OP{n}")
    kind = "un_agency"


def _themes(names):
    from cooperation.models import PartnershipTheme

    return [PartnershipTheme.objects.get_or_create(name=name)[0] for name in names]


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cooperation.Partnership"
        skip_postgeneration_save = True

    institution = factory.SubFactory(InstitutionFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    instrument = "mou"
    title = factory.Sequence(lambda n: f"Memorándum de cooperación {n}")
    year = 2024
    status = "active"
    themes = factory.PostGeneration(
        lambda obj, create, extracted, **kwargs: (
            create and obj.themes.set(_themes(["Salud mental"] if extracted is None else extracted))
        )
    )
    populations = _many_to_many("populations", ["transit"])


class CityNetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cooperation.CityNetwork"

    name = factory.Sequence(lambda n: f"Red de ciudades {n}")
    kind = "city_network"


class NetworkMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cooperation.NetworkMembership"

    network = factory.SubFactory(CityNetworkFactory)
    state_id = "14"
    joined_year = 2020


class FocalPointFactory(factory.django.DjangoModelFactory):
    """A state's focal point (pass ``state_id=None, municipality_id=…`` for a municipality's)."""

    class Meta:
        model = "cooperation.FocalPoint"

    state_id = "14"
    name = factory.Sequence(lambda n: f"Enlace {n}")
    position = "Director de Asuntos Internacionales"
    email = factory.Sequence(lambda n: f"enlace{n}@jalisco.gob.mx")
    phone = "33 3030 0000"
    designated_on = dt.date(2025, 1, 15)
