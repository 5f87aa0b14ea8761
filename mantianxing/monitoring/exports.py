"""The progress table as an .xlsx file: what the page shows, one row per unit and indicator."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from mantianxing.monitoring.definitions import DEFINITIONS
from mantianxing.monitoring.progress import Progress

HEADERS = [
    "区县代码",
    "区县",
    "指标代码",
    "指标",
    "单位",
    "实际值",
    "目标值",
    "完成率",
    "序时进度",
    "状态",
    "预计期末值",
    "预计区间下限",
    "预计区间上限",
]
BEHIND = PatternFill("solid", fgColor="FDE2E1")
HEAD = PatternFill("solid", fgColor="F3F4F6")


def progress_workbook(progress: Progress) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "进度表"
    plan = progress.plan
    sheet.append(
        [f"{plan.name} 目标完成进度（截至 {progress.as_of:%Y年%m月}，序时进度 {progress.time_progress:.1%}）"]
    )
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(HEADERS)
    for cell in sheet[2]:
        cell.font, cell.fill = Font(bold=True), HEAD
    for row in progress.rows:
        d = row.definition
        projection = row.projection
        sheet.append(
            [
                row.unit.code,
                row.unit.name,
                d.code.value,
                d.name,
                d.unit_label,
                d.rounded(row.actual),
                d.rounded(row.target),
                row.completion,
                row.time_progress,
                str(row.status.label) if row.status else "无目标",
                d.rounded(projection.value) if projection else None,
                d.rounded(projection.low) if projection else None,
                d.rounded(projection.high) if projection else None,
            ]
        )
        line = sheet.max_row
        for column in (8, 9):
            sheet.cell(line, column).number_format = "0.0%"
        if d.percent:
            for column in (6, 7, 11, 12, 13):
                sheet.cell(line, column).number_format = "0.0%"
        if row.status and row.status.value == "behind":
            for cell in sheet[line]:
                cell.fill = BEHIND
    widths = [10, 16, 24, 26, 6, 14, 14, 9, 9, 14, 14, 14, 14]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    notes = book.create_sheet("口径说明")
    notes.append(["指标代码", "指标", "单位", "类型", "数据来源", "计算方法"])
    for d in DEFINITIONS.values():
        notes.append([d.code.value, d.name, d.unit_label, str(d.kind.label), d.source, d.computed])
    notes.column_dimensions["F"].width = 100
    for cell in notes["F"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
