"""The vocabularies as migrations 0003 (and cooperation 0004) knew them, frozen here: the choices may change later,
these migrations may not. Not a migration (the leading underscore keeps the loader away)."""

POPULATIONS = [
    "emigrants", "returnees_voluntary", "returnees_deported", "transit", "immigrants", "asylum_refugees",
    "displaced", "unaccompanied_children", "crime_victims",
]
SERVICES = [
    "legal_advice", "shelter", "health", "psychological", "education", "employment", "documentation",
    "repatriation", "information",
]


def split_keys(joined: str, known: list[str]) -> list[str]:
    """``"transit; asylum_refugees;martians"`` -> ``["transit", "asylum_refugees"]`` (known keys, once each)."""
    parts = (part.strip() for part in (joined or "").split(";"))
    return list(dict.fromkeys(part for part in parts if part in known))


def join_keys(keys, known: list[str]) -> str:
    return ";".join(key for key in known if key in set(keys))
