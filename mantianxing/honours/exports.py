"""What honours look like outside the pages: the JSON of the API and `mtx honours --json`, and .xlsx."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl.styles import Alignment, PatternFill

from mantianxing.enterprises.shangxing import OPERATING
from mantianxing.honours.buildings import BuildingAssessment, Criterion
from mantianxing.honours.models import DemonstrationCriterion
from mantianxing.honours.shangxing import NewlyShangxing, compared_years
from mantianxing.lib.periods import Period
from mantianxing.lib.sheets import (
    append_row,
    fill_last_row,
    new_workbook,
    set_widths,
    start_table,
    workbook_bytes,
)

PASSED = PatternFill("solid", fgColor="DCFCE7")
YES, NO = "是", "否"


def number(value: Decimal | int | str | None) -> float | int | str | None:
    """A measured value for JSON and spreadsheets: Decimals as plain numbers."""
    return float(value) if isinstance(value, Decimal) else value


def criterion_data(criterion: Criterion | DemonstrationCriterion) -> dict[str, Any]:
    return {
        "kind": str(criterion.kind),
        "name": str(criterion.name),
        "threshold": number(criterion.threshold),
        "unit_label": criterion.unit_label,
        "parameter": dict(criterion.parameter),
    }


def criteria_data(rows: list[DemonstrationCriterion]) -> list[dict[str, Any]]:
    return [
        criterion_data(row) | {"enabled": row.enabled, "position": row.position, "note": row.note}
        for row in rows
    ]


def buildings_data(on: date, criteria: list[Criterion], rows: list[BuildingAssessment]) -> dict[str, Any]:
    return {
        "on": on.isoformat(),
        "criteria": [criterion_data(c) for c in criteria],
        "rows": [
            {
                "building": row.code,
                "name": row.name,
                "unit": row.unit.code,
                "unit_name": row.unit.name,
                "criteria": {
                    kind: {
                        "value": number(result.value),
                        "shown": result.shown,
                        "threshold": number(result.threshold),
                        "passed": result.passed,
                    }
                    for kind, result in row.results.items()
                },
                "passed": row.passed,
            }
            for row in rows
        ],
    }


def shangxing_data(period: Period, rows: list[NewlyShangxing]) -> dict[str, Any]:
    before, after = compared_years(period)
    return {
        "period": period.label,
        "year": after,
        "compared_with": before,
        "rows": [
            {
                "uscc": row.uscc,
                "name": row.name,
                "unit": row.unit.code,
                "unit_name": row.unit.name,
                "revenue": number(row.revenue),
                "revenue_figure": row.revenue_figure,
                "headcount": row.headcount,
                "headcount_source": row.headcount_source,
            }
            for row in rows
        ],
    }


def buildings_workbook(on: date, criteria: list[Criterion], rows: list[BuildingAssessment]) -> bytes:
    """One row per building: each enabled criterion's value and whether it is met, then the verdict."""
    book = new_workbook()
    headers = ["楼宇编码", "楼宇名称", "区县代码", "区县"]
    for c in criteria:
        headers += [f"{c.name}（{c.unit_label}）" if c.unit_label else c.name, f"{c.name}是否达标"]
    headers.append("全部达标")
    passed = sum(row.passed for row in rows)
    title = f"“满天星”示范楼宇条件核对（{on:%Y-%m-%d}，{len(rows)} 栋，全部达标 {passed} 栋）"
    sheet = start_table(
        book.create_sheet("示范楼宇条件核对"), title, headers, [16, 28, 10, 14, *[14, 10] * len(criteria), 10]
    )
    for row in rows:
        line: list[Any] = [row.code, row.name, row.unit.code, row.unit.name]
        for c in criteria:
            result = row.results[c.kind]
            line += [result.shown if isinstance(result.value, str | None) else number(result.value)]
            line += [YES if result.passed else NO]
        line.append(YES if row.passed else NO)
        append_row(sheet, line)
        if row.passed:
            fill_last_row(sheet, PASSED)
    notes = book.create_sheet("认定条件")
    append_row(notes, ["条件代码", "条件", "门槛值", "单位", "参数", "说明"])
    for c in criteria:
        codes = "、".join(c.codes)
        edition = c.parameter.get("edition")
        parameter = f"GB/T 4754-{edition} 大类 {codes}" if edition else codes
        append_row(notes, [str(c.kind), c.name, number(c.threshold), c.unit_label, parameter, c.note])
    set_widths(notes, [22, 18, 10, 6, 40, 80])
    for cell in notes["F"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return workbook_bytes(book)


def lower_bound_note(figure: str | None) -> str:
    """营业收入 as such, or the figure that stood in for it as its lower bound (`enterprises.shangxing`)."""
    if figure is None or figure == OPERATING:
        return figure or ""
    return f"{figure}（未填营业收入，作下限）"


def shangxing_workbook(period: Period, rows: list[NewlyShangxing]) -> bytes:
    before, after = compared_years(period)
    book = new_workbook()
    headers = [
        "统一社会信用代码",
        "企业名称",
        "区县代码",
        "区县",
        f"{after}年12月营业收入（万元）",
        f"{after}年12月从业人员",
        "人数来源",
        "收入口径",
    ]
    title = f"{period.label} 新增上星企业（{after} 年上星、{before} 年未上星），共 {len(rows)} 家"
    sheet = start_table(book.create_sheet("新增上星企业"), title, headers, [22, 36, 10, 14, 22, 18, 10, 24])
    for row in rows:
        append_row(
            sheet,
            [
                row.uscc,
                row.name,
                row.unit.code,
                row.unit.name,
                number(row.revenue),
                row.headcount,
                row.headcount_source or "",
                lower_bound_note(row.revenue_figure),
            ],
        )
    return workbook_bytes(book)
