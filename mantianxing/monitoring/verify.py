"""Checking the stored indicator values against the ledgers, for `mtx verify`. Reads only.

Two checks, both from one read of the ledgers (`contributions.Sources`):

- **indicator**: every stored `IndicatorValue` against a fresh build (`series.build`), a value
  missing on either side included;
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
from mantianxing.monitoring.series import build
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
    fresh = {key: quantized(value) for key, value in build(plans, today, sources).items()}
    rows = row_sums(plans, today, sources)
    differences: list[dict[str, Any]] = []

    def note(kind: str, key: Key, was: Decimal | None, now: Decimal | None) -> None:
        plan, indicator, unit, month = key
        differences.append(
            {
                "kind": kind,
                "key": f"{plan}/{indicator}/{codes.get(unit, unit)}/{month:%Y-%m}",
                "stored": None if was is None else str(was),
                "recomputed": None if now is None else str(now),
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


def row_sums(plans: Iterable[Plan], today: date | None, sources: Sources) -> dict[Key, Decimal]:
    """What the rows behind each value add up to: every contribution's amount at each month it is
    listed for, summed per unit (the city: all units) and combined as the indicator combines them."""
    result: dict[Key, Decimal] = {}
    for plan in plans:
        window = Window.of(plan, today)
        if window.base > window.stop:
            continue
        for indicator, spec in SPECS.items():
            window_months = spec.months(sources, window)
            for (unit, month), value in sums(
                spec, spec.contributions(sources, window, indicator), window_months, sources.places.city
            ).items():
                result[(plan.code, indicator, unit, month)] = quantized(value)
    return result


def sums(
    spec: Spec, contributions: Iterable[Contribution], window_months: list[date], city: int
) -> dict[tuple[int, date], float]:
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
