"""Organisations, partnerships and city networks exactly as the project's sources name them."""

from migrants.reference import OFFICIAL_NAMES
from portal.audit.history import recorded_once
from portal.institutions.choices import Level
from portal.institutions.models import Institution

from .choices import Instrument as I  # noqa: E741
from .choices import NetworkKind, OrganisationKind, PartnershipStatus
from .models import CityNetwork, NetworkMembership, Organisation, Partnership, PartnershipTheme

SOURCE = "Manual SRE/KAS de internacionalización local; taller GIZ/GIGA"
K = OrganisationKind
ORGANISATIONS = [
    ("OIM", "Organización Internacional para las Migraciones", "International Organization for Migration", K.UN_AGENCY),
    ("ACNUR", "Alto Comisionado de las Naciones Unidas para los Refugiados", "UNHCR", K.UN_AGENCY),
    ("UNICEF", "Fondo de las Naciones Unidas para la Infancia", "UNICEF", K.UN_AGENCY),
    ("PNUD", "Programa de las Naciones Unidas para el Desarrollo", "UNDP", K.UN_AGENCY),
    ("ONU-Hábitat", "Programa de las Naciones Unidas para los Asentamientos Humanos", "UN-Habitat", K.UN_AGENCY),
    ("UNESCO", "Organización de las Naciones Unidas para la Educación, la Ciencia y la Cultura", "UNESCO", K.UN_AGENCY),
    ("ONU Mujeres", "Entidad de las Naciones Unidas para la Igualdad de Género", "UN Women", K.UN_AGENCY),
    ("OACNUDH", "Oficina del Alto Comisionado de las Naciones Unidas para los Derechos Humanos", "OHCHR", K.UN_AGENCY),
    ("", "Agencias del Sistema de las Naciones Unidas (Grupo de Trabajo Tapachula)", "UN agencies", K.OTHER),
    ("HIAS", "HIAS", "HIAS", K.INTERNATIONAL_NGO),
    ("", "Asylum Access", "Asylum Access", K.INTERNATIONAL_NGO),
    ("", "Save the Children", "Save the Children", K.INTERNATIONAL_NGO),
    ("IRC", "Comité Internacional de Rescate", "International Rescue Committee", K.INTERNATIONAL_NGO),
    (
        "UFCW Canada",
        "Unión Internacional de Trabajadores de la Alimentación y el Comercio de Canadá",
        "United Food and Commercial Workers Canada",
        K.UNION,
    ),
    ("AMEXCID", "Agencia Mexicana de Cooperación Internacional para el Desarrollo", "AMEXCID", K.COOPERATION_AGENCY),
    (
        "GIZ",
        "Sociedad Alemana de Cooperación Internacional",
        "Deutsche Gesellschaft für Internationale Zusammenarbeit",
        K.COOPERATION_AGENCY,
    ),
    (
        "JICA",
        "Agencia de Cooperación Internacional del Japón",
        "Japan International Cooperation Agency",
        K.COOPERATION_AGENCY,
    ),
    ("", "Cooperación descentralizada francesa", "French decentralised cooperation", K.COOPERATION_AGENCY),
    ("", "Fondo Conjunto de Cooperación México–Chile", "Mexico–Chile Joint Cooperation Fund", K.FUND),
    ("", "Fondo Conjunto de Cooperación México–Uruguay", "Mexico–Uruguay Joint Cooperation Fund", K.FUND),
    ("", "Fondo de Cooperación de la Alianza del Pacífico", "Pacific Alliance Cooperation Fund", K.FUND),
]

# Signing governments and offices the sources name.
NUEVO_LEON = ("Gobierno del Estado de Nuevo León", Level.STATE, "19", None)
NUEVO_LEON_IGUALDAD = ("Secretaría de Igualdad e Inclusión del Estado de Nuevo León", Level.STATE, "19", None)
GUANAJUATO = ("Gobierno del Estado de Guanajuato", Level.STATE, "11", None)
# UFCW Canada's partners are the two states' migrant ministries (the state offices migrants.reference loads).
GUERRERO_MIGRANTS = (OFFICIAL_NAMES["12"], Level.STATE, "12", None)
MICHOACAN_MIGRANTS = (OFFICIAL_NAMES["16"], Level.STATE, "16", None)
TAPACHULA = ("H. Ayuntamiento de Tapachula", Level.MUNICIPAL, "07", "07089")
CIUDAD_JUAREZ = ("H. Ayuntamiento de Juárez, Chihuahua", Level.MUNICIPAL, "08", "08037")

S = PartnershipStatus
PARTNERSHIPS = [
    # (institution, organisation, instrument, title, year, themes (names), populations (keys), activities)
    (
        NUEVO_LEON,
        "Alto Comisionado de las Naciones Unidas para los Refugiados",
        I.LETTER_OF_UNDERSTANDING,
        "Carta de entendimiento Nuevo León–ACNUR",
        None,
        ("Protección internacional",),
        ("asylum_refugees",),
        "",
    ),
    (
        NUEVO_LEON_IGUALDAD,
        "Organización Internacional para las Migraciones",
        I.COOPERATION_AGREEMENT,
        "Acuerdo de cooperación Nuevo León–OIM",
        None,
        ("Atención a personas migrantes",),
        (),
        "Ventanilla de información de la OIM.",
    ),
    (
        NUEVO_LEON,
        "Fondo de las Naciones Unidas para la Infancia",
        I.COLLABORATION_AGREEMENT,
        "Convenio de colaboración Nuevo León–UNICEF sobre derechos de la niñez",
        None,
        ("Derechos de la niñez",),
        (),
        "",
    ),
    (
        NUEVO_LEON,
        "Programa de las Naciones Unidas para el Desarrollo",
        I.MOU,
        "Memorándum de entendimiento Nuevo León–PNUD",
        None,
        (),
        (),
        "",
    ),
    (NUEVO_LEON, "HIAS", I.OTHER, "Colaboración Nuevo León–HIAS en salud mental", None, ("Salud mental",), (), ""),
    (
        NUEVO_LEON,
        "Asylum Access",
        I.OTHER,
        "Colaboración Nuevo León–Asylum Access",
        None,
        ("Acceso a procedimientos de asilo",),
        ("asylum_refugees",),
        "",
    ),
    (
        GUANAJUATO,
        "Organización Internacional para las Migraciones",
        I.OTHER,
        "Acuerdo Guanajuato–OIM",
        None,
        ("Capacitación", "Asistencia conjunta", "Investigación"),
        (),
        "",
    ),
    (
        GUANAJUATO,
        "Alto Comisionado de las Naciones Unidas para los Refugiados",
        I.OTHER,
        "Acuerdo Guanajuato–ACNUR",
        None,
        ("Capacitación", "Asistencia conjunta", "Investigación"),
        (),
        "",
    ),
    (
        TAPACHULA,
        "Alto Comisionado de las Naciones Unidas para los Refugiados",
        I.OTHER,
        "Acuerdo Tapachula–ACNUR 2017",
        2017,
        (),
        (),
        "",
    ),
    (
        TAPACHULA,
        "Alto Comisionado de las Naciones Unidas para los Refugiados",
        I.OTHER,
        "Acuerdo Tapachula–ACNUR 2020",
        2020,
        (),
        (),
        "",
    ),
    (
        TAPACHULA,
        "Agencias del Sistema de las Naciones Unidas (Grupo de Trabajo Tapachula)",
        I.WORKING_GROUP,
        "Grupo de Trabajo Tapachula",
        2022,
        ("Integración local",),
        (),
        "Une a cerca de 11 agencias de la ONU con el municipio: centro multiservicios, rutas de integración "
        "laboral, salud mental, escolarización y campañas contra la discriminación.",
    ),
    (
        CIUDAD_JUAREZ,
        "Organización Internacional para las Migraciones",
        I.OTHER,
        "Presencia de la OIM en Ciudad Juárez",
        None,
        (),
        (),
        "La OIM abrió oficinas en Ciudad Juárez con 61 personas.",
    ),
    (
        GUERRERO_MIGRANTS,
        "Unión Internacional de Trabajadores de la Alimentación y el Comercio de Canadá",
        I.OTHER,
        "Colaboración Guerrero–UFCW Canada para jornaleros agrícolas",
        None,
        ("Trabajo agrícola temporal",),
        ("emigrants",),
        "",
    ),
    (
        MICHOACAN_MIGRANTS,
        "Unión Internacional de Trabajadores de la Alimentación y el Comercio de Canadá",
        I.OTHER,
        "Colaboración Michoacán–UFCW Canada para jornaleros agrícolas",
        None,
        ("Trabajo agrícola temporal",),
        ("emigrants",),
        "",
    ),
]

# Earlier loads named the state governments as UFCW Canada's partners.
FORMERLY_SIGNED_BY = {
    "Colaboración Guerrero–UFCW Canada para jornaleros agrícolas": ("Gobierno del Estado de Guerrero",),
    "Colaboración Michoacán–UFCW Canada para jornaleros agrícolas": ("Gobierno del Estado de Michoacán",),
}

NETWORKS = [
    ("Ciudades Interculturales", "ICC", NetworkKind.CITY_NETWORK, "Consejo de Europa", None),
    ("#ConLosRefugiados / #WithRefugees", "", NetworkKind.CITY_NETWORK, "ACNUR", None),
    ("Mayors Migration Council", "MMC", NetworkKind.CITY_NETWORK, "", None),
    ("Ciudades y Gobiernos Locales Unidos", "CGLU", NetworkKind.CITY_NETWORK, "", None),
    ("ICLEI – Gobiernos Locales por la Sustentabilidad", "ICLEI", NetworkKind.CITY_NETWORK, "", None),
    ("C40 Cities", "C40", NetworkKind.CITY_NETWORK, "", None),
    (
        "Mesa Técnica Transfronteriza sobre Movilidad Humana México–Guatemala (Grupo Tacaná)",
        "Grupo Tacaná",
        NetworkKind.CROSS_BORDER_FORUM,
        "",
        2013,
    ),
]
MEMBERSHIPS = [
    ("Ciudades Interculturales", "09", None, 2011),
    ("Ciudades Interculturales", None, "19026", 2023),
    ("#ConLosRefugiados / #WithRefugees", None, "05030", 2018),
    ("#ConLosRefugiados / #WithRefugees", "09", None, None),
]


def _institution(spec):
    name, level, state, municipality = spec
    institution, _ = Institution.objects.update_or_create(
        name=name, defaults={"level": level, "state_id": state, "municipality_id": municipality, "is_demo": False}
    )
    return institution


def load() -> dict:
    for acronym, name, english, kind in ORGANISATIONS:
        # An organisation with siglas is found by them, so a corrected name (GIZ) renames the row in place.
        lookup = {"acronym": acronym} if acronym else {"name": name}
        Organisation.objects.update_or_create(
            **lookup, defaults={"name": name, "acronym": acronym, "english_name": english, "kind": kind}
        )
    organisations = {o.name: o for o in Organisation.objects.all()}
    for spec, organisation, instrument, title, year, themes, populations, activities in PARTNERSHIPS:
        institution = _institution(spec)
        org = organisations[organisation]
        moved = Partnership.objects.filter(institution__name__in=FORMERLY_SIGNED_BY.get(title, ()), organisation=org)
        if not Partnership.objects.filter(institution=institution, organisation=org, title=title).exists():
            # Loaded before the signing office was corrected: moved, not copied (its history stays with it).
            for partnership in moved.filter(title=title):
                partnership.institution = institution
                partnership.save(update_fields=["institution"])
        partnership = Partnership.objects.filter(institution=institution, organisation=org, title=title).first()
        created = partnership is None
        partnership = partnership or Partnership(institution=institution, organisation=org, title=title)
        values = {"instrument": instrument, "year": year, "activities": activities, "status": S.UNKNOWN}
        for field, value in {**values, "source": SOURCE}.items():
            setattr(partnership, field, value)
        with recorded_once(partnership, created=created):  # one history row (none on a reload that changes nothing)
            partnership.save()
            partnership.themes.set([PartnershipTheme.objects.get_or_create(name=name)[0] for name in themes])
            partnership.populations.set(populations)
    for name, acronym, kind, convenor, founded in NETWORKS:
        CityNetwork.objects.update_or_create(
            name=name, defaults={"acronym": acronym, "kind": kind, "convenor": convenor, "founded_year": founded}
        )
    networks = {n.name: n for n in CityNetwork.objects.all()}
    for network, state, municipality, year in MEMBERSHIPS:
        NetworkMembership.objects.update_or_create(
            network=networks[network], state_id=state, municipality_id=municipality, defaults={"joined_year": year}
        )
    return {
        "organisations": len(ORGANISATIONS),
        "partnerships": len(PARTNERSHIPS),
        "networks": len(NETWORKS),
        "memberships": len(MEMBERSHIPS),
    }
