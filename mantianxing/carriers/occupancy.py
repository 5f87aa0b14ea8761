"""What a building holds: its tenants on a day, and the area occupied month by month.

Occupied area follows DOMAIN §4 (carrier area in use): the sum of the areas of the occupancies in
force on a day. A month is counted on its last day (today, for the month in progress), so a firm
that moved out during the month no longer counts for it.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from mantianxing.carriers.models import Building, Occupancy

HUNDRED = Decimal(100)


def with_current_occupancy(buildings: QuerySet[Building], day: date) -> QuerySet[Building]:
    """Annotate each building with `occupied_area` and `tenant_count` in force on `day`.

    Correlated subqueries rather than a join and GROUP BY: the list's filters and paging stay on
    the buildings alone, and each page costs one query whatever its size.
    """
    current = Occupancy.objects.on(day).filter(building=OuterRef("pk")).order_by().values("building")
    area = current.annotate(total=Sum("area")).values("total")
    tenants = current.annotate(n=Count("enterprise", distinct=True)).values("n")
    decimal = DecimalField(max_digits=14, decimal_places=2)
    return buildings.annotate(
        occupied_area=Coalesce(Subquery(area, output_field=decimal), Value(Decimal(0)), output_field=decimal),
        tenant_count=Coalesce(Subquery(tenants), Value(0)),
    )


def in_force(occupancy: Occupancy, day: date) -> bool:
    """The half-open period of `Occupancy`: from the move-in day up to, not including, the move-out day."""
    return occupancy.moved_in_on <= day and (occupancy.moved_out_on is None or day < occupancy.moved_out_on)


def current_tenants(occupancies: Sequence[Occupancy], day: date) -> list[Occupancy]:
    return [occupancy for occupancy in occupancies if in_force(occupancy, day)]


@dataclass(frozen=True)
class MonthArea:
    month: date  # the first day of the month
    counted_on: date  # the day the month is counted on: its last day, or today for this month
    area: Decimal
    tenants: int
    share: Decimal | None  # percent of the carrier area; None without a carrier area


def last_months(today: date, count: int) -> list[date]:
    """The first days of the `count` months up to and including today's, newest first."""
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def occupied_by_month(
    occupancies: Sequence[Occupancy], carrier_area: Decimal | None, today: date, months: int = 24
) -> list[MonthArea]:
    """The occupied area of one building at the end of each of the last `months` months, newest first."""
    result = []
    for first in last_months(today, months):
        end = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        day = min(end, today)
        tenants = current_tenants(occupancies, day)
        area = sum((occupancy.area for occupancy in tenants), Decimal(0))
        share = (area * HUNDRED / carrier_area).quantize(Decimal("0.1")) if carrier_area else None
        result.append(MonthArea(first, day, area, len({o.enterprise_id for o in tenants}), share))
    return result
