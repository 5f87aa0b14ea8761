"""Checking the stored indicator values against the ledgers, for `mtx verify`. Reads only.

Two checks, both from one read of the ledgers (`contributions.Sources`):

- **indicator**: every stored `IndicatorValue` against a fresh build (the series' own summing,
  `series.aggregate`, of freshly drawn contributions), a value missing on either side included;
- **indicator_rows**: every stored value against the sum of the rows behind it, each contribution's
  amount taken month by month as the drill-down lists it (not through the series' difference
  arrays), for all values at once rather than one drill-down per value.

Values are compared at the stored precision (4 decimals). Rows summed in another order than the
series may differ in the last float bit, so the rows check allows one unit of the 4th decimal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from mantianxing.monitoring.contributions import SPECS, Contribution, Sources, Spec, Window
from mantianxing.monitoring.models import IndicatorValue
from mantianxing.monitoring.series import aggregate
from mantianxing.plans.models import Plan

Key = tuple[str, str, int, date]
# The stored precision: 4 decimals.
QUANTUM = Decimal(1).scaleb(-IndicatorValue._meta.get_field("value").decimal_places)  # type: ignore[union-attr]


def indicator_differences(today: date | None = None) -> tuple[int, list[dict[str, Any]]]:
    """(values checked, differences): each difference {"kind", "key", "stored", "recomputed"}."""
    plans = list(Plan.objects.all())
    sources = Sources()
    codes = {pk: unit.code for pk, unit in sources.places.units.items()}
    stored: dict[Key, Decimal] = {
        (plan, indicator, unit, month): value
        for plan, indicator, unit, month, value in IndicatorValue.objects.values_list(
            "plan__code", "indicator", "unit_id", "month", "value"
        )
    }
    fresh, rows = recomputed(plans, today, sources)
    differences: list[dict[str, Any]] = []

    def note(kind: str, key: Key, was: Decimal | None, now: Decimal | None) -> None:
        plan, indicator, unit, month = key
        differences.append(
            {
                "kind": kind,
                "key": f"{plan}/{indicator}/{codes.get(unit, unit)}/{month:%Y-%m}",
                "stored": None if was is None else float(was),
                "recomputed": None if now is None else float(now),
            }
        )

    for key in sorted(stored.keys() | fresh.keys()):
        was, now = stored.get(key), fresh.get(key)
        if was != now:
            note("indicator", key, was, now)
    for key in sorted(stored):
        # No rows listed add up to zero.
        summed = rows.get(key, Decimal(0))
        if abs(summed - stored[key]) > QUANTUM:
            note("indicator_rows", key, stored[key], summed)
    return len(stored), differences


def quantized(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(QUANTUM)


def recomputed(
    plans: Iterable[Plan], today: date | None, sources: Sources
) -> tuple[dict[Key, Decimal], dict[Key, Decimal]]:
    """Every value as the series builds it (`series.aggregate`), and what the rows behind each add
    up to; each indicator's contributions are drawn once for both."""
    fresh: dict[Key, Decimal] = {}
    rows: dict[Key, Decimal] = {}
    for plan in plans:
        window = Window.of(plan, today)
        if window.base > window.stop:
            continue
        for indicator, spec in SPECS.items():
            window_months = spec.months(sources, window)
            contributions = list(spec.contributions(sources, window, indicator))
            city = sources.places.city
            for (unit, month), value in aggregate(spec, contributions, window_months, city).items():
                fresh[(plan.code, indicator, unit, month)] = quantized(value)
            for (unit, month), value in sums(spec, contributions, window_months, city).items():
                rows[(plan.code, indicator, unit, month)] = quantized(value)
    return fresh, rows


def sums(
    spec: Spec, contributions: Iterable[Contribution], window_months: list[date], city: int
) -> dict[tuple[int, date], float]:
    """What the rows listed behind each (unit, month) add up to: each contribution's amount at each
    month it is listed for, summed per unit (the city: all units) and combined as the indicator does."""
    parts: dict[tuple[int, date], list[float]] = defaultdict(lambda: [0.0] * spec.parts)
    for contribution in contributions:
        for month, amount in amounts(contribution, window_months):
            parts[(contribution.place, month)][contribution.part] += amount
            if contribution.place != city:
                parts[(city, month)][contribution.part] += amount
    combined = ((key, spec.combine(value)) for key, value in parts.items())
    return {key: value for key, value in combined if value is not None}


def amounts(contribution: Contribution, window_months: list[date]) -> Iterable[tuple[date, float]]:
    """The contribution's amount at each month it is listed for (from its first step on)."""
    steps = contribution.steps
    index, amount = 0, 0.0
    for month in window_months:
        while index < len(steps) and steps[index][0] <= month:
            amount += steps[index][1]
            index += 1
        if index:
            yield month, amount
