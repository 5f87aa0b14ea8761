"""Progress against a plan as of a month: actual, target, completion, time progress, projection.

Rules (shown on the dashboard and in 口径说明):
- **Time progress (序时进度)**: the share of the window's days elapsed at the end of the month
  asked for, counting both ends: 0 before the window, 1 from its last month on.
- **Completion (完成率)**: actual ÷ target, as a fraction; none without a target.
- **Status**: `done` when completion reaches 1; `ahead` when it is at least the time progress;
  `behind` otherwise. Without a target there is no status.
- **Projection**: the value at the window's end if the trend goes on: the actual plus the mean
  monthly change of the last 12 months (at most) times the months left; the range is that
  ± 1.645 × the changes' standard deviation × √(months left), a 90% band for a steady drift.
  Shares stay within 0–100%. Past the window's end the projection is the final value.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max
from django.utils import timezone

from mantianxing.geo.models import CITY_CODE, Unit
from mantianxing.lib.periods import add_months, month_end
from mantianxing.monitoring.choices import Kind, Status
from mantianxing.monitoring.definitions import DEFINITIONS, Definition
from mantianxing.monitoring.models import IndicatorValue, Target
from mantianxing.plans.models import Plan

TREND_MONTHS = 12
Z90 = 1.645


def window_months(plan: Plan) -> tuple[date, date]:
    return plan.starts_on.replace(day=1), plan.ends_on.replace(day=1)


def default_as_of(plan: Plan, today: date | None = None) -> date:
    """The last complete month, kept inside the window."""
    first, last = window_months(plan)
    previous = add_months((today or timezone.localdate()).replace(day=1), -1)
    return max(first, min(previous, last))


def time_progress(plan: Plan, as_of: date) -> float:
    total = (plan.ends_on - plan.starts_on).days + 1
    elapsed = (min(month_end(as_of), plan.ends_on) - plan.starts_on).days + 1
    return min(1.0, max(0.0, elapsed / total))


def status_of(completion: float | None, progress: float) -> Status | None:
    if completion is None:
        return None
    if completion >= 1:
        return Status.DONE
    return Status.AHEAD if completion >= progress else Status.BEHIND


@dataclass(frozen=True)
class Projection:
    value: float
    low: float
    high: float


def project(definition: Definition, series: list[float], months_left: int) -> Projection | None:
    """Where `series` (monthly values up to now) ends after `months_left` more months."""
    if not series:
        # An increase with nothing stored has not moved; a level without figures has no trend.
        return None if definition.kind == Kind.LEVEL else Projection(0.0, 0.0, 0.0)
    actual = series[-1]
    if months_left <= 0:
        return Projection(actual, actual, actual)
    recent = series[-(TREND_MONTHS + 1) :]
    changes = [b - a for a, b in itertools.pairwise(recent)]
    if not changes:
        return None
    drift = statistics.fmean(changes)
    spread = statistics.stdev(changes) if len(changes) > 1 else 0.0
    value = actual + drift * months_left
    margin = Z90 * spread * math.sqrt(months_left)
    low, high = value - margin, value + margin
    if definition.percent:
        value, low, high = (min(1.0, max(0.0, v)) for v in (value, low, high))
    return Projection(value, low, high)


@dataclass
class Row:
    unit: Unit
    definition: Definition
    actual: float | None
    target: float | None
    completion: float | None
    status: Status | None
    projection: Projection | None
    series: list[tuple[date, float]] = field(default_factory=list)
    time_progress: float = 0.0

    @property
    def gap(self) -> float:
        """How far behind time progress, in completion points (positive when behind)."""
        return 0.0 if self.completion is None else self.time_progress - self.completion

    @property
    def projected_completion(self) -> float | None:
        if self.projection is None or not self.target:
            return None
        return self.projection.value / self.target

    def as_dict(self) -> dict[str, object]:
        """The CLI's and the API's row (issue contract): fractions as fractions, numbers rounded."""
        d = self.definition
        return {
            "unit": self.unit.code,
            "indicator": d.code.value,
            "actual": d.rounded(self.actual),
            "target": d.rounded(self.target),
            "completion": None if self.completion is None else round(self.completion, 4),
            "status": None if self.status is None else self.status.value,
            "projection": None if self.projection is None else d.rounded(self.projection.value),
        }


@dataclass
class Progress:
    plan: Plan
    as_of: date
    time_progress: float
    rows: list[Row]

    def as_dict(self) -> dict[str, object]:
        return {
            "plan": self.plan.code,
            "as_of": f"{self.as_of:%Y-%m}",
            "time_progress": round(self.time_progress, 4),
            "rows": [row.as_dict() for row in self.rows],
        }

    @property
    def city_rows(self) -> list[Row]:
        return [row for row in self.rows if row.unit.code == CITY_CODE]

    @property
    def unit_rows(self) -> list[Row]:
        return [row for row in self.rows if row.unit.code != CITY_CODE]

    @property
    def city_lagging_count(self) -> int:
        return sum(row.status == Status.BEHIND for row in self.city_rows)

    @property
    def lagging(self) -> list[Row]:
        """What lags time progress, furthest behind first."""
        behind = [row for row in self.rows if row.status == Status.BEHIND]
        return sorted(behind, key=lambda row: (-row.gap, row.unit.code))


def progress(
    plan: Plan,
    as_of: date,
    units: list[Unit] | None = None,
    indicators: list[str] | None = None,
) -> Progress:
    """The progress rows of the city and of `units` (None: every unit with values or targets)."""
    codes = indicators or list(DEFINITIONS)
    values = IndicatorValue.objects.filter(plan=plan, month__lte=as_of, indicator__in=codes)
    targets = Target.objects.filter(plan=plan, indicator__in=codes)
    city = Unit.objects.get(code=CITY_CODE)
    if units is not None:
        wanted = [city.pk, *(unit.pk for unit in units)]
        values, targets = values.filter(unit__in=wanted), targets.filter(unit__in=wanted)
    series: dict[tuple[int, str], list[tuple[date, float]]] = defaultdict(list)
    for unit_id, indicator, month, value in values.order_by("month").values_list(
        "unit_id", "indicator", "month", "value"
    ):
        series[(unit_id, indicator)].append((month, float(value)))
    target_of: dict[tuple[int, str], Decimal] = {
        (unit_id, indicator): value
        for unit_id, indicator, value in targets.values_list("unit_id", "indicator", "value")
    }
    if units is None:
        shown = {unit_id for unit_id, _indicator in series.keys() | target_of.keys()} - {city.pk}
        units = list(Unit.objects.filter(pk__in=shown).order_by("code"))
    elapsed = time_progress(plan, as_of)
    months_left = max(0, months_between(as_of, plan.ends_on.replace(day=1)))
    rows = []
    for unit in [city, *units]:
        for code in codes:
            definition = DEFINITIONS[code]
            points = series.get((unit.pk, code), [])
            actual = points[-1][1] if points else (0.0 if not definition.percent else None)
            goal = target_of.get((unit.pk, code))
            target = None if goal is None else float(goal)
            completion = None if not target or actual is None else actual / target
            rows.append(
                Row(
                    unit=unit,
                    definition=definition,
                    actual=actual,
                    target=target,
                    completion=completion,
                    status=status_of(completion, elapsed),
                    projection=project(definition, [value for _m, value in points], months_left),
                    series=points,
                    time_progress=elapsed,
                )
            )
    return Progress(plan, as_of, elapsed, rows)


def months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


# Progress reports by question and data version: values change only when recomputed, targets when
# set, so a report is reused until either moves. Per process, and small.
_CACHE: dict[tuple[object, ...], Progress] = {}
CACHE_SIZE = 64


def cached_progress(
    plan: Plan,
    as_of: date,
    units: list[Unit] | None,
    computed_at: object,
    indicators: list[str] | None = None,
) -> Progress:
    targets = Target.objects.aggregate(changed=Max("updated_at"), count=Count("pk"))
    key = (
        plan.pk,
        as_of,
        None if units is None else tuple(unit.pk for unit in units),
        tuple(indicators or ()),
        computed_at,
        targets["changed"],
        targets["count"],
    )
    report = _CACHE.get(key)
    if report is None:
        if len(_CACHE) >= CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        report = _CACHE[key] = progress(plan, as_of, units, indicators)
    return report
