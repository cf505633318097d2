"""ISO 3166 countries and subdivisions (pycountry) and the world regions the registry uses."""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry
from django.utils.translation import get_language

from .choices import Region

_REGION_MEMBERS = {
    Region.NORTH_AMERICA: "US CA GL BM PM",
    Region.LATIN_AMERICA_CARIBBEAN: (
        "AR BO BR CL CO EC GY PY PE SR UY VE GF FK BZ CR SV GT HN NI PA AG BS BB CU DM DO GD HT JM KN LC VC "
        "TT AI AW BQ VG KY CW GP MQ MS PR BL MF SX TC VI MX"
    ),
    Region.EUROPE: (
        "AL AD AT BY BE BA BG HR CY CZ DK EE FO FI FR DE GI GR GG VA HU IS IE IM IT JE XK LV LI LT LU MT MD "
        "MC ME NL MK NO PL PT RO RU SM RS SK SI ES SJ SE CH UA GB AX"
    ),
    Region.ASIA: (
        "AF AM AZ BH BD BT BN KH CN GE HK IN ID IR IQ IL JP JO KZ KW KG LA LB MO MY MV MN MM NP KP OM PK PS "
        "PH QA SA SG KR LK SY TW TJ TH TL TR TM AE UZ VN YE"
    ),
    Region.AFRICA: (
        "DZ AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR LY MG MW ML MR "
        "MU YT MA MZ NA NE NG RE RW SH ST SN SC SL SO ZA SS SD TZ TG TN UG EH ZM ZW IO TF"
    ),
    Region.OCEANIA: ("AS AU CK FJ PF GU KI MH FM NR NC NZ NU NF MP PW PG PN WS SB TK TO TV UM VU WF CX CC HM"),
}
REGION_BY_COUNTRY = {code: region for region, codes in _REGION_MEMBERS.items() for code in codes.split()}


def region_for(country_code: str) -> str:
    """Region of a counterpart; no country means a global/international organisation."""
    if not country_code:
        return Region.GLOBAL
    return REGION_BY_COUNTRY.get(country_code.upper(), Region.GLOBAL)


def is_country(code: str) -> bool:
    return bool(code) and pycountry.countries.get(alpha_2=code.upper()) is not None


def is_subdivision_of(subdivision: str, country: str) -> bool:
    if not subdivision or not country or not subdivision.upper().startswith(country.upper() + "-"):
        return False
    return pycountry.subdivisions.get(code=subdivision.upper()) is not None


@lru_cache(maxsize=4)
def _translator(language: str):
    lang = "es" if language.startswith("es") else "en"
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)


def country_name(code: str, language: str | None = None) -> str:
    if not code:
        return ""
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    return _translator(language or get_language() or "es").gettext(name)


@lru_cache(maxsize=4)
def _country_choices(language: str) -> tuple[tuple[str, str], ...]:
    rows = [(c.alpha_2, country_name(c.alpha_2, language)) for c in pycountry.countries if c.alpha_2 != "MX"]
    return tuple(sorted(rows, key=lambda r: r[1]))


def country_choices() -> list[tuple[str, str]]:
    return list(_country_choices((get_language() or "es")[:2]))


def subdivision_name(code: str) -> str:
    if not code:
        return ""
    sub = pycountry.subdivisions.get(code=code.upper())
    return sub.name if sub else code
