"""The reporting quality is kept per process until a report changes (reporting/quality.py)."""

from __future__ import annotations

from datetime import date

from mantianxing.core.testing import PersonaTestCase
from mantianxing.reporting.models import MonthlyReport
from mantianxing.reporting.quality import forget_quality, reporting_quality

MONTH = date(2026, 9, 1)
TODAY = date(2026, 11, 20)


class QualityCacheTests(PersonaTestCase):
    def test_it_answers_a_repeated_question_from_the_cache_with_one_query(self) -> None:
        forget_quality()
        first = reporting_quality(MONTH, MONTH, today=TODAY, units=[self.yuzhong])
        with self.assertNumQueries(1):  # the reports' version
            again = reporting_quality(MONTH, MONTH, today=TODAY, units=[self.yuzhong])
        assert again is first

    def test_it_forgets_as_soon_as_a_report_is_written(self) -> None:
        before = reporting_quality(MONTH, MONTH, today=TODAY, units=[self.yuzhong])
        assert before.city.submitted == 0
        report = MonthlyReport.objects.create(unit=self.yuzhong, month=MONTH, deadline=date(2026, 10, 10))
        report.first_submitted_at = report.submitted_at = report.created_at
        report.status = "submitted"
        report.save()
        after = reporting_quality(MONTH, MONTH, today=TODAY, units=[self.yuzhong])
        assert after.city.submitted == 1
