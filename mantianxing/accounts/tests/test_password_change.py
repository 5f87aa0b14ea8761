"""Point 10: every role changes its own password; the city office resets one and forces a change."""

from __future__ import annotations

from auditlog.models import LogEntry

from mantianxing.accounts.models import ApiToken, User
from mantianxing.core.testing import PersonaTestCase

NEW = "Kfz-2026-xq"
JSON = "application/json"


class OwnPasswordTests(PersonaTestCase):
    def test_it_lets_every_role_change_its_own_password(self) -> None:
        users = [
            self.city_officer,
            self.yuzhong_officer,
            self.operator,
            self.enterprise_user,
            self.owner,
            self.auditor,
            self.outsider,
        ]
        for user in users:
            self.client.force_login(user)
            self.assertEqual(self.client.get("/accounts/me/password/").status_code, 200)
            response = self.client.post(
                "/accounts/me/password/",
                {"old_password": f"pw-{user.username}", "new_password1": NEW, "new_password2": NEW},
            )
            self.assertRedirects(response, "/accounts/me/", fetch_redirect_response=False)
            user.refresh_from_db()
            self.assertTrue(user.check_password(NEW), user.username)
            self.assertIsNotNone(user.password_changed_at)
            # Still signed in on this browser after the change.
            self.assertEqual(self.client.get("/accounts/me/").status_code, 200)

    def test_it_needs_the_old_password(self) -> None:
        self.client.force_login(self.auditor)
        response = self.client.post(
            "/accounts/me/password/", {"old_password": "nope", "new_password1": NEW, "new_password2": NEW}
        )
        self.assertEqual(response.status_code, 200)
        self.auditor.refresh_from_db()
        self.assertTrue(self.auditor.check_password("pw-auditor"))


class ResetTests(PersonaTestCase):
    def reset(self, actor: User, target: User, *, force: bool = True):
        self.client.force_login(actor)
        data = {"password1": NEW, "password2": NEW, "usable_password": "true"}
        if force:
            data["must_change_password"] = "on"
        return self.client.post(f"/admin/accounts/user/{target.pk}/password/", data)

    def test_it_lets_the_city_office_reset_and_force_a_change(self) -> None:
        _, raw = ApiToken.issue(self.operator)
        response = self.reset(self.city_officer, self.operator)
        self.assertEqual(response.status_code, 302)
        self.operator.refresh_from_db()
        self.assertTrue(self.operator.check_password(NEW))
        self.assertTrue(self.operator.must_change_password)
        self.assertIsNone(ApiToken.authenticate(raw))

    def test_it_records_the_reset_in_the_users_history(self) -> None:
        self.reset(self.city_officer, self.operator)
        entry = LogEntry.objects.get_for_object(self.operator).latest("timestamp")
        self.assertEqual(entry.actor, self.city_officer)
        self.assertIn("must_change_password", entry.changes_dict)
        self.assertIn("password_changed_at", entry.changes_dict)
        self.assertNotIn("password", entry.changes_dict)

    def test_it_refuses_resets_to_other_roles(self) -> None:
        for actor in (self.auditor, self.yuzhong_officer, self.operator, self.enterprise_user):
            response = self.reset(actor, self.nanan_officer)
            self.assertIn(response.status_code, (302, 403))
            self.nanan_officer.refresh_from_db()
            self.assertTrue(self.nanan_officer.check_password("pw-nanan"), actor.username)

    def test_it_sends_a_flagged_user_to_the_change_page_until_changed(self) -> None:
        self.reset(self.city_officer, self.operator)
        self.client.logout()
        self.client.post("/login/", {"username": "operator", "password": NEW})
        for path in ("/", "/buildings/", "/accounts/me/", "/admin/"):
            self.assertRedirects(
                self.client.get(path), "/accounts/me/password/", fetch_redirect_response=False
            )
        api = self.client.get("/api/buildings")
        self.assertEqual(api.status_code, 403)
        self.assertIn("修改密码", api.json()["message"])
        page = self.client.get("/accounts/me/password/")
        self.assertContains(page, "您的密码已由市专班重置")
        self.client.post(
            "/accounts/me/password/",
            {"old_password": NEW, "new_password1": "Other-2026-pw", "new_password2": "Other-2026-pw"},
        )
        self.operator.refresh_from_db()
        self.assertFalse(self.operator.must_change_password)
        self.assertEqual(self.client.get("/buildings/").status_code, 200)

    def test_it_refuses_a_token_to_a_flagged_user(self) -> None:
        self.reset(self.city_officer, self.operator)
        self.client.logout()
        response = self.client.post(
            "/api/auth/token", {"username": "operator", "password": NEW}, content_type=JSON
        )
        self.assertEqual(response.status_code, 403)
        self.assertIn("修改密码", response.json()["message"])
