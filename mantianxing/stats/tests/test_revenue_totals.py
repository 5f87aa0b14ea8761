"""营业收入 and 主营业务收入: the same rules at every door (model, form, API, admin, import, database)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import SimpleTestCase
from django.urls import reverse
from openpyxl import load_workbook

from mantianxing.core.testing import PersonaTestCase, form_data
from mantianxing.imports.exports import export_ledger
from mantianxing.imports.ledgers import LEDGERS
from mantianxing.imports.pipeline import run_import
from mantianxing.imports.tests.sheets import xlsx
from mantianxing.stats.models import MonthlyStatistics, totals_errors

NEW = "/statistics/new/"
API = "/api/statistics"
JSON = "application/json"
COLUMNS = LEDGERS["statistics"].columns
OLD_COLUMNS = COLUMNS[:-2]  # the template before 营业收入 and 主营业务收入


def amounts(operating: str | None, main: str | None, software: str | None) -> dict[str, str]:
    return totals_errors(
        Decimal(operating) if operating is not None else None,
        Decimal(main) if main is not None else None,
        Decimal(software) if software is not None else None,
    )


class TotalsRuleTests(SimpleTestCase):
    def test_it_accepts_operating_over_main_over_software(self) -> None:
        self.assertEqual(amounts("3000", "2500", "2000"), {})
        self.assertEqual(amounts("3000", "3000", "3000"), {})

    def test_it_accepts_software_above_main_business_revenue(self) -> None:
        # A firm whose main business is not software books software revenue as 其他业务收入.
        self.assertEqual(amounts("3000", "1000", "2000"), {})

    def test_it_refuses_main_business_revenue_above_operating_revenue(self) -> None:
        errors = amounts("1000", "1000.01", "500")
        self.assertEqual(list(errors), ["main_business_revenue"])
        self.assertIn("主营业务收入 1000.01 万元超过营业收入 1000.00 万元", errors["main_business_revenue"])

    def test_it_refuses_software_revenue_above_operating_revenue(self) -> None:
        errors = amounts("1000", None, "1200")
        self.assertEqual(list(errors), ["software_revenue"])
        self.assertIn("软件业务收入 1200.00 万元超过营业收入 1000.00 万元", errors["software_revenue"])

    def test_it_refuses_negative_totals(self) -> None:
        self.assertEqual(set(amounts("-1", "-2", None)), {"operating_revenue", "main_business_revenue"})

    def test_it_checks_only_the_figures_that_are_given(self) -> None:
        self.assertEqual(amounts(None, "5000", "100"), {})
        self.assertEqual(amounts(None, None, "100"), {})
        self.assertEqual(amounts("100", None, None), {})


class TotalsDoorsTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.june = MonthlyStatistics.objects.create(
            enterprise=cls.enterprise_yz,
            month=date(2024, 6, 1),
            software_revenue=Decimal("1000"),
            headcount=80,
            operating_revenue=Decimal("1500"),
            main_business_revenue=Decimal("1200"),
        )

    def test_the_model_refuses_main_business_revenue_above_operating_revenue(self) -> None:
        row = MonthlyStatistics(
            enterprise=self.enterprise_yz,
            month=date(2024, 7, 1),
            software_revenue=Decimal("10"),
            operating_revenue=Decimal("100"),
            main_business_revenue=Decimal("150"),
        )
        with self.assertRaises(ValidationError) as raised:
            row.full_clean()
        self.assertEqual(set(raised.exception.message_dict), {"main_business_revenue"})

    def test_the_database_refuses_a_write_that_skips_the_model(self) -> None:
        rows = MonthlyStatistics.objects.filter(pk=self.june.pk)
        for change in (
            {"main_business_revenue": Decimal("1600")},
            {"software_revenue": Decimal("1600")},
            {"operating_revenue": Decimal("-1")},
        ):
            with self.subTest(change=change), self.assertRaises(IntegrityError), transaction.atomic():
                rows.update(**change)

    def test_the_form_saves_both_totals_and_refuses_them_out_of_order(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        base = {"enterprise": self.enterprise_yz.uscc, "month": "2024-07", "software_revenue": "100"}
        refused = self.client.post(NEW, base | {"operating_revenue": "90", "main_business_revenue": "95"})
        self.assertEqual(refused.status_code, 200)
        self.assertContains(refused, "主营业务收入 95.00 万元超过营业收入 90.00 万元")
        self.assertContains(refused, "软件业务收入 100.00 万元超过营业收入 90.00 万元")
        self.assertFalse(MonthlyStatistics.objects.filter(month=date(2024, 7, 1)).exists())
        self.client.post(NEW, base | {"operating_revenue": "300", "main_business_revenue": "250"})
        saved = MonthlyStatistics.objects.get(month=date(2024, 7, 1))
        self.assertEqual((saved.operating_revenue, saved.main_business_revenue), (300, 250))

    def test_the_pages_show_both_totals(self) -> None:
        self.client.force_login(self.city_officer)
        listing = self.client.get("/statistics/", {"month": "2024-06"})
        self.assertContains(listing, '<th class="num">营业收入</th>', html=False)
        self.assertEqual(listing.context["totals"]["operating_revenue"], Decimal("1500.00"))
        self.assertEqual(listing.context["totals"]["main_business_revenue"], Decimal("1200.00"))
        detail = self.client.get(reverse("stats:statistics_detail", args=[self.june.pk]))
        self.assertContains(detail, "主营业务收入（万元）</dt><dd>1200.00")
        enterprise = self.client.get(self.enterprise_yz.get_absolute_url())
        self.assertContains(enterprise, '<th class="num">主营业务收入</th>', html=False)

    def test_the_api_reads_writes_and_refuses_them(self) -> None:
        headers = self.bearer(self.enterprise_user)
        item = self.client.get(f"{API}/{self.june.pk}", headers=headers).json()
        self.assertEqual(
            (Decimal(item["operating_revenue"]), Decimal(item["main_business_revenue"])), (1500, 1200)
        )
        payload = {
            "enterprise": self.enterprise_yz.uscc,
            "month": "2024-08",
            "software_revenue": "100",
            "operating_revenue": "200",
            "main_business_revenue": "150",
        }
        created = self.client.post(API, payload, content_type=JSON, headers=headers)
        self.assertEqual(created.status_code, 201, created.content)
        url = f"{API}/{created.json()['id']}"
        refused = self.client.patch(url, {"operating_revenue": "120"}, content_type=JSON, headers=headers)
        self.assertEqual(refused.status_code, 400)
        self.assertIn("主营业务收入 150.00 万元超过营业收入 120.00 万元", refused.json()["message"])
        self.assertEqual(MonthlyStatistics.objects.get(month=date(2024, 8, 1)).operating_revenue, 200)

    def test_the_admin_refuses_them_out_of_order(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        url = f"/admin/stats/monthlystatistics/{self.june.pk}/change/"
        data = form_data(self.june, _save="保存", main_business_revenue="1600")
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "主营业务收入 1600.00 万元超过营业收入 1500.00 万元")
        self.june.refresh_from_db()
        self.assertEqual(self.june.main_business_revenue, Decimal("1200"))


class TotalsImportTests(PersonaTestCase):
    def row(self, month: str, *totals: Any, software: Any = 100) -> list[Any]:
        return [month, self.enterprise_yz.uscc, software, 40, 60, 0, 0, 10, 20, *totals]

    def test_the_template_ends_with_the_two_totals(self) -> None:
        self.assertEqual(COLUMNS[-2:], ("营业收入（万元）", "主营业务收入（万元）"))

    def test_it_imports_both_totals(self) -> None:
        result = run_import("statistics", xlsx(COLUMNS, [self.row("2026-03", 300, 250)]), file_name="s.xlsx")
        self.assertEqual(result.errors, [])
        row = MonthlyStatistics.objects.get()
        self.assertEqual((row.operating_revenue, row.main_business_revenue), (300, 250))

    def test_it_names_the_row_column_and_reason_and_writes_nothing(self) -> None:
        rows = [self.row("2026-03", 300, 250), self.row("2026-04", 90, 95), self.row("2026-05", -1, None)]
        result = run_import("statistics", xlsx(COLUMNS, rows), file_name="s.xlsx")
        found = [(e.row, e.column) for e in result.errors]
        self.assertEqual(
            found,
            [(3, "软件业务收入（万元）"), (3, "主营业务收入（万元）"), (4, "营业收入（万元）")],
        )
        self.assertIn("主营业务收入 95.00 万元超过营业收入 90.00 万元", result.errors[1].message)
        self.assertFalse(MonthlyStatistics.objects.exists())

    def test_a_file_made_before_the_two_columns_still_imports(self) -> None:
        old = [self.row("2026-03")]
        result = run_import("statistics", xlsx(OLD_COLUMNS, old), file_name="old.xlsx")
        self.assertEqual(result.errors, [])
        row = MonthlyStatistics.objects.get()
        self.assertEqual((row.operating_revenue, row.main_business_revenue), (None, None))

    def test_an_old_file_keeps_the_stored_totals(self) -> None:
        run_import("statistics", xlsx(COLUMNS, [self.row("2026-03", 300, 250)]), file_name="new.xlsx")
        again = run_import(
            "statistics", xlsx(OLD_COLUMNS, [self.row("2026-03", software=120)]), file_name="old.xlsx"
        )
        self.assertEqual((again.errors, again.imported), ([], 1))
        row = MonthlyStatistics.objects.get()
        self.assertEqual(
            (row.software_revenue, row.operating_revenue, row.main_business_revenue), (120, 300, 250)
        )

    def test_an_old_file_may_not_push_software_revenue_past_the_stored_operating_revenue(self) -> None:
        run_import("statistics", xlsx(COLUMNS, [self.row("2026-03", 300, 250)]), file_name="new.xlsx")
        again = run_import(
            "statistics", xlsx(OLD_COLUMNS, [self.row("2026-03", software=400)]), file_name="old.xlsx"
        )
        self.assertEqual([(e.row, e.column) for e in again.errors], [(2, "软件业务收入（万元）")])
        self.assertEqual(MonthlyStatistics.objects.get().software_revenue, 100)

    def test_the_export_round_trips_through_the_import(self) -> None:
        run_import("statistics", xlsx(COLUMNS, [self.row("2026-03", 300, 250)]), file_name="s.xlsx")
        buffer = io.BytesIO()
        export_ledger("statistics", buffer)
        sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        header = next(index for index, row in enumerate(rows) if row[0] == "统计月份")
        self.assertEqual(tuple(rows[header][: len(COLUMNS)]), COLUMNS)
        self.assertEqual(rows[header + 1][len(COLUMNS) - 2 : len(COLUMNS)], [300, 250])
        again = run_import("statistics", buffer.getvalue(), file_name="export.xlsx")
        self.assertEqual((again.errors, again.imported), ([], 0))
