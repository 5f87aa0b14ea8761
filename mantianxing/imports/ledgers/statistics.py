"""经营数据: one row per enterprise per month, year-to-date figures in 万元.

营业收入 and 主营业务收入 came later: they are the template's last columns and optional, so files
made before them still import. A file in which one of them is missing or empty in every row leaves
the stored figures of that column as they are, so that re-importing an old file does not erase
them (a figure is cleared by editing the row). Their rules are the model's
(`stats.models.totals_errors`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from mantianxing.imports import cells
from mantianxing.imports.ledgers.common import EnterpriseRowsMixin, ModelRules, UpsertPlan
from mantianxing.imports.models import Ledger
from mantianxing.imports.pipeline import LedgerImport, Parsed, RowInvalid, read_fields, required
from mantianxing.stats.models import REVENUE_PARTS, MonthlyStatistics, parts_error, totals_errors

MONEY = [
    ("software_revenue", "软件业务收入（万元）"),
    ("product_revenue", "软件产品收入（万元）"),
    ("it_service_revenue", "信息技术服务收入（万元）"),
    ("security_revenue", "信息安全收入（万元）"),
    ("embedded_revenue", "嵌入式系统软件收入（万元）"),
    ("rd_expense", "研发费用（万元）"),
]
# Appended after 从业人员, at the end of the template.
TOTALS = [
    ("operating_revenue", "营业收入（万元）"),
    ("main_business_revenue", "主营业务收入（万元）"),
]
FIELDS = [name for name, _column in MONEY] + ["headcount"] + [name for name, _column in TOTALS]
COLUMNS = dict(MONEY + TOTALS)


def money(value: Any) -> Any:
    amount = cells.decimal(value)
    if amount is not None and amount < 0:
        raise cells.CellError(_("金额不能为负数：“%(value)s”。") % {"value": value})
    return amount


def headcount(value: Any) -> int | None:
    count = cells.integer(value)
    if count is not None and count < 0:
        raise cells.CellError(_("人数不能为负数：“%(value)s”。") % {"value": value})
    return count


def totals_problems(values: dict[str, Any]) -> list[tuple[str, str]]:
    """(column, message) for each rule of `stats.models.totals_errors` the row breaks."""
    errors = totals_errors(
        values["operating_revenue"], values["main_business_revenue"], values["software_revenue"]
    )
    return [(COLUMNS[name], message) for name, message in errors.items()]


# The model's own rule for 统计月份 (not after this month), as the form and the API apply it.
MONTH_RULES = ModelRules(MonthlyStatistics, {"month": "统计月份"})


class StatisticsImport(EnterpriseRowsMixin, LedgerImport[dict[str, Any]]):
    ledger = Ledger.STATISTICS
    model = MonthlyStatistics
    columns = (
        "统计月份",
        "统一社会信用代码",
        *(column for _name, column in MONEY),
        "从业人员（人）",
        *(column for _name, column in TOTALS),
    )
    required = ("统计月份", "统一社会信用代码", "软件业务收入（万元）")
    aliases = {
        "统计月份": ["月份", "报告期", "统计期"],
        "统一社会信用代码": ["社会信用代码", "信用代码"],
        "从业人员（人）": ["从业人员数", "期末从业人员"],
    }
    key_columns = ("统计月份", "统一社会信用代码")
    notes = {
        "统计月份": "必填。如 2026-03 或 2026年3月；金额为当年 1 月至该月的累计数。",
        "统一社会信用代码": "必填。须已在企业台账中。",
        "软件业务收入（万元）": "必填。等于或大于下列四项分项收入之和。",
        "从业人员（人）": "期末人数，整数。",
        "营业收入（万元）": "选填。营业收入＝主营业务收入＋其他业务收入，不小于主营业务收入和软件业务收入。",
        "主营业务收入（万元）": "选填。不大于营业收入。",
    }

    def prepare(self) -> None:
        self.load_enterprises()
        self.stored = {
            (row["enterprise_id"], row["month"]): row
            for row in MonthlyStatistics.objects.values("pk", "enterprise_id", "month", *FIELDS)
        }

    def parse_row(self, values: tuple[Any, ...]) -> tuple[Any, dict[str, Any]]:
        month, uscc, *amounts, people, operating, main_business = values
        record = read_fields(
            [
                ("month", "统计月份", lambda: required(cells.month(month))),
                ("enterprise_id", "统一社会信用代码", lambda: self.enterprise(uscc)),
                *[
                    (name, column, lambda value=value: money(value))
                    for (name, column), value in zip(MONEY, amounts, strict=True)
                ],
                ("headcount", "从业人员（人）", lambda: headcount(people)),
                ("operating_revenue", "营业收入（万元）", lambda: money(operating)),
                ("main_business_revenue", "主营业务收入（万元）", lambda: money(main_business)),
            ]
        )
        MONTH_RULES.check(record)
        if error := parts_error(record["software_revenue"], [record[name] for name in REVENUE_PARTS]):
            raise RowInvalid(("软件业务收入（万元）", error))
        if errors := totals_problems(record):
            raise RowInvalid(*errors)
        return (record["enterprise_id"], record["month"]), record

    def plan(self, parsed: list[Parsed[dict[str, Any]]]) -> UpsertPlan:
        plan = UpsertPlan(MonthlyStatistics, FIELDS)
        absent = [name for name, _column in TOTALS if all(item.record[name] is None for item in parsed)]
        for item in parsed:
            stored = self.stored.get(item.key)
            values = item.record
            if stored is not None:
                values = {name: values[name] for name in FIELDS} | {name: stored[name] for name in absent}
                # The kept figures must still fit the row's new software revenue.
                if absent and (errors := totals_problems(values)):
                    for column, message in errors:
                        self.reject(item.row, column, message)
                    continue
            plan.compare(item.row, stored, values)
        return plan
