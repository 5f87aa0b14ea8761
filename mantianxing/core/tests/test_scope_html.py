"""The HTML ledger views (/buildings/, /enterprises/) show and change only what the scope allows."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from mantianxing.carriers.models import Building
from mantianxing.core.testing import PersonaTestCase, form_data
from mantianxing.enterprises.models import Enterprise
from mantianxing.geo.models import Unit


def new_building(code: str, unit: Unit) -> dict[str, Any]:
    return form_data(Building(code=code, name=f"新楼宇{code}", unit=unit, status="listed"))


def building_url(name: str, building: Building) -> str:
    return reverse(f"carriers:{name}", args=[building.pk])


def enterprise_url(name: str, enterprise: Enterprise) -> str:
    return reverse(f"enterprises:{name}", args=[enterprise.pk])


BUILDING_LIST = "/buildings/"
BUILDING_NEW = "/buildings/new/"
ENTERPRISE_LIST = "/enterprises/"
ENTERPRISE_NEW = "/enterprises/new/"


class ScopeHtmlTests(PersonaTestCase):
    """One persona per test: `self.client.force_login(...)` names who is asking."""

    # The district officer (渝中): their unit's rows, nothing of 南岸's.

    def test_it_lists_only_the_district_officers_buildings(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.client.get(BUILDING_LIST)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, self.building_yz.name)
        self.assertNotContains(response, self.building_na.name)
        self.assertNotContains(response, self.building_na.code)

    def test_it_lists_only_the_district_officers_enterprises(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.client.get(ENTERPRISE_LIST)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, self.enterprise_yz.name)
        self.assertNotContains(response, self.enterprise_na.name)

    def test_it_ignores_a_list_filter_naming_the_other_unit(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.client.get(BUILDING_LIST, {"unit": "500108"})
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, self.building_na.name)

    def test_it_shows_the_district_officer_their_own_building(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.client.get(building_url("building_detail", self.building_yz))
        self.assertContains(response, self.building_yz.name)

    def test_it_answers_404_for_the_other_units_building_detail_and_edit(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        self.assertEqual(self.client.get(building_url("building_detail", self.building_na)).status_code, 404)
        self.assertEqual(self.client.get(building_url("building_edit", self.building_na)).status_code, 404)

    def test_it_answers_404_for_the_other_units_enterprise_detail_and_edit(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        detail = self.client.get(enterprise_url("enterprise_detail", self.enterprise_na))
        edit = self.client.get(enterprise_url("enterprise_edit", self.enterprise_na))
        self.assertEqual(detail.status_code, 404)
        self.assertEqual(edit.status_code, 404)

    def test_it_answers_404_to_an_edit_post_on_the_other_units_building_and_changes_nothing(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        data = form_data(self.building_na, name="被改名的楼宇")
        response = self.client.post(building_url("building_edit", self.building_na), data)
        self.assertEqual(response.status_code, 404)
        self.building_na.refresh_from_db()
        self.assertEqual(self.building_na.name, "南岸软件园一号楼")
        self.assertIsNone(self.building_na.updated_by_id)

    def test_it_answers_404_to_an_edit_post_on_the_other_units_enterprise_and_changes_nothing(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        data = form_data(self.enterprise_na, name="被改名的企业")
        response = self.client.post(enterprise_url("enterprise_edit", self.enterprise_na), data)
        self.assertEqual(response.status_code, 404)
        self.enterprise_na.refresh_from_db()
        self.assertEqual(self.enterprise_na.name, "重庆南岸信息技术有限公司")

    def test_it_lets_the_district_officer_edit_their_own_building(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        data = form_data(self.building_yz, name="渝中数字大厦（二期）")
        response = self.client.post(building_url("building_edit", self.building_yz), data)
        self.assertRedirects(response, building_url("building_detail", self.building_yz))
        self.building_yz.refresh_from_db()
        self.assertEqual(self.building_yz.name, "渝中数字大厦（二期）")
        self.assertEqual(self.building_yz.updated_by, self.yuzhong_officer)

    def test_it_refuses_moving_the_district_officers_building_to_the_other_unit(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        data = form_data(self.building_yz, unit=self.nanan.pk, name="搬走的楼宇")
        response = self.client.post(building_url("building_edit", self.building_yz), data)
        self.assertIn(response.status_code, (200, 403))
        if response.status_code == 200:  # refused by the form: 南岸 is not among the choices
            self.assertIn("unit", response.context["form"].errors)
        self.building_yz.refresh_from_db()
        self.assertEqual(self.building_yz.unit, self.yuzhong)
        self.assertEqual(self.building_yz.name, "渝中数字大厦")

    def test_it_offers_only_the_district_officers_unit_on_the_new_form(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.client.get(BUILDING_NEW)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(list(response.context["form"].fields["unit"].queryset), [self.yuzhong])
        self.assertNotContains(response, self.nanan.name)

    def test_it_creates_a_building_in_the_district_officers_unit(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.client.post(BUILDING_NEW, new_building("YZ-0002", self.yuzhong))
        created = Building.objects.get(code="YZ-0002")
        self.assertRedirects(response, building_url("building_detail", created))
        self.assertEqual(created.unit, self.yuzhong)
        self.assertEqual(created.created_by, self.yuzhong_officer)

    def test_it_refuses_creating_a_building_in_the_other_unit(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.client.post(BUILDING_NEW, new_building("NA-0002", self.nanan))
        self.assertIn(response.status_code, (200, 403))
        if response.status_code == 200:
            self.assertIn("unit", response.context["form"].errors)
        self.assertFalse(Building.objects.filter(code="NA-0002").exists())

    # The auditor: reads the whole city, writes nothing.

    def test_it_lists_every_units_rows_to_the_auditor(self) -> None:
        self.client.force_login(self.auditor)
        buildings = self.client.get(BUILDING_LIST)
        enterprises = self.client.get(ENTERPRISE_LIST)
        for name in (self.building_yz.name, self.building_na.name):
            self.assertContains(buildings, name)
        for name in (self.enterprise_yz.name, self.enterprise_na.name):
            self.assertContains(enterprises, name)
        self.assertContains(self.client.get(building_url("building_detail", self.building_na)), "南岸软件园")

    def test_it_answers_403_to_the_auditor_on_new_and_offers_no_link(self) -> None:
        self.client.force_login(self.auditor)
        self.assertNotContains(self.client.get(BUILDING_LIST), BUILDING_NEW)
        self.assertEqual(self.client.get(BUILDING_NEW).status_code, 403)
        self.assertEqual(self.client.get(ENTERPRISE_NEW).status_code, 403)
        response = self.client.post(BUILDING_NEW, new_building("YZ-0009", self.yuzhong))
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Building.objects.filter(code="YZ-0009").exists())

    def test_it_answers_403_to_the_auditor_on_the_edit_page(self) -> None:
        self.client.force_login(self.auditor)
        self.assertEqual(self.client.get(building_url("building_edit", self.building_yz)).status_code, 403)
        edit = self.client.get(enterprise_url("enterprise_edit", self.enterprise_na))
        self.assertEqual(edit.status_code, 403)

    def test_it_answers_403_to_an_auditors_edit_post_and_changes_nothing(self) -> None:
        self.client.force_login(self.auditor)
        data = form_data(self.building_yz, name="审计改名")
        response = self.client.post(building_url("building_edit", self.building_yz), data)
        self.assertEqual(response.status_code, 403)
        self.building_yz.refresh_from_db()
        self.assertEqual(self.building_yz.name, "渝中数字大厦")

    # The building operator: one building, editable, no new ones.

    def test_it_lists_only_the_operators_building(self) -> None:
        self.client.force_login(self.operator)
        response = self.client.get(BUILDING_LIST)
        self.assertContains(response, self.building_yz.name)
        self.assertNotContains(response, self.building_na.name)
        self.assertEqual(self.client.get(building_url("building_detail", self.building_na)).status_code, 404)

    def test_it_lets_the_operator_edit_their_building(self) -> None:
        self.client.force_login(self.operator)
        data = form_data(self.building_yz, operator_name="渝中物业管理有限公司")
        response = self.client.post(building_url("building_edit", self.building_yz), data)
        self.assertRedirects(response, building_url("building_detail", self.building_yz))
        self.building_yz.refresh_from_db()
        self.assertEqual(self.building_yz.operator_name, "渝中物业管理有限公司")
        self.assertEqual(self.building_yz.updated_by, self.operator)

    def test_it_refuses_the_operator_moving_their_building(self) -> None:
        self.client.force_login(self.operator)
        data = form_data(self.building_yz, unit=self.nanan.pk)
        response = self.client.post(building_url("building_edit", self.building_yz), data)
        self.assertIn(response.status_code, (200, 403))
        self.building_yz.refresh_from_db()
        self.assertEqual(self.building_yz.unit, self.yuzhong)

    def test_it_answers_403_to_the_operator_on_new(self) -> None:
        self.client.force_login(self.operator)
        self.assertEqual(self.client.get(BUILDING_NEW).status_code, 403)
        response = self.client.post(BUILDING_NEW, new_building("YZ-0003", self.yuzhong))
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Building.objects.filter(code="YZ-0003").exists())

    # The enterprise user: their enterprise, no buildings.

    def test_it_lists_only_the_enterprise_users_enterprise(self) -> None:
        self.client.force_login(self.enterprise_user)
        response = self.client.get(ENTERPRISE_LIST)
        self.assertContains(response, self.enterprise_yz.name)
        self.assertNotContains(response, self.enterprise_na.name)
        detail = self.client.get(enterprise_url("enterprise_detail", self.enterprise_na))
        self.assertEqual(detail.status_code, 404)

    def test_it_shows_the_enterprise_user_no_buildings(self) -> None:
        self.client.force_login(self.enterprise_user)
        response = self.client.get(BUILDING_LIST)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, self.building_yz.name)
        self.assertNotContains(response, self.building_na.name)
        for building in (self.building_yz, self.building_na):
            self.assertEqual(self.client.get(building_url("building_detail", building)).status_code, 404)

    def test_it_lets_the_enterprise_user_edit_their_enterprise(self) -> None:
        self.client.force_login(self.enterprise_user)
        data = form_data(self.enterprise_yz, registered_address="渝中区解放碑1号")
        response = self.client.post(enterprise_url("enterprise_edit", self.enterprise_yz), data)
        self.assertRedirects(response, enterprise_url("enterprise_detail", self.enterprise_yz))
        self.enterprise_yz.refresh_from_db()
        self.assertEqual(self.enterprise_yz.registered_address, "渝中区解放碑1号")

    # The outsider (no role) and anonymous visitors.

    def test_it_shows_the_outsider_empty_lists_and_404_details(self) -> None:
        self.client.force_login(self.outsider)
        buildings = self.client.get(BUILDING_LIST)
        enterprises = self.client.get(ENTERPRISE_LIST)
        self.assertEqual(list(buildings.context["object_list"]), [])
        self.assertEqual(list(enterprises.context["object_list"]), [])
        self.assertNotContains(buildings, self.building_yz.name)
        self.assertNotContains(enterprises, self.enterprise_yz.name)
        self.assertEqual(self.client.get(building_url("building_detail", self.building_yz)).status_code, 404)
        detail = self.client.get(enterprise_url("enterprise_detail", self.enterprise_yz))
        self.assertEqual(detail.status_code, 404)
        self.assertEqual(self.client.get(BUILDING_NEW).status_code, 403)

    def test_it_redirects_anonymous_users_to_login(self) -> None:
        for url in (
            BUILDING_LIST,
            BUILDING_NEW,
            building_url("building_detail", self.building_yz),
            building_url("building_edit", self.building_yz),
            ENTERPRISE_LIST,
            enterprise_url("enterprise_detail", self.enterprise_yz),
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith("/login/?next="), response["Location"])

    def test_it_redirects_an_anonymous_edit_post_and_changes_nothing(self) -> None:
        data = form_data(self.building_yz, name="匿名改名")
        response = self.client.post(building_url("building_edit", self.building_yz), data)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/login/"))
        self.building_yz.refresh_from_db()
        self.assertEqual(self.building_yz.name, "渝中数字大厦")
