"""上星 enterprises newly reached in a period: the firms the monitoring indicator counts as new.

The rule is the indicator `shangxing_enterprises`'s (`mantianxing.monitoring.contributions.shangxing`):
at a month's end a firm is 上星 on the last full year's figures (the month's own year in December;
`shangxing_year`), and the 上星 rule itself is `mantianxing.enterprises.shangxing` (≥ 100 people
or ≥ 10,000 万元 software revenue in December of that year). So a firm **newly reached 上星 in a
period** is 上星 for `shangxing_year(period's last month)` and was not for
`shangxing_year(the month before the period's first)`:

- the year 2025 compares 2025 with 2024; the half-year 2025H2 likewise (December closes a year);
- a first half-year, or any period that closes no December, compares a year with itself: none;
- a firm that fell below the thresholds and came back counts again.

Each firm is credited to the unit its ledger lists it under, carried to today's unit (江北区、渝北区
→ 两江新区), as the indicator does; the figures shown are those of the later year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from mantianxing.enterprises.models import Enterprise
from mantianxing.enterprises.shangxing import (
    SHANGXING_HEADCOUNT,
    SHANGXING_REVENUE,
    SOURCE_ROSTER,
    SOURCE_STATISTICS,
    shangxing_ids,
)
from mantianxing.geo.models import Unit
from mantianxing.geo.places import Places
from mantianxing.lib.periods import Period, add_months, parse_period
from mantianxing.monitoring.contributions import shangxing_year
from mantianxing.people.models import RosterFiling
from mantianxing.stats.models import MonthlyStatistics


@dataclass(frozen=True)
class NewlyShangxing:
    enterprise_id: int
    uscc: str
    name: str
    unit: Unit  # today's unit carrying the firm's ledger unit
    year: int  # the year whose figures qualified it
    revenue: Decimal | None  # December software revenue, year to date, 万元
    headcount: int | None  # December headcount
    headcount_source: str | None  # 经营数据 or 花名册

    @property
    def revenue_met(self) -> bool:
        return self.revenue is not None and self.revenue >= SHANGXING_REVENUE

    @property
    def headcount_met(self) -> bool:
        return self.headcount is not None and self.headcount >= SHANGXING_HEADCOUNT


def compared_years(period: Period) -> tuple[int, int]:
    """(the year judged before the period, the year judged at its end)."""
    return shangxing_year(add_months(period.first, -1)), shangxing_year(period.last)


def default_period(today: date) -> Period:
    """The last complete calendar year: a half-year closing no December never has new 上星 firms."""
    return parse_period(str(today.year - 1))


def december_figures(year: int, ids: Sequence[int]) -> tuple[dict[int, Decimal], dict[int, tuple[int, str]]]:
    """December software revenue and headcount (with its source) of the firms `ids`, the figures
    `mantianxing.enterprises.shangxing` judges on (its tests hold both to the same answers)."""
    december = (date(year, 12, 1), date(year, 12, 31))
    revenue: dict[int, Decimal] = {}
    headcount: dict[int, tuple[int, str]] = {}
    statistics = (
        MonthlyStatistics.objects.filter(month__range=december, enterprise_id__in=ids)
        .order_by("enterprise_id", "month")
        .values_list("enterprise_id", "software_revenue", "headcount")
    )
    for enterprise_id, software_revenue, heads in statistics:
        if software_revenue is not None:
            revenue[enterprise_id] = software_revenue
        if heads is not None:
            headcount[enterprise_id] = (heads, SOURCE_STATISTICS)
    filings = (
        RosterFiling.objects.filter(month__range=december, enterprise_id__in=ids)
        .order_by("enterprise_id", "month")
        .values_list("enterprise_id", "headcount")
    )
    for enterprise_id, heads in filings:
        headcount.setdefault(enterprise_id, (heads, SOURCE_ROSTER))
    return revenue, headcount


def newly_shangxing(period: Period, units: Sequence[Unit] | None = None) -> list[NewlyShangxing]:
    """The firms (of `units`, or all) that newly reached 上星 in `period`, by unit code and name."""
    before, after = compared_years(period)
    if before == after:
        return []
    new = sorted(shangxing_ids(after) - shangxing_ids(before))
    if not new:
        return []
    places = Places.load()
    firms = Enterprise.objects.filter(pk__in=new).order_by()
    if units is not None:
        firms = firms.filter(unit_id__in=places.filed_under(units))
    found = list(firms.values_list("pk", "uscc", "name", "unit_id"))
    revenue, headcount = december_figures(after, [pk for pk, *_rest in found])
    rows = [
        NewlyShangxing(
            enterprise_id=pk,
            uscc=uscc,
            name=name,
            unit=places.of(unit_id),
            year=after,
            revenue=revenue.get(pk),
            headcount=headcount[pk][0] if pk in headcount else None,
            headcount_source=headcount[pk][1] if pk in headcount else None,
        )
        for pk, uscc, name, unit_id in found
    ]
    rows.sort(key=lambda row: (row.unit.code, row.name))
    return rows
