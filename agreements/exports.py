"""Open-data exports of the registry: streamed CSV (flat memory) and write-only XLSX."""

from __future__ import annotations

import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from portal.core.csvexport import streaming_csv, table_csv_response  # noqa: F401 - re-exported

from .services.registry import IMPORT_COLUMNS

# The export uses the import's columns (round trip), plus the derived region.
EXPORT_COLUMNS = [*IMPORT_COLUMNS, "region"]
_VALUES = [
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
    "theme_keys",
    "signed_on",
    "signed_place",
    "registered_on",
    "expires_on",
    "region",
]
CHUNK = 2000


def _rows(queryset):
    for row in queryset.order_by("-signed_on", "-id").values_list(*_VALUES).iterator(chunk_size=CHUNK):
        yield ["" if v is None else (v.isoformat() if hasattr(v, "isoformat") else v) for v in row]


def _filename(extension: str) -> str:
    return f"registro-aii-{timezone.localdate():%Y%m%d}.{extension}"


def csv_response(queryset) -> StreamingHttpResponse:
    return streaming_csv(_rows(queryset), EXPORT_COLUMNS, _filename("csv"))


def xlsx_response(queryset) -> FileResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("registro")
    sheet.append(EXPORT_COLUMNS)
    for row in _rows(queryset):
        sheet.append(row)
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=_filename("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
