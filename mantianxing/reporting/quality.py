"""Completeness and timeliness of the monthly reports: reporting quality, itself monitored.

`reporting_quality(first, last)` answers, per current reporting unit and for the city:

- **due**: months in the range whose deadline has passed (the deadline day is over);
- **submitted**: of those, months whose original report (revision 0) was ever submitted;
- **on time**: of those, months whose first submission fell on or before the deadline day (in the
  project's time zone) — a later return and resubmission does not make an on-time report late;
- **approved**: months with an approved revision.

Rates are fractions of `due` (None when nothing is due). Decisions: the deadline is the report's
own (the city office may move one), else the default for the month; amendments do not count
again — timeliness is about the original. The units are the ones that report today
(`Unit.objects.reporting().valid_on(today)`), over every month of the range, so that a bulletin
compares the units it names; a report filed by a unit since abolished is not counted. The result is
plain dataclasses, for the list page now and the bulletin later.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Max
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from mantianxing.core.scoping import ScopeKind, scope_of
from mantianxing.geo.models import Unit
from mantianxing.lib.periods import months
from mantianxing.reporting.choices import ReportStatus
from mantianxing.reporting.deadlines import default_deadline
from mantianxing.reporting.models import MonthlyReport


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class Counts:
    due: int = 0
    submitted: int = 0
    on_time: int = 0
    approved: int = 0

    @property
    def completeness(self) -> float | None:
        return _rate(self.submitted, self.due)

    @property
    def timeliness(self) -> float | None:
        return _rate(self.on_time, self.due)

    @property
    def approval(self) -> float | None:
        return _rate(self.approved, self.due)

    @property
    def late(self) -> int:
        return self.submitted - self.on_time

    @property
    def missing(self) -> int:
        return self.due - self.submitted

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.due + other.due,
            self.submitted + other.submitted,
            self.on_time + other.on_time,
            self.approved + other.approved,
        )


@dataclass(frozen=True)
class UnitQuality:
    unit: Unit
    counts: Counts
    missing_months: list[date] = field(default_factory=list)
    late_months: list[date] = field(default_factory=list)


@dataclass(frozen=True)
class QualityReport:
    first: date
    last: date
    as_of: date
    units: list[UnitQuality]
    city: Counts

    def for_unit(self, unit_id: int) -> UnitQuality | None:
        return next((row for row in self.units if row.unit.pk == unit_id), None)


def units_for(user: Any, today: date) -> list[Unit]:
    """The current reporting units whose reports `user` sees: all for the city, one for a unit."""
    scope = scope_of(user)
    units = Unit.objects.reporting().valid_on(today).order_by("code")
    if scope is None:
        return []
    if scope.kind is ScopeKind.CITY:
        return list(units)
    if scope.kind is ScopeKind.UNIT:
        # The officer's own unit even if it has just been abolished: its past months are still theirs.
        return list(Unit.objects.filter(pk=scope.target_id or 0))
    return []


# Reports change a few times a day and their quality is read on every dashboard, report list and
# quality call: the answer is kept per process. A write in this process empties the cache at once
# (the signals below); one in another worker process changes the reports' version in the key (the
# latest change and the number of rows: every write goes through save(), a deletion lowers the count).
_CACHE: dict[tuple[object, ...], QualityReport] = {}
_CACHE_SIZE = 128
_CACHE_LOCK = threading.Lock()


def forget_quality(**_signal: Any) -> None:
    with _CACHE_LOCK:
        _CACHE.clear()


post_save.connect(forget_quality, sender=MonthlyReport, dispatch_uid="reporting.quality.saved")
post_delete.connect(forget_quality, sender=MonthlyReport, dispatch_uid="reporting.quality.deleted")


def reporting_quality(
    first: date, last: date, *, today: date | None = None, units: Iterable[Unit] | None = None
) -> QualityReport:
    """Completeness and timeliness for the months `first`..`last` (see the module docstring)."""
    today = today or timezone.localdate()
    chosen = (
        list(units) if units is not None else list(Unit.objects.reporting().valid_on(today).order_by("code"))
    )
    version = MonthlyReport.objects.aggregate(changed=Max("updated_at"), count=Count("pk"))
    key = (first, last, today, tuple(unit.pk for unit in chosen), version["changed"], version["count"])
    with _CACHE_LOCK:
        found = _CACHE.get(key)
    if found is None:
        found = _quality(first, last, today, chosen)
        with _CACHE_LOCK:
            if len(_CACHE) >= _CACHE_SIZE:
                _CACHE.pop(next(iter(_CACHE)))
            _CACHE[key] = found
    return found


def _quality(first: date, last: date, today: date, chosen: list[Unit]) -> QualityReport:
    span = list(months(first.replace(day=1), last.replace(day=1)))
    # Two queries for any number of units: the originals and which months were ever approved.
    originals = {
        (r.unit_id, r.month): r
        for r in MonthlyReport.objects.filter(unit__in=chosen, month__in=span, revision=0)
        .order_by()
        .only("unit_id", "month", "deadline", "first_submitted_at")
    }
    approved = set(
        MonthlyReport.objects.filter(
            unit__in=chosen, month__in=span, status=ReportStatus.APPROVED
        ).values_list("unit_id", "month")
    )
    rows = []
    city = Counts()
    # Computed once per month, not per unit and month: the dashboard asks for years of months.
    defaults = {month: default_deadline(month) for month in span}
    for unit in chosen:
        due = submitted = punctual = passed = 0
        missing, late = [], []
        for month in span:
            original = originals.get((unit.pk, month))
            deadline = original.deadline if original else defaults[month]
            if today <= deadline:
                continue  # not yet due
            sent = original is not None and original.first_submitted_at is not None
            on_time = sent and original is not None and not original.submitted_late()
            due, submitted, punctual = due + 1, submitted + sent, punctual + on_time
            passed += (unit.pk, month) in approved
            if not sent:
                missing.append(month)
            elif not on_time:
                late.append(month)
        counts = Counts(due, submitted, punctual, passed)
        rows.append(UnitQuality(unit, counts, missing, late))
        city += counts
    return QualityReport(span[0] if span else first, span[-1] if span else last, today, rows, city)
