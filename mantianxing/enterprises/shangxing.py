"""上星 enterprises (2025 plan: "从业人员突破百人或营业收入突破亿元"), judged on the last full year.

These are product decisions (DOMAIN §4); the enterprise page shows the figures they used, and
`/rules/` says the same in Chinese.

- **The year**: the last full calendar year (in 2026, the year 2025).
- **Revenue**: the December year-to-date **营业收入** of that year in the monthly statistics
  (`MonthlyStatistics.operating_revenue`, 万元), i.e. the year's operating revenue, as the plan
  says. Threshold: 10,000 万元 (¥100 M), reached when revenue ≥ it.
- **A firm with no 营业收入 on file** for that December (files made before the column existed)
  is judged on a lower bound of it: 营业收入 = 主营业务收入 + 其他业务收入, and 软件业务收入 is
  part of 营业收入, so each of the two is ≤ 营业收入 (`stats.models` enforces both). The larger of
  the two that is given is used: if even it reaches 1 亿元, so does 营业收入 and the firm
  qualifies; if not, the firm is not 上星 on revenue (its 营业收入 is not known to reach it). The
  basis names the figure used (`revenue_figure`).
- **Employees**: the December headcount in the monthly statistics of that year; when that is
  missing, the headcount of the December roster filing (花名册) of that year. Threshold: 100
  people, reached when headcount ≥ it.
- A firm is 上星 when either threshold is reached. Figures of other years, or other months of the
  year, are not used: without a December figure the firm is not 上星 for that year.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from mantianxing.enterprises.models import Enterprise
from mantianxing.enterprises.origin import rows_for_ids
from mantianxing.people.models import RosterFiling
from mantianxing.stats.models import MonthlyStatistics

SHANGXING_HEADCOUNT = 100
SHANGXING_REVENUE = Decimal("10000")  # 万元, i.e. ¥100 M

SOURCE_STATISTICS = "经营数据"
SOURCE_ROSTER = "花名册"

# The revenue figures, by the verbose names of their statistics columns.
OPERATING = "营业收入"
MAIN = "主营业务收入"
SOFTWARE = "软件业务收入"


def last_full_year(today: date) -> int:
    return today.year - 1


def qualifies(revenue: Decimal | None, headcount: int | None) -> bool:
    return (revenue is not None and revenue >= SHANGXING_REVENUE) or (
        headcount is not None and headcount >= SHANGXING_HEADCOUNT
    )


@dataclass(frozen=True)
class Revenue:
    """The revenue figure a firm is judged on: its 营业收入, or a lower bound of it."""

    amount: Decimal  # 万元, December year to date
    figure: str  # 营业收入, 主营业务收入 or 软件业务收入

    @property
    def lower_bound(self) -> bool:
        return self.figure != OPERATING


def revenue_figure(
    operating: Decimal | None, main_business: Decimal | None, software: Decimal | None
) -> Revenue | None:
    """营业收入 when given; else the larger of 主营业务收入 and 软件业务收入 (both ≤ 营业收入)."""
    if operating is not None:
        return Revenue(operating, OPERATING)
    given = [
        Revenue(amount, figure)
        for amount, figure in ((main_business, MAIN), (software, SOFTWARE))
        if amount is not None
    ]
    # max() keeps the first of equals: 主营业务收入 is named when the two are the same.
    return max(given, key=lambda bound: bound.amount) if given else None


def december(year: int) -> tuple[date, date]:
    # Months are stored as their first day; a range keeps a stray day-of-month from hiding a row.
    return date(year, 12, 1), date(year, 12, 31)


def december_figures(
    year: int, ids: Sequence[int] | None
) -> tuple[dict[int, Revenue], dict[int, tuple[int, str]]]:
    """December revenue figure, and December headcount with its source, per enterprise (`ids`, or
    all): two queries. Every reader of 上星 figures (this module, `honours`) takes them from here."""
    months = december(year)
    revenue: dict[int, Revenue] = {}
    headcount: dict[int, tuple[int, str]] = {}
    statistics = (
        MonthlyStatistics.objects.filter(month__range=months)
        .order_by("enterprise_id", "month")
        .values_list(
            "enterprise_id", "operating_revenue", "main_business_revenue", "software_revenue", "headcount"
        )
    )
    for enterprise_id, operating, main_business, software, heads in rows_for_ids(
        statistics, "enterprise_id", ids
    ):
        if (figure := revenue_figure(operating, main_business, software)) is not None:
            revenue[enterprise_id] = figure
        if heads is not None:
            headcount[enterprise_id] = (heads, SOURCE_STATISTICS)
    filings = (
        RosterFiling.objects.filter(month__range=months)
        .order_by("enterprise_id", "month")
        .values_list("enterprise_id", "headcount")
    )
    roster: dict[int, int] = dict(rows_for_ids(filings, "enterprise_id", ids))
    for enterprise_id, heads in roster.items():
        headcount.setdefault(enterprise_id, (heads, SOURCE_ROSTER))
    return revenue, headcount


def shangxing_ids(year: int, enterprise_ids: Iterable[int] | None = None) -> set[int]:
    """The ids of the 上星 enterprises for `year` among `enterprise_ids` (None: all)."""
    ids = None if enterprise_ids is None else sorted(set(enterprise_ids))
    revenue, headcount = december_figures(year, ids)
    return {
        pk
        for pk in revenue.keys() | headcount.keys()
        if qualifies(
            revenue[pk].amount if pk in revenue else None, headcount[pk][0] if pk in headcount else None
        )
    }


def shangxing_basis(enterprise: Enterprise, year: int) -> dict[str, Any]:
    """The figures the 上星 judgement of `enterprise` for `year` rests on, for the detail page."""
    revenue, headcount = december_figures(year, [enterprise.pk])
    figure = revenue.get(enterprise.pk)
    amount = figure.amount if figure is not None else None
    heads, heads_source = headcount.get(enterprise.pk, (None, None))
    month = f"{year}-12"
    source = None
    if figure is not None:
        source = f"{SOURCE_STATISTICS} {month} {figure.figure}（年累计，万元）"
        if figure.lower_bound:
            source += "；未填营业收入，以此作为营业收入的下限"
    return {
        "year": year,
        "revenue": amount,
        "revenue_figure": figure.figure if figure is not None else OPERATING,
        "revenue_lower_bound": figure is not None and figure.lower_bound,
        "revenue_source": source,
        "revenue_threshold": SHANGXING_REVENUE,
        "revenue_met": amount is not None and amount >= SHANGXING_REVENUE,
        "headcount": heads,
        "headcount_source": f"{heads_source} {month}" if heads_source else None,
        "headcount_threshold": SHANGXING_HEADCOUNT,
        "headcount_met": heads is not None and heads >= SHANGXING_HEADCOUNT,
        "shangxing": qualifies(amount, heads),
    }


def is_shangxing(enterprise: Enterprise, year: int) -> bool:
    return bool(shangxing_basis(enterprise, year)["shangxing"])
