"""Who reads bulletins, on the page, the downloads and the API."""

from __future__ import annotations

from django.urls import reverse

from mantianxing.bulletins.files import DOCX, XLSX
from mantianxing.bulletins.tests.base import BulletinTestCase

PAGE = reverse("bulletins:index")


class PageAccessTests(BulletinTestCase):
    def test_it_previews_for_the_city_and_districts(self) -> None:
        for user in (self.city_officer, self.yuzhong_officer, self.nanan_officer, self.auditor):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                response = self.client.get(PAGE, {"period": "2026-06"})
                self.assertContains(response, "渝满天星通报〔2026〕6号")
                self.assertContains(response, "88.50")
                self.assertNotContains(response, "99.75")
                self.assertContains(response, reverse("bulletins:download", args=["2026-06", "docx"]))

    def test_it_offers_complete_months_halves_and_years(self) -> None:
        self.client.force_login(self.city_officer)
        response = self.client.get(PAGE)
        self.assertContains(response, '<option value="2026-10" selected>2026年10月</option>', html=True)
        self.assertContains(response, '<option value="2026H1">2026年上半年</option>', html=True)
        self.assertNotContains(response, 'value="2026-11"')
        self.assertNotContains(response, 'value="2026H2"')
        self.assertContains(response, f'href="{PAGE}" class="mtx-nav is-active"')

    def test_it_refuses_other_roles(self) -> None:
        for user in (self.operator, self.enterprise_user, self.owner, self.outsider):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(PAGE).status_code, 403)
                url = reverse("bulletins:download", args=["2026-06", "xlsx"])
                self.assertEqual(self.client.get(url).status_code, 403)

    def test_it_sends_anonymous_users_to_log_in(self) -> None:
        for url in (PAGE, reverse("bulletins:download", args=["2026-06", "docx"])):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302)
            self.assertTrue(response["Location"].startswith(reverse("login")))

    def test_it_downloads_both_files(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        for kind, content_type in (("docx", DOCX), ("xlsx", XLSX)):
            with self.subTest(kind=kind):
                response = self.client.get(reverse("bulletins:download", args=["2026-06", kind]))
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response["Content-Type"], content_type)
                self.assertIn("attachment; filename*=utf-8''", response["Content-Disposition"])
                self.assertTrue(response["Content-Disposition"].endswith(f"-2026-06.{kind}"))
                self.assertEqual(response.content[:2], b"PK")

    def test_a_bad_period_returns_to_the_page_with_a_message(self) -> None:
        self.client.force_login(self.city_officer)
        response = self.client.get(reverse("bulletins:download", args=["2026-11", "docx"]), follow=True)
        self.assertContains(response, "2026年11月尚未结束")


class ApiAccessTests(BulletinTestCase):
    def test_it_serves_the_files_to_the_city_and_districts(self) -> None:
        for user in (self.city_officer, self.nanan_officer):
            for kind, content_type in (("docx", DOCX), ("xlsx", XLSX)):
                with self.subTest(user=user.username, kind=kind):
                    response = self.client.get(f"/api/bulletins/2026H1/{kind}", headers=self.bearer(user))
                    self.assertEqual(response.status_code, 200)
                    self.assertEqual(response["Content-Type"], content_type)
                    self.assertIn("2026H1", response["Content-Disposition"])

    def test_it_refuses_other_roles_and_anonymous_callers(self) -> None:
        for user in (self.operator, self.enterprise_user, self.owner, self.outsider):
            with self.subTest(user=user.username):
                response = self.client.get("/api/bulletins/2026-06/docx", headers=self.bearer(user))
                self.assertEqual(response.status_code, 403)
        self.assertEqual(self.client.get("/api/bulletins/2026-06/docx").status_code, 401)

    def test_it_explains_a_period_it_cannot_make(self) -> None:
        response = self.client.get("/api/bulletins/2026-11/xlsx", headers=self.bearer(self.city_officer))
        self.assertEqual(response.status_code, 400)
        self.assertIn("尚未结束", response.json()["message"])
