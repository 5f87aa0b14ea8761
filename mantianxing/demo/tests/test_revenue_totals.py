"""The demo's statistics carry plausible 营业收入 and 主营业务收入: 营业收入 ≥ 主营业务收入 ≥ 软件业务收入."""

from __future__ import annotations

from datetime import date

from django.test import TestCase

from mantianxing.demo.world import SCALES, World


class DemoRevenueTotalsTests(TestCase):
    def test_it_files_totals_in_order_with_firms_on_both_sides_of_the_guishang_share(self) -> None:
        world = World(SCALES["tiny"], 7, date(2026, 3, 15))
        for _month, _members in world.people():
            pass
        rows = [row for year in sorted({m.year for m in world.months}) for row in world.statistics(year)]
        self.assertTrue(rows)
        for _month, firm, amounts, _headcount, (operating, main) in rows:
            with self.subTest(firm=firm.uscc):
                self.assertGreaterEqual(operating, main)
                self.assertGreaterEqual(main, amounts[0])
        # Most firms live on software; some earn most of their main business revenue elsewhere.
        self.assertEqual({firm.software_of_main >= 0.3 for firm in world.firms}, {True, False})
