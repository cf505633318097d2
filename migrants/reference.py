"""Facts about migrant-attention offices exactly as the project's sources state them.

Source: SRE/Konrad-Adenauer handbook on local internationalisation and the academic articles
summarised in shared/domain/README.md. What the sources do not say stays empty (sin datos).
"""

from portal.institutions.choices import Level
from portal.institutions.models import Institution

from .choices import InstitutionalForm as Form
from .choices import Population, Service
from .models import MigrantOffice, MigrationProfile, OfficeAbroad, OfficeService, PopulationGroup

SOURCE = (
    "Manual SRE/KAS de internacionalización local; artículos académicos sobre cooperación descentralizada y migración"
)
STATE_NAMES = {
    "02": "Baja California",
    "06": "Colima",
    "09": "Ciudad de México",
    "10": "Durango",
    "11": "Guanajuato",
    "12": "Guerrero",
    "14": "Jalisco",
    "15": "Estado de México",
    "16": "Michoacán",
    "20": "Oaxaca",
    "21": "Puebla",
    "24": "San Luis Potosí",
    "27": "Tabasco",
    "29": "Tlaxcala",
    "30": "Veracruz",
    "32": "Zacatecas",
}

# State offices: (state, institutional form or "", handles international affairs or None)
STATE_OFFICES = {
    "16": (Form.SECRETARIA, None),
    "12": (Form.SECRETARIA, True),
    "32": (Form.SECRETARIA, None),
    "02": (Form.SUBSECRETARIA, None),
    "11": (Form.SUBSECRETARIA, None),
    "20": (Form.SUBSECRETARIA, None),
    "27": (Form.SUBSECRETARIA, None),
    "21": (Form.INSTITUTO, None),
    "24": (Form.INSTITUTO, None),
    "30": (Form.DIRECCION_O_COORDINACION, None),
    "29": (Form.DIRECCION_O_COORDINACION, None),
    "09": (Form.DIRECCION_O_COORDINACION, None),
    "15": ("", True),
    # States known only for their offices in the United States.
    "06": ("", None),
    "10": ("", None),
    "14": ("", None),
}
TAMAULIPAS = "Instituto Tamaulipeco para los Migrantes"
STATES_WITH_US_OFFICES = ["06", "10", "15", "11", "14", "20", "21", "29"]
OAXACA_OUTSIDE = [
    ("San Quintín", "Baja California", "MX", False),
    ("Ensenada", "Baja California", "MX", False),
    ("Tijuana", "Baja California", "MX", False),
    ("Los Ángeles", "California", "US", True),
]
MUNICIPAL_OFFICES = [
    ("Dirección de Atención al Migrante del H. Ayuntamiento de Tijuana", "02", "02004"),
    ("Dirección de Migración y Política Internacional del H. Ayuntamiento de Tapachula", "07", "07089"),
]
CONSTITUTIONS = ["09", "07", "05", "10", "13", "14", "16", "17", "20", "21", "23", "24", "25", "26", "27", "31", "32"]
# The IOM's local Migration Governance Indicators (MGI) profiles: the states profiled each year.
MGI_PROFILES_BY_YEAR = {
    2020: ["20", "08"],
    2021: ["11", "28"],
    2022: ["10", "12", "16", "09"],
    2023: ["19", "27", "32"],
    2024: ["02", "23", "26"],
}
MGI_PROFILES = {code: year for year, codes in MGI_PROFILES_BY_YEAR.items() for code in codes}
COUNCILS = {
    "02": ("Consejo Estatal de Asuntos Migratorios", ""),
    "08": (
        "Consejo Estatal de Protección y Atención a Migrantes y sus Familias",
        "Sesiona habitualmente en Ciudad Juárez.",
    ),
}
CIUDAD_JUAREZ = "08037"


# The offices whose official names the sources give; the others keep a descriptive name marked as such.
OFFICIAL_NAMES = {
    "16": "Secretaría del Migrante de Michoacán",
    "12": "Secretaría de los Migrantes y Asuntos Internacionales de Guerrero",
    "15": "Coordinación de Asuntos Internacionales del Estado de México",
}


def descriptive_office_name(code: str) -> str:
    return f"Oficina estatal de atención a migrantes (OFAM) de {STATE_NAMES[code]}"


def state_office_name(code: str) -> str:
    return OFFICIAL_NAMES.get(code) or descriptive_office_name(code)


def _rename_descriptive(code: str) -> None:
    """A database loaded before the official name was known keeps its office (history, edits): renamed in place."""
    official = OFFICIAL_NAMES.get(code)
    if not official or Institution.objects.filter(name=official).exists():
        return
    institution = Institution.objects.filter(name=descriptive_office_name(code)).first()
    if institution is not None:
        institution.name = official
        institution.save(update_fields=["name"])


def _office(name, *, level, state, municipality=None, form="", international=None, official=True):
    institution, _ = Institution.objects.update_or_create(
        name=name,
        defaults={"level": level, "state_id": state, "municipality_id": municipality, "is_demo": False},
    )
    office, _ = MigrantOffice.objects.update_or_create(
        institution=institution,
        defaults={
            "institutional_form": form,
            "handles_international_affairs": international,
            "official_name_known": official,
            "source": SOURCE,
        },
    )
    return office


def load() -> dict:
    # The vocabularies first: offices here and partnerships (cooperation's loader) point to them. A migration
    # also creates them, but a flushed database (a transactional test, a restore) has only what a loader adds.
    PopulationGroup.objects.bulk_create([PopulationGroup(key=key) for key in Population.values], ignore_conflicts=True)
    OfficeService.objects.bulk_create([OfficeService(key=key) for key in Service.values], ignore_conflicts=True)
    offices = {}
    for code, (form, international) in STATE_OFFICES.items():
        _rename_descriptive(code)
        offices[code] = _office(
            state_office_name(code),
            level=Level.STATE,
            state=code,
            form=form,
            international=international,
            official=code in OFFICIAL_NAMES,
        )
    offices["28"] = _office(TAMAULIPAS, level=Level.STATE, state="28", form=Form.INSTITUTO)
    for name, state, municipality in MUNICIPAL_OFFICES:
        _office(name, level=Level.MUNICIPAL, state=state, municipality=municipality, form=Form.DIRECCION)

    OfficeAbroad.objects.filter(office__in=offices.values()).delete()
    abroad = [OfficeAbroad(office=offices[code], country="US") for code in STATES_WITH_US_OFFICES if code != "20"]
    abroad += [
        OfficeAbroad(office=offices["20"], city=city, region=region, country=country, is_liaison=liaison)
        for city, region, country, liaison in OAXACA_OUTSIDE
    ]
    OfficeAbroad.objects.bulk_create(abroad)

    for code in {*CONSTITUTIONS, *MGI_PROFILES, *COUNCILS}:
        council, notes = COUNCILS.get(code, ("", ""))
        MigrationProfile.objects.update_or_create(
            state_id=code,
            defaults={
                "constitution_mentions_migrants": True if code in CONSTITUTIONS else None,
                "mgi_profile_year": MGI_PROFILES.get(code),
                "council_name": council,
                "council_notes": notes,
                "source": SOURCE,
            },
        )
    MigrationProfile.objects.update_or_create(
        municipality_id=CIUDAD_JUAREZ, defaults={"municipal_shelters": 2, "source": SOURCE}
    )
    return {
        "offices": MigrantOffice.objects.count(),
        "profiles": MigrationProfile.objects.count(),
        "offices_abroad": len(abroad),
    }
