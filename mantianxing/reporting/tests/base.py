"""Shared set-up for the report tests: a fixed clock, the personas, and reports built explicitly."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

from mantianxing.core.testing import PersonaTestCase
from mantianxing.geo.models import Unit
from mantianxing.lib.periods import add_months
from mantianxing.reporting import services
from mantianxing.reporting.choices import ReportStatus
from mantianxing.reporting.deadlines import default_deadline
from mantianxing.reporting.models import MonthlyReport

SHANGHAI = ZoneInfo("Asia/Shanghai")
OCTOBER = date(2026, 10, 1)
SEPTEMBER = date(2026, 9, 1)
# The demo's "today": the October report is due on 5 November, which has passed.
TODAY = datetime(2026, 11, 22, 10, 0, tzinfo=SHANGHAI)
CLEAN = {
    "investment_projects": 5,
    "investment_projects_major": 1,
    "investment_amount": Decimal("12.50"),
    "scenarios_released": 2,
    "events_held": 3,
}


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


class ReportTestCase(PersonaTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.clock = time_machine.travel(TODAY, tick=False)
        self.clock.start()
        self.addCleanup(self.clock.stop)

    def open(self, unit: Unit | None = None, month: date = OCTOBER, user: Any = None) -> MonthlyReport:
        unit = unit or self.yuzhong
        user = user or (self.yuzhong_officer if unit == self.yuzhong else self.nanan_officer)
        return services.open_report(user, unit, month)

    def filled(self, unit: Unit | None = None, month: date = OCTOBER, **values: Any) -> MonthlyReport:
        report = self.open(unit, month)
        officer = self.yuzhong_officer if report.unit == self.yuzhong else self.nanan_officer
        return services.save_draft(officer, report, CLEAN | values)

    def approved(self, unit: Unit | None = None, month: date = OCTOBER, **values: Any) -> MonthlyReport:
        report = self.filled(unit, month, **values)
        officer = self.yuzhong_officer if report.unit == self.yuzhong else self.nanan_officer
        report = services.submit(officer, report, {})
        return services.approve(self.city_officer, report)

    def history(self, unit: Unit, values: list[float], field: str, before: date = OCTOBER) -> None:
        """Approved reports for the months before `before`, with `field` (reported or ledger) set."""
        for offset, value in enumerate(reversed(values), start=1):
            month = add_months(before, -offset)
            row = MonthlyReport(
                unit=unit, month=month, deadline=default_deadline(month), status=ReportStatus.APPROVED
            )
            if field in CLEAN:
                setattr(row, field, value)
            else:
                row.figures = {"plan": "2025", "figures": [{"indicator": field, "month_value": value}]}
            row.save()
