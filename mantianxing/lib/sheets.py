"""Tables in .xlsx workbooks the way offices expect them: a title row, a bold header, widths, frozen panes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

HEAD = PatternFill("solid", fgColor="F3F4F6")
BEHIND = PatternFill("solid", fgColor="FDE2E1")
PERCENT = "0.0%"


def new_workbook() -> Workbook:
    """A workbook without its default sheet: `table_sheet` adds each sheet."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    return book


def start_table(
    sheet: Worksheet, title: str, headers: Sequence[str], widths: Sequence[float] = (), freeze: str = "A3"
) -> Worksheet:
    """`title` on row 1 and a bold header on row 2 of an empty sheet; the panes freeze under the header."""
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(list(headers))
    for cell in sheet[2]:
        cell.font, cell.fill = Font(bold=True), HEAD
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    set_widths(sheet, widths)
    sheet.freeze_panes = freeze
    return sheet


def table_sheet(
    book: Workbook,
    name: str,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[float] = (),
) -> Worksheet:
    """A new sheet `name`: the title, the header and the rows."""
    sheet = start_table(book.create_sheet(name), title, headers, widths)
    for row in rows:
        sheet.append(list(row))
    return sheet


def set_widths(sheet: Worksheet, widths: Sequence[float]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def format_last_row(sheet: Worksheet, columns: Iterable[int], number_format: str) -> None:
    line = sheet.max_row
    for column in columns:
        sheet.cell(line, column).number_format = number_format


def fill_last_row(sheet: Worksheet, fill: PatternFill) -> None:
    for cell in sheet[sheet.max_row]:
        cell.fill = fill


def workbook_bytes(book: Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# A cell beginning with one of these is a formula (or a DDE payload) to a spreadsheet program.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def append_as_text(sheet: Worksheet, row: Sequence[Any]) -> None:
    """Append `row`, writing every text that a spreadsheet would take for a formula as plain text.

    openpyxl would store "=HYPERLINK(…)" as a formula; typed as a string with Excel's quote prefix,
    it stays text even when someone edits the cell.
    """
    sheet.append(list(row))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
            cell.data_type = "s"
            cell.quotePrefix = True
