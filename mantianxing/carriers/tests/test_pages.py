"""The building and occupancy pages and API: tenants, history, month by month, scope and provenance."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mantianxing.carriers.models import Building, Occupancy
from mantianxing.core.testing import PersonaTestCase, form_data
from mantianxing.enterprises.models import Enterprise, EnterpriseOrigin
from mantianxing.imports.models import ImportBatch, Ledger
from mantianxing.lib.identifiers import make_uscc

OCCUPANCY_LIST = "/buildings/occupancy/"
OCCUPANCY_NEW = "/buildings/occupancy/new/"
OCCUPANCIES_API = "/api/occupancy"
JSON = "application/json"


def detail(occupancy: Occupancy) -> str:
    return reverse("carriers:occupancy_detail", args=[occupancy.pk])


class CarrierPagesTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.today = timezone.localdate()
        Building.objects.filter(pk=cls.building_yz.pk).update(carrier_area=Decimal("10000"))
        Building.objects.filter(pk=cls.building_na.pk).update(carrier_area=Decimal("5000"))
        cls.building_yz.refresh_from_db()
        cls.building_na.refresh_from_db()
        cls.batch = ImportBatch.objects.create(
            ledger=Ledger.OCCUPANCY,
            file_name="渝中入驻台账.xlsx",
            sha256="0" * 64,
            created_by=cls.city_officer,
            rows=1,
            valid=1,
            imported=1,
            skipped=0,
        )
        cls.current = Occupancy.objects.create(
            building=cls.building_yz,
            enterprise=cls.enterprise_yz,
            area=Decimal("1200"),
            moved_in_on=cls.today - timedelta(days=400),
            batch=cls.batch,
        )
        # 南岸's firm had a floor in 渝中's building once, and moved out.
        cls.former = Occupancy.objects.create(
            building=cls.building_yz,
            enterprise=cls.enterprise_na,
            area=Decimal("800"),
            moved_in_on=cls.today - timedelta(days=900),
            moved_out_on=cls.today - timedelta(days=500),
        )
        cls.nanan_tenant = Occupancy.objects.create(
            building=cls.building_na,
            enterprise=cls.enterprise_na,
            area=Decimal("500"),
            moved_in_on=cls.today - timedelta(days=100),
        )

    def new_enterprise(
        self, body: str = "91500103MA61CCCC3", name: str = "重庆新入驻科技有限公司"
    ) -> Enterprise:
        return Enterprise.objects.create(uscc=make_uscc(body), name=name, unit=self.yuzhong)


class BuildingPageTests(CarrierPagesTestCase):
    def test_it_lists_buildings_with_occupied_area_and_tenant_count(self) -> None:
        self.client.force_login(self.city_officer)
        response = self.client.get("/buildings/")
        self.assertEqual(response.status_code, 200)
        rows = {b.code: b for b in response.context["object_list"]}
        self.assertEqual(rows["YZ-0001"].occupied_area, Decimal("1200"))
        self.assertEqual(rows["YZ-0001"].tenant_count, 1)
        self.assertEqual(rows["NA-0001"].occupied_area, Decimal("500"))
        self.assertContains(response, ">1200.00<")
        # The figure links to the rows behind it.
        self.assertContains(response, f"{OCCUPANCY_LIST}?building=YZ-0001&amp;on={self.today:%Y-%m-%d}")

    def test_it_shows_the_building_steps_with_their_dates(self) -> None:
        Building.objects.filter(pk=self.building_yz.pk).update(
            status="refitting",
            listed_on=date(2022, 1, 5),
            acquired_on=date(2022, 8, 1),
            refitting_on=date(2023, 3, 1),
        )
        self.client.force_login(self.city_officer)
        response = self.client.get(self.building_yz.get_absolute_url())
        for text in ("台账：2022-01-05", "收储：2022-08-01", "改造：2023-03-01", "投用：—"):
            self.assertContains(response, text)
        self.assertContains(response, '<li class="is-current">改造：2023-03-01</li>', html=True)

    def test_it_shows_tenants_and_the_occupancy_history(self) -> None:
        self.client.force_login(self.city_officer)
        response = self.client.get(self.building_yz.get_absolute_url())
        self.assertEqual([o.pk for o in response.context["tenants"]], [self.current.pk])
        self.assertEqual([o.pk for o in response.context["occupancies"]], [self.former.pk, self.current.pk])
        self.assertContains(response, self.enterprise_yz.get_absolute_url())
        self.assertContains(response, self.enterprise_na.name)
        self.assertContains(response, detail(self.former))
        self.assertContains(response, detail(self.current))

    def test_it_shows_the_occupied_area_for_each_of_the_last_24_months(self) -> None:
        self.client.force_login(self.city_officer)
        months = self.client.get(self.building_yz.get_absolute_url()).context["months"]
        self.assertEqual(len(months), 24)
        self.assertEqual(months[0].month, self.today.replace(day=1))
        self.assertEqual(months[0].area, Decimal("1200"))
        self.assertEqual(months[0].share, Decimal("12.0"))
        # Twenty months ago only the firm that later moved out was there.
        twenty = months[20]
        self.assertEqual(twenty.area, Decimal("800"))
        self.assertEqual(twenty.tenants, 1)

    def test_it_links_the_building_to_its_import_batch_or_says_it_was_edited(self) -> None:
        self.client.force_login(self.city_officer)
        page = self.client.get(self.building_yz.get_absolute_url())
        self.assertContains(page, "手工录入/修改")
        # Each occupancy row names the batch that wrote it.
        self.assertContains(page, reverse("imports:batch_detail", args=[self.batch.pk]))
        self.assertContains(page, f"导入批次 #{self.batch.pk} 渝中入驻台账.xlsx")
        Building.objects.filter(pk=self.building_yz.pk).update(batch=self.batch)
        page = self.client.get(self.building_yz.get_absolute_url())
        self.assertContains(page, f"导入批次 #{self.batch.pk} 渝中入驻台账.xlsx", count=2)

    def test_it_saves_the_step_dates_from_the_form_in_order_only(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        url = reverse("carriers:building_edit", args=[self.building_yz.pk])
        data = form_data(self.building_yz, listed_on="2022-01-05", acquired_on="2022-08-01")
        self.assertRedirects(self.client.post(url, data), self.building_yz.get_absolute_url())
        self.building_yz.refresh_from_db()
        self.assertEqual(self.building_yz.acquired_on, date(2022, 8, 1))
        backwards = form_data(self.building_yz, refitting_on="2022-07-01")
        response = self.client.post(url, backwards)
        self.assertEqual(response.status_code, 200)
        self.assertIn("refitting_on", response.context["form"].errors)

    def test_it_takes_the_step_dates_through_the_api(self) -> None:
        url = f"/api/buildings/{self.building_yz.pk}"
        headers = self.bearer(self.yuzhong_officer)
        response = self.client.patch(
            url, {"listed_on": "2022-01-05", "in_use_on": "2024-01-01"}, content_type=JSON, headers=headers
        )
        self.assertEqual(response.status_code, 200, response.content)
        body = self.client.get(url, headers=headers).json()
        self.assertEqual(body["listed_on"], "2022-01-05")
        self.assertEqual(body["in_use_on"], "2024-01-01")
        self.assertIsNone(body["acquired_on"])


class OccupancyPageTests(CarrierPagesTestCase):
    def test_it_renders_the_list_and_detail_for_the_city_officer(self) -> None:
        self.client.force_login(self.city_officer)
        listing = self.client.get(OCCUPANCY_LIST)
        self.assertEqual(listing.status_code, 200)
        self.assertEqual(listing.context["paginator"].count, 3)
        page = self.client.get(detail(self.current))
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, self.enterprise_yz.name)
        self.assertContains(page, "在驻")
        self.assertContains(page, f"导入批次 #{self.batch.pk} 渝中入驻台账.xlsx")
        self.assertContains(page, "变更历史")

    def test_it_hides_the_other_units_occupancies_from_a_district_officer(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        listing = self.client.get(OCCUPANCY_LIST)
        self.assertEqual({o.pk for o in listing.context["object_list"]}, {self.current.pk, self.former.pk})
        self.assertNotContains(listing, "NA-0001")
        self.assertEqual(self.client.get(detail(self.nanan_tenant)).status_code, 404)
        edit = reverse("carriers:occupancy_edit", args=[self.nanan_tenant.pk])
        self.assertEqual(self.client.get(edit).status_code, 404)

    def test_it_shows_the_operator_only_its_buildings_occupancies(self) -> None:
        self.client.force_login(self.operator)
        listing = self.client.get(OCCUPANCY_LIST)
        self.assertEqual({o.pk for o in listing.context["object_list"]}, {self.current.pk, self.former.pk})
        self.assertEqual(self.client.get(detail(self.nanan_tenant)).status_code, 404)
        self.assertEqual(self.client.get(detail(self.former)).status_code, 200)

    def test_it_filters_by_building_enterprise_unit_and_day(self) -> None:
        self.client.force_login(self.city_officer)

        def pks(**params: Any) -> set[int]:
            return {o.pk for o in self.client.get(OCCUPANCY_LIST, params).context["object_list"]}

        self.assertEqual(pks(building="YZ-0001"), {self.current.pk, self.former.pk})
        self.assertEqual(pks(q="南岸信息"), {self.former.pk, self.nanan_tenant.pk})
        self.assertEqual(pks(q=self.enterprise_yz.uscc), {self.current.pk})
        self.assertEqual(pks(unit="500108"), {self.nanan_tenant.pk})
        self.assertEqual(pks(on=f"{self.today - timedelta(days=600):%Y-%m-%d}"), {self.former.pk})
        self.assertEqual(pks(on=f"{self.today:%Y-%m-%d}"), {self.current.pk, self.nanan_tenant.pk})
        # The move-out day itself no longer counts (half-open periods).
        self.assertEqual(pks(building="YZ-0001", on=f"{self.former.moved_out_on:%Y-%m-%d}"), set())

    def test_it_does_not_query_once_per_row(self) -> None:
        self.client.force_login(self.city_officer)
        self.client.get(OCCUPANCY_LIST)  # warm the session and the content types
        with CaptureQueriesContext(connection) as few:
            self.client.get(OCCUPANCY_LIST)
        for day in range(5):
            Occupancy.objects.create(
                building=self.building_na,
                enterprise=self.new_enterprise(f"91500108MA61DDD{day}1", f"企业{day}"),
                area=Decimal("10"),
                moved_in_on=date(2020, 1, day + 1),
            )
        with CaptureQueriesContext(connection) as many:
            self.client.get(OCCUPANCY_LIST)
        self.assertEqual(len(many), len(few))

    def test_it_registers_a_tenant_and_recomputes_its_origin(self) -> None:
        firm = self.new_enterprise()
        self.client.force_login(self.yuzhong_officer)
        form = self.client.get(OCCUPANCY_NEW, {"building": "YZ-0001"})
        self.assertEqual(form.context["form"].initial["building"], "YZ-0001")
        data = {
            "building": "YZ-0001",
            "enterprise": firm.uscc.lower(),
            "area": "300",
            "moved_in_on": "2024-05-01",
        }
        response = self.client.post(OCCUPANCY_NEW, data)
        created = Occupancy.objects.get(enterprise=firm)
        self.assertRedirects(response, detail(created))
        self.assertEqual(created.created_by, self.yuzhong_officer)
        self.assertIsNone(created.batch_id)
        self.assertTrue(EnterpriseOrigin.objects.filter(enterprise=firm).exists())
        self.assertContains(self.client.get(detail(created)), "手工录入/修改")

    def test_it_shows_the_capacity_error(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        data = {
            "building": "YZ-0001",
            "enterprise": self.new_enterprise().uscc,
            "area": "9000",
            "moved_in_on": f"{self.today:%Y-%m-%d}",
        }
        response = self.client.post(OCCUPANCY_NEW, data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "超过载体面积")
        self.assertEqual(Occupancy.objects.count(), 3)

    def test_it_shows_the_overlap_error(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        data = {
            "building": "YZ-0001",
            "enterprise": self.enterprise_yz.uscc,
            "area": "10",
            "moved_in_on": f"{self.today - timedelta(days=10):%Y-%m-%d}",
        }
        response = self.client.post(OCCUPANCY_NEW, data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "重叠")

    def test_it_refuses_a_building_outside_the_operators_scope(self) -> None:
        self.client.force_login(self.operator)
        data = {
            "building": "NA-0001",
            "enterprise": self.enterprise_yz.uscc,
            "area": "10",
            "moved_in_on": "2024-01-01",
        }
        response = self.client.post(OCCUPANCY_NEW, data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("building", response.context["form"].errors)
        self.assertEqual(Occupancy.objects.filter(building=self.building_na).count(), 1)

    def test_it_lets_the_operator_record_a_move_out(self) -> None:
        self.client.force_login(self.operator)
        url = reverse("carriers:occupancy_edit", args=[self.current.pk])
        form = self.client.get(url)
        self.assertEqual(form.context["form"].initial["enterprise"], self.enterprise_yz.uscc)
        data = {
            "building": "YZ-0001",
            "enterprise": self.enterprise_yz.uscc,
            "area": "1200",
            "moved_in_on": f"{self.current.moved_in_on:%Y-%m-%d}",
            "moved_out_on": f"{self.today:%Y-%m-%d}",
        }
        self.assertRedirects(self.client.post(url, data), detail(self.current))
        self.current.refresh_from_db()
        self.assertEqual(self.current.moved_out_on, self.today)
        self.assertIsNone(self.current.batch_id)  # now a user's edit, told by the history
        self.assertContains(self.client.get(detail(self.current)), "已迁出")

    def test_it_answers_403_to_the_enterprise_user_on_new(self) -> None:
        self.client.force_login(self.enterprise_user)
        self.assertEqual(self.client.get(OCCUPANCY_NEW).status_code, 403)


class OccupancyApiTests(CarrierPagesTestCase):
    def test_it_lists_and_filters_within_scope(self) -> None:
        headers = self.bearer(self.yuzhong_officer)
        body = self.client.get(OCCUPANCIES_API, headers=headers).json()
        self.assertEqual(body["count"], 2)
        on = self.client.get(OCCUPANCIES_API, {"on": f"{self.today:%Y-%m-%d}"}, headers=headers).json()
        self.assertEqual([item["id"] for item in on["items"]], [self.current.pk])
        self.assertEqual(on["items"][0]["enterprise"], self.enterprise_yz.uscc)
        self.assertEqual(on["items"][0]["batch"], self.batch.pk)
        other = self.client.get(f"{OCCUPANCIES_API}/{self.nanan_tenant.pk}", headers=headers)
        self.assertEqual(other.status_code, 404)

    def test_it_creates_patches_and_deletes(self) -> None:
        # A new tenant is recorded by the district, which sees the firm; then it is the operator's too.
        firm = self.new_enterprise()
        headers = self.bearer(self.yuzhong_officer)
        payload = {
            "building": "YZ-0001",
            "enterprise": firm.uscc,
            "area": "250.5",
            "moved_in_on": "2024-05-01",
        }
        created = self.client.post(OCCUPANCIES_API, payload, content_type=JSON, headers=headers)
        self.assertEqual(created.status_code, 201, created.content)
        pk = created.json()["id"]
        self.assertTrue(EnterpriseOrigin.objects.filter(enterprise=firm).exists())
        headers = self.bearer(self.operator)
        patched = self.client.patch(
            f"{OCCUPANCIES_API}/{pk}", {"moved_out_on": "2025-01-01"}, content_type=JSON, headers=headers
        )
        self.assertEqual(patched.status_code, 200, patched.content)
        self.assertEqual(patched.json()["moved_out_on"], "2025-01-01")
        self.assertEqual(self.client.delete(f"{OCCUPANCIES_API}/{pk}", headers=headers).status_code, 204)
        self.assertFalse(Occupancy.objects.filter(pk=pk).exists())

    def test_it_refuses_what_the_model_refuses_and_what_is_out_of_scope(self) -> None:
        headers = self.bearer(self.yuzhong_officer)
        too_big = {
            "building": "YZ-0001",
            "enterprise": self.new_enterprise().uscc,
            "area": "9500",
            "moved_in_on": "2024-05-01",
        }
        response = self.client.post(OCCUPANCIES_API, too_big, content_type=JSON, headers=headers)
        self.assertEqual(response.status_code, 400)
        self.assertIn("超过载体面积", response.json()["message"])
        headers = self.bearer(self.operator)
        elsewhere = dict(too_big, building="NA-0001", area="1")
        self.assertEqual(
            self.client.post(OCCUPANCIES_API, elsewhere, content_type=JSON, headers=headers).status_code, 400
        )
        delete = self.client.delete(f"{OCCUPANCIES_API}/{self.nanan_tenant.pk}", headers=headers)
        self.assertEqual(delete.status_code, 404)

    def test_it_answers_the_auditor_with_403_on_writes(self) -> None:
        headers = self.bearer(self.auditor)
        payload = {
            "building": "YZ-0001",
            "enterprise": self.enterprise_yz.uscc,
            "area": "1",
            "moved_in_on": "2019-01-01",
        }
        self.assertEqual(
            self.client.post(OCCUPANCIES_API, payload, content_type=JSON, headers=headers).status_code, 403
        )
        self.assertEqual(self.client.get(OCCUPANCIES_API, headers=headers).json()["count"], 3)


class OccupancyAdminTests(CarrierPagesTestCase):
    def test_it_scopes_occupancies_in_the_back_office(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        listing = self.client.get("/admin/carriers/occupancy/")
        self.assertEqual(listing.status_code, 200)
        self.assertContains(listing, self.enterprise_yz.name)
        self.assertNotContains(listing, "NA-0001")
        change = self.client.get(f"/admin/carriers/occupancy/{self.nanan_tenant.pk}/change/")
        self.assertNotEqual(change.status_code, 200)
