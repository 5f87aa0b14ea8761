"""Writing templates and exports: one sheet in the template's columns, and a sheet of instructions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from mantianxing.lib.sheets import append_row

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
COMPUTED_FILL = PatternFill("solid", fgColor="EDEDED")


def write_workbook(
    target: str | Path | IO[bytes],
    title: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    computed: Sequence[str] = (),
    notes: dict[str, str] | None = None,
) -> int:
    """Write the sheet and return the number of data rows. `computed` columns are shaded grey:
    the system fills them in on export and ignores them on import."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    headers = [*columns, *computed]
    for index, header in enumerate(headers):
        letter = _letter(index)
        sheet.column_dimensions[letter].width = max(12, min(40, len(header) * 2 + 4))
    sheet.freeze_panes = "A2"
    append_row(sheet, [_header(sheet, name, name in computed) for name in headers])
    count = 0
    for row in rows:
        append_row(sheet, row)
        count += 1
    if notes:
        guide = book.create_sheet("填表说明")
        guide.column_dimensions["A"].width = 28
        guide.column_dimensions["B"].width = 90
        append_row(guide, [_header(guide, "列名"), _header(guide, "填写要求")])
        for name in columns:
            append_row(guide, [name, notes.get(name, "")])
        for name in computed:
            append_row(guide, [name, "系统计算的列，仅在导出时填写；导入时忽略。"])
    book.save(target)
    return count


def _header(sheet: Any, name: str, computed: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=name)
    cell.font = HEADER_FONT
    cell.fill = COMPUTED_FILL if computed else HEADER_FILL
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    return cell


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
