"""The registry's CSV columns: the RAII import reads them, the CSV/XLSX export writes them first (a round trip)."""

__all__ = ["IMPORT_COLUMNS"]

IMPORT_COLUMNS = [
    "registry_number",
    "title",
    "kind",
    "level",
    "state_code",
    "municipality_code",
    "signing_office",
    "counterpart_name",
    "counterpart_type",
    "counterpart_country",
    "counterpart_subdivision",
    "themes",
    "signed_on",
    "signed_place",
    "registered_on",
    "expires_on",
]
