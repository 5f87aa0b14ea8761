"""Tables in .xlsx workbooks the way offices expect them: a title row, a bold header, widths, frozen panes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
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
    append_row(sheet, [title])
    sheet["A1"].font = Font(bold=True, size=13)
    append_row(sheet, headers)
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
        append_row(sheet, row)
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
# What the .xlsx format cannot hold at all (openpyxl would raise): C0 controls but tab, LF and CR.
UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(sheet: Worksheet | WriteOnlyWorksheet, value: Any) -> Any:
    """`value` as it may be written to an export: every writer's rows pass here (`append_row`).

    A text is stripped of the control characters a workbook cannot hold, so no stored value can make
    an export fail; one that a spreadsheet would take for a formula (`=HYPERLINK(…)`, `+cmd|…`, `@SUM`)
    becomes a text cell with Excel's quote prefix, so it stays text even when someone edits it.
    Only texts are touched: a negative number stays a number.
    """
    if not isinstance(value, str):
        return value
    value = UNWRITABLE.sub("", value)
    if not value.startswith(FORMULA_STARTS):
        return value
    cell = Cell(sheet, row=1, column=1, value=value)  # placed by append()
    cell.data_type = "s"  # openpyxl takes a leading "=" for a formula
    cell.quotePrefix = True
    return cell


def safe_row(sheet: Worksheet | WriteOnlyWorksheet, row: Iterable[Any]) -> list[Any]:
    values = [safe_cell(sheet, value) for value in row]
    if any(isinstance(value, Cell) for value in values):
        # A write-only sheet reuses the last Cell it was given for the plain values after it, which
        # would then carry its quote prefix: a row with one such cell is written as cells throughout.
        values = [
            value if value is None or isinstance(value, Cell) else Cell(sheet, row=1, column=1, value=value)
            for value in values
        ]
    return values


def append_row(sheet: Worksheet | WriteOnlyWorksheet, row: Iterable[Any]) -> None:
    """Append `row` to any sheet, its texts made safe (see `safe_cell`). Use it for every export row."""
    sheet.append(safe_row(sheet, row))


def append_as_text(sheet: Worksheet, row: Sequence[Any]) -> None:
    """Append `row`, writing every text that a spreadsheet would take for a formula as plain text."""
    append_row(sheet, row)
