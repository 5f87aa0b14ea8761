"""上星 enterprises newly reached in a period: the firms the monitoring indicator counts as new.

The rule is the indicator `shangxing_enterprises`'s (`mantianxing.monitoring.contributions.shangxing`):
at a month's end a firm is 上星 on the last full year's figures (the month's own year in December;
`shangxing_year`), and the 上星 rule itself is `mantianxing.enterprises.shangxing` (≥ 100 people
or ≥ 10,000 万元 营业收入 in December of that year, or a lower bound of it). So a firm **newly reached 上星 in a
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
    december_figures,
    shangxing_ids,
)
from mantianxing.geo.models import Unit
from mantianxing.geo.places import Places
from mantianxing.lib.periods import Period, add_months, parse_period
from mantianxing.monitoring.contributions import shangxing_year


@dataclass(frozen=True)
class NewlyShangxing:
    enterprise_id: int
    uscc: str
    name: str
    unit: Unit  # today's unit carrying the firm's ledger unit
    year: int  # the year whose figures qualified it
    revenue: Decimal | None  # December revenue, year to date, 万元 (`revenue_figure` says which)
    revenue_figure: str | None  # 营业收入, or the lower bound used: 主营业务收入 or 软件业务收入
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
            revenue=revenue[pk].amount if pk in revenue else None,
            revenue_figure=revenue[pk].figure if pk in revenue else None,
            headcount=headcount[pk][0] if pk in headcount else None,
            headcount_source=headcount[pk][1] if pk in headcount else None,
        )
        for pk, uscc, name, unit_id in found
    ]
    rows.sort(key=lambda row: (row.unit.code, row.name))
    return rows
