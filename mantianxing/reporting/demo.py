"""Monthly reports for the demo: a history with content for completeness and timeliness.

    from mantianxing.reporting.demo import seed_reports
    seed_reports(world.months)          # after the ledgers are loaded (figures come from them)

For every current reporting unit and every month but the last: an approved original, submitted a
few days before the deadline — some units late by a few days; one report never filed; and one
report of the latest of those months returned by the city office, waiting for the district. The last month (the last complete month before today) is left for the
districts: not started for most units, a draft for a few. It does nothing when any of the months
already holds a report, so running the demo twice does not pile up history.

The history is written as it would stand after the routine, not replayed through the services:
the services stamp the present time and need an acting officer, while the demo needs submissions
in the past, before `mtx demo_accounts` has made any account. The rows pass `full_clean` and are
recorded in the change history as the system's.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from mantianxing.geo.models import Unit
from mantianxing.monitoring.figures import month_figures
from mantianxing.reporting.choices import ReportStatus
from mantianxing.reporting.deadlines import default_deadline
from mantianxing.reporting.models import MonthlyReport

DRAFT_UNITS = 3  # units that have started the last month's report


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 30)))


def _values(rng: random.Random, scale: float) -> dict[str, object]:
    projects = max(0, round(rng.gauss(6, 2) * scale))
    major = min(projects, max(0, round(rng.gauss(1.5, 1) * scale)))
    amount = Decimal(str(round(max(0.0, rng.gauss(8, 2.5) * scale), 2))) if projects else Decimal(0)
    return {
        "investment_projects": projects,
        "investment_projects_major": major,
        "investment_amount": amount,
        "scenarios_released": max(0, round(rng.gauss(2, 1))),
        "events_held": max(0, round(rng.gauss(3, 1.5))),
    }


def _figures(unit: Unit, month: date) -> dict[str, object]:
    plan, figures = month_figures(unit, month)
    return {
        "plan": plan.code if plan else None,
        "taken_at": _at(default_deadline(month) - timedelta(days=2), 9).isoformat(timespec="seconds"),
        "figures": [f.as_dict() for f in figures],
    }


def seed_reports(months: Sequence[date], *, seed: int = 1, today: date | None = None) -> int:
    """Write the demo's reports for `months` (first days, oldest first); returns how many were made."""
    if not months:
        return 0
    today = today or timezone.localdate()
    rng = random.Random(seed)
    units = list(Unit.objects.reporting().valid_on(today).order_by("code"))
    if not units:
        return 0
    history, last = list(months[:-1]), months[-1]
    if MonthlyReport.objects.filter(month__in=months).exists():
        return 0
    scale = {unit.pk: rng.uniform(0.4, 2.0) for unit in units}
    late_units = {unit.pk for unit in rng.sample(units, k=max(1, len(units) // 6))}
    missing = (rng.choice(units).pk, rng.choice(history)) if history else None
    # The returned report is the latest month's: still with the district, to correct and resubmit.
    returned = (rng.choice([u for u in units if u.pk != missing[0]]).pk, history[-1]) if missing else None
    made = 0
    with transaction.atomic():
        for month in history:
            deadline = default_deadline(month)
            for unit in units:
                if (unit.pk, month) == missing:
                    continue
                # Late units miss about one deadline in three, by 1–6 days; the rest file 0–4 days early.
                late = unit.pk in late_units and rng.random() < 0.35
                first = (
                    deadline + timedelta(days=rng.randint(1, 6))
                    if late
                    else deadline - timedelta(days=rng.randint(0, 4))
                )
                report = MonthlyReport(
                    unit=unit,
                    month=month,
                    deadline=deadline,
                    status=ReportStatus.APPROVED,
                    figures=_figures(unit, month),
                    first_submitted_at=_at(first, 16),
                    submitted_at=_at(first, 16),
                    reviewed_at=_at(first + timedelta(days=2), 10),
                    **_values(rng, scale[unit.pk]),  # type: ignore[arg-type]
                )
                if (unit.pk, month) == returned:
                    report.status = ReportStatus.RETURNED
                    report.review_comment = "签约金额与项目清单合计不符，请核实后重新报送。"
                report.full_clean()
                report.save()
                made += 1
        # The last complete month: the districts' work to do; a few have started.
        for unit in rng.sample(units, k=min(DRAFT_UNITS, len(units))):
            report = MonthlyReport(
                unit=unit,
                month=last,
                deadline=default_deadline(last),
                status=ReportStatus.DRAFT,
                figures=_figures(unit, last),
                investment_projects=rng.randint(2, 9),
            )
            report.full_clean()
            report.save()
            made += 1
    return made
