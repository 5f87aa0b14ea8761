"""Small tables in .xlsx workbooks the way offices expect them: a title row, a bold header, widths."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

HEAD = PatternFill("solid", fgColor="F3F4F6")


def new_workbook() -> Workbook:
    """A workbook without its default sheet: `table_sheet` adds each sheet."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    return book


def table_sheet(
    book: Workbook,
    name: str,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[int] = (),
) -> Worksheet:
    """A sheet `name` with `title` on row 1, the header on row 2 and the rows below, frozen under the header.

    The workbook's first, empty default sheet is reused."""
    default = book.active
    if (
        len(book.worksheets) == 1
        and default is not None
        and default.max_row == 1
        and default["A1"].value is None
    ):
        sheet = default
        sheet.title = name
    else:
        sheet = book.create_sheet(name)
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(list(headers))
    for cell in sheet[2]:
        cell.font, cell.fill = Font(bold=True), HEAD
    for row in rows:
        sheet.append(list(row))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    return sheet


def workbook_bytes(book: Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
