"""Demo institutions and accounts; every row is marked ``is_demo`` and never mixed with reference data."""

from allauth.account.models import EmailAddress
from django.conf import settings

from .choices import Level, Role
from .models import Institution, User
from .reference import CJA_NAME, DGCP_NAME
from .roles import group_for

JALISCO_OFFICE = "Coordinación de Asuntos Internacionales del Estado de Jalisco (demo)"
TAPACHULA_OFFICE = "Dirección de Migración y Política Internacional del H. Ayuntamiento de Tapachula"

ACCOUNTS = [
    ("enlace.jalisco@demo.mx", "Laura", "Gómez (demo)", Role.LOCAL, JALISCO_OFFICE),
    ("enlace.tapachula@demo.mx", "Mario", "Pérez (demo)", Role.LOCAL, TAPACHULA_OFFICE),
    ("dgcp@demo.mx", "Daniela", "Castro (demo)", Role.DGCP, DGCP_NAME),
    ("cja@demo.mx", "Carlos", "Juárez (demo)", Role.CJA, CJA_NAME),
    # A second reviewer and the head of each office: cases are taken, released and reassigned among them.
    ("dgcp2@demo.mx", "Diego", "Cervantes (demo)", Role.DGCP, DGCP_NAME),
    ("cja2@demo.mx", "Cecilia", "Jiménez (demo)", Role.CJA, CJA_NAME),
    ("titular.dgcp@demo.mx", "Teresa", "Domínguez (demo)", (Role.DGCP, Role.DGCP_HEAD), DGCP_NAME),
    ("titular.cja@demo.mx", "Tomás", "Jaramillo (demo)", (Role.CJA, Role.CJA_HEAD), CJA_NAME),
    ("analista@demo.mx", "Ana", "López (demo)", Role.ANALYST, None),
    ("admin@demo.mx", "Admin", "Portal (demo)", Role.ADMIN, None),
]


def refuse_in_production() -> None:
    """Demo accounts share a published password and skip the second factor: never in production."""
    if settings.PRODUCTION:
        raise DemoDataRefused(
            "PORTAL_ENV=production: los datos y las cuentas de demostración no se cargan en producción."
        )


class DemoDataRefused(RuntimeError):
    pass


def load() -> dict:
    refuse_in_production()
    Institution.objects.update_or_create(
        name=JALISCO_OFFICE,
        defaults={"acronym": "CAI Jalisco", "level": Level.STATE, "state_id": "14", "is_demo": True},
    )
    institutions = {i.name: i for i in Institution.objects.filter(name__in={a[4] for a in ACCOUNTS if a[4]})}
    for email, first, last, held, institution_name in ACCOUNTS:
        roles = held if isinstance(held, tuple) else (held,)
        role = roles[0]
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first,
                "last_name": last,
                "institution": institutions.get(institution_name),
                "is_demo": True,
                "is_staff": role == Role.ADMIN,
                "is_superuser": role == Role.ADMIN,
            },
        )
        if created:
            user.set_password(settings.PORTAL_DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.set([group_for(r) for r in roles])
        _verify_email(user)
    return {"accounts": len(ACCOUNTS)}


def _verify_email(user):
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
