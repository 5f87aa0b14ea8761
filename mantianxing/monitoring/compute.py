"""The stored indicator values as a derived fact (`core.derived`): what they read, how they are rebuilt.

Any write to a ledger the indicators read marks them stale (whatever the door: see `core.derived`);
whoever reads them next (`ensure_fresh`: the dashboard, the API, the CLI, evaluations, bulletins)
rebuilds them first. A full rebuild of a city takes seconds (see bench/).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from mantianxing.core import derived
from mantianxing.core.bulk import insert_rows
from mantianxing.core.derived import Check, Fact
from mantianxing.core.models import DerivedState
from mantianxing.monitoring.models import IndicatorValue
from mantianxing.monitoring.series import build
from mantianxing.plans.models import Plan

QUANTUM = Decimal("0.0001")
NAME = "indicators"


def ensure_fresh() -> DerivedState:
    """The indicator values up to date with the ledgers (and the origins they read)."""
    return derived.fresh(NAME)  # type: ignore[no-any-return]


def recompute(*, today: date | None = None) -> DerivedState:
    """Rebuild every stored value now, stale or not (`today` moves the last month computed, for tests)."""
    if today is None:
        return derived.refresh(NAME)  # type: ignore[no-any-return]
    derived.fresh("origins")
    rebuild(today=today)
    state, _created = DerivedState.objects.update_or_create(name=NAME, defaults={"dirty": False})
    return state


def rebuild(keys: Any = None, *, today: date | None = None) -> int:
    """Replace the stored values with a fresh build; returns the number of values stored."""
    values = build(Plan.objects.all(), today)
    codes = dict(Plan.objects.values_list("code", "pk"))
    IndicatorValue.objects.all().delete()
    rows = [
        (codes[plan], indicator, unit, month, Decimal(repr(value)).quantize(QUANTUM))
        for (plan, indicator, unit, month), value in values.items()
    ]
    insert_rows(IndicatorValue, ["plan", "indicator", "unit", "month", "value"], rows)
    return len(rows)


def verify() -> Check:
    from mantianxing.monitoring.verify import indicator_differences

    checked, differences = indicator_differences()
    return Check(checked, [derived.Difference(**difference) for difference in differences])


# Every ledger an indicator reads (see `series`), and the origins: any change can move any value.
FACT = Fact(
    name=NAME,
    label="监测指标值",
    reads=dict.fromkeys(
        [
            "carriers.Building",
            "carriers.Occupancy",
            "enterprises.Enterprise",
            "enterprises.Honour",
            "people.EmploymentSpell",
            "people.RosterFiling",
            "stats.MonthlyStatistics",
            "geo.Unit",
            "geo.Succession",
            "plans.Plan",
        ]
    ),
    refresh=rebuild,
    verify=verify,
    after=("origins",),
)
