"""The bulletin's tables as an .xlsx file: ranking (with robustness), progress, lagging, data quality."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from mantianxing.bulletins.gather import Bulletin
from mantianxing.lib.sheets import PERCENT, append_row, format_last_row, start_table, workbook_bytes
from mantianxing.monitoring.exports import write_progress


def bulletin_workbook(b: Bulletin) -> bytes:
    book = Workbook()
    _ranking(book.active, b)
    write_progress(book.create_sheet("进度"), b.progress)
    _lagging(book.create_sheet("滞后"), b)
    _quality(book.create_sheet("数据质量"), b)
    return workbook_bytes(book)


def _start(sheet: Worksheet, title: str, headers: Sequence[str], widths: Sequence[float]) -> None:
    start_table(sheet, title, headers, widths, freeze="C3")  # the unit's code and name stay in view


def _ranking(sheet: Worksheet, b: Bulletin) -> None:
    sheet.title = "排名"
    ranking = b.ranking
    if ranking is None:
        _start(sheet, f"{b.title}：评价排名", ["名次", "区县代码", "区县"], [8, 10, 16])
        append_row(sheet, ["本期无已发布的评价结果"])
        return
    tiers = [tier.label for tier in ranking.tiers]
    headers: list[str] = [
        "名次",
        "区县代码",
        "区县",
        "得分",
        *(i.heading for i in ranking.indicators),
        "奖励金额（万元）",
    ]
    robust = ["名次P5", "名次P50", "名次P95", "获奖概率", *(f"概率：{label}" for label in tiers)]
    if ranking.has_robustness:
        headers += robust
    widths = [8, 10, 16, 10, *([18] * len(ranking.indicators)), 14]
    widths += [9, 9, 9, 10, *([12] * len(tiers))] if ranking.has_robustness else []
    _start(
        sheet,
        f"{ranking.period}评价排名（方案：{ranking.scheme_name} 第{ranking.scheme_version}版；"
        f"运行 #{ranking.run_id}，SHA-256 {ranking.sha256}）",
        headers,
        widths,
    )
    first_robust = len(headers) - len(robust) + 1
    for row in ranking.rows:
        line: list[Any] = [
            row.rank,
            row.unit,
            row.unit_name,
            round(row.score, 4),
            *(row.values.get(i.code) for i in ranking.indicators),
            round(row.reward_wan, 2),
        ]
        if ranking.has_robustness:
            line += [row.rank_p5, row.rank_p50, row.rank_p95, row.award_probability, *row.tier_probability]
        append_row(sheet, line)
        for index, indicator in enumerate(ranking.indicators, start=5):
            d = indicator.definition
            if d is not None and d.percent:
                format_last_row(sheet, [index], PERCENT)
        if ranking.has_robustness:
            format_last_row(sheet, range(first_robust + 3, len(headers) + 1), PERCENT)


def _lagging(sheet: Worksheet, b: Bulletin) -> None:
    headers = ["区县代码", "区县", "指标", "完成率", "序时进度", "差距（百分点）", "按趋势预计期末完成率"]
    _start(
        sheet,
        f"进度滞后的区县（截至{b.as_of.year}年{b.as_of.month}月末）",
        headers,
        [10, 18, 28, 10, 10, 14, 20],
    )
    for definition, rows in b.lagging:
        for row in rows:
            append_row(
                sheet,
                [
                    row.unit.code,
                    row.unit.name,
                    definition.name,
                    row.completion,
                    row.time_progress,
                    round(row.gap * 100, 1),
                    row.projected_completion,
                ],
            )
            format_last_row(sheet, [4, 5, 7], PERCENT)


def _quality(sheet: Worksheet, b: Bulletin) -> None:
    headers = [
        "区县代码",
        "区县",
        "应报",
        "已报",
        "按时",
        "迟报",
        "未报",
        "完整率",
        "及时率",
        "迟报月份",
        "未报月份",
        "来源存疑企业（家）",
    ]
    _start(
        sheet,
        f"月报报送情况（{b.period_words}，已到截止日的月份）；来源存疑企业共 {b.disputes} 家",
        headers,
        [10, 18, 8, 8, 8, 8, 8, 10, 10, 24, 24, 18],
    )
    disputes = {row.unit_code: row.count for row in b.dispute_units}
    for q in b.quality.units:
        c = q.counts
        append_row(
            sheet,
            [
                q.unit.code,
                q.unit.name,
                c.due,
                c.submitted,
                c.on_time,
                c.late,
                c.missing,
                c.completeness,
                c.timeliness,
                "、".join(f"{m:%Y-%m}" for m in q.late_months),
                "、".join(f"{m:%Y-%m}" for m in q.missing_months),
                disputes.get(q.unit.code, 0),
            ],
        )
        format_last_row(sheet, [8, 9], PERCENT)
    c = b.quality.city
    total = [c.due, c.submitted, c.on_time, c.late, c.missing, c.completeness, c.timeliness]
    append_row(sheet, ["500000", "全市", *total, "", "", b.disputes])
    format_last_row(sheet, [8, 9], PERCENT)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
