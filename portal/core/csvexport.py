"""Streaming CSV helpers shared by every export (flat memory, UTF-8 with BOM for spreadsheets)."""

import csv

from django.http import StreamingHttpResponse


class Echo:
    """A file-like object whose ``write`` returns the line, for csv.writer in a streaming response."""

    def write(self, value):
        return value


def streaming_csv(rows, header: list[str], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(Echo())

    def stream():
        yield "\ufeff"
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def table_csv_response(rows: list[dict], columns: list[str], name: str) -> StreamingHttpResponse:
    """A small table (a chart's data, a comparison) as CSV."""
    return streaming_csv(([row.get(c, "") for c in columns] for row in rows), columns, f"{name}.csv")
