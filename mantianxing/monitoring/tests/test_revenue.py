"""Twelve-month revenue from year-to-date statistics, and the product share."""

from __future__ import annotations

from datetime import date

from django.test import SimpleTestCase, TestCase

from mantianxing.monitoring.choices import Indicator
from mantianxing.monitoring.contributions import trailing_year
from mantianxing.monitoring.tests.factories import World


class TrailingYearTests(SimpleTestCase):
    def test_it_adds_the_rest_of_last_year(self) -> None:
        ytd = {date(2025, 3, 1): 30.0, date(2025, 12, 1): 120.0, date(2026, 3, 1): 45.0}
        self.assertEqual(trailing_year(ytd, date(2026, 3, 1)), 45 + 120 - 30)

    def test_without_last_years_same_month_it_prorates_last_december(self) -> None:
        ytd = {date(2025, 12, 1): 120.0, date(2026, 3, 1): 45.0}
        self.assertEqual(trailing_year(ytd, date(2026, 3, 1)), 45 + 120 * 9 / 12)

    def test_without_last_year_it_annualises(self) -> None:
        self.assertEqual(trailing_year({date(2026, 4, 1): 40.0}, date(2026, 4, 1)), 120)

    def test_december_is_the_calendar_year(self) -> None:
        ytd = {date(2025, 12, 1): 120.0, date(2026, 12, 1): 150.0}
        self.assertEqual(trailing_year(ytd, date(2026, 12, 1)), 150)


class RevenueSeriesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        w = cls.w = World()
        firm = w.firm(date(2015, 1, 1), [(date(2016, 1, 1), w.tower_yz)])
        w.statistics(firm, date(2025, 11, 1), "110", "33")
        w.statistics(firm, date(2025, 12, 1), "120", "36")
        w.statistics(firm, date(2026, 1, 1), "15", "6")
        w.compute()

    def test_the_increase_is_measured_from_the_baseline_month(self) -> None:
        # 2025 plan: baseline December 2025 (twelve months: 120); January 2026: 15 + 120 × 11/12 = 125.
        plan = self.w.plan_2025
        self.assertEqual(self.w.value(plan, Indicator.SOFTWARE_REVENUE, self.w.yuzhong, date(2025, 12, 1)), 0)
        self.assertEqual(self.w.value(plan, Indicator.SOFTWARE_REVENUE, self.w.city, date(2026, 1, 1)), 5)

    def test_the_share_is_over_the_sums(self) -> None:
        plan = self.w.plan_2025
        # January 2026: products 6 + 36 × 11/12 = 39 over 125.
        self.assertAlmostEqual(
            self.w.value(plan, Indicator.SOFTWARE_PRODUCT_SHARE, self.w.yuzhong, date(2026, 1, 1)),
            39 / 125,
            places=4,
        )
