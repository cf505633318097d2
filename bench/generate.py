"""Seeded benchmark data over the real geography: institutions, local officials and cases.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aii_bench_template \\
        .venv/bin/python -m bench.generate --agreements 100000 --seed 42 [--recreate]

Migrates the database and loads the reference and demo data first (idempotent), then creates:

* state and municipal offices (one per state, the rest on municipalities sampled by population),
  with 1-3 local officials each in the "Enlace local" group;
* N cases whose status is reached by simulating the 12-step workflow, so every derived column is
  consistent: ``current_step`` from ``workflow.step_for_status`` (NULL when terminal), timestamps in
  order, ``cja_deadline`` from ``workflow.cja_deadline``, documents, dictámenes with observations,
  the timeline, the registry entry of each closed case, themes through the join tables;
* the registry's imported history (``--registry``, source 'import'): entries signed 1990-2025 with a
  growing yearly count, on the 32 states and real municipalities, with Zipf-distributed Spanish
  vocabulary so that the search terms of ``SEARCH_TERMS`` fall into three selectivity bands;
  ``search_text``, ``theme_keys`` and ``region`` exactly as ``agreements.registry.services.entries._derived`` writes them;
* a profile skew: extra offices, partnerships, focal points and network memberships for two
  governments (``PROFILE_RICH``, ``PROFILE_MEDIUM``) and none for ``PROFILE_POOR``.

Everything is marked ``is_demo``. Rows are written with ``COPY`` (psycopg), in chunks, with explicit
ids; the sequences are moved past them at the end. The same seed and ``--today`` give the same data.
After loading, the distributions are checked (the reference run once had a generator that gave
every row the same year) and printed; a failed check exits non-zero.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import math
import os
import random
import sys
import tempfile
import time
from functools import lru_cache
from pathlib import Path

GENERATOR_VERSION = 3  # 2: imported registry history, search_text/theme_keys on workflow entries, profile skew
# 3: Mexico City's entries signed before 2016 say "Distrito Federal" (the date-skewed search term)
CHUNK = 10_000
DAY = 86_400
HOUR = 3_600

# --- vocabulary ----------------------------------------------------------------

STATUS_WEIGHTS = {
    "draft": 7.0,
    "returned": 2.0,
    "submitted": 0.3,
    "forwarded": 0.2,
    "in_review": 9.0,
    "dictamen_issued": 2.5,
    "awaiting_signature": 6.0,
    "signed": 0.3,
    "registration_requested": 2.5,
    "inscribed": 0.2,
    "closed": 50.0,
    "not_viable": 4.0,
    "not_admissible": 5.0,
    "withdrawn": 11.0,
}
MAIN_PATH = (
    "submitted",
    "forwarded",
    "in_review",
    "dictamen_issued",
    "awaiting_signature",
    "signed",
    "registration_requested",
    "inscribed",
    "closed",
)
SIDE_PATHS = {
    "returned": ("submitted", "forwarded", "in_review", "returned"),
    "not_viable": ("submitted", "forwarded", "in_review", "dictamen_issued", "not_viable"),
    "not_admissible": ("submitted", "forwarded", "in_review", "not_admissible"),
}
WITHDRAWN_PATHS = (
    ("withdrawn",),
    ("submitted", "forwarded", "in_review", "withdrawn"),
    ("submitted", "forwarded", "in_review", "dictamen_issued", "awaiting_signature", "withdrawn"),
)
# (from, to) -> action, completed step, actor, delay range in seconds
TRANSITIONS = {
    ("draft", "submitted"): ("submit", 4, "local", (HOUR, 20 * DAY)),
    ("returned", "submitted"): ("submit", 4, "local", (DAY, 15 * DAY)),
    ("submitted", "forwarded"): ("check_completeness", 5, "system", (2, 60)),
    ("forwarded", "in_review"): ("compute_deadline", 6, "system", (1, 30)),
    ("in_review", "dictamen_issued"): ("issue_dictamen", 7, "cja", (2 * DAY, 25 * DAY)),
    ("dictamen_issued", "awaiting_signature"): ("approve_dictamen", 8, "dgcp", (HOUR, 10 * DAY)),
    ("dictamen_issued", "not_viable"): ("approve_dictamen", 8, "dgcp", (HOUR, 10 * DAY)),
    ("awaiting_signature", "signed"): ("upload_signed_copy", 9, "local", (5 * DAY, 90 * DAY)),
    ("signed", "registration_requested"): ("request_registration", 10, "system", (2, 60)),
    ("registration_requested", "inscribed"): ("register", 11, "cja", (2 * DAY, 20 * DAY)),
    ("inscribed", "closed"): ("close", 12, "system", (2, 60)),
    ("in_review", "returned"): ("return_for_corrections", None, "cja", (DAY, 15 * DAY)),
    ("in_review", "not_admissible"): ("mark_not_admissible", None, "dgcp", (DAY, 15 * DAY)),
    ("draft", "withdrawn"): ("withdraw", None, "local", (DAY, 60 * DAY)),
    ("in_review", "withdrawn"): ("withdraw", None, "local", (DAY, 30 * DAY)),
    ("awaiting_signature", "withdrawn"): ("withdraw", None, "local", (DAY, 60 * DAY)),
}
COMMENTS = {
    "create": "",
    "submit": "Solicitud enviada a la DGCP.",
    "check_completeness": "Documentación completa; turnado a la Consultoría Jurídica.",
    "compute_deadline": "Plazo calculado.",
    "issue_dictamen": "Dictamen emitido.",
    "approve_dictamen": "Dictamen aprobado y entregado.",
    "upload_signed_copy": "Copia firmada recibida.",
    "request_registration": "La DGCP solicita a la CJA la inscripción en el registro.",
    "register": "Inscrito en el registro.",
    "close": "Procedimiento concluido; el acuerdo queda inscrito en el registro público.",
    "return_for_corrections": "Faltan precisiones en el texto final; favor de corregir.",
    "mark_not_admissible": "El instrumento no corresponde a la competencia de la dependencia.",
    "withdraw": "La dependencia retira la solicitud.",
}
KIND_WEIGHTS = {
    "twinning": 22,
    "technical_cooperation": 25,
    "university_cooperation_framework": 10,
    "university_cooperation_specific": 8,
    "memorandum_of_understanding": 20,
    "letter_of_intent": 10,
    "other": 5,
}
KIND_TITLES = {
    "twinning": "Acuerdo de hermanamiento",
    "technical_cooperation": "Acuerdo de cooperación técnica",
    "university_cooperation_framework": "Convenio marco de cooperación universitaria",
    "university_cooperation_specific": "Convenio específico de cooperación académica",
    "memorandum_of_understanding": "Memorándum de entendimiento",
    "letter_of_intent": "Carta de intención",
    "other": "Acuerdo de colaboración",
}
THEME_LABELS = {
    "education": "educación",
    "culture": "cultura",
    "science_technology": "ciencia y tecnología",
    "training": "formación de recursos humanos",
    "trade": "comercio",
    "investment": "inversión",
    "tourism": "turismo",
    "environment": "medio ambiente",
    "urban_development": "desarrollo urbano",
    "security": "seguridad",
    "health": "salud",
    "migration": "migración",
    "other": "cooperación",
}
COUNTRIES = {
    "US": ["San Antonio", "Los Ángeles", "Chicago", "Houston", "Phoenix", "San Diego", "El Paso", "Tucson", "Dallas"],
    "CA": ["Montreal", "Toronto", "Vancouver", "Quebec", "Calgary"],
    "ES": ["Madrid", "Barcelona", "Sevilla", "Valencia", "Salamanca", "Bilbao"],
    "FR": ["París", "Lyon", "Marsella", "Toulouse", "Burdeos"],
    "DE": ["Berlín", "Múnich", "Hamburgo", "Colonia", "Fráncfort"],
    "IT": ["Roma", "Milán", "Florencia", "Nápoles", "Turín"],
    "PT": ["Lisboa", "Oporto", "Coímbra"],
    "GB": ["Londres", "Mánchester", "Edimburgo"],
    "NL": ["Ámsterdam", "Róterdam", "La Haya"],
    "BE": ["Bruselas", "Amberes", "Gante"],
    "CH": ["Ginebra", "Zúrich", "Berna"],
    "AT": ["Viena", "Salzburgo"],
    "SE": ["Estocolmo", "Gotemburgo"],
    "PL": ["Varsovia", "Cracovia"],
    "CZ": ["Praga", "Brno"],
    "HU": ["Budapest"],
    "GR": ["Atenas", "Tesalónica"],
    "CN": ["Pekín", "Shanghái", "Cantón", "Shenzhen", "Chengdú"],
    "JP": ["Tokio", "Osaka", "Kioto", "Nagoya"],
    "KR": ["Seúl", "Busan", "Incheon"],
    "IN": ["Nueva Delhi", "Bombay", "Bangalore"],
    "ID": ["Yakarta", "Bandung"],
    "VN": ["Hanói", "Ciudad Ho Chi Minh"],
    "IL": ["Jerusalén", "Tel Aviv"],
    "TR": ["Estambul", "Ankara"],
    "AE": ["Dubái", "Abu Dabi"],
    "CO": ["Bogotá", "Medellín", "Cali", "Cartagena"],
    "AR": ["Buenos Aires", "Córdoba", "Rosario", "Mendoza"],
    "CL": ["Santiago", "Valparaíso", "Concepción"],
    "PE": ["Lima", "Cusco", "Arequipa"],
    "BR": ["São Paulo", "Río de Janeiro", "Curitiba", "Salvador"],
    "GT": ["Ciudad de Guatemala", "Quetzaltenango", "Antigua Guatemala"],
    "HN": ["Tegucigalpa", "San Pedro Sula"],
    "SV": ["San Salvador", "Santa Ana"],
    "CR": ["San José", "Heredia"],
    "PA": ["Ciudad de Panamá", "Colón"],
    "CU": ["La Habana", "Santiago de Cuba"],
    "DO": ["Santo Domingo", "Santiago de los Caballeros"],
    "EC": ["Quito", "Guayaquil", "Cuenca"],
    "UY": ["Montevideo"],
    "BO": ["La Paz", "Santa Cruz de la Sierra"],
    "MA": ["Rabat", "Casablanca"],
    "ZA": ["Ciudad del Cabo", "Johannesburgo"],
    "KE": ["Nairobi"],
    "AU": ["Sídney", "Melbourne"],
    "NZ": ["Auckland", "Wellington"],
}
SUBDIVISIONS = {
    "San Antonio": "US-TX",
    "Houston": "US-TX",
    "Dallas": "US-TX",
    "El Paso": "US-TX",
    "Los Ángeles": "US-CA",
    "San Diego": "US-CA",
    "Chicago": "US-IL",
    "Phoenix": "US-AZ",
    "Tucson": "US-AZ",
    "Montreal": "CA-QC",
    "Quebec": "CA-QC",
    "Toronto": "CA-ON",
    "Vancouver": "CA-BC",
    "Calgary": "CA-AB",
    "Madrid": "ES-MD",
    "Barcelona": "ES-CT",
    "Sevilla": "ES-AN",
    "Valencia": "ES-VC",
    "Bilbao": "ES-PV",
}
INTERNATIONAL_ORGANIZATIONS = [
    "Organización Internacional para las Migraciones",
    "Alto Comisionado de las Naciones Unidas para los Refugiados",
    "Programa de las Naciones Unidas para el Desarrollo",
    "Organización de las Naciones Unidas para la Educación, la Ciencia y la Cultura",
    "Organización Panamericana de la Salud",
    "Banco Interamericano de Desarrollo",
    "Programa de las Naciones Unidas para los Asentamientos Humanos",
    "Fondo de las Naciones Unidas para la Infancia",
    "Ciudades y Gobiernos Locales Unidos",
    "Organización de los Estados Americanos",
]
GOVERNMENT_PREFIXES = ["Ciudad de", "Municipalidad de", "Gobierno de la Ciudad de", "Ayuntamiento de", "Provincia de"]
NGO_WORDS = ["Esperanza", "Futuro", "Horizonte", "Puentes", "Raíces", "Alianza", "Encuentro", "Vida", "Tierra"]
PRIVATE_WORDS = ["Tecnologías", "Servicios", "Desarrollos", "Soluciones", "Energía", "Logística", "Consultores"]
FIRST_NAMES = ["María", "José", "Guadalupe", "Juan", "Ana", "Luis", "Rosa", "Carlos", "Elena", "Miguel", "Sofía"]
LAST_NAMES = ["Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez", "Sánchez", "Ramírez"]
ANNEX_TYPES = ["legal_authorization", "budget_viability", "background", "other"]
BENCH_EMAIL = "enlace@bench.example"  # marks the generated institutions
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

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

# --- profile skew: a couple of governments with many linked rows, one with none ------------------

PROFILE_RICH = {"state": "14", "municipality": "14039"}  # Jalisco, Guadalajara
PROFILE_MEDIUM = {"state": "07", "municipality": "07089"}  # Chiapas, Tapachula
PROFILE_POOR = {"state": "04", "municipality": "04001"}  # Campeche, Calkiní: no office, partnership or focal point
PROFILE_EMAIL = "perfil@bench.example"


# --- setup -----------------------------------------------------------------------


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--agreements", type=int, default=100_000, help="cases to create (default 100000)")
    parser.add_argument("--institutions", type=int, default=2_000, help="state + municipal offices (default 2000)")
    parser.add_argument(
        "--registry", type=int, default=100_000, help="imported registry entries, 1990-2025 (default 100000)"
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--today", type=dt.date.fromisoformat, default=None, help="date the data is relative to (default: today)"
    )
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default: $DATABASE_URL)")
    parser.add_argument("--recreate", action="store_true", help="drop and create the database first")
    return parser.parse_args(argv)


def configure_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    # The demo loader files its cases through the real services: run their tasks in-process (no broker,
    # so nothing reaches another worker's queue) and keep its uploaded files out of the project tree.
    for name in ("REDIS_URL", "CELERY_BROKER_URL"):
        os.environ.pop(name, None)
    os.environ.setdefault("MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "aii-bench-media"))
    os.environ.setdefault("STATIC_ROOT", str(Path(tempfile.gettempdir()) / "aii-bench-static-unused"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
    os.environ.setdefault("DJANGO_DEBUG", "0")  # no query log in memory during the bulk load
    import django

    django.setup()


def main(argv=None) -> int:
    args = parse_args(argv)
    url = args.database_url or os.environ.get("DATABASE_URL", "")
    from . import db

    server, name = db.split_url(url)
    if args.recreate:
        db.recreate(server, name)
    configure_django(url)
    started = time.monotonic()
    summary = Generator(
        agreements=args.agreements,
        institutions=args.institutions,
        registry=args.registry,
        seed=args.seed,
        today=args.today or dt.date.today(),
    ).run()
    failures = check_distributions(summary["expected"]) + check_registry(
        summary["expected"], args.today or dt.date.today()
    )
    marker = {
        "generator": GENERATOR_VERSION,
        "agreements": args.agreements,
        "institutions": args.institutions,
        "registry": args.registry,
        "seed": args.seed,
        "today": (args.today or dt.date.today()).isoformat(),
        "seconds": round(time.monotonic() - started, 1),
        "ok": not failures,
    }
    db.write_marker(server, name, marker)
    print(f"generated in {marker['seconds']} s: {json.dumps(marker)}")
    if failures:
        print("DISTRIBUTION CHECKS FAILED:\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    return 0


# --- COPY ------------------------------------------------------------------------


class Table:
    """COPY rows (tuples in ``columns`` order) into a model's table; other columns get the model default."""

    def __init__(self, model, columns: list[str]):
        from django.db.models import NOT_PROVIDED

        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(columns) - fields.keys()
        if unknown:
            raise RuntimeError(f"{model.__name__} has no fields {sorted(unknown)}")
        self.extra = []
        for attname, field in fields.items():
            if attname in columns or getattr(field, "db_default", NOT_PROVIDED) is not NOT_PROVIDED:
                continue
            if not field.null and not field.has_default() and not field.empty_strings_allowed:
                raise RuntimeError(
                    f"{model.__name__}.{attname} is required and has no default: teach bench.generate about it"
                )
            default = field.get_default()
            if isinstance(default, (dict, list)):  # a JSONField's default: COPY takes its JSON text
                default = json.dumps(default)
            self.extra.append((field.column, default))
        self.table = model._meta.db_table
        self.columns = [fields[c].column for c in columns] + [c for c, _v in self.extra]
        self.extra_values = tuple(v for _c, v in self.extra)
        self.rows: list[tuple] = []
        self.total = 0

    def add(self, row: tuple) -> None:
        self.rows.append(row)

    def flush(self, cursor) -> None:
        if not self.rows:
            return
        from psycopg import sql

        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(self.table), sql.SQL(", ").join(sql.Identifier(c) for c in self.columns)
        )
        extra = self.extra_values
        with cursor.copy(statement) as copy:
            for row in self.rows:
                copy.write_row(row + extra if extra else row)
        self.total += len(self.rows)
        self.rows = []


def _next_id(cursor, table: str) -> int:
    cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"')
    return cursor.fetchone()[0]


def _reset_sequence(cursor, table: str) -> None:
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), COALESCE((SELECT MAX(id) FROM \"{table}\"), 1))"
    )


# --- the generator ---------------------------------------------------------------------


def _weighted_sample(rng: random.Random, items: list, weights: list[float], k: int) -> list:
    """``k`` distinct items, probability proportional to weight (Efraimidis-Spirakis keys)."""
    keyed = sorted(((rng.random() ** (1.0 / w), i) for i, w in enumerate(weights)), reverse=True)
    return [items[i] for _key, i in keyed[:k]]


@lru_cache(maxsize=8192)
def _deadline(signing: dt.date) -> dt.date:
    from agreements import workflow

    return workflow.cja_deadline(signing)


def _load_demo_data() -> None:
    """``load_demo_data``; if one of its loaders fails, the others still run (the benchmark needs the accounts)."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction
    from django.utils.module_loading import import_string

    try:
        call_command("load_demo_data", verbosity=0)
        return
    except Exception as exc:  # reported, then each loader is retried on its own
        print(f"WARNING: load_demo_data failed ({exc!r}); running its loaders one by one", file=sys.stderr)
    for path in settings.PORTAL_DEMO_LOADERS:
        try:
            with transaction.atomic():
                import_string(path)()
        except Exception as exc:
            print(f"WARNING: demo loader {path} failed: {exc!r}", file=sys.stderr)


class Generator:
    def __init__(self, *, agreements: int, institutions: int, registry: int, seed: int, today: dt.date):
        self.n_agreements = agreements
        self.n_institutions = institutions
        self.n_registry = registry
        self.seed = seed
        self.rng = random.Random(seed)
        self.today = today
        self.now = dt.datetime.combine(today, dt.time(12, 0), tzinfo=dt.UTC)
        self.counts: dict[str, int] = {}

    def run(self) -> dict:
        from django.core.management import call_command
        from django.db import connection

        if connection.vendor != "postgresql":
            raise SystemExit("bench.generate needs PostgreSQL (DATABASE_URL=postgres://...)")
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_reference_data", verbosity=0)
        _load_demo_data()
        from portal.institutions.models import Institution

        if Institution.objects.filter(email=BENCH_EMAIL).exists():
            raise SystemExit("The database already has generated data; generate into a fresh one (--recreate).")
        print(f"migrated and loaded reference/demo data in {time.monotonic() - started:.1f} s")
        gc.disable()  # millions of small tuples: the cyclic collector only slows the load down
        try:
            step = time.monotonic()
            self._institutions_and_users()
            print(f"institutions and users in {time.monotonic() - step:.1f} s")
            step = time.monotonic()
            self._cases()
            print(f"cases in {time.monotonic() - step:.1f} s")
            step = time.monotonic()
            self._registry()
            print(f"{self.n_registry} imported registry entries in {time.monotonic() - step:.1f} s")
            step = time.monotonic()
            self._profile_skew()
            print(f"profile skew {self.counts['profile_skew']} in {time.monotonic() - step:.1f} s")
        finally:
            gc.enable()
        step = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"VACUUM ANALYZE in {time.monotonic() - step:.1f} s")
        return {"expected": self._expected()}

    # -- institutions and local officials ----------------------------------------------

    def _institutions_and_users(self) -> None:
        from django.contrib.auth.hashers import make_password
        from django.contrib.auth.models import Group
        from django.db import connection, transaction

        from portal.geography.models import Municipality, State
        from portal.institutions.choices import Role
        from portal.institutions.models import Institution, User
        from portal.institutions.roles import GROUP_NAMES

        rng = self.rng
        states = list(State.objects.order_by("code"))
        municipalities = list(Municipality.objects.select_related("state").order_by("inegi_code"))
        n_municipal = max(0, min(self.n_institutions - len(states), len(municipalities)))
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
            next_institution = _next_id(cursor, Institution._meta.db_table)
            next_user = _next_id(cursor, User._meta.db_table)
            next_member = _next_id(cursor, User.groups.through._meta.db_table)
            self.institutions: list[dict] = []
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
                            self.now - dt.timedelta(days=rng.randint(400, 2000)),
                            pk,
                            "Enlace de asuntos internacionales",
                            True,
                        )
                    )
                    group_table.add((next_member, uid, local_group.pk))
                    next_member += 1
                    users.append(uid)
                self.institutions.append(
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
                _reset_sequence(cursor, table.table)
        self.counts.update(institutions=institution_table.total, users=user_table.total)
        self.cja_user = User.objects.get(email="cja@demo.mx").pk
        self.dgcp_user = User.objects.get(email="dgcp@demo.mx").pk

    # -- cases ---------------------------------------------------------------------------

    def _cases(self) -> None:
        from django.db import connection, transaction

        from agreements.models import Agreement, Dictamen, Document, Observation, TimelineEvent
        from agreements.registry.models import RegistryEntry

        tables = {
            "agreement": Table(
                Agreement,
                [
                    "id",
                    "folio",
                    "title",
                    "kind",
                    "institution_id",
                    "created_by_id",
                    "counterpart_name",
                    "counterpart_type",
                    "counterpart_country",
                    "counterpart_subdivision",
                    "intended_signing_date",
                    "intended_signing_place",
                    "urgency_reason",
                    "status",
                    "current_step",
                    "step_entered_at",
                    "cja_deadline",
                    "is_late",
                    "submitted_at",
                    "dictamen_outcome",
                    "signed_on",
                    "signed_place",
                    "registry_number",
                    "registered_on",
                    "recommendations_incorporated",
                    "closed_at",
                    "is_demo",
                    "created_at",
                    "updated_at",
                ],
            ),
            "themes": Table(Agreement.themes.through, ["id", "agreement_id", "theme_id"]),
            "document": Table(
                Document,
                [
                    "id",
                    "agreement_id",
                    "kind",
                    "annex_type",
                    "version",
                    "file",
                    "original_name",
                    "content_type",
                    "size",
                    "sha256",
                    "extracted_text",
                    "uploaded_by_id",
                    "uploaded_at",
                ],
            ),
            "dictamen": Table(
                Dictamen,
                [
                    "id",
                    "agreement_id",
                    "final_text_id",
                    "outcome",
                    "summary",
                    "status",
                    "issued_by_id",
                    "issued_at",
                    "reviewed_by_id",
                    "reviewed_at",
                    "cover_note",
                    "return_comment",
                    "reply_letter_id",
                ],
            ),
            "observation": Table(
                Observation,
                ["id", "dictamen_id", "number", "text", "clause", "answer", "reply", "answered_by_id", "answered_at"],
            ),
            "timeline": Table(
                TimelineEvent,
                [
                    "id",
                    "agreement_id",
                    "created_at",
                    "actor_id",
                    "actor_role",
                    "action",
                    "completed_step",
                    "from_step",
                    "to_step",
                    "from_status",
                    "to_status",
                    "decision",
                    "comment",
                ],
            ),
            "registry": Table(
                RegistryEntry,
                [
                    "id",
                    "registry_number",
                    "title",
                    "kind",
                    "level",
                    "state_id",
                    "municipality_id",
                    "signing_office",
                    "counterpart_name",
                    "counterpart_type",
                    "counterpart_country",
                    "counterpart_subdivision",
                    "region",
                    "signed_on",
                    "signed_place",
                    "registered_on",
                    "expires_on",
                    "agreement_id",
                    "institution_id",
                    "source",
                    "search_text",
                    "theme_keys",
                    "is_demo",
                    "created_at",
                    "updated_at",
                ],
            ),
            "registry_themes": Table(RegistryEntry.themes.through, ["id", "registryentry_id", "theme_id"]),
        }
        with transaction.atomic(), connection.cursor() as cursor:
            self.ids = {key: _next_id(cursor, table.table) for key, table in tables.items()}
            self.first_agreement_id = self.ids["agreement"]
            self.tables = tables
            statuses = self.rng.choices(
                list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()), k=self.n_agreements
            )
            institutions = self.rng.choices(
                self.institutions, weights=[i["weight"] for i in self.institutions], k=self.n_agreements
            )
            for start in range(0, self.n_agreements, CHUNK):
                for status, institution in zip(
                    statuses[start : start + CHUNK], institutions[start : start + CHUNK], strict=True
                ):
                    self._case(status, institution)
                for table in tables.values():
                    table.flush(cursor)
            for table in tables.values():
                _reset_sequence(cursor, table.table)
        self.counts.update({key: table.total for key, table in tables.items()})
        self.status_counts = {s: statuses.count(s) for s in STATUS_WEIGHTS}

    # -- the public registry's imported history ------------------------------------------

    def _registry(self) -> None:
        """``n_registry`` imported entries (source 'import'), as ``agreements.registry.services.entries`` would write them."""
        from django.db import connection, transaction

        from agreements import countries
        from agreements.registry.models import RegistryEntry
        from portal.core.text import fold
        from portal.geography.models import Municipality, State

        rng = random.Random(f"{self.seed}-registry")  # independent of the cases: same cases as generator v1
        n = self.n_registry
        states = list(State.objects.order_by("code"))
        municipalities = list(Municipality.objects.select_related("state").order_by("inegi_code"))
        state_weights = [max(s.population_2020, 100_000) ** 0.8 for s in states]
        municipality_weights = [max(m.population_2020, 500) ** 0.85 for m in municipalities]
        first, last = REGISTRY_YEARS
        years = list(range(first, last + 1))
        year_weights = [REGISTRY_GROWTH ** (y - first) for y in years]
        purpose_weights = [1 / (i + 1) ** 1.07 for i in range(len(REGISTRY_PURPOSES))]
        country_codes = list(REGISTRY_COUNTRY_WEIGHTS) + [c for c in COUNTRIES if c not in REGISTRY_COUNTRY_WEIGHTS]
        country_weights = [REGISTRY_COUNTRY_WEIGHTS.get(c, 0.6) for c in country_codes]
        themes, theme_weights = list(REGISTRY_THEME_WEIGHTS), list(REGISTRY_THEME_WEIGHTS.values())

        def zipf(items):
            return rng.choices(items, weights=[1 / (i + 1) for i in range(len(items))], k=1)[0]

        def counterpart() -> tuple[str, str, str, str]:
            kind = rng.choices(list(REGISTRY_COUNTERPART_TYPES), weights=list(REGISTRY_COUNTERPART_TYPES.values()))[0]
            if kind == "international_organization":
                return zipf(INTERNATIONAL_ORGANIZATIONS), kind, "", ""
            country = rng.choices(country_codes, weights=country_weights)[0]
            city = zipf(COUNTRIES[country])
            city_subdivision = REGISTRY_CITY_SUBDIVISIONS.get(city, "")
            if kind == "government":
                roll = rng.random()
                if country in COOPERATION_AGENCIES and roll < 0.12:
                    return COOPERATION_AGENCIES[country], kind, country, ""
                if country in REGISTRY_SUBNATIONAL and roll < 0.5:
                    name, subdivision = zipf(REGISTRY_SUBNATIONAL[country])
                    return name, kind, country, subdivision
                name = f"{zipf(GOVERNMENT_PREFIXES)} {city}"
                return name, kind, country, city_subdivision if rng.random() < 0.85 else ""
            if kind == "ngo":
                name = f"Fundación {rng.choice(NGO_WORDS)} de {city}"
            elif rng.random() < 0.4 and country == "US":
                place = zipf(list(US_UNIVERSITIES))
                return f"Universidad de {place}", kind, country, US_UNIVERSITIES[place]
            elif rng.random() < 0.4:
                name = f"Universidad de {city}"
            elif rng.random() < 0.5:
                name = f"Cámara de Comercio de {city}"
            else:
                name = f"{rng.choice(PRIVATE_WORDS)} {rng.choice(NGO_WORDS)} de {city}"
            return name, kind, country, city_subdivision if rng.random() < 0.5 else ""

        entries = Table(
            RegistryEntry,
            [
                "id",
                "registry_number",
                "title",
                "kind",
                "level",
                "state_id",
                "municipality_id",
                "signing_office",
                "counterpart_name",
                "counterpart_type",
                "counterpart_country",
                "counterpart_subdivision",
                "region",
                "signed_on",
                "signed_place",
                "registered_on",
                "expires_on",
                "source",
                "search_text",
                "theme_keys",
                "is_demo",
                "created_at",
                "updated_at",
            ],
        )
        links = Table(RegistryEntry.themes.through, ["id", "registryentry_id", "theme_id"])
        with transaction.atomic(), connection.cursor() as cursor:
            entry_id = _next_id(cursor, entries.table)
            link_id = _next_id(cursor, links.table)
            self.first_registry_id = entry_id
            for number in range(1, n + 1):
                if rng.random() < REGISTRY_STATE_SHARE:
                    level, municipality = "state", None
                    state = rng.choices(states, weights=state_weights)[0]
                    office = rng.choices(STATE_OFFICES, weights=[w for _o, w in STATE_OFFICES])[0][0]
                    office = office.format(s=state.short_name)
                    party, place = f"el Estado de {state.short_name}", state.short_name
                else:
                    level = "municipal"
                    municipality = rng.choices(municipalities, weights=municipality_weights)[0]
                    state = municipality.state
                    office = rng.choices(MUNICIPAL_OFFICES, weights=[w for _o, w in MUNICIPAL_OFFICES])[0][0]
                    office = office.format(m=municipality.name, s=state.short_name)
                    party, place = f"el Municipio de {municipality.name}, {state.short_name}", municipality.name
                kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
                name, counterpart_type, country, subdivision = counterpart()
                theme, purpose = rng.choices(REGISTRY_PURPOSES, weights=purpose_weights)[0]
                entry_themes = {theme}
                for _ in range(rng.choice((0, 0, 1, 1, 2))):  # 1-3 themes
                    entry_themes.add(rng.choices(themes, weights=theme_weights)[0])
                title = f"{zipf(REGISTRY_KIND_TITLES[kind])} entre {party} y {name} {purpose}"[:300]
                year = rng.choices(years, weights=year_weights)[0]
                code, renamed, new_name, old_name = FEDERAL_DISTRICT
                if state.code == code and year < renamed:  # no extra draw: the other rows stay as in version 2
                    title, office, place = (t.replace(new_name, old_name) for t in (title, office, place))
                signed_on = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
                registered_on = min(signed_on + dt.timedelta(days=rng.randint(10, 240)), self.today)
                expires_on = None
                if rng.random() >= REGISTRY_NO_EXPIRY:
                    expires_on = signed_on + dt.timedelta(days=365 * rng.choice((2, 3, 4, 5, 5, 10)))
                stamp = dt.datetime.combine(registered_on, dt.time(12, 0), tzinfo=dt.UTC)
                entries.add(
                    (
                        entry_id,
                        f"RAII-H-{registered_on.year}-{number:06d}",
                        title,
                        kind,
                        level,
                        state.code,
                        municipality.inegi_code if municipality else None,
                        office,
                        name,
                        counterpart_type,
                        country,
                        subdivision,
                        countries.region_for(country),
                        signed_on,
                        place,
                        registered_on,
                        expires_on,
                        "import",
                        fold(f"{title} {name} {office}"),  # services.registry._derived
                        ";".join(sorted(entry_themes)),
                        True,
                        stamp,
                        stamp,
                    )
                )
                for key in sorted(entry_themes):
                    links.add((link_id, entry_id, key))
                    link_id += 1
                entry_id += 1
                if len(entries.rows) >= CHUNK:
                    entries.flush(cursor)
                    links.flush(cursor)
            entries.flush(cursor)
            links.flush(cursor)
            for table in (entries, links):
                _reset_sequence(cursor, table.table)
        self.counts.update(registry_imported=entries.total, registry_imported_themes=links.total)

    # -- profile skew ----------------------------------------------------------------------

    def _profile_skew(self) -> None:
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

        rng = random.Random(f"{self.seed}-profiles")
        bench_themes = [
            PartnershipTheme.objects.get_or_create(name=name)[0] for name in ("Migración", "Desarrollo local")
        ]
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
                where = (
                    f"{municipality.name}, {state.short_name}" if municipality else f"el Estado de {state.short_name}"
                )
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
                                instrument=rng.choice(
                                    ["letter_of_understanding", "cooperation_agreement", "mou", "other"]
                                ),
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
                    OfficeAbroad(
                        office=office, city=city, region=region, country=country, is_liaison=rng.random() < 0.3
                    )
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
        self.counts["profile_skew"] = counts

    def _new_id(self, key: str) -> int:
        value = self.ids[key]
        self.ids[key] = value + 1
        return value

    def _counterpart(self) -> tuple[str, str, str, str]:
        """(name, type, country, subdivision)."""
        rng = self.rng
        kind = rng.choices(
            ["government", "international_organization", "ngo", "private"], weights=[60, 10, 15, 15], k=1
        )[0]
        if kind == "international_organization":
            return rng.choice(INTERNATIONAL_ORGANIZATIONS), kind, "", ""
        country = rng.choice(list(COUNTRIES))
        city = rng.choice(COUNTRIES[country])
        subdivision = SUBDIVISIONS.get(city, "") if rng.random() < 0.6 else ""
        if kind == "government":
            name = f"{rng.choice(GOVERNMENT_PREFIXES)} {city}"
        elif kind == "ngo":
            name = f"Fundación {rng.choice(NGO_WORDS)} de {city}"
        else:
            name = f"{rng.choice(PRIVATE_WORDS)} {rng.choice(NGO_WORDS)} de {city}"
        return name, kind, country, subdivision

    def _path(self, status: str) -> tuple[str, ...]:
        if status == "draft":
            return ()
        if status == "withdrawn":
            return self.rng.choices(WITHDRAWN_PATHS, weights=[50, 35, 15], k=1)[0]
        if status in SIDE_PATHS:
            return SIDE_PATHS[status]
        return MAIN_PATH[: MAIN_PATH.index(status) + 1]

    def _case(self, status: str, institution: dict) -> None:
        from agreements import countries, workflow
        from portal.core.text import fold

        rng, t = self.rng, self.tables
        pk = self._new_id("agreement")
        author = rng.choice(institution["users"])
        kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()), k=1)[0]
        counterpart, counterpart_type, country, subdivision = self._counterpart()
        themes = rng.sample(list(THEME_LABELS), rng.choice((1, 1, 2, 2, 3)))
        title = (
            f"{KIND_TITLES[kind]} entre {institution['short']} y {counterpart} en materia de {THEME_LABELS[themes[0]]}"
        )
        path = self._path(status)
        terminal = status in workflow.TERMINAL_STATUSES

        # Documents uploaded while drafting: none, the request letter, or both (the draft step follows).
        if status == "draft" or path == ("withdrawn",):
            documents = rng.choices((0, 1, 2), weights=(25, 25, 50), k=1)[0]
        else:
            documents = 2
        with_annex = documents == 2 and rng.random() < 0.4

        # Relative times (seconds since creation) of every event, in order.
        events = []  # (offset, action, actor, completed, from_status, to_status, from_step, to_step, decision)
        step = 1
        offset = 0
        events.append((0, "create", "local", None, "draft", "draft", None, 1, ""))
        uploads = ["request_letter", "final_text"][:documents] + (["annex"] if with_annex else [])
        for number, doc_kind in enumerate(uploads, start=1):
            offset += rng.randint(HOUR, 5 * DAY)
            new_step = workflow.draft_step(has_request_letter=True, has_final_text=number >= 2)
            events.append((offset, "upload_document", "local", number, "draft", "draft", step, new_step, doc_kind))
            step = new_step
        previous = "draft"
        times = {"draft": offset}
        late = False
        for target in path:
            action, completed, actor, (low, high) = TRANSITIONS[(previous, target)]
            offset += rng.randint(low, high)
            new_step = None if target in workflow.TERMINAL_STATUSES else workflow.step_for_status(target)
            decision = ""
            if action == "compute_deadline":
                late = rng.random() < 0.08
                decision = "late" if late else "on_time"
            events.append((offset, action, actor, completed, previous, target, step, new_step, decision))
            times[target] = offset
            previous, step = target, new_step

        # Anchor the simulated history in time: open cases entered their step recently, the rest ended earlier.
        if terminal:
            end = self.now - dt.timedelta(seconds=rng.randint(DAY, 1_700 * DAY))
        else:
            waited = rng.randint(0, 120 * DAY) if rng.random() < 0.9 else rng.randint(120 * DAY, 400 * DAY)
            end = self.now - dt.timedelta(seconds=waited)
        created = end - dt.timedelta(seconds=offset)

        def at(seconds: int) -> dt.datetime:
            return created + dt.timedelta(seconds=seconds)

        signing = created.date() + dt.timedelta(days=rng.randint(20, 240))
        deadline = _deadline(signing)
        folio = f"AII-{created.year}-{pk:06d}"
        urgency = "Visita oficial de la contraparte en fechas próximas." if late and rng.random() < 0.5 else ""
        signed_on = at(times["signed"]).date() - dt.timedelta(days=rng.randint(0, 5)) if "signed" in times else None
        registered_on = at(times["inscribed"]).date() if "inscribed" in times else None
        registry_number = f"RAII-{registered_on.year}-{pk:06d}" if registered_on else None
        outcome = ""
        dictamen_outcome = ""
        if "dictamen_issued" in times:
            if status == "not_viable":
                dictamen_outcome = "not_viable"
            else:
                dictamen_outcome = rng.choices(
                    ["viable", "viable_with_observations", "not_viable"],
                    weights=[60, 32, 8] if status == "dictamen_issued" else [65, 35, 0],
                    k=1,
                )[0]
            approved = status != "dictamen_issued"
            outcome = dictamen_outcome if approved else ""
        t["agreement"].add(
            (
                pk,
                folio,
                title[:300],
                kind,
                institution["id"],
                author,
                counterpart,
                counterpart_type,
                country,
                subdivision,
                signing,
                institution["place"],
                urgency,
                status,
                step,
                at(events[-1][0]),
                deadline,
                late and not urgency,
                at(times["submitted"]) if "submitted" in times else None,
                outcome,
                signed_on,
                institution["place"] if signed_on else "",
                registry_number,
                registered_on,
                True if registered_on else None,
                at(events[-1][0]) if terminal else None,
                True,
                created,
                at(events[-1][0]),
            )
        )
        for theme in themes:
            t["themes"].add((self._new_id("themes"), pk, theme))

        actors = {"local": author, "cja": self.cja_user, "dgcp": self.dgcp_user, "system": None}
        for offset_s, action, actor, completed, from_status, to_status, from_step, to_step, decision in events:
            t["timeline"].add(
                (
                    self._new_id("timeline"),
                    pk,
                    at(offset_s),
                    actors[actor],
                    actor,
                    action,
                    completed,
                    from_step,
                    to_step,
                    from_status,
                    to_status,
                    decision,
                    COMMENTS.get(action, ""),
                )
            )

        # Documents: what the uploads and the signed copy left behind.
        final_text_id = None
        uploads = [e for e in events if e[1] == "upload_document"]
        for offset_s, *_rest, doc_kind in uploads:
            document_id = self._new_id("document")
            if doc_kind == "final_text":
                final_text_id = document_id
            self._document(document_id, pk, doc_kind, author, at(offset_s))
        if "signed" in times:
            self._document(self._new_id("document"), pk, "signed_copy", author, at(times["signed"]))

        if "dictamen_issued" in times:
            dictamen_id = self._new_id("dictamen")
            approved = status != "dictamen_issued"
            review = next((times[s] for s in ("awaiting_signature", "not_viable") if s in times), None)
            t["dictamen"].add(
                (
                    dictamen_id,
                    pk,
                    final_text_id,
                    dictamen_outcome,
                    "La Consultoría Jurídica dictamina el instrumento conforme a la Ley sobre la Celebración de Tratados.",
                    "approved" if approved else "issued",
                    self.cja_user,
                    at(times["dictamen_issued"]),
                    self.dgcp_user if approved else None,
                    at(review) if approved else None,
                    "Se entrega el dictamen a la dependencia." if approved else "",
                    "",
                    None,
                )
            )
            if dictamen_outcome == "viable_with_observations":
                for number in range(1, rng.randint(1, 4) + 1):
                    answered = approved and "signed" in times
                    t["observation"].add(
                        (
                            self._new_id("observation"),
                            dictamen_id,
                            number,
                            f"Precisar el alcance de la cláusula {number + 2} respecto de las obligaciones financieras.",
                            f"Cláusula {number + 2}",
                            rng.choice(("addressed", "addressed", "not_addressed")) if answered else "pending",
                            "Se ajustó la redacción." if answered else "",
                            author if answered else None,
                            at(times["signed"]) if answered else None,
                        )
                    )

        if status == "closed":
            entry_id = self._new_id("registry")
            level = institution["level"]
            t["registry"].add(
                (
                    entry_id,
                    registry_number,
                    title[:300],
                    kind,
                    level,
                    institution["state_id"],
                    institution["municipality_id"] if level == "municipal" else None,
                    institution["name"],
                    counterpart,
                    counterpart_type,
                    country,
                    subdivision,
                    countries.region_for(country),
                    signed_on,
                    institution["place"],
                    registered_on,
                    signed_on + dt.timedelta(days=365 * rng.choice((3, 5, 10))) if rng.random() < 0.7 else None,
                    pk,
                    institution["id"],
                    "workflow",
                    # What services.registry._derived writes when step 12 publishes the entry.
                    fold(f"{title[:300]} {counterpart} {institution['name']}"),
                    ";".join(sorted(themes)),
                    True,
                    at(times["closed"]),
                    at(times["closed"]),
                )
            )
            for theme in themes:
                t["registry_themes"].add((self._new_id("registry_themes"), entry_id, theme))

    def _document(self, pk: int, agreement_id: int, kind: str, author: int, when: dt.datetime) -> None:
        rng = self.rng
        annex_type = rng.choice(ANNEX_TYPES) if kind == "annex" else ""
        content_type = DOCX if kind == "final_text" else PDF
        extension = "docx" if kind == "final_text" else "pdf"
        self.tables["document"].add(
            (
                pk,
                agreement_id,
                kind,
                annex_type,
                1,
                f"agreements/{agreement_id}/{rng.getrandbits(128):032x}",
                f"{kind}_{agreement_id}.{extension}",
                content_type,
                rng.randint(20_000, 3_000_000),
                f"{rng.getrandbits(256):064x}",
                "",
                author,
                when,
            )
        )

    def _expected(self) -> dict:
        return {
            "agreements": self.n_agreements,
            "agreement_ids": (self.first_agreement_id, self.ids["agreement"] - 1),
            "institutions": self.counts["institutions"],
            "status_counts": self.status_counts,
            "registry": self.n_registry,
            "registry_first_id": self.first_registry_id,
            "profile_skew": self.counts["profile_skew"],
        }


# --- distribution checks ------------------------------------------------------------------


def check_distributions(expected: dict) -> list[str]:
    """Measure the generated cases (ids ``lo``..``hi``), print the figures and return the failed checks."""
    from django.db import connection

    from agreements import workflow
    from agreements.countries import is_subdivision_of

    scope = {"lo": expected["agreement_ids"][0], "hi": expected["agreement_ids"][1]}

    def rows(query, params=None):
        with connection.cursor() as cursor:
            cursor.execute(query, {**scope, **(params or {})})
            return cursor.fetchall()

    def one(query, params=None):
        return rows(query, params)[0]

    cases = "FROM agreements_agreement a WHERE a.id BETWEEN %(lo)s AND %(hi)s"
    n = expected["agreements"]
    terminal = sorted(str(s) for s in workflow.TERMINAL_STATUSES)
    m = {}
    m["agreements"] = one(f"SELECT count(*) {cases} AND a.is_demo")[0]
    m["statuses"] = dict(rows(f"SELECT a.status, count(*) {cases} GROUP BY a.status"))
    (
        m["distinct_institutions_with_cases"],
        m["distinct_states"],
        m["distinct_municipalities"],
        m["distinct_created_years"],
        m["distinct_deadline_years"],
        m["distinct_deadline_months"],
        m["distinct_signing_years"],
        m["distinct_countries"],
        m["distinct_kinds"],
        m["distinct_steps"],
    ) = one(
        """
        SELECT count(DISTINCT a.institution_id), count(DISTINCT i.state_id), count(DISTINCT i.municipality_id),
               count(DISTINCT date_part('year', a.created_at)), count(DISTINCT date_part('year', a.cja_deadline)),
               count(DISTINCT date_trunc('month', a.cja_deadline)),
               count(DISTINCT date_part('year', a.intended_signing_date)),
               count(DISTINCT NULLIF(a.counterpart_country, '')), count(DISTINCT a.kind), count(DISTINCT a.current_step)
        FROM agreements_agreement a JOIN institutions_institution i ON i.id = a.institution_id
        WHERE a.id BETWEEN %(lo)s AND %(hi)s
        """
    )
    null_columns = ["current_step", "cja_deadline", "submitted_at", "signed_on", "registry_number", "closed_at"]
    nulls = one(
        "SELECT "
        + ", ".join(f"avg((a.{c} IS NULL)::int)" for c in null_columns)
        + f", avg((a.counterpart_country = '')::int) {cases}"
    )
    m["null_rates"] = {c: round(float(v), 4) for c, v in zip([*null_columns, "no_country"], nulls, strict=True)}
    m["terminal_share"] = round(sum(m["statuses"].get(s, 0) for s in terminal) / max(n, 1), 4)
    m["inconsistent_steps"] = one(
        f"""
        SELECT count(*) {cases}
        AND ((a.status = ANY(%(terminal)s)) <> (a.current_step IS NULL)
             OR (a.status <> 'draft' AND a.status <> ALL(%(terminal)s)
                 AND a.current_step IS DISTINCT FROM (%(steps)s::jsonb ->> a.status)::int))
        """,
        {"terminal": terminal, "steps": json.dumps({str(k): v for k, v in workflow.STATUS_STEP.items()})},
    )[0]
    m["themes_per_case"] = [
        round(float(v), 2)
        for v in one(
            "SELECT min(c), max(c), avg(c) FROM (SELECT count(*) c FROM agreements_agreement_themes "
            "WHERE agreement_id BETWEEN %(lo)s AND %(hi)s GROUP BY agreement_id) x"
        )
    ]
    m["cases_without_theme"] = one(
        f"SELECT count(*) {cases} AND NOT EXISTS "
        "(SELECT 1 FROM agreements_agreement_themes t WHERE t.agreement_id = a.id)"
    )[0]
    m["distinct_themes"] = one(
        "SELECT count(DISTINCT theme_id) FROM agreements_agreement_themes WHERE agreement_id BETWEEN %(lo)s AND %(hi)s"
    )[0]
    m["cja_inbox"] = one(f"SELECT count(*) {cases} AND a.status IN ('in_review', 'registration_requested')")[0]
    m["dgcp_inbox"] = one(
        "SELECT count(*) FROM agreements_dictamen WHERE status = 'issued' AND agreement_id BETWEEN %(lo)s AND %(hi)s"
    )[0]
    m["open_cases"] = one(
        f"SELECT count(*) {cases} AND a.status = ANY(%(open)s)",
        {"open": sorted(str(s) for s in workflow.OPEN_STATUSES)},
    )[0]
    m["overdue_at_step_7"] = one(f"SELECT count(*) {cases} AND a.current_step = 7 AND a.cja_deadline < current_date")[0]
    m["dictamenes"] = dict(
        rows(
            "SELECT status, count(*) FROM agreements_dictamen WHERE agreement_id BETWEEN %(lo)s AND %(hi)s "
            "GROUP BY status"
        )
    )
    m["observations"] = one(
        "SELECT count(*) FROM agreements_observation o JOIN agreements_dictamen d ON d.id = o.dictamen_id "
        "WHERE d.agreement_id BETWEEN %(lo)s AND %(hi)s"
    )[0]
    m["documents"] = dict(
        rows(
            "SELECT kind, count(*) FROM agreements_document WHERE agreement_id BETWEEN %(lo)s AND %(hi)s GROUP BY kind"
        )
    )
    m["documents_empty"] = one(
        "SELECT count(*) FROM agreements_document WHERE agreement_id BETWEEN %(lo)s AND %(hi)s "
        "AND (size <= 0 OR sha256 = '')"
    )[0]
    m["timeline_events"] = one(
        "SELECT count(*) FROM agreements_timelineevent WHERE agreement_id BETWEEN %(lo)s AND %(hi)s"
    )[0]
    m["timestamps_out_of_order"] = one(
        f"SELECT count(*) {cases} AND (a.created_at > a.step_entered_at OR a.updated_at < a.created_at "
        "OR a.submitted_at < a.created_at OR a.closed_at < a.created_at)"
    )[0]
    m["registry_entries"] = one(
        "SELECT count(*) FROM agreements_registryentry WHERE agreement_id BETWEEN %(lo)s AND %(hi)s"
    )[0]
    m["institutions"] = dict(
        rows(
            "SELECT level, count(*) FROM institutions_institution WHERE email = %(email)s GROUP BY level",
            {"email": BENCH_EMAIL},
        )
    )
    m["institution_states"] = one(
        "SELECT count(DISTINCT state_id) FROM institutions_institution WHERE email = %(email)s", {"email": BENCH_EMAIL}
    )[0]
    m["local_officials"] = one(
        "SELECT count(*) FROM institutions_user u JOIN institutions_user_groups g ON g.user_id = u.id "
        "JOIN auth_group gr ON gr.id = g.group_id WHERE gr.name = 'Enlace local' AND u.email LIKE %(domain)s",
        {"domain": "%@bench.example"},
    )[0]
    subdivisions = rows(
        f"SELECT DISTINCT a.counterpart_country, a.counterpart_subdivision {cases} AND a.counterpart_subdivision <> ''"
    )
    m["invalid_subdivisions"] = [s for c, s in subdivisions if not is_subdivision_of(s, c)]

    print(json.dumps(m, indent=1, default=str, ensure_ascii=False))
    small = n < 2_000  # tiny smoke-test datasets cannot fill every inbox page
    checks = [
        (m["agreements"] == n, f"agreements: {m['agreements']} != {n}"),
        (len(m["statuses"]) == len(STATUS_WEIGHTS), f"distinct statuses {len(m['statuses'])} < {len(STATUS_WEIGHTS)}"),
        (m["statuses"] == {k: v for k, v in expected["status_counts"].items() if v}, "status counts != simulation"),
        (m["distinct_states"] >= 30, f"states with cases {m['distinct_states']} < 30"),
        (m["institution_states"] == 32, f"states among institutions {m['institution_states']} != 32"),
        (
            m["distinct_institutions_with_cases"] >= 0.8 * expected["institutions"]
            or n < 20 * expected["institutions"],
            "fewer than 80% of the institutions have cases",
        ),
        (m["distinct_municipalities"] > 100 or expected["institutions"] < 200, "cases on 100 municipalities or fewer"),
        (m["distinct_created_years"] > 1, "every case created in the same year"),
        (m["distinct_deadline_years"] > 1, "every cja_deadline in the same year"),
        (m["distinct_deadline_months"] > 12, "cja_deadline spans 12 months or fewer"),
        (m["distinct_signing_years"] > 1, "every signing date in the same year"),
        (m["distinct_countries"] >= 20, "fewer than 20 counterpart countries"),
        (m["distinct_kinds"] == len(KIND_WEIGHTS), "not every kind of instrument present"),
        (m["distinct_steps"] == 11, f"distinct current_step values {m['distinct_steps']} != 11 (1, 2, 4-12)"),
        (m["distinct_themes"] == len(THEME_LABELS), "not every theme present"),
        (m["cases_without_theme"] == 0, "cases without a theme"),
        (m["inconsistent_steps"] == 0, f"{m['inconsistent_steps']} cases whose step does not match the status"),
        (
            abs(m["null_rates"]["current_step"] - m["terminal_share"]) < 1e-3,
            "current_step NULL rate differs from the terminal share",
        ),
        (m["null_rates"]["cja_deadline"] == 0, "cases without cja_deadline"),
        (0 < m["null_rates"]["submitted_at"] < 0.5, "submitted_at NULL rate out of (0, 0.5)"),
        (0 < m["null_rates"]["registry_number"] < 1, "registry_number NULL rate out of (0, 1)"),
        (m["cja_inbox"] > 25 or small, "CJA inbox has no second page"),
        (m["dgcp_inbox"] > 25 or small, "DGCP inbox has no second page"),
        (m["dgcp_inbox"] == m["statuses"].get("dictamen_issued", 0), "issued dictámenes != cases at step 8"),
        (m["overdue_at_step_7"] > 0 or small, "no overdue case at step 7"),
        (m["registry_entries"] == m["statuses"].get("closed", 0), "registry entries != closed cases"),
        (m["documents_empty"] == 0, "documents without size or hash"),
        (m["timestamps_out_of_order"] == 0, "timestamps out of order"),
        (m["local_officials"] >= expected["institutions"], "fewer local officials than institutions"),
        (not m["invalid_subdivisions"], f"invalid ISO 3166-2 subdivisions {m['invalid_subdivisions']}"),
    ]
    failures = [message for ok, message in checks if not ok]
    print(f"distribution checks: {len(checks) - len(failures)}/{len(checks)} passed")
    return failures


def check_registry(expected: dict, today: dt.date) -> list[str]:
    """Measure the registry (imported history and workflow entries) and the profile skew; return failed checks."""
    from django.db import connection

    from agreements.countries import is_subdivision_of, region_for
    from agreements.registry.models import RegistryEntry
    from agreements.registry.selectors import registry_search
    from portal.core.text import fold

    n = expected["registry"]
    scope = {"lo": expected["registry_first_id"], "today": today}

    def rows(query, params=None):
        with connection.cursor() as cursor:
            cursor.execute(query, {**scope, **(params or {})})
            return cursor.fetchall()

    def one(query, params=None):
        return rows(query, params)[0]

    imported = "FROM agreements_registryentry r WHERE r.source = 'import' AND r.id >= %(lo)s"
    m = {}
    m["entries"] = dict(rows("SELECT source, count(*) FROM agreements_registryentry GROUP BY source"))
    total = sum(m["entries"].values())
    (
        m["imported"],
        m["imported_demo"],
        m["distinct_states"],
        m["distinct_municipalities"],
        m["state_level_share"],
        m["distinct_years"],
        m["first_year"],
        m["last_year"],
        m["expires_null_rate"],
        m["registered_before_signed"],
        m["registered_after_today"],
        m["expires_before_signed"],
    ) = one(
        "SELECT count(*), count(*) FILTER (WHERE r.is_demo), count(DISTINCT r.state_id), "
        "count(DISTINCT r.municipality_id), avg((r.level = 'state')::int)::float, "
        "count(DISTINCT date_part('year', r.signed_on)), min(date_part('year', r.signed_on))::int, "
        "max(date_part('year', r.signed_on))::int, avg((r.expires_on IS NULL)::int)::float, "
        "count(*) FILTER (WHERE r.registered_on < r.signed_on), count(*) FILTER (WHERE r.registered_on > %(today)s), "
        f"count(*) FILTER (WHERE r.expires_on < r.signed_on) {imported}"
    )
    m["per_decade"] = dict(
        rows(f"SELECT (date_part('year', r.signed_on)::int / 10) * 10 AS d, count(*) {imported} GROUP BY d ORDER BY d")
    )
    m["municipality_outside_state"] = one(
        "SELECT count(*) FROM agreements_registryentry r JOIN geography_municipality g ON g.inegi_code = "
        "r.municipality_id WHERE g.state_id <> r.state_id"
    )[0]
    m["top_countries"] = rows(
        "SELECT counterpart_country, count(*) FROM agreements_registryentry WHERE counterpart_country <> '' "
        "GROUP BY 1 ORDER BY 2 DESC LIMIT 5"
    )
    m["counterpart_types"] = dict(rows(f"SELECT r.counterpart_type, count(*) {imported} GROUP BY 1"))
    m["kinds"] = len(rows(f"SELECT DISTINCT r.kind {imported}"))
    m["themes_per_entry"] = [
        round(float(v), 2)
        for v in one(
            "SELECT min(c), max(c), avg(c) FROM (SELECT r.id, count(t.id) c FROM agreements_registryentry r "
            "LEFT JOIN agreements_registryentry_themes t ON t.registryentry_id = r.id GROUP BY r.id) x"
        )
    ]
    m["theme_keys_mismatch"] = one(
        "SELECT count(*) FROM agreements_registryentry r WHERE r.theme_keys <> coalesce((SELECT string_agg("
        "t.theme_id, ';' ORDER BY t.theme_id COLLATE \"C\") FROM agreements_registryentry_themes t "
        "WHERE t.registryentry_id = r.id), '')"
    )[0]
    # The statistics summary the triggers keep as COPY writes (migration 0034), against a live count by state.
    m["stats_summary_mismatch"] = one(
        "SELECT count(*) FROM (SELECT state_id AS k, count(*) AS n FROM agreements_registryentry GROUP BY 1) live "
        "FULL JOIN (SELECT key AS k, entries AS n FROM agreements_registrystat WHERE state_code = '' "
        "AND dimension = 'state' AND entries <> 0) summary USING (k) WHERE live.n IS DISTINCT FROM summary.n"
    )[0]
    pairs = rows("SELECT DISTINCT counterpart_country, counterpart_subdivision, region FROM agreements_registryentry")
    m["invalid_subdivisions"] = sorted({s for c, s, _r in pairs if s and not is_subdivision_of(s, c)})
    m["wrong_regions"] = sorted({(c, r) for c, _s, r in pairs if r != region_for(c)})
    m["subdivision_countries"] = sorted({c for c, s, _r in pairs if s})
    mismatched, checked, last_id = 0, 0, 0
    while True:  # search_text exactly as services.registry._derived writes it, for every entry
        batch = rows(
            "SELECT id, title, counterpart_name, signing_office, search_text FROM agreements_registryentry "
            "WHERE id > %(after)s ORDER BY id LIMIT 20000",
            {"after": last_id},
        )
        if not batch:
            break
        for _pk, title, name, office, text in batch:
            mismatched += fold(f"{title} {name} {office}") != text
        checked += len(batch)
        last_id = batch[-1][0]
    m["search_text_checked"], m["search_text_mismatch"] = checked, mismatched
    m["search_bands"] = {}
    for band, term in SEARCH_TERMS.items():
        matches = registry_search(RegistryEntry.objects.all(), term).count()
        m["search_bands"][band] = {"term": term, "matches": matches, "share": round(matches / max(total, 1), 4)}
    m["expiring_within_90_days"] = one(
        "SELECT count(*) FROM agreements_registryentry WHERE expires_on BETWEEN %(today)s AND %(today)s + 90"
    )[0]
    profile = {}
    for label, place in (("rich", PROFILE_RICH), ("medium", PROFILE_MEDIUM), ("poor", PROFILE_POOR)):
        for kind, code in place.items():
            where = (
                "i.state_id = %(code)s AND i.municipality_id IS NULL"
                if kind == "state"
                else "i.municipality_id = %(code)s"
            )
            column = "state_id" if kind == "state" else "municipality_id"
            profile[f"{label}_{kind}_{code}"] = dict(
                zip(
                    ["registry", "partnerships", "migrant_offices", "focal_points", "memberships"],
                    one(
                        f"SELECT (SELECT count(*) FROM agreements_registryentry WHERE {column} = %(code)s), "
                        "(SELECT count(*) FROM cooperation_partnership p JOIN institutions_institution i "
                        f"ON i.id = p.institution_id WHERE {where}), "
                        "(SELECT count(*) FROM migrants_migrantoffice o JOIN institutions_institution i "
                        f"ON i.id = o.institution_id WHERE i.{column} = %(code)s), "
                        f"(SELECT count(*) FROM cooperation_focalpoint WHERE {column} = %(code)s), "
                        f"(SELECT count(*) FROM cooperation_networkmembership WHERE {column} = %(code)s)",
                        {"code": code},
                    ),
                    strict=True,
                )
            )
    m["profiles"] = profile
    m["not_analyzed"] = [
        name
        for name, analyzed in rows(
            "SELECT relname, greatest(last_analyze, last_autoanalyze) IS NOT NULL FROM pg_stat_user_tables "
            "WHERE relname IN ('agreements_registryentry', 'agreements_registryentry_themes')"
        )
        if not analyzed
    ]

    print(json.dumps(m, indent=1, default=str, ensure_ascii=False))
    big = n >= 20_000  # tiny smoke-test sizes cannot reach every state, municipality and band
    decades = m["per_decade"]
    rich, poor = profile[f"rich_state_{PROFILE_RICH['state']}"], profile[f"poor_state_{PROFILE_POOR['state']}"]
    poor_municipality = profile[f"poor_municipality_{PROFILE_POOR['municipality']}"]
    checks = [
        (m["imported"] == n, f"imported registry entries {m['imported']} != {n}"),
        (m["imported_demo"] == n, "imported entries not all is_demo"),
        (m["distinct_states"] == 32 or not big, f"imported entries in {m['distinct_states']} states, not 32"),
        (
            m["distinct_municipalities"] >= 500 or not big,
            f"imported entries in {m['distinct_municipalities']} municipalities",
        ),
        (0.40 <= m["state_level_share"] <= 0.50, f"state-level share {m['state_level_share']:.3f} outside 0.40-0.50"),
        (m["municipality_outside_state"] == 0, "entries whose municipality is not in their state"),
        (m["distinct_years"] == REGISTRY_YEARS[1] - REGISTRY_YEARS[0] + 1 or not big, "signing years missing"),
        ((m["first_year"], m["last_year"]) == REGISTRY_YEARS or not big, "signing years outside 1990-2025"),
        (decades.get(2020, 0) > 3 * decades.get(1990, 0), "no growth: 2020s not above 3x the 1990s"),
        (
            0.35 <= m["expires_null_rate"] <= 0.45,
            f"expires_on NULL rate {m['expires_null_rate']:.3f} outside 0.35-0.45",
        ),
        (m["registered_before_signed"] == 0, "entries registered before they were signed"),
        (m["registered_after_today"] == 0, "entries registered after today"),
        (m["expires_before_signed"] == 0, "entries expiring before they were signed"),
        (m["top_countries"] and m["top_countries"][0][0] == "US", "US is not the most frequent counterpart country"),
        (m["counterpart_types"].get("government", 0) > 0.5 * n, "government counterparts are not the majority"),
        (m["kinds"] == len(KIND_WEIGHTS), "not every kind of instrument imported"),
        (m["themes_per_entry"][0] >= 1 and m["themes_per_entry"][1] <= 3, "entries without 1-3 themes"),
        (m["theme_keys_mismatch"] == 0, f"{m['theme_keys_mismatch']} entries whose theme_keys differ from the M2M"),
        (m["stats_summary_mismatch"] == 0, f"{m['stats_summary_mismatch']} states counted otherwise by the summary"),
        (not m["invalid_subdivisions"], f"invalid ISO 3166-2 subdivisions {m['invalid_subdivisions']}"),
        (not m["wrong_regions"], f"regions not from countries.region_for {m['wrong_regions']}"),
        ({"US", "CA", "ES"} <= set(m["subdivision_countries"]), "no subdivisions for US, CA or ES"),
        (m["search_text_mismatch"] == 0, f"{m['search_text_mismatch']} entries whose search_text is not fold(...)"),
        (m["expiring_within_90_days"] > 0 or not big, "no entry expires within 90 days"),
        (rich["partnerships"] >= 50 and rich["migrant_offices"] >= 10, f"rich profile not rich: {rich}"),
        (
            poor["partnerships"] == poor["migrant_offices"] == poor["focal_points"] == poor["memberships"] == 0,
            f"poor state profile has linked rows: {poor}",
        ),
        (poor_municipality["partnerships"] == poor_municipality["focal_points"] == 0, "poor municipality has rows"),
        (not m["not_analyzed"], f"tables not analyzed: {m['not_analyzed']}"),
    ]
    for band, (low, high) in SEARCH_BANDS.items():
        share = m["search_bands"][band]["share"]
        checks.append((low <= share <= high or not big, f"search band {band}: share {share} outside {low}-{high}"))
    failures = [message for ok, message in checks if not ok]
    print(f"registry checks: {len(checks) - len(failures)}/{len(checks)} passed")
    return failures


if __name__ == "__main__":
    sys.exit(main())
