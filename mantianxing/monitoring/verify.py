"""The indicators' part of `mtx verify`: the stored values against a fresh build from the ledgers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from mantianxing.geo.models import Unit
from mantianxing.monitoring.models import IndicatorValue
from mantianxing.monitoring.series import build
from mantianxing.plans.models import Plan

QUANTUM = Decimal("0.0001")


def indicator_differences(today: date | None = None) -> tuple[int, list[dict[str, Any]]]:
    codes = dict(Plan.objects.values_list("pk", "code"))
    units = dict(Unit.objects.values_list("pk", "code"))
    fresh = {
        key: Decimal(repr(value)).quantize(QUANTUM) for key, value in build(Plan.objects.all(), today).items()
    }
    stored = {
        (codes[plan], indicator, unit, month): value
        for plan, indicator, unit, month, value in IndicatorValue.objects.values_list(
            "plan_id", "indicator", "unit_id", "month", "value"
        )
    }
    differences = []
    for key in sorted(fresh.keys() | stored.keys(), key=str):
        if fresh.get(key) != stored.get(key):
            plan, indicator, unit, month = key
            differences.append(
                {
                    "kind": "indicator",
                    "key": f"{plan}/{indicator}/{units.get(unit, unit)}/{month:%Y-%m}",
                    "stored": None if key not in stored else str(stored[key]),
                    "recomputed": None if key not in fresh else str(fresh[key]),
                }
            )
    return len(fresh.keys() | stored.keys()), differences
