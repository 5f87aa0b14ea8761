"""One unit's ledger figures for one month, as the monthly report shows them pre-filled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mantianxing.geo.models import Unit
from mantianxing.lib.periods import add_months
from mantianxing.monitoring.choices import Kind
from mantianxing.monitoring.compute import ensure_fresh
from mantianxing.monitoring.definitions import DEFINITIONS, Definition
from mantianxing.monitoring.models import IndicatorValue
from mantianxing.plans.models import Plan


@dataclass(frozen=True)
class Figure:
    definition: Definition
    month_value: float | None  # the change during the month (increase) or the level at its end (level)
    cumulative: float | None  # the plan's actual as of the month's end

    def as_dict(self) -> dict[str, object]:
        d = self.definition
        return {
            "indicator": d.code.value,
            "name": d.name,
            "unit_label": d.unit_label,
            "kind": d.kind.value,
            "month_value": d.rounded(self.month_value),
            "cumulative": d.rounded(self.cumulative),
        }


def plan_for_month(month: date) -> Plan | None:
    """The plan a month reports under: the latest whose window holds the month's first day."""
    return Plan.objects.covering(month.replace(day=1)).order_by("-starts_on").first()


def month_figures(unit: Unit, month: date) -> tuple[Plan | None, list[Figure]]:
    """Every indicator for `unit` and `month` (a month's first day), from the stored values."""
    plan = plan_for_month(month)
    if plan is None:
        return None, []
    ensure_fresh()
    previous = add_months(month, -1)
    stored = {
        (indicator, at): float(value)
        for indicator, at, value in IndicatorValue.objects.filter(
            plan=plan, unit=unit, month__in=[previous, month]
        ).values_list("indicator", "month", "value")
    }
    figures = []
    for code, definition in DEFINITIONS.items():
        now = stored.get((code, month))
        if definition.kind == Kind.INCREASE:
            now = now or 0.0
            before = stored.get((code, previous), 0.0) if month > plan.starts_on.replace(day=1) else 0.0
            figures.append(Figure(definition, now - before, now))
        else:
            figures.append(Figure(definition, now, now))
    return plan, figures
