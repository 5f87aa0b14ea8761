"""Stored indicator values for evaluation tests, written directly (the ledgers are not involved)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from mantianxing.core import derived
from mantianxing.core.testing import current_unit
from mantianxing.monitoring.models import IndicatorValue, Target
from mantianxing.plans.models import Plan

# The demo's "today": 2026H1 is the last complete half-year.
TODAY = datetime(2026, 11, 22, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
BASELINE, JUNE = date(2025, 12, 1), date(2026, 6, 1)
# 渝中 and 南岸 in the first half of 2026: (value at the baseline month, value at June).
TWO_UNITS = {
    "500103": {"new_enterprises": (2, 12), "new_employees": (0, 300)},
    "500108": {"new_enterprises": (0, 20), "new_employees": (50, 150)},
}


def store(values: dict[str, dict[str, tuple[float, float]]], plan_code: str = "2025") -> None:
    """`values[unit_code][indicator] = (at the baseline month, at June 2026)`; marks the values fresh."""
    plan = Plan.objects.get(code=plan_code)
    rows = []
    for code, indicators in values.items():
        unit = current_unit(code)
        for indicator, (before, after) in indicators.items():
            rows.append(
                IndicatorValue(
                    plan=plan, indicator=indicator, unit=unit, month=BASELINE, value=Decimal(str(before))
                )
            )
            rows.append(
                IndicatorValue(
                    plan=plan, indicator=indicator, unit=unit, month=JUNE, value=Decimal(str(after))
                )
            )
    IndicatorValue.objects.bulk_create(rows)
    # The values above stand for the ledgers: mark the indicators up to date.
    derived.accept("indicators")


def target(unit_code: str, indicator: str, value: float, plan_code: str = "2025") -> Target:
    return Target.objects.create(
        plan=Plan.objects.get(code=plan_code),
        unit=current_unit(unit_code),
        indicator=indicator,
        value=Decimal(str(value)),
    )
