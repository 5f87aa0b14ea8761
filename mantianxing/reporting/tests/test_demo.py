"""The demo's reports: a history with late, returned and missing months; last month left to do."""

from __future__ import annotations

from datetime import date

from mantianxing.geo.models import Unit
from mantianxing.reporting.choices import ReportStatus
from mantianxing.reporting.demo import seed_reports
from mantianxing.reporting.models import MonthlyReport
from mantianxing.reporting.quality import reporting_quality
from mantianxing.reporting.tests.base import ReportTestCase

MONTHS = [date(2026, m, 1) for m in range(5, 11)]


class DemoTests(ReportTestCase):
    def test_it_seeds_a_history_with_content_for_the_quality_figures(self) -> None:
        made = seed_reports(MONTHS, today=date(2026, 11, 22))
        units = Unit.objects.reporting().valid_on(date(2026, 11, 22)).count()
        self.assertGreater(made, 0)
        self.assertEqual(MonthlyReport.objects.filter(status=ReportStatus.RETURNED).count(), 1)
        self.assertEqual(MonthlyReport.objects.filter(month__lt=MONTHS[-1]).count(), units * 5 - 1)
        self.assertFalse(
            MonthlyReport.objects.filter(month=MONTHS[-1]).exclude(status=ReportStatus.DRAFT).exists()
        )
        quality = reporting_quality(MONTHS[0], MONTHS[-2], today=date(2026, 11, 22))
        self.assertEqual(quality.city.missing, 1)
        self.assertGreater(quality.city.late, 0)
        self.assertLess(quality.city.late, quality.city.due // 2)
        self.assertEqual(seed_reports(MONTHS, today=date(2026, 11, 22)), 0)
