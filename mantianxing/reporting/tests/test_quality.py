"""Completeness and timeliness, per unit and for the city."""

from __future__ import annotations

from datetime import date

from mantianxing.reporting.choices import ReportStatus
from mantianxing.reporting.deadlines import default_deadline
from mantianxing.reporting.models import MonthlyReport
from mantianxing.reporting.quality import reporting_quality
from mantianxing.reporting.tests.base import ReportTestCase, at

JULY, AUGUST, SEPTEMBER, OCTOBER, NOVEMBER = (date(2026, m, 1) for m in (7, 8, 9, 10, 11))


class QualityTests(ReportTestCase):
    def report(
        self, unit: object, month: date, sent: date | None, status: str = ReportStatus.APPROVED
    ) -> None:
        MonthlyReport.objects.create(
            unit=unit,
            month=month,
            deadline=default_deadline(month),
            status=status if sent else ReportStatus.DRAFT,
            first_submitted_at=at(sent) if sent else None,
            submitted_at=at(sent) if sent else None,
        )

    def setUp(self) -> None:
        super().setUp()
        # 渝中: July on time, August late (8 Sep), September submitted not yet approved, October draft.
        self.report(self.yuzhong, JULY, date(2026, 8, 5))
        self.report(self.yuzhong, AUGUST, date(2026, 9, 8))
        self.report(self.yuzhong, SEPTEMBER, date(2026, 10, 4), ReportStatus.SUBMITTED)
        self.report(self.yuzhong, OCTOBER, None)
        # 南岸: only July, on time.
        self.report(self.nanan, JULY, date(2026, 8, 1))

    def test_it_counts_due_submitted_on_time_and_approved_per_unit(self) -> None:
        result = reporting_quality(JULY, OCTOBER, units=[self.yuzhong, self.nanan])
        yz = result.for_unit(self.yuzhong.pk)
        assert yz is not None
        self.assertEqual(
            (yz.counts.due, yz.counts.submitted, yz.counts.on_time, yz.counts.approved), (4, 3, 2, 2)
        )
        self.assertEqual(yz.counts.completeness, 0.75)
        self.assertEqual(yz.counts.timeliness, 0.5)
        self.assertEqual(yz.missing_months, [OCTOBER])
        self.assertEqual(yz.late_months, [AUGUST])
        na = result.for_unit(self.nanan.pk)
        assert na is not None
        self.assertEqual((na.counts.due, na.counts.submitted, na.counts.on_time), (4, 1, 1))

    def test_it_sums_the_city(self) -> None:
        result = reporting_quality(JULY, OCTOBER, units=[self.yuzhong, self.nanan])
        self.assertEqual(
            (result.city.due, result.city.submitted, result.city.on_time, result.city.approved), (8, 4, 3, 3)
        )
        self.assertEqual(result.city.completeness, 0.5)
        self.assertEqual(result.city.timeliness, 0.375)

    def test_it_does_not_count_months_not_yet_due(self) -> None:
        result = reporting_quality(OCTOBER, NOVEMBER, today=date(2026, 11, 5), units=[self.yuzhong])
        self.assertEqual(result.city.due, 0)
        self.assertIsNone(result.city.completeness)
        result = reporting_quality(OCTOBER, NOVEMBER, today=date(2026, 11, 6), units=[self.yuzhong])
        self.assertEqual(result.city.due, 1)

    def test_it_defaults_to_the_current_reporting_units(self) -> None:
        result = reporting_quality(OCTOBER, OCTOBER)
        codes = [row.unit.code for row in result.units]
        self.assertIn("500103", codes)
        self.assertNotIn("500000", codes)
        self.assertEqual(result.city.due, len(codes))

    def test_it_serves_the_figures_in_the_api(self) -> None:
        response = self.client.get(
            "/api/reports/quality?first=2026-07&last=2026-10", headers=self.bearer(self.yuzhong_officer)
        )
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual([row["unit"] for row in data["units"]], ["500103"])
        self.assertEqual(data["units"][0]["completeness"], 0.75)
        self.assertEqual(data["units"][0]["late_months"], ["2026-08"])
