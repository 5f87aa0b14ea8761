"""The back office (/admin/, unfold): changelists, change and add forms follow the same scopes."""

from __future__ import annotations

from typing import Any

from mantianxing.carriers.models import Building
from mantianxing.core.services import save_record
from mantianxing.core.testing import PersonaTestCase, form_data
from mantianxing.enterprises.models import Enterprise
from mantianxing.geo.models import Unit

BUILDINGS = "/admin/carriers/building/"
ENTERPRISES = "/admin/enterprises/enterprise/"
USERS = "/admin/accounts/user/"


def change_url(obj: Building | Enterprise) -> str:
    base = BUILDINGS if isinstance(obj, Building) else ENTERPRISES
    return f"{base}{obj.pk}/change/"


def building_data(building: Building, **changes: Any) -> dict[str, Any]:
    return form_data(building, _save="保存", **changes)


def new_building_data(code: str, unit: Unit) -> dict[str, Any]:
    return building_data(Building(code=code, name=f"后台新楼宇{code}", unit=unit, status="listed"))


def enterprise_data(enterprise: Enterprise, **changes: Any) -> dict[str, Any]:
    return form_data(enterprise, _save="保存", **changes)


class ScopeAdminTests(PersonaTestCase):
    def assertNotDisclosed(self, response: Any, name: str) -> None:
        """Django admin answers an out-of-scope id like a missing one: back to the index, or 403/404."""
        self.assertIn(response.status_code, (302, 403, 404))
        if response.status_code == 302:
            self.assertEqual(response["Location"], "/admin/")
        self.assertNotIn(name, response.content.decode())

    # The district officer (渝中).

    def test_it_lists_only_the_district_officers_buildings(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.client.get(BUILDINGS)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, self.building_yz.name)
        self.assertNotContains(response, self.building_na.name)
        self.assertNotContains(response, self.building_na.code)

    def test_it_lists_only_the_district_officers_enterprises(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.client.get(ENTERPRISES)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, self.enterprise_yz.name)
        self.assertNotContains(response, self.enterprise_na.name)

    def test_it_does_not_show_the_other_units_building(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        self.assertNotDisclosed(self.client.get(change_url(self.building_na)), self.building_na.name)
        followed = self.client.get(change_url(self.building_na), follow=True)
        self.assertNotContains(followed, self.building_na.name)

    def test_it_does_not_show_the_other_units_enterprise(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        self.assertNotDisclosed(self.client.get(change_url(self.enterprise_na)), self.enterprise_na.name)

    def test_it_refuses_a_change_post_on_the_other_units_building(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.client.post(change_url(self.building_na), building_data(self.building_na, name="改"))
        self.assertNotDisclosed(response, self.building_na.name)
        self.building_na.refresh_from_db()
        self.assertEqual(self.building_na.name, "南岸软件园一号楼")

    def test_it_refuses_a_change_post_on_the_other_units_enterprise(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        data = enterprise_data(self.enterprise_na, name="改名")
        response = self.client.post(change_url(self.enterprise_na), data)
        self.assertNotDisclosed(response, self.enterprise_na.name)
        self.enterprise_na.refresh_from_db()
        self.assertEqual(self.enterprise_na.name, "重庆南岸信息技术有限公司")

    def test_it_refuses_deleting_the_other_units_building(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        url = f"{BUILDINGS}{self.building_na.pk}/delete/"
        self.assertNotDisclosed(self.client.post(url, {"post": "yes"}), self.building_na.name)
        action = {"action": "delete_selected", "_selected_action": [self.building_na.pk], "post": "yes"}
        self.client.post(BUILDINGS, action)
        self.assertTrue(Building.objects.filter(pk=self.building_na.pk).exists())

    def test_it_keeps_the_other_units_history_hidden(self) -> None:
        renamed = Building.objects.get(pk=self.building_na.pk)
        renamed.name = "南岸软件园二号楼"
        save_record(self.city_officer, renamed)  # gives the row a change history entry
        self.client.force_login(self.yuzhong_officer)
        response = self.client.get(f"{BUILDINGS}{self.building_na.pk}/auditlog/")
        self.assertNotIn("南岸软件园", response.content.decode())

    def test_it_lets_the_district_officer_change_their_own_building(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        data = building_data(self.building_yz, name="渝中数字大厦（后台）")
        response = self.client.post(change_url(self.building_yz), data)
        self.assertRedirects(response, BUILDINGS, fetch_redirect_response=False)
        self.building_yz.refresh_from_db()
        self.assertEqual(self.building_yz.name, "渝中数字大厦（后台）")
        self.assertEqual(self.building_yz.updated_by, self.yuzhong_officer)

    def test_it_refuses_moving_the_district_officers_building_to_the_other_unit(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        data = building_data(self.building_yz, unit=self.nanan.pk, name="搬走")
        response = self.client.post(change_url(self.building_yz), data)
        self.assertIn(response.status_code, (200, 403))  # a form error or PermissionDenied, never a save
        self.building_yz.refresh_from_db()
        self.assertEqual(self.building_yz.unit, self.yuzhong)
        self.assertEqual(self.building_yz.name, "渝中数字大厦")

    def test_it_offers_only_the_district_officers_unit_on_the_add_form(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.client.get(f"{BUILDINGS}add/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, self.yuzhong.name)
        self.assertNotContains(response, self.nanan.name)

    def test_it_refuses_adding_a_building_in_the_other_unit(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.client.post(f"{BUILDINGS}add/", new_building_data("NA-0100", self.nanan))
        self.assertIn(response.status_code, (200, 403))
        self.assertFalse(Building.objects.filter(code="NA-0100").exists())

    def test_it_adds_a_building_in_the_district_officers_unit(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.client.post(f"{BUILDINGS}add/", new_building_data("YZ-0100", self.yuzhong))
        self.assertRedirects(response, BUILDINGS, fetch_redirect_response=False)
        created = Building.objects.get(code="YZ-0100")
        self.assertEqual(created.unit, self.yuzhong)
        self.assertEqual(created.created_by, self.yuzhong_officer)

    # The building operator: their one building, no adding.

    def test_it_lists_only_the_operators_building_and_refuses_adding(self) -> None:
        self.client.force_login(self.operator)
        response = self.client.get(BUILDINGS)
        self.assertContains(response, self.building_yz.name)
        self.assertNotContains(response, self.building_na.name)
        self.assertEqual(self.client.get(f"{BUILDINGS}add/").status_code, 403)

    def test_it_refuses_the_operator_moving_their_building(self) -> None:
        self.client.force_login(self.operator)
        data = building_data(self.building_yz, unit=self.nanan.pk)
        self.client.post(change_url(self.building_yz), data)
        self.building_yz.refresh_from_db()
        self.assertEqual(self.building_yz.unit, self.yuzhong)

    # The auditor: sees the whole city, changes nothing.

    def test_it_shows_the_auditor_every_unit(self) -> None:
        self.client.force_login(self.auditor)
        buildings = self.client.get(BUILDINGS)
        enterprises = self.client.get(ENTERPRISES)
        self.assertContains(buildings, self.building_yz.name)
        self.assertContains(buildings, self.building_na.name)
        self.assertContains(enterprises, self.enterprise_na.name)

    def test_it_answers_403_to_the_auditor_on_add(self) -> None:
        self.client.force_login(self.auditor)
        self.assertEqual(self.client.get(f"{BUILDINGS}add/").status_code, 403)
        response = self.client.post(f"{BUILDINGS}add/", new_building_data("YZ-0200", self.yuzhong))
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Building.objects.filter(code="YZ-0200").exists())

    def test_it_shows_the_auditor_a_read_only_change_page(self) -> None:
        self.client.force_login(self.auditor)
        response = self.client.get(change_url(self.building_na))
        self.assertContains(response, self.building_na.name)
        self.assertNotContains(response, 'name="_save"')

    def test_it_refuses_an_auditors_change_post(self) -> None:
        self.client.force_login(self.auditor)
        response = self.client.post(change_url(self.building_yz), building_data(self.building_yz, name="审"))
        self.assertEqual(response.status_code, 403)
        self.building_yz.refresh_from_db()
        self.assertEqual(self.building_yz.name, "渝中数字大厦")

    # Accounts: the city office alone.

    def test_it_keeps_the_user_admin_from_the_district_officer_and_auditor(self) -> None:
        for user in (self.yuzhong_officer, self.auditor, self.operator):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                response = self.client.get(USERS)
                self.assertIn(response.status_code, (302, 403))
                self.assertNotIn("nanan", response.content.decode())

    def test_it_lets_the_city_office_list_users(self) -> None:
        self.client.force_login(self.city_officer)
        response = self.client.get(USERS)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "yuzhong")
        self.assertContains(response, "nanan")

    # The city office: any unit.

    def test_it_lets_the_city_office_change_any_building(self) -> None:
        self.client.force_login(self.city_officer)
        data = building_data(self.building_na, name="南岸软件园一号楼（市改）")
        response = self.client.post(change_url(self.building_na), data)
        self.assertRedirects(response, BUILDINGS, fetch_redirect_response=False)
        self.building_na.refresh_from_db()
        self.assertEqual(self.building_na.name, "南岸软件园一号楼（市改）")
        self.assertEqual(self.building_na.updated_by, self.city_officer)

    # No role at all.

    def test_it_answers_403_to_the_outsider(self) -> None:
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(BUILDINGS).status_code, 403)
        self.assertEqual(self.client.get(ENTERPRISES).status_code, 403)


class AdminUnitChoiceTests(PersonaTestCase):
    def test_it_offers_the_city_office_only_current_reporting_units(self) -> None:
        self.client.force_login(self.city_officer)
        page = self.client.get("/admin/carriers/building/add/").content.decode()
        self.assertIn("南岸区", page)
        self.assertNotIn("渝北区（500112，已撤销）", page)
        self.assertNotIn(">重庆市<", page)

    def test_it_hides_another_units_history_page(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.client.get(f"/admin/carriers/building/{self.building_na.pk}/auditlog/")
        self.assertEqual(response.status_code, 404)
