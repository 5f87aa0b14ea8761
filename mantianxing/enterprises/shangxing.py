"""上星 enterprises (2025 plan: "从业人员突破百人或营业收入突破亿元"), judged on the last full year.

These are product decisions (DOMAIN §4); the enterprise page shows the figures they used.

- **The year**: the last full calendar year (in 2026, the year 2025).
- **Revenue**: the December year-to-date 软件业务收入 of that year in the monthly statistics
  (`MonthlyStatistics.software_revenue`, 万元), i.e. the year's total. The plan says 营业收入;
  the platform collects 软件业务收入 from every reporting firm and 主营业务收入 from none, so
  that is the figure used. Threshold: 10,000 万元 (¥100 M), reached when revenue ≥ it.
- **Employees**: the December headcount in the monthly statistics of that year; when that is
  missing, the headcount of the December roster filing (花名册) of that year. Threshold: 100
  people, reached when headcount ≥ it.
- A firm is 上星 when either threshold is reached. Figures of other years, or other months of the
  year, are not used: without a December figure the firm is not 上星 for that year.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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


def last_full_year(today: date) -> int:
    return today.year - 1


def qualifies(revenue: Decimal | None, headcount: int | None) -> bool:
    return (revenue is not None and revenue >= SHANGXING_REVENUE) or (
        headcount is not None and headcount >= SHANGXING_HEADCOUNT
    )


def _december(year: int) -> tuple[date, date]:
    # Months are stored as their first day; a range keeps a stray day-of-month from hiding a row.
    return date(year, 12, 1), date(year, 12, 31)


def _figures(year: int, ids: Sequence[int] | None) -> tuple[dict[int, Decimal], dict[int, tuple[int, str]]]:
    """December revenue, and December headcount with its source, per enterprise: two queries."""
    december = _december(year)
    revenue: dict[int, Decimal] = {}
    headcount: dict[int, tuple[int, str]] = {}
    statistics = (
        MonthlyStatistics.objects.filter(month__range=december)
        .order_by("enterprise_id", "month")
        .values_list("enterprise_id", "software_revenue", "headcount")
    )
    for enterprise_id, software_revenue, heads in rows_for_ids(statistics, "enterprise_id", ids):
        if software_revenue is not None:
            revenue[enterprise_id] = software_revenue
        if heads is not None:
            headcount[enterprise_id] = (heads, SOURCE_STATISTICS)
    filings = (
        RosterFiling.objects.filter(month__range=december)
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
    revenue, headcount = _figures(year, ids)
    return {
        pk
        for pk in revenue.keys() | headcount.keys()
        if qualifies(revenue.get(pk), headcount[pk][0] if pk in headcount else None)
    }


def shangxing_basis(enterprise: Enterprise, year: int) -> dict[str, Any]:
    """The figures the 上星 judgement of `enterprise` for `year` rests on, for the detail page."""
    revenue, headcount = _figures(year, [enterprise.pk])
    software_revenue = revenue.get(enterprise.pk)
    heads, heads_source = headcount.get(enterprise.pk, (None, None))
    month = f"{year}-12"
    return {
        "year": year,
        "revenue": software_revenue,
        "revenue_source": f"{SOURCE_STATISTICS} {month} 软件业务收入（年累计，万元）"
        if software_revenue is not None
        else None,
        "revenue_threshold": SHANGXING_REVENUE,
        "revenue_met": software_revenue is not None and software_revenue >= SHANGXING_REVENUE,
        "headcount": heads,
        "headcount_source": f"{heads_source} {month}" if heads_source else None,
        "headcount_threshold": SHANGXING_HEADCOUNT,
        "headcount_met": heads is not None and heads >= SHANGXING_HEADCOUNT,
        "shangxing": qualifies(software_revenue, heads),
    }


def is_shangxing(enterprise: Enterprise, year: int) -> bool:
    return bool(shangxing_basis(enterprise, year)["shangxing"])
