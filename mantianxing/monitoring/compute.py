"""Keeping the stored indicator values in step with the ledgers.

A ledger write marks the values stale (`mark_stale`: signals for single saves, the import pipeline
for bulk writes); whoever reads them next (`ensure_fresh`: the dashboard, the API, the CLI)
rebuilds them all at once. A full rebuild of a city takes seconds (see bench/), so there is no
partial update to get wrong.
"""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from mantianxing.core.bulk import insert_rows
from mantianxing.monitoring.models import ComputeState, IndicatorValue
from mantianxing.monitoring.series import build
from mantianxing.plans.models import Plan

QUANTUM = Decimal("0.0001")


def state() -> ComputeState:
    found, _created = ComputeState.objects.get_or_create(pk=1)
    return found


def mark_stale() -> None:
    ComputeState.objects.update_or_create(pk=1, defaults={"ledgers_changed_at": timezone.now()})


def ensure_fresh() -> ComputeState:
    current = state()
    return recompute(force=False) if current.is_stale else current


def recompute(*, force: bool = True, today: date | None = None) -> ComputeState:
    """Rebuild every stored value. Concurrent callers queue on the state row; the later ones find
    the work done and return."""
    with transaction.atomic():
        current = ComputeState.objects.select_for_update().get(pk=state().pk)
        started_at = timezone.now()
        if not (force or current.is_stale):
            return current
        started = time.perf_counter()
        values = build(Plan.objects.all(), today)
        codes = dict(Plan.objects.values_list("code", "pk"))
        IndicatorValue.objects.all().delete()
        rows = [
            (codes[plan], indicator, unit, month, Decimal(repr(value)).quantize(QUANTUM))
            for (plan, indicator, unit, month), value in values.items()
        ]
        insert_rows(IndicatorValue, ["plan", "indicator", "unit", "month", "value"], rows)
        current.computed_at = started_at
        current.seconds = time.perf_counter() - started
        current.values = len(rows)
        current.save()
        return current
