"""The registry's columns, declared once: the RAII import, the CSV/XLSX export, the public list and publishing from
the case workflow all read :data:`COLUMNS`.

A column is a name (the CSV/XLSX header and the import's key) and the ``RegistryEntry`` lookup that reads it. The
import's columns come first in the export, in the same order, and each parses its cell into the value its lookup
reads back, so that an exported file imports again unchanged (a round trip). Rules between columns (a municipality
of the state, the dates in order, a country for a foreign government) are the model's (``validators.entry_errors``,
which ``RegistryEntry.clean()`` and the import both apply).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from agreements.choices import CounterpartType, Kind, Theme
from agreements.validators import validate_country_code

from .models import theme_keys
from .validators import validate_registry_number

__all__ = [
    "COLUMNS",
    "EXPORT_COLUMNS",
    "EXPORT_LOOKUPS",
    "IMPORT_COLUMNS",
    "IMPORTED",
    "LIST_LOOKUPS",
    "PUBLISHED_FIELDS",
    "Column",
]

Parser = Callable[[str], Any]


@dataclass(frozen=True)
class Column:
    """One column of the registry.

    ``parse`` (import columns only) turns a cell's stripped text into the value ``lookup`` reads, or raises
    ``ValidationError`` with the message the import reports for that line and column. ``exported`` columns follow
    the import's in the export (which always writes the import's, first).
    """

    name: str  # header in CSV/XLSX and key of the import
    lookup: str  # RegistryEntry values()/values_list() lookup that reads it, e.g. "state__code"
    imported: bool = False  # a column of the RAII import (in IMPORT_COLUMNS order)
    listed: bool = False  # read by the public list page
    published: str | None = None  # the RegistryEntry field registry_publish() fills from the case (None: not published)
    exported: bool = False  # written by the export after the import's columns
    parse: Parser | None = None


# --- parsing a cell of the import ---------------------------------------------------------------------------------


def _required(value: str) -> str:
    if not value:
        raise ValidationError(_("el campo es obligatorio."))
    return value


def _optional(value: str) -> str:
    return value


def _registry_number(value: str) -> str:
    if not value:
        raise ValidationError(_("el número de registro es obligatorio."))
    validate_registry_number(value)
    return value


def _kind(value: str) -> str:
    if value not in Kind.values:
        raise ValidationError(_("«%(v)s» no es un tipo válido (%(ok)s).") % {"v": value, "ok": ", ".join(Kind.values)})
    return value


def _counterpart_type(value: str) -> str:
    if value not in CounterpartType.values:
        raise ValidationError(
            _("«%(v)s» no es un tipo de contraparte válido (%(ok)s).")
            % {"v": value, "ok": ", ".join(CounterpartType.values)}
        )
    return value


def _level(value: str) -> str:
    if value not in ("state", "municipal"):
        raise ValidationError(_("«%(v)s» no es un nivel válido (state o municipal).") % {"v": value})
    return value


def _or_none(value: str) -> str | None:
    return value or None


def _country(value: str) -> str:
    value = value.upper()
    validate_country_code(value)
    return value


def _upper(value: str) -> str:
    return value.upper()


def _themes(value: str) -> str:
    keys = [key.strip() for key in value.split(";") if key.strip()]
    unknown = [key for key in keys if key not in Theme.values]
    if unknown:
        raise ValidationError(_("temas desconocidos: %(t)s.") % {"t": ", ".join(unknown)})
    return theme_keys(keys)


def _date(*, required: bool) -> Parser:
    def parse(value: str) -> dt.date | None:
        if not value:
            if required:
                raise ValidationError(_("la fecha es obligatoria (AAAA-MM-DD)."))
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValidationError(_("«%(v)s» no es una fecha válida (AAAA-MM-DD).") % {"v": value}) from None

    return parse


# --- the columns --------------------------------------------------------------------------------------------------

COLUMNS: tuple[Column, ...] = (
    # The RAII import, in its order; the export writes them first.
    Column("registry_number", "registry_number", imported=True, listed=True, published="registry_number",
           parse=_registry_number),
    Column("title", "title", imported=True, listed=True, published="title", parse=_required),
    Column("kind", "kind", imported=True, listed=True, published="kind", parse=_kind),
    Column("level", "level", imported=True, parse=_level),
    Column("state_code", "state_id", imported=True, parse=_optional),
    Column("municipality_code", "municipality_id", imported=True, parse=_or_none),
    Column("signing_office", "signing_office", imported=True, listed=True, parse=_required),
    Column("counterpart_name", "counterpart_name", imported=True, listed=True, published="counterpart_name",
           parse=_required),
    Column("counterpart_type", "counterpart_type", imported=True, published="counterpart_type",
           parse=_counterpart_type),
    Column("counterpart_country", "counterpart_country", imported=True, listed=True, published="counterpart_country",
           parse=_country),
    Column("counterpart_subdivision", "counterpart_subdivision", imported=True, listed=True,
           published="counterpart_subdivision", parse=_upper),
    Column("themes", "theme_keys", imported=True, published="themes", parse=_themes),
    Column("signed_on", "signed_on", imported=True, listed=True, published="signed_on", parse=_date(required=True)),
    Column("signed_place", "signed_place", imported=True, published="signed_place", parse=_optional),
    Column("registered_on", "registered_on", imported=True, published="registered_on", parse=_date(required=True)),
    Column("expires_on", "expires_on", imported=True, listed=True, published="expires_on",
           parse=_date(required=False)),
    # Derived: the region of the country, the termination a CJA confirmed, the status on the day of the export
    # (``selectors.registered_agreements``), how many modifications or extensions were inscribed against the entry
    # and the latest one's number (``exports.export_values``).
    Column("region", "region", exported=True),
    Column("terminated_on", "terminated_on", exported=True),
    Column("status", "status", exported=True, listed=True),
    Column("amendments", "amendment_count", exported=True),
    Column("last_amendment", "last_amendment", exported=True),
    # The list page's own: the entry's id and the names of its state and municipality.
    Column("id", "id", listed=True),
    Column("state", "state__short_name", listed=True),
    Column("municipality", "municipality__name", listed=True),
    # Published from the case, shown on the entry's page.
    Column("automatic_renewal", "automatic_renewal", published="automatic_renewal"),
    Column("is_demo", "is_demo", published="is_demo"),
)  # fmt: skip

IMPORTED: tuple[Column, ...] = tuple(c for c in COLUMNS if c.imported)
IMPORT_COLUMNS: list[str] = [c.name for c in IMPORTED]
_EXPORTED = [*IMPORTED, *(c for c in COLUMNS if c.exported and not c.imported)]
EXPORT_COLUMNS: list[str] = [c.name for c in _EXPORTED]
EXPORT_LOOKUPS: list[str] = [c.lookup for c in _EXPORTED]
LIST_LOOKUPS: tuple[str, ...] = tuple(c.lookup for c in COLUMNS if c.listed)
PUBLISHED_FIELDS: tuple[str, ...] = tuple(c.published for c in COLUMNS if c.published)
