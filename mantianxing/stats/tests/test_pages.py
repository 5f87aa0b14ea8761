"""The statistics pages and API: totals of the filtered rows, parts ≤ total, scope, history, batches."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse

from mantianxing.core.testing import PersonaTestCase
from mantianxing.imports.models import ImportBatch, Ledger
from mantianxing.stats.models import MonthlyStatistics

LIST = "/statistics/"
NEW = "/statistics/new/"
API = "/api/statistics"
JSON = "application/json"


def form(uscc: str, month: str, **amounts: Any) -> dict[str, Any]:
    return {"enterprise": uscc, "month": month} | {key: str(value) for key, value in amounts.items()}


class StatisticsTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.batch = ImportBatch.objects.create(
            ledger=Ledger.STATISTICS,
            file_name="经营数据2024年6月.xlsx",
            sha256="3" * 64,
            created_by=cls.city_officer,
            rows=2,
            valid=2,
            imported=2,
            skipped=0,
        )
        cls.yz_june = MonthlyStatistics.objects.create(
            enterprise=cls.enterprise_yz,
            month=date(2024, 6, 1),
            software_revenue=Decimal("1000"),
            product_revenue=Decimal("300"),
            it_service_revenue=Decimal("600"),
            rd_expense=Decimal("120"),
            headcount=80,
            batch=cls.batch,
        )
        cls.na_june = MonthlyStatistics.objects.create(
            enterprise=cls.enterprise_na,
            month=date(2024, 6, 1),
            software_revenue=Decimal("500.50"),
            product_revenue=Decimal("200"),
            headcount=30,
        )
        cls.yz_may = MonthlyStatistics.objects.create(
            enterprise=cls.enterprise_yz,
            month=date(2024, 5, 1),
            software_revenue=Decimal("800"),
            headcount=78,
        )

    def detail(self, row: MonthlyStatistics) -> str:
        return reverse("stats:statistics_detail", args=[row.pk])


class StatisticsPageTests(StatisticsTestCase):
    def test_it_totals_the_filtered_rows(self) -> None:
        self.client.force_login(self.city_officer)
        response = self.client.get(LIST, {"month": "2024-06"})
        self.assertEqual(response.status_code, 200)
        totals = response.context["totals"]
        self.assertEqual(totals["rows"], 2)
        self.assertEqual(totals["software_revenue"], Decimal("1500.50"))
        self.assertEqual(totals["product_revenue"], Decimal("500"))
        self.assertEqual(totals["headcount"], 110)
        self.assertContains(response, "1500.50")
        self.assertNotContains(response, "跨月相加没有意义")

    def test_it_warns_that_year_to_date_figures_do_not_add_across_months(self) -> None:
        self.client.force_login(self.city_officer)
        response = self.client.get(LIST, {"q": self.enterprise_yz.uscc})
        self.assertEqual(response.context["totals"]["months"], 2)
        self.assertContains(response, "跨月相加没有意义")

    def test_it_renders_the_detail_with_its_batch_and_history(self) -> None:
        self.client.force_login(self.city_officer)
        page = self.client.get(self.detail(self.yz_june))
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, reverse("imports:batch_detail", args=[self.batch.pk]))
        self.assertContains(page, f"导入批次 #{self.batch.pk} 经营数据2024年6月.xlsx")
        self.assertContains(page, "变更历史")
        self.assertContains(self.client.get(self.detail(self.na_june)), "手工录入/修改")

    def test_it_hides_the_other_units_rows_from_a_district_officer(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.client.get(LIST)
        self.assertEqual({r.pk for r in response.context["object_list"]}, {self.yz_june.pk, self.yz_may.pk})
        self.assertNotContains(response, self.enterprise_na.name)
        self.assertEqual(self.client.get(self.detail(self.na_june)).status_code, 404)
        edit = reverse("stats:statistics_edit", args=[self.na_june.pk])
        self.assertEqual(self.client.get(edit).status_code, 404)
        # The totals are the district's own.
        self.assertEqual(
            self.client.get(LIST, {"month": "2024-06"}).context["totals"]["software_revenue"], 1000
        )

    def test_it_shows_the_enterprise_user_its_own_statistics(self) -> None:
        self.client.force_login(self.enterprise_user)
        response = self.client.get(LIST)
        self.assertEqual({r.pk for r in response.context["object_list"]}, {self.yz_june.pk, self.yz_may.pk})
        self.assertEqual(self.client.get(self.detail(self.yz_june)).status_code, 200)
        self.assertEqual(self.client.get(self.detail(self.na_june)).status_code, 404)

    def test_it_filters_by_month_unit_and_search(self) -> None:
        self.client.force_login(self.city_officer)

        def pks(**params: Any) -> set[int]:
            return {r.pk for r in self.client.get(LIST, params).context["object_list"]}

        self.assertEqual(pks(month="2024-05"), {self.yz_may.pk})
        self.assertEqual(pks(unit="500108"), {self.na_june.pk})
        self.assertEqual(pks(q="南岸"), {self.na_june.pk})


class StatisticsFormTests(StatisticsTestCase):
    def test_it_lets_the_enterprise_user_file_a_month(self) -> None:
        self.client.force_login(self.enterprise_user)
        self.assertEqual(self.client.get(NEW).context["form"].initial["enterprise"], self.enterprise_yz.uscc)
        data = form(
            self.enterprise_yz.uscc, "2024-07", software_revenue=1200, product_revenue=400, headcount=82
        )
        response = self.client.post(NEW, data)
        created = MonthlyStatistics.objects.get(enterprise=self.enterprise_yz, month=date(2024, 7, 1))
        self.assertRedirects(response, self.detail(created))
        self.assertEqual(created.created_by, self.enterprise_user)

    def test_it_shows_the_parts_over_total_error(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        data = form(
            self.enterprise_yz.uscc,
            "2024-07",
            software_revenue=100,
            product_revenue=80,
            it_service_revenue=40,
        )
        response = self.client.post(NEW, data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "分项收入之和 120 万元超过软件业务收入 100 万元")
        self.assertFalse(MonthlyStatistics.objects.filter(month=date(2024, 7, 1)).exists())

    def test_it_refuses_a_month_already_filed_and_another_units_enterprise(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        again = self.client.post(NEW, form(self.enterprise_yz.uscc, "2024-06", software_revenue=1))
        self.assertEqual(again.status_code, 200)
        self.assertTrue(again.context["form"].errors)
        other = self.client.post(NEW, form(self.enterprise_na.uscc, "2024-07", software_revenue=1))
        self.assertIn("enterprise", other.context["form"].errors)

    def test_it_records_an_edit_in_the_history_and_drops_the_batch(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        url = reverse("stats:statistics_edit", args=[self.yz_june.pk])
        self.assertContains(self.client.get(url), 'value="2024-06"')
        data = form(
            self.enterprise_yz.uscc, "2024-06", software_revenue=1100, product_revenue=300, headcount=80
        )
        self.assertRedirects(self.client.post(url, data), self.detail(self.yz_june))
        self.yz_june.refresh_from_db()
        self.assertEqual(self.yz_june.software_revenue, Decimal("1100"))
        self.assertIsNone(self.yz_june.batch_id)
        page = self.client.get(self.detail(self.yz_june))
        self.assertContains(page, "手工录入/修改")
        self.assertTrue(page.context["history"])


class StatisticsApiTests(StatisticsTestCase):
    def test_it_lists_and_reads_within_scope(self) -> None:
        headers = self.bearer(self.yuzhong_officer)
        body = self.client.get(API, {"month": "2024-06"}, headers=headers).json()
        self.assertEqual([item["id"] for item in body["items"]], [self.yz_june.pk])
        self.assertEqual(body["items"][0]["month"], "2024-06")
        self.assertEqual(body["items"][0]["batch"], self.batch.pk)
        self.assertEqual(self.client.get(f"{API}/{self.na_june.pk}", headers=headers).status_code, 404)

    def test_it_creates_and_patches(self) -> None:
        headers = self.bearer(self.enterprise_user)
        payload = {"enterprise": self.enterprise_yz.uscc, "month": "2024-08", "software_revenue": "1300"}
        created = self.client.post(API, payload, content_type=JSON, headers=headers)
        self.assertEqual(created.status_code, 201, created.content)
        url = f"{API}/{created.json()['id']}"
        patched = self.client.patch(url, {"product_revenue": "500"}, content_type=JSON, headers=headers)
        self.assertEqual(patched.status_code, 200)
        self.assertEqual(Decimal(patched.json()["product_revenue"]), Decimal("500"))
        too_much = self.client.patch(url, {"product_revenue": "1500"}, content_type=JSON, headers=headers)
        self.assertEqual(too_much.status_code, 400)
        self.assertIn("超过软件业务收入", too_much.json()["message"])

    def test_it_refuses_another_units_enterprise(self) -> None:
        headers = self.bearer(self.yuzhong_officer)
        payload = {"enterprise": self.enterprise_na.uscc, "month": "2024-08", "software_revenue": "1"}
        self.assertEqual(self.client.post(API, payload, content_type=JSON, headers=headers).status_code, 400)
        patch = self.client.patch(
            f"{API}/{self.na_june.pk}", {"headcount": 1}, content_type=JSON, headers=headers
        )
        self.assertEqual(patch.status_code, 404)


class StatisticsAdminTests(StatisticsTestCase):
    def test_it_scopes_statistics_in_the_back_office(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        listing = self.client.get("/admin/stats/monthlystatistics/")
        self.assertEqual(listing.status_code, 200)
        self.assertContains(listing, self.enterprise_yz.name)
        self.assertNotContains(listing, self.enterprise_na.name)
