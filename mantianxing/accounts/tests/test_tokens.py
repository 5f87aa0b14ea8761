"""Point 11: API tokens expire, are listed and revoked by their owner, end with the password, and are shown once."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from django.test import override_settings
from django.utils import timezone

from mantianxing.accounts.models import ApiToken
from mantianxing.core.testing import PersonaTestCase

BUILDINGS = "/api/buildings"


class TokenTests(PersonaTestCase):
    def test_it_expires_a_token_after_ninety_days(self) -> None:
        token, raw = ApiToken.issue(self.yuzhong_officer)
        self.assertAlmostEqual(
            token.expires_at - token.created_at, timedelta(days=90), delta=timedelta(seconds=5)
        )
        headers = {"Authorization": f"Bearer {raw}"}
        with time_machine.travel(timezone.now() + timedelta(days=89)):
            self.assertEqual(self.client.get(BUILDINGS, headers=headers).status_code, 200)
        with time_machine.travel(timezone.now() + timedelta(days=91)):
            self.assertEqual(self.client.get(BUILDINGS, headers=headers).status_code, 401)

    @override_settings(API_TOKEN_DAYS=7)
    def test_it_reads_the_lifetime_from_settings(self) -> None:
        token, _ = ApiToken.issue(self.yuzhong_officer)
        self.assertAlmostEqual(
            token.expires_at - token.created_at, timedelta(days=7), delta=timedelta(seconds=5)
        )

    def test_it_lists_the_owners_usable_tokens_only(self) -> None:
        mine, _ = ApiToken.issue(self.operator)
        revoked, _ = ApiToken.issue(self.operator)
        revoked.revoked_at = timezone.now()
        revoked.save()
        theirs, _ = ApiToken.issue(self.nanan_officer)
        self.client.force_login(self.operator)
        page = self.client.get("/accounts/me/").content.decode()
        self.assertIn(mine.prefix, page)
        self.assertNotIn(revoked.prefix, page)
        self.assertNotIn(theirs.prefix, page)
        self.assertIn(mine.expires_at.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%d"), page)

    def test_it_lets_the_owner_revoke_a_token(self) -> None:
        token, raw = ApiToken.issue(self.operator)
        self.client.force_login(self.operator)
        response = self.client.post(f"/accounts/me/tokens/{token.pk}/revoke/", follow=True)
        self.assertContains(response, "令牌已吊销")
        self.assertIsNone(ApiToken.authenticate(raw))

    def test_it_refuses_to_revoke_another_users_token(self) -> None:
        token, raw = ApiToken.issue(self.nanan_officer)
        self.client.force_login(self.city_officer)
        self.assertEqual(self.client.post(f"/accounts/me/tokens/{token.pk}/revoke/").status_code, 404)
        self.assertEqual(ApiToken.authenticate(raw), self.nanan_officer)

    def test_it_revokes_every_token_when_the_password_changes(self) -> None:
        raws = [ApiToken.issue(self.enterprise_user)[1] for _ in range(2)]
        _, other_raw = ApiToken.issue(self.operator)
        self.client.force_login(self.enterprise_user)
        self.client.post(
            "/accounts/me/password/",
            {"old_password": "pw-firm", "new_password1": "Qz-2026-new", "new_password2": "Qz-2026-new"},
        )
        self.assertEqual([ApiToken.authenticate(raw) for raw in raws], [None, None])
        self.assertEqual(ApiToken.authenticate(other_raw), self.operator)

    def test_it_revokes_tokens_when_the_password_is_set_anywhere(self) -> None:
        _, raw = ApiToken.issue(self.auditor)
        self.auditor.set_password("Qz-2026-new")
        self.auditor.save()
        self.assertIsNone(ApiToken.authenticate(raw))

    def test_it_shows_a_new_token_once_and_never_in_a_cookie(self) -> None:
        self.client.force_login(self.operator)
        response = self.client.post("/accounts/me/tokens/")
        self.assertEqual(response.status_code, 200)
        raw = re.search(r"mtx_[A-Za-z0-9_\-]+", response.content.decode()).group(0)
        self.assertEqual(ApiToken.authenticate(raw), self.operator)
        self.assertIn("no-store", response["Cache-Control"])
        for cookie in response.cookies.values():
            self.assertNotIn(raw, cookie.value)
        self.assertNotIn(raw, str(dict(self.client.session)))
        self.assertNotIn(raw, self.client.get("/accounts/me/").content.decode())


class TokenApiTests(PersonaTestCase):
    def test_it_lists_and_revokes_the_callers_tokens_through_the_api(self) -> None:
        mine, raw = ApiToken.issue(self.operator)
        theirs, their_raw = ApiToken.issue(self.nanan_officer)
        headers = {"Authorization": f"Bearer {raw}"}
        listed = self.client.get("/api/auth/tokens", headers=headers).json()
        self.assertEqual([t["prefix"] for t in listed], [mine.prefix])
        self.assertEqual(
            self.client.delete(f"/api/auth/tokens/{theirs.pk}", headers=headers).status_code, 404
        )
        self.assertEqual(ApiToken.authenticate(their_raw), self.nanan_officer)
        self.assertEqual(self.client.delete(f"/api/auth/tokens/{mine.pk}", headers=headers).status_code, 204)
        self.assertEqual(self.client.get("/api/auth/tokens", headers=headers).status_code, 401)

    def test_it_returns_the_expiry_with_a_new_token(self) -> None:
        response = self.client.post(
            "/api/auth/token",
            {"username": "operator", "password": "pw-operator"},
            content_type="application/json",
        )
        self.assertIn("expires_at", response.json())
