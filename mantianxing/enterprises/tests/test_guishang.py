"""规上: 主营业务收入 ≥ 2,000 万元 and 软件业务收入 ≥ 30% of it, December of the last full year."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from itertools import count
from typing import Any

from django.db import connection
from django.test import SimpleTestCase, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from mantianxing.core.testing import PersonaTestCase, current_unit
from mantianxing.enterprises.guishang import guishang_basis, guishang_ids, qualifies
from mantianxing.enterprises.models import Enterprise
from mantianxing.enterprises.shangxing import last_full_year
from mantianxing.imports.exports import export_ledger
from mantianxing.lib.identifiers import make_uscc
from mantianxing.stats.models import MonthlyStatistics

serial = count(1)
LIST = "/enterprises/"
API = "/api/enterprises"


def firm(unit: str = "500103") -> Enterprise:
    n = next(serial)
    return Enterprise.objects.create(
        uscc=make_uscc(f"91{unit}MC{n:06d}Y"), name=f"规上测试企业{n}", unit=current_unit(unit)
    )


def filed(
    enterprise: Enterprise, main: str | None, software: str | None, month: date = date(2025, 12, 1)
) -> None:
    MonthlyStatistics.objects.create(
        enterprise=enterprise,
        month=month,
        main_business_revenue=Decimal(main) if main is not None else None,
        software_revenue=Decimal(software) if software is not None else None,
    )


class QualifiesTests(SimpleTestCase):
    def test_it_needs_two_thousand_wan_yuan_and_a_thirty_percent_share(self) -> None:
        cases = [
            ("2000", "600", True),
            ("1999.99", "1999.99", False),
            ("2000", "599.99", False),
            ("10000", "10000", True),
            ("2000", None, False),
            (None, "5000", False),
        ]
        for main, software, expected in cases:
            with self.subTest(main=main, software=software):
                self.assertEqual(
                    qualifies(Decimal(main) if main else None, Decimal(software) if software else None),
                    expected,
                )


class DatabaseRuleTests(TestCase):
    def test_the_query_agrees_with_the_rule_at_the_edges(self) -> None:
        # Exactly 30% in amounts that are not whole in binary floating point, and the fen either side.
        cases = [
            ("2000.10", "600.03"),
            ("2000.10", "600.02"),
            ("3333.33", "1000.00"),
            ("3333.34", "1000.00"),
            ("2000.00", "600.00"),
            ("1999.99", "1000.00"),
            ("123456789.10", "37037036.73"),
            ("123456789.10", "37037036.72"),
        ]
        firms = {}
        for main, software in cases:
            enterprise = firm()
            filed(enterprise, main, software)
            firms[enterprise.pk] = qualifies(Decimal(main), Decimal(software))
        self.assertEqual(guishang_ids(2025), {pk for pk, expected in firms.items() if expected})
        self.assertEqual(sum(firms.values()), 4)

    def test_it_uses_only_december_of_the_year_asked_and_no_other_figure(self) -> None:
        november, other_year, no_main = firm(), firm(), firm()
        filed(november, "5000", "5000", month=date(2025, 11, 1))
        filed(other_year, "5000", "5000", month=date(2024, 12, 1))
        MonthlyStatistics.objects.create(
            enterprise=no_main,
            month=date(2025, 12, 1),
            operating_revenue=Decimal("9000"),
            software_revenue=Decimal("5000"),
        )
        self.assertEqual(guishang_ids(2025), set())
        self.assertEqual(guishang_ids(2024), {other_year.pk})
        self.assertFalse(guishang_basis(no_main, 2025)["guishang"])


class GuishangDoorsTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        year = cls.year = last_full_year(timezone.localdate())
        filed(cls.enterprise_yz, "2400", "720", month=date(year, 12, 1))  # exactly 30%
        filed(cls.enterprise_na, "2400", "500", month=date(year, 12, 1))  # 20.8%

    def names(self, **params: Any) -> set[str]:
        response = self.client.get(LIST, params)
        self.assertEqual(response.status_code, 200)
        return {e.name for e in response.context["object_list"]}

    def test_the_list_filters_on_it_within_the_scope(self) -> None:
        self.client.force_login(self.city_officer)
        self.assertEqual(self.names(guishang="true"), {self.enterprise_yz.name})
        self.assertNotIn(self.enterprise_yz.name, self.names(guishang="false"))
        self.assertIn(self.enterprise_na.name, self.names(guishang="false"))
        self.client.force_login(self.nanan_officer)
        self.assertEqual(self.names(guishang="true"), set())

    def test_the_api_filters_on_it(self) -> None:
        headers = self.bearer(self.city_officer)
        body = self.client.get(API, {"guishang": "true"}, headers=headers).json()
        self.assertEqual([item["uscc"] for item in body["items"]], [self.enterprise_yz.uscc])
        others = self.client.get(API, {"guishang": "false"}, headers=headers).json()
        self.assertNotIn(self.enterprise_yz.uscc, [item["uscc"] for item in others["items"]])

    def test_the_list_shows_it_in_a_constant_number_of_queries(self) -> None:
        self.client.force_login(self.city_officer)
        response = self.client.get(LIST)
        shown = {e.pk: e.guishang for e, _origins, _star in response.context["rows"]}
        self.assertTrue(shown[self.enterprise_yz.pk])
        self.assertFalse(shown[self.enterprise_na.pk])
        self.assertContains(response, f"{self.enterprise_yz.get_absolute_url()}#guishang")
        for _ in range(5):
            filed(firm(), "3000", "3000", month=date(self.year, 12, 1))
        before = self.queries_of_the_list()
        for _ in range(5):
            filed(firm(), "3000", "3000", month=date(self.year, 12, 1))
        self.assertEqual(self.queries_of_the_list(), before)

    def queries_of_the_list(self) -> int:
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(LIST).status_code, 200)
        return len(queries)

    def test_the_enterprise_page_shows_it_with_its_basis(self) -> None:
        self.client.force_login(self.city_officer)
        page = self.client.get(self.enterprise_yz.get_absolute_url())
        basis = page.context["guishang"]
        self.assertEqual(
            (basis["guishang"], basis["share"], basis["main_met"]), (True, Decimal("30.0"), True)
        )
        self.assertContains(page, f"规上企业（{self.year}年）：是")
        self.assertContains(page, f"经营数据 {self.year}-12（年累计，万元）")
        other = self.client.get(self.enterprise_na.get_absolute_url()).context["guishang"]
        self.assertEqual(
            (other["guishang"], other["share_met"], other["share"]), (False, False, Decimal("20.8"))
        )

    def test_the_enterprise_export_adds_it_as_a_computed_column(self) -> None:
        buffer = io.BytesIO()
        export_ledger("enterprises", buffer)
        rows = list(load_workbook(io.BytesIO(buffer.getvalue())).active.iter_rows(values_only=True))
        column = rows[0].index(f"规上（{self.year}年）")
        shown = {row[0]: row[column] for row in rows[1:]}
        self.assertEqual((shown[self.enterprise_yz.uscc], shown[self.enterprise_na.uscc]), ("是", "否"))
