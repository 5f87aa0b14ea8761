"""Time progress, completion, status and projection: the arithmetic of a progress report."""

from __future__ import annotations

from datetime import date

from django.test import SimpleTestCase, TestCase

from mantianxing.monitoring.choices import Indicator, Status
from mantianxing.monitoring.definitions import DEFINITIONS
from mantianxing.monitoring.progress import default_as_of, project, status_of, time_progress
from mantianxing.plans.models import Plan

# 2022-07-15 … 2025-12-31 is 170 + 365 + 366 + 365 = 1,266 days; 2025-12-23 … 2027-12-31 is 9 + 365 + 365 = 739.
DAYS_2022, DAYS_2025 = 1266, 739


class TimeProgressTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.plan_2022 = Plan.objects.get(code="2022")
        cls.plan_2025 = Plan.objects.get(code="2025")

    def test_it_is_zero_before_the_window(self) -> None:
        self.assertEqual(time_progress(self.plan_2022, date(2022, 6, 1)), 0)

    def test_it_counts_the_first_months_days_from_the_start_date(self) -> None:
        self.assertAlmostEqual(time_progress(self.plan_2022, date(2022, 7, 1)), 17 / DAYS_2022)
        self.assertAlmostEqual(time_progress(self.plan_2025, date(2025, 12, 1)), 9 / DAYS_2025)

    def test_it_counts_whole_months_inside_the_window(self) -> None:
        self.assertAlmostEqual(time_progress(self.plan_2025, date(2026, 10, 1)), (9 + 304) / DAYS_2025)

    def test_it_is_one_in_the_last_month_and_after(self) -> None:
        self.assertEqual(time_progress(self.plan_2022, date(2025, 12, 1)), 1)
        self.assertEqual(time_progress(self.plan_2022, date(2026, 10, 1)), 1)
        self.assertAlmostEqual(time_progress(self.plan_2022, date(2025, 11, 1)), 1 - 31 / DAYS_2022)

    def test_the_default_month_is_the_last_complete_one_inside_the_window(self) -> None:
        self.assertEqual(default_as_of(self.plan_2025, date(2026, 11, 22)), date(2026, 10, 1))
        self.assertEqual(default_as_of(self.plan_2022, date(2026, 11, 22)), date(2025, 12, 1))
        self.assertEqual(default_as_of(self.plan_2025, date(2025, 12, 24)), date(2025, 12, 1))


class StatusTests(SimpleTestCase):
    def test_it_is_done_at_full_completion(self) -> None:
        self.assertEqual(status_of(1.0, 0.4), Status.DONE)
        self.assertEqual(status_of(1.2, 1.0), Status.DONE)

    def test_it_is_ahead_at_or_above_time_progress(self) -> None:
        self.assertEqual(status_of(0.4, 0.4), Status.AHEAD)
        self.assertEqual(status_of(0.5, 0.4), Status.AHEAD)

    def test_it_is_behind_below_time_progress(self) -> None:
        self.assertEqual(status_of(0.39, 0.4), Status.BEHIND)
        self.assertEqual(status_of(0.99, 1.0), Status.BEHIND)

    def test_it_has_no_status_without_a_target(self) -> None:
        self.assertIsNone(status_of(None, 0.4))


class ProjectionTests(SimpleTestCase):
    employees = DEFINITIONS[Indicator.NEW_EMPLOYEES]
    share = DEFINITIONS[Indicator.SOFTWARE_PRODUCT_SHARE]

    def test_it_extends_a_steady_trend_with_no_spread(self) -> None:
        projection = project(self.employees, [0, 10, 20, 30], months_left=6)
        assert projection is not None
        self.assertEqual((projection.value, projection.low, projection.high), (90, 90, 90))

    def test_it_widens_the_range_with_the_spread_of_the_monthly_changes(self) -> None:
        projection = project(self.employees, [0, 5, 20, 25, 40], months_left=4)
        assert projection is not None
        self.assertEqual(projection.value, 80)
        self.assertLess(projection.low, 80)
        self.assertGreater(projection.high, 80)
        self.assertAlmostEqual(80 - projection.low, projection.high - 80)

    def test_it_uses_the_last_twelve_months(self) -> None:
        series = [0, 1000] + [1000 + 10 * i for i in range(1, 13)]
        projection = project(self.employees, series, months_left=1)
        assert projection is not None
        self.assertEqual(projection.value, series[-1] + 10)

    def test_past_the_window_it_is_the_final_value(self) -> None:
        projection = project(self.employees, [0, 10, 20], months_left=0)
        assert projection is not None
        self.assertEqual(projection.value, 20)

    def test_a_share_stays_between_zero_and_one(self) -> None:
        projection = project(self.share, [0.7, 0.8, 0.9], months_left=12)
        assert projection is not None
        self.assertEqual(projection.value, 1.0)
