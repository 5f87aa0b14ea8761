"""The stored indicator values as a derived fact (`core.derived`): what they read, how they are rebuilt.

The fact is keyed by indicator: each indicator's rule declares the ledgers it reads
(`contributions.SPECS`), so a write to a ledger marks only the indicators that read it (a roster
month: the people indicators and 上星; an occupancy: the carrier area and, through the origins it
may change, the indicators that read origins). Whoever reads the values next (`ensure_fresh`: the
dashboard, the API, the CLI, evaluations, bulletins) rebuilds the marked indicators first, for both
plans and every month. A full rebuild of a city takes seconds (see bench/).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from mantianxing.core import derived
from mantianxing.core.bulk import insert_rows
from mantianxing.core.derived import Check, Fact
from mantianxing.core.models import DerivedState
from mantianxing.monitoring.contributions import PLACES, SPECS
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
    derived.accept(NAME)  # the values now stand for the ledgers, as of `today`
    return DerivedState.objects.get(name=NAME)


def rebuild(keys: set[int] | None = None, *, today: date | None = None) -> int:
    """Replace the stored values of the indicators `keys` (positions in `INDICATORS`; None: all)
    with a fresh build; returns the number of values stored."""
    indicators = INDICATORS if keys is None else [INDICATORS[key] for key in sorted(keys)]
    values = build(Plan.objects.all(), today, indicators=indicators)
    codes = dict(Plan.objects.values_list("code", "pk"))
    IndicatorValue.objects.filter(indicator__in=indicators).delete()
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


INDICATORS = list(SPECS)


def readers() -> dict[str, frozenset[int]]:
    """Each model an indicator reads → the indicators (positions in `INDICATORS`) that read it."""
    found: dict[str, set[int]] = defaultdict(set)
    for position, spec in enumerate(SPECS.values()):
        for label in (*spec.reads, *PLACES):
            found[label].add(position)
    return {label: frozenset(positions) for label, positions in found.items()}


FACT = Fact(
    name=NAME,
    label="监测指标值",
    reads=readers(),  # type: ignore[arg-type]
    refresh=rebuild,
    verify=verify,
    stores=("monitoring.IndicatorValue",),
)
