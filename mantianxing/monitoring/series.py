"""The monthly series of every indicator: the sums of its contributions (rules: `contributions`).

Each ledger is read once (`contributions.Sources`) for both plans. A value is keyed by (plan code,
indicator, unit id, month); unit ids are today's units (`geo.places`), and the city unit carries
the whole. Summing is a difference array per unit and part (each step added at its month's
position), then running sums: one pass over the contributions.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from datetime import date
from itertools import accumulate

from mantianxing.monitoring.contributions import SPECS, Contribution, Sources, Spec, Window
from mantianxing.plans.models import Plan

Key = tuple[str, str, int, date]  # plan code, indicator, unit id, month
Output = dict[Key, float]


def build(
    plans: Iterable[Plan],
    today: date | None = None,
    sources: Sources | None = None,
    indicators: Iterable[str] | None = None,
) -> Output:
    """Every indicator's (or the given indicators') value for each plan, unit and month of its
    window (up to `today`). Only the ledgers those indicators read are read."""
    sources = sources or Sources()
    wanted = set(SPECS if indicators is None else indicators)
    out: Output = {}
    for plan in plans:
        window = Window.of(plan, today)
        if window.base > window.stop:
            continue
        for indicator, spec in SPECS.items():
            if indicator not in wanted:
                continue
            values = aggregate(
                spec,
                spec.contributions(sources, window, indicator),
                spec.months(sources, window),
                sources.places.city,
            )
            out.update(
                ((plan.code, indicator, unit, month), value) for (unit, month), value in values.items()
            )
    return out


def aggregate(
    spec: Spec, contributions: Iterable[Contribution], window_months: list[date], city: int
) -> dict[tuple[int, date], float]:
    """The value of every unit with a contribution active by the last of `window_months`, at each of
    them (zero included); a share without a positive denominator has none."""
    if not window_months:
        return {}
    size = len(window_months)
    positions: dict[date, int] = {}
    deltas: dict[int, list[list[float]]] = {}
    for contribution in contributions:
        first = contribution.steps[0][0]
        if first > window_months[-1]:
            continue
        parts = deltas.get(contribution.place)
        if parts is None:
            parts = deltas[contribution.place] = [[0.0] * (size + 1) for _ in range(spec.parts)]
        city_parts = deltas.get(city)
        if city_parts is None:
            city_parts = deltas[city] = [[0.0] * (size + 1) for _ in range(spec.parts)]
        unit_deltas, city_deltas = parts[contribution.part], city_parts[contribution.part]
        for month, change in contribution.steps:
            position = positions.get(month)
            if position is None:
                # A step before the first month counts from it; one after the last, never.
                position = positions[month] = bisect_left(window_months, month)
            unit_deltas[position] += change
            if contribution.place != city:
                city_deltas[position] += change
    values: dict[tuple[int, date], float] = {}
    for unit, parts in deltas.items():
        sums = [list(accumulate(part[:size])) for part in parts]
        for index, month in enumerate(window_months):
            value = spec.combine([part[index] for part in sums])
            if value is not None:
                values[(unit, month)] = value
    return values
