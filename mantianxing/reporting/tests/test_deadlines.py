"""The deadline: the 5th of the next month unless configured; on time means by the deadline day."""

from __future__ import annotations

from datetime import date

import time_machine
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import SimpleTestCase, override_settings

from mantianxing.reporting import services
from mantianxing.reporting.deadlines import default_deadline
from mantianxing.reporting.tests.base import SEPTEMBER, ReportTestCase, at


class DeadlineTests(SimpleTestCase):
    def test_it_defaults_to_the_fifth_of_the_next_month(self) -> None:
        self.assertEqual(default_deadline(date(2026, 10, 1)), date(2026, 11, 5))
        self.assertEqual(default_deadline(date(2026, 12, 1)), date(2027, 1, 5))

    @override_settings(MTX_REPORT_DEADLINE_DAY=10)
    def test_it_reads_the_configured_day(self) -> None:
        self.assertEqual(default_deadline(date(2026, 10, 1)), date(2026, 11, 10))

    @override_settings(MTX_REPORT_DEADLINE_DAY=31)
    def test_it_refuses_a_day_some_month_lacks(self) -> None:
        with self.assertRaises(SystemCheckError):
            call_command("check")


class TimelinessTests(ReportTestCase):
    def submit_on(self, day: date, hour: int = 10) -> object:
        with time_machine.travel(at(date(2026, 10, 2)), tick=False):
            report = self.filled(month=SEPTEMBER)
        with time_machine.travel(at(day, hour), tick=False):
            return services.submit(self.yuzhong_officer, report, {})

    def test_it_counts_a_submission_on_the_deadline_day_as_on_time(self) -> None:
        report = self.submit_on(date(2026, 10, 5), hour=23)
        self.assertFalse(report.submitted_late())  # type: ignore[attr-defined]

    def test_it_counts_a_submission_after_the_deadline_day_as_late(self) -> None:
        report = self.submit_on(date(2026, 10, 6), hour=0)
        self.assertTrue(report.submitted_late())  # type: ignore[attr-defined]

    def test_it_keeps_the_first_submission_through_a_return(self) -> None:
        report = self.submit_on(date(2026, 10, 3))
        with time_machine.travel(at(date(2026, 10, 8)), tick=False):
            report = services.return_report(self.city_officer, report, "请核实")  # type: ignore[arg-type]
            report = services.submit(self.yuzhong_officer, report, {})
        self.assertFalse(report.submitted_late())
        self.assertEqual(report.first_submitted_at.date(), date(2026, 10, 3))  # type: ignore[union-attr]
        self.assertEqual(report.submitted_at.date(), date(2026, 10, 8))  # type: ignore[union-attr]

    def test_it_judges_against_a_moved_deadline(self) -> None:
        with time_machine.travel(at(date(2026, 10, 2)), tick=False):
            report = services.set_deadline(self.city_officer, self.filled(month=SEPTEMBER), date(2026, 10, 9))
        with time_machine.travel(at(date(2026, 10, 8)), tick=False):
            report = services.submit(self.yuzhong_officer, report, {})
        self.assertFalse(report.submitted_late())
