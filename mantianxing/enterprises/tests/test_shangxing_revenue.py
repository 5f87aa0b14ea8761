"""上星 on 营业收入 (2025 plan), and the lower bound a firm without 营业收入 on file is judged on."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import count

from django.test import SimpleTestCase, TestCase
from django.utils import timezone

from mantianxing.core.testing import PersonaTestCase, current_unit
from mantianxing.enterprises.models import Enterprise
from mantianxing.enterprises.shangxing import (
    Revenue,
    last_full_year,
    revenue_figure,
    shangxing_basis,
    shangxing_ids,
)
from mantianxing.honours.shangxing import newly_shangxing
from mantianxing.lib.identifiers import make_uscc
from mantianxing.lib.periods import parse_period
from mantianxing.stats.models import MonthlyStatistics

serial = count(1)


def firm() -> Enterprise:
    n = next(serial)
    return Enterprise.objects.create(
        uscc=make_uscc(f"91500103MB{n:06d}Y"), name=f"营业收入测试企业{n}", unit=current_unit("500103")
    )


def december(
    enterprise: Enterprise,
    year: int = 2025,
    *,
    operating: str | None = None,
    main: str | None = None,
    software: str | None = None,
) -> None:
    MonthlyStatistics.objects.create(
        enterprise=enterprise,
        month=date(year, 12, 1),
        operating_revenue=Decimal(operating) if operating else None,
        main_business_revenue=Decimal(main) if main else None,
        software_revenue=Decimal(software) if software else None,
        headcount=10,
    )


class RevenueFigureTests(SimpleTestCase):
    def test_it_takes_operating_revenue_when_given(self) -> None:
        figure = revenue_figure(Decimal("300"), Decimal("250"), Decimal("200"))
        self.assertEqual(figure, Revenue(Decimal("300"), "营业收入"))
        assert figure is not None and not figure.lower_bound

    def test_it_takes_the_larger_lower_bound_without_operating_revenue(self) -> None:
        self.assertEqual(
            revenue_figure(None, Decimal("250"), Decimal("200")), Revenue(Decimal("250"), "主营业务收入")
        )
        # Software revenue may exceed main business revenue (booked as 其他业务收入): still ≤ 营业收入.
        self.assertEqual(
            revenue_figure(None, Decimal("100"), Decimal("200")), Revenue(Decimal("200"), "软件业务收入")
        )
        self.assertEqual(revenue_figure(None, None, Decimal("200")), Revenue(Decimal("200"), "软件业务收入"))
        self.assertEqual(
            revenue_figure(None, Decimal("5"), Decimal("5")), Revenue(Decimal("5"), "主营业务收入")
        )

    def test_it_has_no_figure_without_any_revenue(self) -> None:
        self.assertIsNone(revenue_figure(None, None, None))


class OperatingRevenueTests(TestCase):
    def test_it_qualifies_on_operating_revenue_above_a_small_software_revenue(self) -> None:
        enough, short = firm(), firm()
        december(enough, operating="10000", main="9000", software="3000")
        december(short, operating="9999.99", main="9999.99", software="9999.99")
        self.assertEqual(shangxing_ids(2025), {enough.pk})
        basis = shangxing_basis(enough, 2025)
        self.assertEqual((basis["revenue"], basis["revenue_figure"]), (Decimal("10000"), "营业收入"))
        self.assertEqual(basis["revenue_source"], "经营数据 2025-12 营业收入（年累计，万元）")
        self.assertFalse(basis["revenue_lower_bound"])

    def test_it_qualifies_on_a_lower_bound_that_reaches_the_threshold(self) -> None:
        by_main, by_software = firm(), firm()
        december(by_main, main="10000", software="6000")
        december(by_software, main="4000", software="10000")
        self.assertEqual(shangxing_ids(2025), {by_main.pk, by_software.pk})
        basis = shangxing_basis(by_main, 2025)
        self.assertEqual(basis["revenue_figure"], "主营业务收入")
        self.assertTrue(basis["revenue_lower_bound"])
        self.assertIn("未填营业收入，以此作为营业收入的下限", basis["revenue_source"])
        self.assertEqual(shangxing_basis(by_software, 2025)["revenue_figure"], "软件业务收入")

    def test_it_does_not_qualify_on_a_lower_bound_below_the_threshold(self) -> None:
        enterprise = firm()
        december(enterprise, main="9000", software="5000")
        self.assertEqual(shangxing_ids(2025), set())
        basis = shangxing_basis(enterprise, 2025)
        self.assertEqual((basis["revenue"], basis["revenue_met"]), (Decimal("9000"), False))

    def test_the_honours_list_shows_the_figure_it_was_judged_on(self) -> None:
        enterprise = firm()
        december(enterprise, 2024, operating="9000")
        december(enterprise, 2025, main="12000", software="3000")
        row = next(r for r in newly_shangxing(parse_period("2025")) if r.enterprise_id == enterprise.pk)
        self.assertEqual((row.revenue, row.revenue_figure), (Decimal("12000"), "主营业务收入"))
        self.assertTrue(row.revenue_met)


class ShangxingPageTests(PersonaTestCase):
    def test_it_names_the_figure_used_on_the_enterprise_page(self) -> None:
        year = last_full_year(timezone.localdate())
        december(self.enterprise_yz, year, main="10500", software="8000")
        self.client.force_login(self.city_officer)
        response = self.client.get(self.enterprise_yz.get_absolute_url())
        self.assertTrue(response.context["shangxing"]["shangxing"])
        self.assertContains(
            response,
            '<td>主营业务收入（万元）<div class="mtx-muted mtx-note">营业收入的下限</div></td>',
            html=False,
        )
        self.assertContains(
            response, f"经营数据 {year}-12 主营业务收入（年累计，万元）；未填营业收入，以此作为营业收入的下限"
        )
