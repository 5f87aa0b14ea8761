from __future__ import annotations

from datetime import date

from django.test import SimpleTestCase

from mantianxing.lib.periods import add_months, month_end, parse_period


class PeriodTests(SimpleTestCase):
    def test_it_reads_a_month(self) -> None:
        period = parse_period("2026-03")
        self.assertEqual(
            (period.first, period.last, period.ends_on),
            (date(2026, 3, 1), date(2026, 3, 1), date(2026, 3, 31)),
        )

    def test_it_reads_halves(self) -> None:
        self.assertEqual(parse_period("2026H1").last, date(2026, 6, 1))
        second = parse_period("2026h2")
        self.assertEqual(
            (second.label, second.first, second.ends_on), ("2026H2", date(2026, 7, 1), date(2026, 12, 31))
        )

    def test_it_reads_a_year(self) -> None:
        year = parse_period("2026")
        self.assertEqual((year.first, year.last), (date(2026, 1, 1), date(2026, 12, 1)))

    def test_it_refuses_anything_else_in_chinese(self) -> None:
        for text in ("2026-13", "2026H3", "26", "2026Q1", ""):
            with self.subTest(text=text), self.assertRaisesMessage(ValueError, "应写作"):
                parse_period(text)

    def test_month_arithmetic_crosses_years(self) -> None:
        self.assertEqual(add_months(date(2025, 12, 1), 1), date(2026, 1, 1))
        self.assertEqual(add_months(date(2026, 1, 1), -1), date(2025, 12, 1))
        self.assertEqual(month_end(date(2024, 2, 1)), date(2024, 2, 29))
