"""The registry's imported history (RAII, 1990-2025): search terms and their bands, years, offices, counterparts."""

from __future__ import annotations

from .vocabulary import SUBDIVISIONS

# --- the public registry's imported history (RAII, 1990-2025) --------------------------------

# Search terms in three selectivity bands (reference §3.1), typed without accents as visitors do.
# check_distributions asserts each band's share of the whole registry with the app's own predicate.
SEARCH_TERMS = {"selective": "geotermica", "medium": "educacion", "broad": "cooperacion"}
SEARCH_BANDS = {"selective": (0.0005, 0.01), "medium": (0.05, 0.20), "broad": (0.40, 1.0)}
# Harder searches (issue #14): several words, a typo, no hit at all, and a term whose matches are all old entries
# (Mexico City's agreements signed before 2016 name it "Distrito Federal", as the RAII's history does), so the
# newest-first order must walk far to fill a page.
SEARCH_EXTRA_TERMS = {
    "multiword": "salud pública Jalisco",
    "typo": "educasion",
    "zero": "xilofonista",
    "skewed": "Distrito Federal",
}
FEDERAL_DISTRICT = ("09", 2016, "Ciudad de México", "Distrito Federal")  # state, renamed in, new name, old name
REGISTRY_YEARS = (1990, 2025)
REGISTRY_GROWTH = 1.09  # agreements signed per year grow ~9%/year: 2025 has ~20x the entries of 1990
REGISTRY_STATE_SHARE = 0.45  # the rest are municipal
REGISTRY_NO_EXPIRY = 0.40
# Kind -> title variants, most frequent first (Zipf within the kind).
REGISTRY_KIND_TITLES = {
    "twinning": ["Acuerdo de hermanamiento", "Convenio de hermanamiento", "Acuerdo de ciudades hermanas"],
    "technical_cooperation": [
        "Acuerdo de cooperación técnica",
        "Convenio de cooperación técnica y científica",
        "Acuerdo de cooperación horizontal",
    ],
    "university_cooperation_framework": [
        "Convenio marco de cooperación universitaria",
        "Convenio general de colaboración académica",
    ],
    "university_cooperation_specific": [
        "Convenio específico de cooperación académica",
        "Programa específico de intercambio académico",
    ],
    "memorandum_of_understanding": ["Memorándum de entendimiento", "Memorándum de entendimiento para la cooperación"],
    "letter_of_intent": ["Carta de intención", "Declaración de intención"],
    "other": ["Acuerdo de colaboración", "Convenio de coordinación", "Acta de amistad"],
}
# What the agreement is about, in order of popularity: phrase i is drawn with weight 1 / i**1.07 (Zipf).
# The phrase gives the entry's first theme; the rare tail gives the selective search band.
REGISTRY_PURPOSES = [
    ("trade", "para la promoción del comercio y las exportaciones"),
    ("culture", "en materia de cultura y artes"),
    ("education", "en materia de educación"),
    ("tourism", "para la promoción turística"),
    ("science_technology", "en ciencia, tecnología e innovación"),
    ("investment", "para atraer inversión extranjera"),
    ("training", "para la formación de recursos humanos"),
    ("urban_development", "sobre desarrollo urbano y movilidad"),
    ("environment", "sobre medio ambiente y cambio climático"),
    ("culture", "para el intercambio cultural y deportivo"),
    ("health", "en materia de salud pública"),
    ("education", "para el intercambio académico y la educación superior"),
    ("other", "de cooperación descentralizada"),
    ("trade", "sobre desarrollo económico y empresarial"),
    ("security", "en materia de seguridad y protección civil"),
    ("migration", "para la atención de migrantes y sus familias"),
    ("tourism", "sobre turismo cultural y gastronómico"),
    ("environment", "sobre gestión integral del agua"),
    ("science_technology", "para la investigación científica conjunta"),
    ("training", "para la capacitación de funcionarios públicos"),
    ("urban_development", "sobre planeación urbana y vivienda"),
    ("health", "sobre atención médica y hospitalaria"),
    ("culture", "sobre la protección del patrimonio histórico"),
    ("education", "para la enseñanza del español y del inglés"),
    ("trade", "para la apertura de una oficina comercial"),
    ("environment", "sobre energías renovables"),
    ("investment", "sobre parques industriales y logística"),
    ("migration", "sobre la reintegración de personas retornadas"),
    ("science_technology", "sobre ciudades inteligentes"),
    ("tourism", "sobre turismo de naturaleza y aventura"),
    ("security", "sobre prevención de la violencia"),
    ("other", "de amistad y colaboración"),
    ("culture", "sobre bibliotecas y archivos"),
    ("health", "sobre prevención de adicciones"),
    ("environment", "sobre gestión de residuos sólidos"),
    ("urban_development", "sobre transporte público"),
    ("training", "sobre gobierno abierto y transparencia"),
    ("trade", "sobre agroindustria y exportación de aguacate"),
    ("education", "sobre educación indígena e intercultural"),
    ("science_technology", "sobre biotecnología agrícola"),
    ("culture", "sobre cinematografía"),
    ("environment", "sobre conservación de manglares"),
    ("health", "sobre telemedicina"),
    ("tourism", "sobre Pueblos Mágicos"),
    ("migration", "sobre la protección de jornaleros agrícolas"),
    ("investment", "sobre la industria aeroespacial"),
    ("urban_development", "sobre el rescate de centros históricos"),
    ("science_technology", "sobre energía geotérmica"),
    ("culture", "sobre gastronomía tradicional"),
    ("security", "sobre la búsqueda de personas desaparecidas"),
]
REGISTRY_THEME_WEIGHTS = {  # the second and third themes
    "education": 20,
    "culture": 16,
    "trade": 14,
    "tourism": 12,
    "science_technology": 10,
    "training": 8,
    "investment": 7,
    "environment": 6,
    "urban_development": 5,
    "health": 4,
    "security": 3,
    "migration": 3,
    "other": 2,
}
REGISTRY_COUNTERPART_TYPES = {"government": 65, "international_organization": 9, "ngo": 14, "private": 12}
REGISTRY_COUNTRY_WEIGHTS = {"US": 30, "ES": 7, "CA": 5, "CN": 4, "FR": 3.5, "CO": 3.5, "DE": 3, "IT": 3, "GT": 3}
REGISTRY_COUNTRY_WEIGHTS |= {"JP": 3, "KR": 2.5, "AR": 2.5, "CL": 2.5, "BR": 2, "PE": 2, "CU": 1.5}
# Subnational governments abroad (name, ISO 3166-2), most frequent first; checked with pycountry after loading.
REGISTRY_SUBNATIONAL = {
    "US": [
        ("Gobierno del Estado de Texas", "US-TX"),
        ("Gobierno del Estado de California", "US-CA"),
        ("Gobierno del Estado de Arizona", "US-AZ"),
        ("Gobierno del Estado de Illinois", "US-IL"),
        ("Gobierno del Estado de Nuevo México", "US-NM"),
        ("Gobierno del Estado de Nueva York", "US-NY"),
        ("Gobierno del Estado de Colorado", "US-CO"),
        ("Gobierno del Estado de Washington", "US-WA"),
        ("Gobierno del Estado de Georgia", "US-GA"),
        ("Gobierno del Estado de Florida", "US-FL"),
        ("Gobierno del Estado de Nevada", "US-NV"),
        ("Gobierno del Estado de Oregón", "US-OR"),
        ("Gobierno del Estado de Utah", "US-UT"),
        ("Gobierno del Estado de Míchigan", "US-MI"),
        ("Gobierno del Estado de Carolina del Norte", "US-NC"),
        ("Gobierno del Estado de Minnesota", "US-MN"),
    ],
    "CA": [
        ("Gobierno de Quebec", "CA-QC"),
        ("Provincia de Ontario", "CA-ON"),
        ("Provincia de Columbia Británica", "CA-BC"),
        ("Provincia de Alberta", "CA-AB"),
        ("Provincia de Manitoba", "CA-MB"),
    ],
    "ES": [
        ("Comunidad de Madrid", "ES-MD"),
        ("Generalitat de Cataluña", "ES-CT"),
        ("Junta de Andalucía", "ES-AN"),
        ("Generalitat Valenciana", "ES-VC"),
        ("Gobierno Vasco", "ES-PV"),
        ("Junta de Galicia", "ES-GA"),
        ("Junta de Castilla y León", "ES-CL"),
    ],
    "DE": [("Estado Libre de Baviera", "DE-BY"), ("Land de Berlín", "DE-BE"), ("Ciudad Libre de Hamburgo", "DE-HH")],
    "FR": [
        ("Región Île-de-France", "FR-IDF"),
        ("Región Auvergne-Ródano-Alpes", "FR-ARA"),
        ("Región Occitania", "FR-OCC"),
    ],
    "CN": [
        ("Provincia de Cantón", "CN-GD"),
        ("Gobierno Municipal de Shanghái", "CN-SH"),
        ("Provincia de Sichuán", "CN-SC"),
    ],
    "IT": [("Región de Lombardía", "IT-25"), ("Región de Toscana", "IT-52"), ("Región del Lacio", "IT-62")],
    "CO": [("Departamento de Antioquia", "CO-ANT")],
    "AR": [("Provincia de Córdoba", "AR-X")],
    "BR": [("Estado de São Paulo", "BR-SP"), ("Estado de Río de Janeiro", "BR-RJ")],
    "JP": [("Prefectura de Osaka", "JP-27")],
}
REGISTRY_CITY_SUBDIVISIONS = SUBDIVISIONS | {
    "Tucson": "US-AZ",
    "Lyon": "FR-ARA",
    "Toulouse": "FR-OCC",
    "Múnich": "DE-BY",
    "Hamburgo": "DE-HH",
    "Berlín": "DE-BE",
    "Milán": "IT-25",
    "Florencia": "IT-52",
    "Roma": "IT-62",
    "Medellín": "CO-ANT",
    "Córdoba": "AR-X",
    "São Paulo": "BR-SP",
    "Río de Janeiro": "BR-RJ",
    "Shanghái": "CN-SH",
    "Cantón": "CN-GD",
    "Chengdú": "CN-SC",
    "Osaka": "JP-27",
}
COOPERATION_AGENCIES = {  # governments' own agencies: counterpart type "government"
    "JP": "Agencia de Cooperación Internacional del Japón",
    "KR": "Agencia de Cooperación Internacional de Corea",
    "ES": "Agencia Española de Cooperación Internacional para el Desarrollo",
    "DE": "Agencia Alemana de Cooperación Internacional",
    "FR": "Agencia Francesa de Desarrollo",
}
US_UNIVERSITIES = {"Texas": "US-TX", "Arizona": "US-AZ", "California": "US-CA", "Nuevo México": "US-NM"}
US_UNIVERSITIES |= {"Houston": "US-TX", "Chicago": "US-IL"}  # "Universidad de <key>"
STATE_OFFICES = [  # signing office of a state-level entry ({s}: the state), most frequent first
    ("Gobierno del Estado de {s}", 40),
    ("Coordinación de Asuntos Internacionales del Estado de {s}", 15),
    ("Secretaría de Desarrollo Económico del Estado de {s}", 10),
    ("Universidad Autónoma del Estado de {s}", 8),
    ("Secretaría de Educación del Estado de {s}", 6),
    ("Secretaría de Turismo del Estado de {s}", 6),
    ("Secretaría de Cultura del Estado de {s}", 5),
    ("Secretaría de Salud del Estado de {s}", 5),
    ("Secretaría de Medio Ambiente y Desarrollo Territorial del Estado de {s}", 3),
    ("Instituto de Atención al Migrante del Estado de {s}", 2),
]
MUNICIPAL_OFFICES = [  # {m}: municipality, {s}: its state
    ("Ayuntamiento de {m}, {s}", 55),
    ("Municipio de {m}, {s}", 25),
    ("Presidencia Municipal de {m}, {s}", 12),
    ("Instituto Municipal de Cultura de {m}, {s}", 4),
    ("Dirección de Turismo del Municipio de {m}, {s}", 4),
]
