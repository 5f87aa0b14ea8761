"""The outlier rule flags a jump against the unit's own history, and not a steady series."""

from __future__ import annotations

from decimal import Decimal

from django.test import SimpleTestCase

from mantianxing.reporting import services
from mantianxing.reporting.rules import outlier
from mantianxing.reporting.tests.base import ReportTestCase


class OutlierMathTests(SimpleTestCase):
    def test_it_flags_a_jump_from_a_noisy_series(self) -> None:
        flagged, centre = outlier(90, [20, 24, 18, 22, 25, 19], k=4, floor=1, floor_ratio=0.1, min_history=3)
        self.assertTrue(flagged)
        self.assertEqual(centre, 21)

    def test_it_does_not_flag_a_value_inside_the_band(self) -> None:
        flagged, _centre = outlier(27, [20, 24, 18, 22, 25, 19], k=4, floor=1, floor_ratio=0.1, min_history=3)
        self.assertFalse(flagged)

    def test_it_uses_the_floor_on_a_flat_history(self) -> None:
        # MAD is 0 on a flat series: without the floor, 11 after five 10s would be "abnormal".
        self.assertFalse(outlier(11, [10] * 5, k=4, floor=1, floor_ratio=0.1, min_history=3)[0])
        self.assertTrue(outlier(20, [10] * 5, k=4, floor=1, floor_ratio=0.1, min_history=3)[0])

    def test_it_does_not_judge_a_short_history(self) -> None:
        self.assertEqual(outlier(500, [10, 10], k=4, floor=1, floor_ratio=0.1, min_history=3), (False, None))


class OutlierRuleTests(ReportTestCase):
    def outliers(self, report: object) -> list[str]:
        return [f.rule for f in services.check(report) if f.rule.endswith("-outlier")]  # type: ignore[arg-type]

    def test_it_flags_a_jump_in_the_signed_amount(self) -> None:
        self.history(self.yuzhong, [10, 12, 11, 9, 10, 13], "investment_amount")
        report = self.filled(investment_amount=Decimal("60"))
        self.assertEqual(self.outliers(report), ["amount-outlier"])
        finding = next(f for f in services.check(report) if f.rule == "amount-outlier")
        self.assertIn("中位数 10.5", finding.message)

    def test_it_does_not_flag_a_steady_series(self) -> None:
        self.history(self.yuzhong, [10, 12, 11, 9, 10, 13], "investment_amount")
        report = self.filled(investment_amount=Decimal("12.50"))
        self.assertEqual(self.outliers(report), [])

    def test_it_flags_a_jump_in_a_ledger_figure_from_the_reports_snapshots(self) -> None:
        # A full year of reports: months without one would be read from the (here empty) ledgers.
        self.history(self.yuzhong, [40, 45, 38, 42, 41, 39, 44, 43, 40, 42, 38, 45], "new_employees")
        report = self.filled()
        report.figures = {"plan": "2025", "figures": [{"indicator": "new_employees", "month_value": 400}]}
        self.assertEqual(self.outliers(report), ["new-employees-outlier"])
        report.figures = {"plan": "2025", "figures": [{"indicator": "new_employees", "month_value": 44}]}
        self.assertEqual(self.outliers(report), [])

    def test_it_reads_only_the_units_own_history(self) -> None:
        self.history(self.nanan, [10, 12, 11, 9, 10, 13], "investment_amount")
        report = self.filled(investment_amount=Decimal("60"))
        self.assertEqual(self.outliers(report), [])

    def test_it_falls_back_to_the_ledgers_for_months_without_a_report(self) -> None:
        # No reports at all: the history is the ledgers' (empty here: a steady zero), so a first
        # month with 400 new employees stands out.
        report = self.filled()
        report.figures = {"plan": "2025", "figures": [{"indicator": "new_employees", "month_value": 400}]}
        self.assertEqual(self.outliers(report), ["new-employees-outlier"])
