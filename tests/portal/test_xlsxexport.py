"""The streamed XLSX writer: what openpyxl (and so a spreadsheet) reads back from each kind of cell."""

import datetime as dt
import io
import math
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from portal.core import xlsxexport


def written(rows, header=("a", "b", "c"), sheet_name="hoja") -> bytes:
    handle = io.BytesIO()
    xlsxexport.write_xlsx(handle, sheet_name, list(header), rows)
    return handle.getvalue()


def cells(content: bytes):
    """Every cell as openpyxl loads it (the full loader, not the read-only one): (value, data_type)."""
    sheet = load_workbook(io.BytesIO(content)).active
    return [[(cell.value, cell.data_type) for cell in row] for row in sheet.iter_rows()]


def sheet_xml(content: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()


def test_the_sheet_holds_the_header_then_the_rows_with_their_types():
    content = written(
        [
            ("texto", 7, dt.date(2020, 2, 1)),
            (None, 2.5, True),
            ("", Decimal("1.25"), dt.datetime(2021, 3, 4, 5, 6, 7)),
        ]
    )
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["hoja"]
    assert cells(content) == [
        [("a", "s"), ("b", "s"), ("c", "s")],
        [("texto", "s"), (7, "n"), ("2020-02-01", "s")],  # dates as the CSV's ISO text
        [(None, "n"), (2.5, "n"), (True, "b")],
        [(None, "n"), (1.25, "n"), ("2021-03-04T05:06:07", "s")],
    ]


def test_every_row_is_as_wide_as_the_header_for_a_streaming_reader():
    content = written([("x", None, None), (None, None, None)])
    rows = list(load_workbook(io.BytesIO(content), read_only=True).active.iter_rows(values_only=True))
    assert rows == [("a", "b", "c"), ("x", None, None), (None, None, None)]


@pytest.mark.parametrize(
    "text",
    [
        "A & B <c> \"d\" 'e'",
        '=HYPERLINK("http://example.com")',  # text, never a formula
        "  espacios al inicio y al final  ",
        "línea uno\nlínea dos\ttab",
        "Kraków – ñandú 😀",
    ],
)
def test_text_reads_back_unchanged_and_as_text(text):
    assert cells(written([(text, None, None)]))[1][0] == (text, "s")


def test_characters_xml_cannot_hold_are_written_as_excel_escapes_instead_of_failing():
    content = written([("a\x0bb\x01c\rd", "_x0041_", None)])
    xml = sheet_xml(content)
    assert "<t>a_x000B_b_x0001_c_x000D_d</t>" in xml
    assert "<t>_x005F_x0041_</t>" in xml  # a literal escape is protected: Excel reads back "_x0041_"
    assert cells(content)[1][0][1] == "s"  # the file parses


def test_a_float_excel_cannot_hold_is_written_as_text():
    assert [value for value, _kind in cells(written([(math.nan, math.inf, Decimal("NaN"))]))[1]] == [
        "nan",
        "inf",
        "NaN",
    ]


def test_the_sheet_name_is_escaped():
    assert load_workbook(io.BytesIO(written([], sheet_name='a&b "c"'))).sheetnames == ['a&b "c"']


def test_rows_are_read_once_as_they_come():
    def rows():
        for number in range(xlsxexport.ROWS_PER_WRITE * 2 + 3):
            yield (f"r{number}", number, None)

    content = written(rows())
    values = list(load_workbook(io.BytesIO(content), read_only=True).active.iter_rows(values_only=True))
    assert len(values) == xlsxexport.ROWS_PER_WRITE * 2 + 4
    assert values[-1] == (f"r{xlsxexport.ROWS_PER_WRITE * 2 + 2}", xlsxexport.ROWS_PER_WRITE * 2 + 2, None)


def test_column_letters():
    assert [xlsxexport.column_letter(n) for n in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]
