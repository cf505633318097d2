"""Reference institutions: the SRE's two reviewing offices and the offices the domain notes name."""

from .choices import Level
from .models import Institution
from .roles import sync_roles

DGCP_NAME = "Dirección General de Coordinación Política"
CJA_NAME = "Consultoría Jurídica"

INSTITUTIONS = [
    {"name": DGCP_NAME, "acronym": "DGCP", "level": Level.FEDERAL},
    {"name": CJA_NAME, "acronym": "CJA", "level": Level.FEDERAL},
    {
        "name": "Dirección de Migración y Política Internacional del H. Ayuntamiento de Tapachula",
        "acronym": "DMPI Tapachula",
        "level": Level.MUNICIPAL,
        "state_id": "07",
        "municipality_id": "07089",
    },
    {
        "name": "Dirección de Atención al Migrante del H. Ayuntamiento de Tijuana",
        "acronym": "DAM Tijuana",
        "level": Level.MUNICIPAL,
        "state_id": "02",
        "municipality_id": "02004",
    },
]


def load() -> dict:
    for row in INSTITUTIONS:
        Institution.objects.update_or_create(name=row["name"], defaults={**row, "is_demo": False})
    roles = sync_roles()
    return {"institutions": len(INSTITUTIONS), "roles": len(roles)}
