"""What a run ranks: each unit's increase of each indicator inside the period, and its period target.

Rules (shown on every run's page):
- **Period**: a half-year (`2026H1`) or a year (`2026`) matching the scheme's `period`, complete by
  today (its last month is over).
- **Plan**: the plan whose window holds the period's last month and, preferably, the month before
  the period (the latest such plan); otherwise the plan that starts inside the period.
- **Value** = the plan's actual at the period's last month − its actual at the month before the
  period (nothing is taken off when the window starts inside the period): the increase inside
  the period. For a level indicator it is the change of the level.
- **Period target** = the unit's plan target × the share of the window's days inside the period
  (time progress at the last month − at the baseline month): the 序时 part of the target. Only
  increase indicators have one.
- **Units**: today's units (figures of abolished units count under their successors): `ranked` the
  2022 plan's ranked units for that plan, every district and county otherwise; `central` the
  central urban area; `all` every district and county; or a list of codes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from mantianxing.geo.choices import UnitGroup
from mantianxing.geo.models import Unit
from mantianxing.lib.periods import Period, add_months, parse_period
from mantianxing.monitoring.choices import Kind
from mantianxing.monitoring.compute import ensure_fresh
from mantianxing.monitoring.definitions import DEFINITIONS
from mantianxing.monitoring.models import IndicatorValue, Target
from mantianxing.monitoring.progress import time_progress, window_months
from mantianxing.monitoring.queries import QueryError, unit_named
from mantianxing.plans.models import Plan

PERIOD_MONTHS = {"half-year": 6, "year": 12}


class InputError(ValueError):
    """A period or unit list that cannot be evaluated; the message is for the user."""


def _parsed(text: str) -> tuple[Period, int]:
    try:
        period = parse_period(text)
    except ValueError as error:
        raise InputError(str(error)) from None
    return period, (period.last.year - period.first.year) * 12 + period.last.month - period.first.month + 1


def period_kind(text: str) -> str:
    """ "half-year" or "year"; InputError for a month or anything else."""
    _period, months = _parsed(text)
    for kind, length in PERIOD_MONTHS.items():
        if months == length:
            return kind
    raise InputError(f"评价期应为半年（如 2026H1）或年度（如 2026），而不是“{text}”。")


def period_for(text: str, scheme: dict[str, Any], today: date | None = None) -> Period:
    period, months = _parsed(text)
    if months != PERIOD_MONTHS[scheme["period"]]:
        example = "2026H1" if scheme["period"] == "half-year" else "2026"
        raise InputError(
            f"方案“{scheme['name']}”按{'半年' if scheme['period'] == 'half-year' else '年度'}评价，"
            f"评价期应写作 {example} 这样的形式，而不是“{text}”。"
        )
    this_month = (today or timezone.localdate()).replace(day=1)
    if period.last >= this_month:
        raise InputError(
            f"评价期 {period.label} 尚未结束（须在 {add_months(period.last, 1):%Y-%m} 之后评价）。"
        )
    return period


def complete_periods(today: date | None = None) -> list[str]:
    """Half-years and years inside some plan's window that are over by today, newest first."""
    this_month = (today or timezone.localdate()).replace(day=1)
    plans = list(Plan.objects.all())
    labels = []
    for year in range(
        this_month.year, min((p.starts_on.year for p in plans), default=this_month.year) - 1, -1
    ):
        for label in (str(year), f"{year}H2", f"{year}H1"):
            period = parse_period(label)
            if period.last < this_month and any(_holds(plan, period.last) for plan in plans):
                labels.append(label)
    return labels


def plan_for(period: Period) -> tuple[Plan, date | None]:
    """The plan a period is evaluated under, and the month its values are measured from (None: from
    the window's start, which lies inside the period)."""
    before = add_months(period.first, -1)
    candidates = [plan for plan in Plan.objects.order_by("-starts_on") if _holds(plan, period.last)]
    for plan in candidates:
        if window_months(plan)[0] <= before:
            return plan, before
    for plan in candidates:
        if window_months(plan)[0] <= period.last:
            return plan, None
    raise InputError(f"评价期 {period.label} 不在任何行动计划的窗口期内。")


def _holds(plan: Plan, month: date) -> bool:
    first, last = window_months(plan)
    return first <= month <= last


def ranked_units(spec: str | list[str], plan: Plan, today: date | None = None) -> list[Unit]:
    today = today or timezone.localdate()
    current = Unit.objects.valid_on(today).reporting().order_by("code")
    if isinstance(spec, list):
        units = []
        for code in spec:
            try:
                units.append(unit_named(code))
            except QueryError as error:
                raise InputError(str(error)) from None
        return sorted(units, key=lambda unit: unit.code)
    if spec == "central":
        return list(current.in_group(UnitGroup.CENTRAL, today))
    if spec == "ranked" and plan.code == "2022":
        return list(current.in_group(UnitGroup.RANKED_2022, today))
    return list(current)


def gather(scheme: dict[str, Any], period: Period, today: date | None = None) -> tuple[Plan, dict[str, Any]]:
    """The run's inputs: plain JSON, everything the ranking needs and nothing else."""
    plan, base = plan_for(period)
    units = ranked_units(scheme["units"], plan, today)
    if len(units) < 2:
        raise InputError("参评区县不足两个，无法排名。")
    codes = [item["code"] for item in scheme["indicators"]]
    ensure_fresh()
    stored = {
        (unit_id, indicator, month): float(value)
        for unit_id, indicator, month, value in IndicatorValue.objects.filter(
            plan=plan, unit__in=units, indicator__in=codes, month__in=[base or period.last, period.last]
        ).values_list("unit_id", "indicator", "month", "value")
    }
    targets = {
        (unit_id, indicator): float(value)
        for unit_id, indicator, value in Target.objects.filter(
            plan=plan, unit__in=units, indicator__in=codes
        ).values_list("unit_id", "indicator", "value")
    }
    # Rounded once, so that the page's "plan target × share" gives the stored period target exactly.
    share = round(time_progress(plan, period.last) - (time_progress(plan, base) if base else 0.0), 6)
    values: dict[str, dict[str, float]] = {}
    period_targets: dict[str, dict[str, float | None]] = {}
    for unit in units:
        values[unit.code], period_targets[unit.code] = {}, {}
        for code in codes:
            now = stored.get((unit.pk, code, period.last), 0.0)
            before = stored.get((unit.pk, code, base), 0.0) if base else 0.0
            values[unit.code][code] = round(now - before, 4)
            target = targets.get((unit.pk, code))
            increase = DEFINITIONS[code].kind == Kind.INCREASE  # type: ignore[index]
            period_targets[unit.code][code] = round(target * share, 4) if increase and target else None
    return plan, {
        "plan": plan.code,
        "period": period.label,
        "baseline_month": f"{base:%Y-%m}" if base else None,
        "last_month": f"{period.last:%Y-%m}",
        "target_share": share,
        "units": [{"code": unit.code, "name": unit.name} for unit in units],
        "values": values,
        "targets": period_targets,
    }
