"""Path converters: a URL whose parameter cannot be a valid key never reaches a view (404, not a 500).

A NUL byte, a superscript digit or a slash in a key used to reach the database (PostgreSQL refuses NUL in text
and answered 500); these converters accept only the shape each key has, so anything else is "not found".
"""

from django.urls import register_converter


class _Regex:
    regex = ""

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


class StateCodeConverter(_Regex):
    """An INEGI state code, "01"–"32"."""

    regex = "[0-9]{2}"


class InegiCodeConverter(_Regex):
    """A 5-digit INEGI municipality code."""

    regex = "[0-9]{5}"


class GovernmentKindConverter(_Regex):
    regex = "estado|municipio|state|municipality"


class GovernmentCodeConverter(_Regex):
    """A state (2 digits) or a municipality (5 digits)."""

    regex = "[0-9]{2}(?:[0-9]{3})?"


class RegistryNumberConverter(_Regex):
    """What ``agreements.choices.REGISTRY_NUMBER_PATTERN`` admits."""

    regex = "[A-Za-z0-9][A-Za-z0-9._-]{0,39}"


class FolioConverter(_Regex):
    """A case's folio as on its receipt (AII-2026-000123), in either case."""

    regex = "[A-Za-z]{2,5}-[0-9]{4}-[0-9]{1,12}"


# The same shapes for DRF routers (``lookup_value_regex``), which take a bare regex.
STATE_CODE = StateCodeConverter.regex
INEGI_CODE = InegiCodeConverter.regex
REGISTRY_NUMBER = RegistryNumberConverter.regex
DIGITS = "[0-9]+"  # not \d: in Python regexes it also matches "²" and other Unicode digits


def register():
    register_converter(StateCodeConverter, "state_code")
    register_converter(InegiCodeConverter, "inegi_code")
    register_converter(GovernmentKindConverter, "government_kind")
    register_converter(GovernmentCodeConverter, "government_code")
    register_converter(RegistryNumberConverter, "registry_number")
    register_converter(FolioConverter, "folio")
