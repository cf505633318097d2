"""The world regions the registry uses; country and subdivision names come from portal.geography.countries."""

from __future__ import annotations

from portal.geography.countries import (  # noqa: F401 - the names the agreements app has always used
    country_choices,
    country_name,
    is_country,
    is_subdivision_of,
    subdivision_name,
)

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
