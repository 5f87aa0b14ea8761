"""The progress table as an .xlsx file: what the page shows, one row per unit and indicator."""

from __future__ import annotations

from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from mantianxing.lib.sheets import (
    BEHIND,
    PERCENT,
    append_row,
    fill_last_row,
    format_last_row,
    new_workbook,
    start_table,
    table_sheet,
    workbook_bytes,
)
from mantianxing.monitoring.choices import Status
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
WIDTHS = [10, 16, 24, 26, 6, 14, 14, 9, 9, 14, 14, 14, 14]


def progress_workbook(progress: Progress) -> bytes:
    book = new_workbook()
    write_progress(book.create_sheet("进度表"), progress)
    notes = table_sheet(
        book,
        "口径说明",
        "各指标的口径",
        ["指标代码", "指标", "单位", "类型", "数据来源", "计算方法"],
        (
            [d.code.value, d.name, d.unit_label, str(d.kind.label), d.source, d.computed]
            for d in DEFINITIONS.values()
        ),
        widths=[24, 26, 8, 8, 30, 100],
    )
    for cell in notes["F"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return workbook_bytes(book)


def write_progress(sheet: Worksheet, progress: Progress) -> None:
    """Every row of `progress`: actual, target, completion, time progress, status, projection."""
    plan = progress.plan
    title = (
        f"{plan.name} 目标完成进度（截至 {progress.as_of:%Y年%m月}，序时进度 {progress.time_progress:.1%}）"
    )
    start_table(sheet, title, HEADERS, WIDTHS, freeze="C3")  # the unit stays in view
    for row in progress.rows:
        d = row.definition
        projection = row.projection
        append_row(
            sheet,
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
            ],
        )
        format_last_row(sheet, (8, 9), PERCENT)
        if d.percent:
            format_last_row(sheet, (6, 7, 11, 12, 13), PERCENT)
        if row.status == Status.BEHIND:
            fill_last_row(sheet, BEHIND)
