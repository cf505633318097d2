"""Countries and their subdivisions by name: CLDR's names (Babel) in the reader's language, sorted as people read.

Codes (ISO 3166-1 alpha-2, ISO 3166-2) stay what is stored, filtered on and sent by the API; a person sees names.
Which codes exist comes from pycountry (ISO's lists); what a country is *called* comes from CLDR (Babel, ``es_MX``
for Spanish, ``en`` for English), which is the source browsers and operating systems use. Subdivisions have no
CLDR names in Babel: their ISO names, in Spanish where the iso-codes project translates them.
"""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry
from babel import Locale
from django.utils.translation import get_language

from portal.core.text import fold

# The locale each interface language reads its country names in.
CLDR_LOCALES = {"es": "es_MX", "en": "en"}
MEXICO = "MX"


def _language(language: str | None = None) -> str:
    return "en" if (language or get_language() or "es").lower().startswith("en") else "es"


def sort_key(name: str) -> tuple[str, str]:
    """Alphabetical order as a Spanish reader expects it: accents and case do not push a name to the end.

    ("Bélgica" before "Bután"; a plain code-point sort puts every accented initial after "Z".)"""
    return (fold(name), name)


@lru_cache(maxsize=4)
def _territories(language: str) -> dict[str, str]:
    return dict(Locale.parse(CLDR_LOCALES[language]).territories)


@lru_cache(maxsize=1)
def _iso_codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


def is_country(code: str) -> bool:
    return bool(code) and code.upper() in _iso_codes()


def country_name(code: str, language: str | None = None) -> str:
    """CLDR's name of the country ``code`` ("DZ" → "Argelia"); the code itself only if it is not a country."""
    if not code:
        return ""
    code = code.upper()
    name = _territories(_language(language)).get(code)
    if name:
        return name
    country = pycountry.countries.get(alpha_2=code)
    return (getattr(country, "common_name", None) or country.name) if country else code


@lru_cache(maxsize=4)
def _country_choices(language: str) -> tuple[tuple[str, str], ...]:
    rows = [(code, country_name(code, language)) for code in _iso_codes() if code != MEXICO]
    return tuple(sorted(rows, key=lambda row: sort_key(row[1])))


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """Every country but Mexico as ``(code, name)``, sorted by name in the reader's language."""
    return list(_country_choices(_language(language)))


@lru_cache(maxsize=2)
def _subdivision_translator(language: str):
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def is_subdivision_of(subdivision: str, country: str) -> bool:
    if not subdivision or not country or not subdivision.upper().startswith(country.upper() + "-"):
        return False
    return pycountry.subdivisions.get(code=subdivision.upper()) is not None


def subdivision_name(code: str, language: str | None = None) -> str:
    """The name of the ISO 3166-2 subdivision ``code`` ("US-NY" → "Nueva York"); the code if it is unknown."""
    if not code:
        return ""
    subdivision = pycountry.subdivisions.get(code=code.upper())
    if subdivision is None:
        return code
    return _subdivision_translator(_language(language)).gettext(subdivision.name)


@lru_cache(maxsize=512)
def _subdivision_choices(country: str, language: str) -> tuple[tuple[str, str], ...]:
    found = pycountry.subdivisions.get(country_code=country) or []
    # Only the first level (states, provinces, regions): a second level names its parent.
    top = [s for s in found if not getattr(s, "parent_code", None)] or list(found)
    rows = [(s.code, subdivision_name(s.code, language)) for s in top]
    return tuple(sorted(rows, key=lambda row: sort_key(row[1])))


def subdivision_choices(country: str, language: str | None = None) -> list[tuple[str, str]]:
    """The first-level subdivisions of ``country`` as ``(code, name)``, sorted by name; [] for an unknown country."""
    if not is_country(country or ""):
        return []
    return list(_subdivision_choices(country.upper(), _language(language)))


def place_label(country: str, subdivision: str = "", language: str | None = None) -> str:
    """ "Castilla y León, España": a counterpart's place by name, subdivision first."""
    names = [subdivision_name(subdivision, language) if subdivision else "", country_name(country, language)]
    return ", ".join(n for n in names if n)
