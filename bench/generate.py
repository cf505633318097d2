"""Seeded benchmark data over the real geography: institutions, local officials and cases.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aii_bench_template \\
        .venv/bin/python -m bench.generate --agreements 100000 --seed 42 [--recreate]

Migrates the database and loads the reference and demo data first (idempotent), then creates:

* state and municipal offices (one per state, the rest on municipalities sampled by population),
  with 1-3 local officials each in the "Enlace local" group;
* N cases whose status is reached by simulating the 12-step workflow, so every derived column is
  consistent: ``current_step`` from ``workflow.step_for_status`` (NULL when terminal), timestamps in
  order, ``cja_deadline`` from ``workflow.cja_deadline``, documents, dictámenes with observations,
  the timeline, the registry entry of each closed case, themes through the join tables.

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

GENERATOR_VERSION = 1
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


# --- setup -----------------------------------------------------------------------


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--agreements", type=int, default=100_000, help="cases to create (default 100000)")
    parser.add_argument("--institutions", type=int, default=2_000, help="state + municipal offices (default 2000)")
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
        seed=args.seed,
        today=args.today or dt.date.today(),
    ).run()
    failures = check_distributions(summary["expected"])
    marker = {
        "generator": GENERATOR_VERSION,
        "agreements": args.agreements,
        "institutions": args.institutions,
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
            self.extra.append((field.column, field.get_default()))
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
    def __init__(self, *, agreements: int, institutions: int, seed: int, today: dt.date):
        self.n_agreements = agreements
        self.n_institutions = institutions
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

        from agreements.models import Agreement, Dictamen, Document, Observation, RegistryEntry, TimelineEvent

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
                    "source",
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
                    "workflow",
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


if __name__ == "__main__":
    sys.exit(main())
