"""Who sees which buildings and firms: the same scope on the pages, the API and `mtx honours --user`."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

from django.core.management import CommandError, call_command
from django.urls import reverse

from mantianxing.accounts.choices import Role
from mantianxing.core.testing import make_user
from mantianxing.honours.tests.base import HonoursTestCase, december, firm

BUILDINGS = reverse("honours:building_list")
SHANGXING = reverse("honours:shangxing_list")
DOWNLOADS = (reverse("honours:building_download"), reverse("honours:shangxing_download"))


def run(*args: str) -> str:
    out = StringIO()
    call_command("honours", *args, stdout=out)
    return out.getvalue()


class AccessTests(HonoursTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.reviewer = make_user("reviewer", Role.TALENT_REVIEWER)
        cls.star_yz = firm(cls.yuzhong)
        december(cls.star_yz, 2025, headcount=120)
        cls.star_na = firm(cls.nanan, division="500108")
        december(cls.star_na, 2025, headcount=130)

    def page(self, user: Any, url: str, **params: str) -> Any:
        self.client.force_login(user)
        return self.client.get(url, params)

    def codes(self, user: Any, **params: str) -> set[str]:
        response = self.page(user, BUILDINGS, **params)
        return {row.code for row in response.context["page_obj"]}

    def test_city_scope_roles_see_every_unit(self) -> None:
        for user in (self.city_officer, self.auditor, self.reviewer):
            with self.subTest(user=user.username):
                self.assertEqual(self.codes(user), {"YZ-0001", "YZ-STAR", "NA-0001", "NA-PLAIN"})
                response = self.page(user, SHANGXING, period="2025")
                self.assertEqual(len(response.context["rows"]), 2)

    def test_the_city_narrows_to_a_unit(self) -> None:
        self.assertEqual(self.codes(self.city_officer, unit="500108"), {"NA-0001", "NA-PLAIN"})

    def test_a_district_officer_sees_only_its_own_unit(self) -> None:
        self.assertEqual(self.codes(self.yuzhong_officer), {"YZ-0001", "YZ-STAR"})
        response = self.page(self.yuzhong_officer, SHANGXING, period="2025")
        self.assertEqual([r.enterprise_id for r in response.context["rows"]], [self.star_yz.pk])
        self.assertNotContains(response, self.star_na.name)

    def test_a_district_officer_cannot_ask_for_another_unit(self) -> None:
        for url in (BUILDINGS, SHANGXING, *DOWNLOADS):
            with self.subTest(url=url):
                self.assertEqual(self.page(self.yuzhong_officer, url, unit="500108").status_code, 403)
                self.assertEqual(self.page(self.yuzhong_officer, url, unit="500000").status_code, 403)

    def test_other_roles_are_refused(self) -> None:
        for user in (self.operator, self.enterprise_user, self.owner, self.outsider):
            for url in (BUILDINGS, SHANGXING, *DOWNLOADS):
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(self.page(user, url).status_code, 403)

    def test_the_navigation_offers_honours_to_city_and_unit_scopes(self) -> None:
        self.assertContains(self.page(self.yuzhong_officer, BUILDINGS), "荣誉认定")
        self.client.force_login(self.operator)
        self.assertNotContains(self.client.get(reverse("home")), "荣誉认定")

    def test_the_api_applies_the_same_scope(self) -> None:
        def units(user: Any, path: str, **params: str) -> set[str]:
            response = self.client.get(path, params, headers=self.bearer(user))
            self.assertEqual(response.status_code, 200)
            return {row["unit"] for row in response.json()["rows"]}

        self.assertEqual(units(self.city_officer, "/api/honours/buildings"), {"500103", "500108"})
        self.assertEqual(units(self.yuzhong_officer, "/api/honours/buildings"), {"500103"})
        self.assertEqual(units(self.auditor, "/api/honours/shangxing", period="2025"), {"500103", "500108"})
        self.assertEqual(units(self.nanan_officer, "/api/honours/shangxing", period="2025"), {"500108"})
        for user in (self.operator, self.enterprise_user, self.owner):
            with self.subTest(user=user.username):
                for path in ("/api/honours/buildings", "/api/honours/shangxing", "/api/honours/criteria"):
                    response = self.client.get(path, headers=self.bearer(user))
                    self.assertEqual(response.status_code, 403)
        response = self.client.get(
            "/api/honours/buildings", {"unit": "500108"}, headers=self.bearer(self.yuzhong_officer)
        )
        self.assertEqual(response.status_code, 403)
        self.assertIn("渝中区", response.json()["message"])

    def test_the_command_applies_the_users_scope(self) -> None:
        data = json.loads(run("buildings", "--json", "--user", "yuzhong"))
        self.assertEqual({row["unit"] for row in data["rows"]}, {"500103"})
        data = json.loads(run("shangxing", "--period", "2025", "--json", "--user", "nanan"))
        self.assertEqual([row["uscc"] for row in data["rows"]], [self.star_na.uscc])
        for username in ("operator", "firm", "owner"):
            with (
                self.subTest(user=username),
                self.assertRaisesMessage(CommandError, "不能查看荣誉认定") as caught,
            ):
                run("buildings", "--user", username)
            self.assertEqual(caught.exception.returncode, 2)
        with self.assertRaisesMessage(CommandError, "本区县"):
            run("buildings", "--unit", "500108", "--user", "yuzhong")
