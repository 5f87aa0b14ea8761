"""Newly 上星 in a period: 上星 for the year judged at the period's end, not for the year before."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from mantianxing.core.testing import current_unit
from mantianxing.enterprises.models import Enterprise
from mantianxing.enterprises.shangxing import shangxing_basis
from mantianxing.geo.models import Unit
from mantianxing.honours.shangxing import compared_years, default_period, newly_shangxing
from mantianxing.honours.tests.base import HonoursTestCase, december, firm, roster
from mantianxing.lib.periods import parse_period


class ComparedYearsTests(HonoursTestCase):
    def test_it_compares_the_years_the_indicator_compares(self) -> None:
        self.assertEqual(compared_years(parse_period("2025")), (2024, 2025))
        self.assertEqual(compared_years(parse_period("2025H2")), (2024, 2025))
        self.assertEqual(compared_years(parse_period("2025H1")), (2024, 2024))
        self.assertEqual(compared_years(parse_period("2025-12")), (2024, 2025))
        self.assertEqual(compared_years(parse_period("2026-01")), (2025, 2025))

    def test_the_default_is_the_last_complete_year(self) -> None:
        self.assertEqual(default_period(date(2026, 11, 22)).label, "2025")
        self.assertEqual(default_period(date(2026, 1, 1)).label, "2025")


class NewlyShangxingTests(HonoursTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.risen = firm(cls.yuzhong)  # 上星 in 2025 by revenue, not in 2024
        december(cls.risen, 2024, revenue="9999.99", headcount=80)
        december(cls.risen, 2025, revenue="10000", headcount=90)
        cls.grown = firm(cls.nanan, division="500108")  # 上星 in 2025 by its December roster
        roster(cls.grown, 2024, 99)
        roster(cls.grown, 2025, 100)
        cls.steady = firm(cls.yuzhong)  # 上星 in both years: not new
        december(cls.steady, 2024, headcount=300)
        december(cls.steady, 2025, headcount=320)
        cls.fallen = firm(cls.yuzhong)  # 上星 in 2024 only
        december(cls.fallen, 2024, revenue="20000")
        december(cls.fallen, 2025, revenue="100")
        cls.jiangbei_firm = firm(Unit.objects.get(code="500105"), division="500105")
        december(cls.jiangbei_firm, 2025, headcount=150)

    def test_it_lists_the_firms_that_newly_reached_shangxing(self) -> None:
        rows = newly_shangxing(parse_period("2025"))
        self.assertEqual(
            {row.enterprise_id for row in rows}, {self.risen.pk, self.grown.pk, self.jiangbei_firm.pk}
        )
        self.assertEqual([r.unit.code for r in rows], sorted(r.unit.code for r in rows))

    def test_a_second_half_year_closes_the_year(self) -> None:
        self.assertEqual(len(newly_shangxing(parse_period("2025H2"))), 3)

    def test_a_first_half_year_has_none(self) -> None:
        self.assertEqual(newly_shangxing(parse_period("2025H1")), [])
        self.assertEqual(newly_shangxing(parse_period("2026H1")), [])

    def test_it_gives_the_figures_that_qualified_each_firm(self) -> None:
        rows = {row.enterprise_id: row for row in newly_shangxing(parse_period("2025"))}
        risen, grown = rows[self.risen.pk], rows[self.grown.pk]
        self.assertEqual(
            (risen.revenue, risen.headcount, risen.headcount_source), (Decimal("10000"), 90, "经营数据")
        )
        self.assertTrue(risen.revenue_met)
        self.assertFalse(risen.headcount_met)
        self.assertEqual((grown.revenue, grown.headcount, grown.headcount_source), (None, 100, "花名册"))
        self.assertTrue(grown.headcount_met)
        # The same figures as the enterprise page's 上星 basis.
        for row in rows.values():
            basis = shangxing_basis(Enterprise.objects.get(pk=row.enterprise_id), 2025)
            self.assertEqual((row.revenue, row.headcount), (basis["revenue"], basis["headcount"]))

    def test_it_credits_the_ledger_unit_carried_today(self) -> None:
        rows = {row.enterprise_id: row for row in newly_shangxing(parse_period("2025"))}
        self.assertEqual(rows[self.jiangbei_firm.pk].unit, current_unit("500157"))
        self.assertEqual(rows[self.grown.pk].unit, self.nanan)

    def test_it_narrows_to_units(self) -> None:
        rows = newly_shangxing(parse_period("2025"), [self.nanan])
        self.assertEqual([row.enterprise_id for row in rows], [self.grown.pk])
        liangjiang = newly_shangxing(parse_period("2025"), [current_unit("500157")])
        self.assertEqual([row.enterprise_id for row in liangjiang], [self.jiangbei_firm.pk])
