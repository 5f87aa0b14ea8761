"""The JSON API (/api/) with bearer tokens and with the browser's session, and `scope_of` itself."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.test import Client

from mantianxing.accounts.choices import Role
from mantianxing.accounts.models import User
from mantianxing.carriers.models import Building
from mantianxing.core.scoping import ScopeKind, scope_of
from mantianxing.core.testing import PersonaTestCase
from mantianxing.enterprises.models import Enterprise

BUILDINGS = "/api/buildings"
ENTERPRISES = "/api/enterprises"
JSON = "application/json"


def new_building(code: str, unit: str) -> dict[str, Any]:
    return {"code": code, "name": f"接口新楼宇{code}", "unit": unit}


class ScopeApiTests(PersonaTestCase):
    def names(self, response: Any) -> list[str]:
        return [item["name"] for item in response.json()["items"]]

    # Lists, reads and writes with a bearer token.

    def test_it_lists_only_the_district_officers_buildings(self) -> None:
        response = self.client.get(BUILDINGS, headers=self.bearer(self.yuzhong_officer))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.names(response), ["渝中数字大厦"])
        self.assertEqual(response.json()["count"], 1)

    def test_it_lists_only_the_district_officers_enterprises(self) -> None:
        response = self.client.get(ENTERPRISES, headers=self.bearer(self.nanan_officer))
        self.assertEqual(self.names(response), ["重庆南岸信息技术有限公司"])
        self.assertEqual(response.json()["count"], 1)

    def test_it_ignores_a_filter_naming_the_other_unit(self) -> None:
        response = self.client.get(BUILDINGS, {"unit": "500108"}, headers=self.bearer(self.yuzhong_officer))
        self.assertEqual(response.json(), {"items": [], "count": 0})

    def test_it_lists_only_the_operators_and_enterprise_users_rows(self) -> None:
        operator = self.client.get(BUILDINGS, headers=self.bearer(self.operator))
        firm_buildings = self.client.get(BUILDINGS, headers=self.bearer(self.enterprise_user))
        firm_enterprises = self.client.get(ENTERPRISES, headers=self.bearer(self.enterprise_user))
        self.assertEqual(self.names(operator), ["渝中数字大厦"])
        self.assertEqual(firm_buildings.json()["count"], 0)
        self.assertEqual(self.names(firm_enterprises), ["重庆渝中软件有限公司"])

    def test_it_lists_nothing_to_the_outsider(self) -> None:
        response = self.client.get(BUILDINGS, headers=self.bearer(self.outsider))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"items": [], "count": 0})

    def test_it_answers_404_with_a_message_for_the_other_units_rows(self) -> None:
        headers = self.bearer(self.yuzhong_officer)
        building = self.client.get(f"{BUILDINGS}/{self.building_na.pk}", headers=headers)
        enterprise = self.client.get(f"{ENTERPRISES}/{self.enterprise_na.pk}", headers=headers)
        for response in (building, enterprise):
            self.assertEqual(response.status_code, 404)
            self.assertTrue(response.json()["message"])
            self.assertNotIn("南岸", response.content.decode())

    def test_it_answers_404_to_a_patch_of_the_other_units_building_and_changes_nothing(self) -> None:
        response = self.client.patch(
            f"{BUILDINGS}/{self.building_na.pk}",
            {"name": "被改名的楼宇"},
            content_type=JSON,
            headers=self.bearer(self.yuzhong_officer),
        )
        self.assertEqual(response.status_code, 404)
        self.assertIn("message", response.json())
        self.building_na.refresh_from_db()
        self.assertEqual(self.building_na.name, "南岸软件园一号楼")

    def test_it_answers_404_to_a_delete_of_the_other_units_building(self) -> None:
        url = f"{BUILDINGS}/{self.building_na.pk}"
        response = self.client.delete(url, headers=self.bearer(self.yuzhong_officer))
        self.assertEqual(response.status_code, 404)
        self.assertTrue(Building.objects.filter(pk=self.building_na.pk).exists())

    def test_it_patches_the_district_officers_own_building(self) -> None:
        response = self.client.patch(
            f"{BUILDINGS}/{self.building_yz.pk}",
            {"name": "渝中数字大厦（接口）"},
            content_type=JSON,
            headers=self.bearer(self.yuzhong_officer),
        )
        self.assertEqual(response.status_code, 200)
        self.building_yz.refresh_from_db()
        self.assertEqual(self.building_yz.name, "渝中数字大厦（接口）")
        self.assertEqual(self.building_yz.updated_by, self.yuzhong_officer)

    def test_it_answers_403_to_moving_own_building_to_the_other_unit(self) -> None:
        response = self.client.patch(
            f"{BUILDINGS}/{self.building_yz.pk}",
            {"unit": "500108", "name": "搬走"},
            content_type=JSON,
            headers=self.bearer(self.yuzhong_officer),
        )
        self.assertEqual(response.status_code, 403)
        self.assertTrue(response.json()["message"])
        self.building_yz.refresh_from_db()
        self.assertEqual(self.building_yz.unit, self.yuzhong)
        self.assertEqual(self.building_yz.name, "渝中数字大厦")

    def test_it_answers_403_to_the_operator_moving_their_building(self) -> None:
        response = self.client.patch(
            f"{BUILDINGS}/{self.building_yz.pk}",
            {"unit": "500108"},
            content_type=JSON,
            headers=self.bearer(self.operator),
        )
        self.assertEqual(response.status_code, 403)
        self.building_yz.refresh_from_db()
        self.assertEqual(self.building_yz.unit, self.yuzhong)

    def test_it_creates_a_building_in_the_district_officers_unit(self) -> None:
        response = self.client.post(
            BUILDINGS,
            new_building("YZ-0300", "500103"),
            content_type=JSON,
            headers=self.bearer(self.yuzhong_officer),
        )
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["unit"], "500103")
        created = Building.objects.get(code="YZ-0300")
        self.assertEqual(created.created_by, self.yuzhong_officer)

    def test_it_answers_403_to_creating_a_building_in_the_other_unit(self) -> None:
        response = self.client.post(
            BUILDINGS,
            new_building("NA-0300", "500108"),
            content_type=JSON,
            headers=self.bearer(self.yuzhong_officer),
        )
        self.assertEqual(response.status_code, 403)
        self.assertTrue(response.json()["message"])
        self.assertFalse(Building.objects.filter(code="NA-0300").exists())

    def test_it_answers_403_to_the_operator_creating_a_building(self) -> None:
        response = self.client.post(
            BUILDINGS,
            new_building("YZ-0301", "500103"),
            content_type=JSON,
            headers=self.bearer(self.operator),
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Building.objects.filter(code="YZ-0301").exists())

    # The auditor reads everything and writes nothing.

    def test_it_lets_the_auditor_read_every_unit(self) -> None:
        headers = self.bearer(self.auditor)
        listed = self.client.get(BUILDINGS, headers=headers)
        self.assertEqual(listed.json()["count"], 2)
        self.assertEqual(sorted(self.names(listed)), sorted(["渝中数字大厦", "南岸软件园一号楼"]))
        self.assertEqual(
            self.client.get(f"{BUILDINGS}/{self.building_na.pk}", headers=headers).status_code, 200
        )

    def test_it_answers_403_to_the_auditors_writes_and_changes_nothing(self) -> None:
        headers = self.bearer(self.auditor)
        url = f"{BUILDINGS}/{self.building_yz.pk}"
        patch = self.client.patch(url, {"name": "审计改名"}, content_type=JSON, headers=headers)
        post = self.client.post(
            BUILDINGS, new_building("YZ-0400", "500103"), content_type=JSON, headers=headers
        )
        delete = self.client.delete(url, headers=headers)
        for response in (patch, post, delete):
            self.assertEqual(response.status_code, 403)
            self.assertTrue(response.json()["message"])
        self.building_yz.refresh_from_db()
        self.assertEqual(self.building_yz.name, "渝中数字大厦")
        self.assertFalse(Building.objects.filter(code="YZ-0400").exists())

    def test_it_answers_403_to_the_auditor_patching_an_enterprise(self) -> None:
        response = self.client.patch(
            f"{ENTERPRISES}/{self.enterprise_na.pk}",
            {"name": "审计改名"},
            content_type=JSON,
            headers=self.bearer(self.auditor),
        )
        self.assertEqual(response.status_code, 403)
        self.enterprise_na.refresh_from_db()
        self.assertEqual(self.enterprise_na.name, "重庆南岸信息技术有限公司")

    # Authentication.

    def test_it_answers_401_with_a_message_without_a_token(self) -> None:
        response = self.client.get(BUILDINGS)
        self.assertEqual(response.status_code, 401)
        self.assertTrue(response.json()["message"])

    def test_it_answers_401_to_a_bad_token(self) -> None:
        response = self.client.get(BUILDINGS, headers={"Authorization": "Bearer mtx_not-a-real-token"})
        self.assertEqual(response.status_code, 401)
        self.assertTrue(response.json()["message"])

    def test_it_answers_401_to_an_unauthenticated_write(self) -> None:
        response = self.client.post(BUILDINGS, new_building("YZ-0500", "500103"), content_type=JSON)
        self.assertEqual(response.status_code, 401)
        self.assertFalse(Building.objects.filter(code="YZ-0500").exists())

    def test_it_issues_a_token_for_right_credentials(self) -> None:
        response = self.client.post(
            "/api/auth/token", {"username": "yuzhong", "password": "pw-yuzhong"}, content_type=JSON
        )
        self.assertEqual(response.status_code, 200)
        token = response.json()["token"]
        listed = self.client.get(BUILDINGS, headers={"Authorization": f"Bearer {token}"})
        self.assertEqual(self.names(listed), ["渝中数字大厦"])

    def test_it_answers_401_to_wrong_credentials(self) -> None:
        response = self.client.post(
            "/api/auth/token", {"username": "yuzhong", "password": "wrong"}, content_type=JSON
        )
        self.assertEqual(response.status_code, 401)
        self.assertNotIn("token", response.json())
        self.assertTrue(response.json()["message"])

    def test_it_serves_a_logged_in_session_within_its_scope(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        listed = self.client.get(BUILDINGS)
        other = self.client.get(f"{BUILDINGS}/{self.building_na.pk}")
        self.assertEqual(listed.status_code, 200)
        self.assertEqual(self.names(listed), ["渝中数字大厦"])
        self.assertEqual(other.status_code, 404)

    def test_it_refuses_a_session_write_without_the_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.yuzhong_officer)
        response = client.post(BUILDINGS, new_building("YZ-0600", "500103"), content_type=JSON)
        self.assertEqual(response.status_code, 403)
        self.assertIn("message", response.json())
        self.assertFalse(Building.objects.filter(code="YZ-0600").exists())

    def test_it_accepts_a_session_write_with_the_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.yuzhong_officer)
        client.get("/buildings/new/")  # a page with a form sets the CSRF cookie
        token = client.cookies["csrftoken"].value
        response = client.post(
            BUILDINGS, new_building("YZ-0601", "500103"), content_type=JSON, headers={"X-CSRFToken": token}
        )
        self.assertEqual(response.status_code, 201)
        self.assertTrue(Building.objects.filter(code="YZ-0601").exists())

    # The shared mechanism: which scope each role holds.

    def test_it_gives_the_city_office_the_city(self) -> None:
        scope = scope_of(self.city_officer)
        self.assertEqual((scope.kind, scope.target_id, scope.read_only), (ScopeKind.CITY, None, False))

    def test_it_gives_the_district_officer_their_unit(self) -> None:
        scope = scope_of(self.yuzhong_officer)
        self.assertEqual(
            (scope.kind, scope.target_id, scope.read_only), (ScopeKind.UNIT, self.yuzhong.pk, False)
        )

    def test_it_gives_the_operator_their_building(self) -> None:
        scope = scope_of(self.operator)
        self.assertEqual((scope.kind, scope.target_id), (ScopeKind.BUILDING, self.building_yz.pk))

    def test_it_gives_the_enterprise_user_their_enterprise(self) -> None:
        scope = scope_of(self.enterprise_user)
        self.assertEqual((scope.kind, scope.target_id), (ScopeKind.ENTERPRISE, self.enterprise_yz.pk))

    def test_it_gives_the_scenario_owner_their_organisation(self) -> None:
        scope = scope_of(self.owner)
        self.assertEqual((scope.kind, scope.target_id), (ScopeKind.ORGANISATION, self.org_yz.pk))

    def test_it_gives_the_auditor_the_city_read_only(self) -> None:
        scope = scope_of(self.auditor)
        self.assertEqual((scope.kind, scope.target_id, scope.read_only), (ScopeKind.CITY, None, True))

    def test_it_gives_a_unit_auditor_their_unit_read_only(self) -> None:
        self.auditor.unit = self.nanan
        scope = scope_of(self.auditor)
        self.assertEqual(
            (scope.kind, scope.target_id, scope.read_only), (ScopeKind.UNIT, self.nanan.pk, True)
        )
        self.assertEqual(list(Building.objects.visible_to(self.auditor)), [self.building_na])

    def test_it_gives_no_scope_to_the_outsider_the_anonymous_and_the_inactive(self) -> None:
        self.assertIsNone(scope_of(self.outsider))
        self.assertIsNone(scope_of(AnonymousUser()))
        self.assertIsNone(scope_of(None))
        self.yuzhong_officer.is_active = False
        self.assertIsNone(scope_of(self.yuzhong_officer))

    def test_it_shows_nothing_to_a_district_officer_without_a_unit(self) -> None:
        # Bypasses full_clean, which would refuse a district officer without a unit.
        stray = User.objects.create(username="stray", role=Role.DISTRICT_OFFICER, is_staff=True)
        self.assertIsNone(stray.unit_id)
        self.assertIsNone(scope_of(stray))
        self.assertFalse(Building.objects.visible_to(stray).exists())
        self.assertFalse(Enterprise.objects.visible_to(stray).exists())
        response = self.client.get(BUILDINGS, headers=self.bearer(stray))
        self.assertEqual(response.json(), {"items": [], "count": 0})


class EnterpriseMoveTests(PersonaTestCase):
    def test_it_answers_403_to_the_enterprise_user_moving_their_enterprise(self) -> None:
        response = self.client.patch(
            f"/api/enterprises/{self.enterprise_yz.pk}",
            {"unit": "500108"},
            content_type="application/json",
            headers=self.bearer(self.enterprise_user),
        )
        self.assertEqual(response.status_code, 403)
        self.enterprise_yz.refresh_from_db()
        self.assertEqual(self.enterprise_yz.unit, self.yuzhong)

    def test_it_lets_the_enterprise_user_edit_their_profile(self) -> None:
        response = self.client.patch(
            f"/api/enterprises/{self.enterprise_yz.pk}",
            {"registered_address": "重庆市渝中区新地址 8 号"},
            content_type="application/json",
            headers=self.bearer(self.enterprise_user),
        )
        self.assertEqual(response.status_code, 200)
        self.enterprise_yz.refresh_from_db()
        self.assertEqual(self.enterprise_yz.registered_address, "重庆市渝中区新地址 8 号")

    def test_it_lets_the_city_office_move_a_record_between_units(self) -> None:
        response = self.client.patch(
            f"/api/enterprises/{self.enterprise_yz.pk}",
            {"unit": "500108"},
            content_type="application/json",
            headers=self.bearer(self.city_officer),
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["unit"], "500108")
