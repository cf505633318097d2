"""The registry's imported history (RAII, 1990-2025), and the columns a generated entry is written with.

The columns come from the column spec (``agreements.registry.columns.IMPORTED``: the import's columns, each with the
model field it reads), then what the import derives or stamps beside them (``entry_columns``).
"""

from __future__ import annotations

import datetime as dt
import random

from agreements.registry.columns import IMPORTED

from .registry_vocabulary import (
    COOPERATION_AGENCIES,
    FEDERAL_DISTRICT,
    MUNICIPAL_OFFICES,
    REGISTRY_CITY_SUBDIVISIONS,
    REGISTRY_COUNTERPART_TYPES,
    REGISTRY_COUNTRY_WEIGHTS,
    REGISTRY_GROWTH,
    REGISTRY_KIND_TITLES,
    REGISTRY_NO_EXPIRY,
    REGISTRY_PURPOSES,
    REGISTRY_STATE_SHARE,
    REGISTRY_SUBNATIONAL,
    REGISTRY_THEME_WEIGHTS,
    REGISTRY_YEARS,
    STATE_OFFICES,
    US_UNIVERSITIES,
)
from .tables import CHUNK, Table, next_id, reset_sequence
from .vocabulary import (
    COUNTRIES,
    GOVERNMENT_PREFIXES,
    INTERNATIONAL_ORGANIZATIONS,
    KIND_WEIGHTS,
    NGO_WORDS,
    PRIVATE_WORDS,
)

__all__ = ["entry_columns", "imported_fields", "write_registry"]

# --- the columns ----------------------------------------------------------------------------------

# What the import writes beside the CSV's columns: derived (services.entries._derived) or bookkeeping.
DERIVED_FIELDS = ["region", "search_text"]
RECORD_FIELDS = ["id", "source", "is_demo", "created_at", "updated_at"]
WORKFLOW_FIELDS = ["agreement_id", "institution_id"]  # an entry published by step 12 names its case and office


def imported_fields() -> list[str]:
    """The model's fields of the import's columns (``columns.IMPORTED``: each column's lookup), in the spec's order."""
    return [column.lookup for column in IMPORTED]


def entry_columns(*, workflow: bool) -> list[str]:
    """The ``RegistryEntry`` fields a generated entry is written with (every other one keeps its default)."""
    return [*RECORD_FIELDS, *imported_fields(), *DERIVED_FIELDS, *(WORKFLOW_FIELDS if workflow else [])]


# --- the imported history -------------------------------------------------------------------------


def write_registry(*, n: int, seed: int, today: dt.date) -> dict:
    """``n`` imported entries (source 'import'), as ``agreements.registry.services.entries`` would write them."""
    from django.db import connection, transaction

    from agreements import countries
    from agreements.registry.models import RegistryEntry
    from portal.core.text import fold
    from portal.geography.models import Municipality, State

    rng = random.Random(f"{seed}-registry")  # independent of the cases: same cases as generator v1
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

    entries = Table(RegistryEntry, entry_columns(workflow=False))
    links = Table(RegistryEntry.themes.through, ["id", "registryentry_id", "theme_id"])
    with transaction.atomic(), connection.cursor() as cursor:
        entry_id = next_id(cursor, entries.table)
        link_id = next_id(cursor, links.table)
        first_id = entry_id
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
            registered_on = min(signed_on + dt.timedelta(days=rng.randint(10, 240)), today)
            expires_on = None
            if rng.random() >= REGISTRY_NO_EXPIRY:
                expires_on = signed_on + dt.timedelta(days=365 * rng.choice((2, 3, 4, 5, 5, 10)))
            stamp = dt.datetime.combine(registered_on, dt.time(12, 0), tzinfo=dt.UTC)
            entries.add_record(
                {
                    "id": entry_id,
                    "registry_number": f"RAII-H-{registered_on.year}-{number:06d}",
                    "title": title,
                    "kind": kind,
                    "level": level,
                    "state_id": state.code,
                    "municipality_id": municipality.inegi_code if municipality else None,
                    "signing_office": office,
                    "counterpart_name": name,
                    "counterpart_type": counterpart_type,
                    "counterpart_country": country,
                    "counterpart_subdivision": subdivision,
                    "region": countries.region_for(country),
                    "signed_on": signed_on,
                    "signed_place": place,
                    "registered_on": registered_on,
                    "expires_on": expires_on,
                    "source": "import",
                    "search_text": fold(f"{title} {name} {office}"),  # services.registry._derived
                    "theme_keys": ";".join(sorted(entry_themes)),
                    "is_demo": True,
                    "created_at": stamp,
                    "updated_at": stamp,
                }
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
            reset_sequence(cursor, table.table)
    return {"registry_imported": entries.total, "registry_imported_themes": links.total, "first_id": first_id}
