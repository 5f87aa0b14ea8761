"""Point 12: a signed-in session ends after 30 idle minutes (MTX_SESSION_IDLE_MINUTES)."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.test import override_settings
from django.utils import timezone

from mantianxing.core.testing import PersonaTestCase


class IdleSessionTests(PersonaTestCase):
    def test_it_keeps_an_active_session(self) -> None:
        start = timezone.now()
        self.client.force_login(self.yuzhong_officer)
        for minutes in (0, 20, 40, 60):  # never 30 minutes apart
            with time_machine.travel(start + timedelta(minutes=minutes)):
                self.assertEqual(self.client.get("/buildings/").status_code, 200, minutes)

    def test_it_ends_a_session_idle_for_thirty_minutes(self) -> None:
        start = timezone.now()
        self.client.force_login(self.yuzhong_officer)
        with time_machine.travel(start):
            self.assertEqual(self.client.get("/buildings/").status_code, 200)
        with time_machine.travel(start + timedelta(minutes=31)):
            response = self.client.get("/buildings/")
            self.assertRedirects(response, "/login/?next=/buildings/", fetch_redirect_response=False)
            self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_answers_the_api_with_401_after_idling(self) -> None:
        start = timezone.now()
        self.client.force_login(self.yuzhong_officer)
        with time_machine.travel(start):
            self.assertEqual(self.client.get("/api/buildings").status_code, 200)
        with time_machine.travel(start + timedelta(minutes=31)):
            response = self.client.get("/api/buildings")
            self.assertEqual(response.status_code, 401)
            self.assertTrue(response.json()["message"])

    @override_settings(SESSION_IDLE_MINUTES=5)
    def test_it_reads_the_idle_limit_from_settings(self) -> None:
        # The stored session outlives 5 minutes (its age was set at 30): the middleware ends it.
        start = timezone.now()
        self.client.force_login(self.yuzhong_officer)
        with time_machine.travel(start):
            self.client.get("/buildings/")
        with time_machine.travel(start + timedelta(minutes=6)):
            self.assertEqual(self.client.get("/buildings/").status_code, 302)

    def test_it_gives_the_cookie_the_idle_age(self) -> None:
        response = self.client.post("/login/", {"username": "yuzhong", "password": "pw-yuzhong"})
        self.assertEqual(response.cookies["sessionid"]["max-age"], 1800)
