"""Point 9: sign-in throttling and lock-out per account and per address, and the city office's unlock."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from axes.models import AccessAttempt
from django.test import override_settings
from django.utils import timezone

from mantianxing.accounts.models import LockRelease
from mantianxing.core.testing import PersonaTestCase

JSON = "application/json"


class LockoutTests(PersonaTestCase):
    def fail_login(self, username: str, times: int, address: str = "10.0.0.1") -> None:
        for _ in range(times):
            self.client.post("/login/", {"username": username, "password": "wrong"}, REMOTE_ADDR=address)

    def login(self, username: str, address: str = "10.0.0.1"):
        return self.client.post(
            "/login/", {"username": username, "password": f"pw-{username}"}, REMOTE_ADDR=address
        )

    def test_it_locks_an_account_after_five_failures_even_with_the_right_password(self) -> None:
        self.fail_login("yuzhong", 4)
        self.assertEqual(self.login("yuzhong").status_code, 302)  # 4 failures: still allowed
        self.client.logout()
        self.fail_login("yuzhong", 4)  # a success cleared the count
        self.fail_login("yuzhong", 1, address="10.0.0.2")  # the 5th, from elsewhere: the account counts
        response = self.login("yuzhong", address="10.0.0.3")
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "登录失败次数过多", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_locks_an_address_trying_many_accounts(self) -> None:
        for name in ("a1", "a2", "a3", "a4", "a5"):
            self.fail_login(name, 1, address="10.9.9.9")
        self.assertEqual(self.login("nanan", address="10.9.9.9").status_code, 429)
        self.assertEqual(self.login("nanan", address="10.9.9.8").status_code, 302)

    def test_it_answers_the_api_with_a_chinese_429(self) -> None:
        statuses = [
            self.client.post(
                "/api/auth/token", {"username": "nanan", "password": "x"}, content_type=JSON
            ).status_code
            for _ in range(5)
        ]
        self.assertEqual(statuses, [401, 401, 401, 401, 429])  # the 5th failure locks
        response = self.client.post(
            "/api/auth/token", {"username": "nanan", "password": "pw-nanan"}, content_type=JSON
        )
        self.assertEqual(response.status_code, 429)
        self.assertIn("登录失败次数过多", response.json()["message"])
        self.assertNotIn("token", response.json())
        self.assertEqual(response["Retry-After"], "1800")

    def test_it_counts_api_and_page_failures_together(self) -> None:
        self.fail_login("nanan", 3)
        for _ in range(2):
            self.client.post(
                "/api/auth/token",
                {"username": "nanan", "password": "x"},
                content_type=JSON,
                REMOTE_ADDR="10.0.0.1",
            )
        self.assertEqual(self.login("nanan", address="10.7.7.7").status_code, 429)

    def test_it_lets_the_lock_run_out_after_the_cool_off(self) -> None:
        self.fail_login("yuzhong", 5)
        with time_machine.travel(timezone.now() + timedelta(minutes=31)):
            self.assertEqual(self.login("yuzhong").status_code, 302)

    @override_settings(AXES_FAILURE_LIMIT=2)
    def test_it_reads_the_limit_from_settings(self) -> None:
        self.fail_login("yuzhong", 2)
        self.assertEqual(self.login("yuzhong", address="10.1.1.1").status_code, 429)

    @override_settings(MTX_TRUSTED_PROXIES=["127.0.0.1"])
    def test_it_takes_the_address_our_proxy_saw(self) -> None:
        for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"):
            self.client.post(
                "/login/",
                {"username": f"u{forged}", "password": "x"},
                REMOTE_ADDR="127.0.0.1",
                HTTP_X_FORWARDED_FOR=f"{forged}, 172.16.0.9",
            )
        self.assertEqual(set(AccessAttempt.objects.values_list("ip_address", flat=True)), {"172.16.0.9"})
        blocked = self.client.post(
            "/login/",
            {"username": "nanan", "password": "pw-nanan"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="172.16.0.9",
        )
        self.assertEqual(blocked.status_code, 429)


class UnlockTests(PersonaTestCase):
    def lock(self, username: str, address: str = "10.0.0.1") -> None:
        for _ in range(5):
            self.client.post("/login/", {"username": username, "password": "x"}, REMOTE_ADDR=address)

    def test_it_lists_locked_accounts_and_addresses_to_the_city_office(self) -> None:
        self.lock("yuzhong")
        self.client.force_login(self.city_officer)
        response = self.client.get("/accounts/locks/")
        self.assertContains(response, "yuzhong")
        self.assertContains(response, "10.0.0.1")

    def test_it_unlocks_an_account_and_records_who_did(self) -> None:
        self.lock("yuzhong")
        self.client.force_login(self.city_officer)
        response = self.client.post("/accounts/locks/", {"kind": "username", "value": "yuzhong"}, follow=True)
        self.assertContains(response, "已解除账号“yuzhong”的锁定")
        release = LockRelease.objects.get()
        self.assertEqual(
            (release.released_by, release.kind, release.value, release.failures),
            (self.city_officer, "username", "yuzhong", 5),
        )
        self.client.logout()
        ok = self.client.post(
            "/login/", {"username": "yuzhong", "password": "pw-yuzhong"}, REMOTE_ADDR="10.0.0.2"
        )
        self.assertEqual(ok.status_code, 302)

    def test_it_unlocks_an_address(self) -> None:
        self.lock("yuzhong", address="10.4.4.4")
        self.client.force_login(self.city_officer)
        self.client.post("/accounts/locks/", {"kind": "ip_address", "value": "10.4.4.4"})
        self.client.logout()
        self.assertFalse(AccessAttempt.objects.filter(ip_address="10.4.4.4").exists())

    def test_it_refuses_the_locks_page_to_other_roles(self) -> None:
        self.lock("ghost")
        for user in (self.auditor, self.yuzhong_officer, self.operator, self.enterprise_user, self.outsider):
            self.client.force_login(user)
            self.assertEqual(self.client.get("/accounts/locks/").status_code, 403, user.username)
            self.assertEqual(
                self.client.post("/accounts/locks/", {"kind": "username", "value": "ghost"}).status_code,
                403,
            )
        self.assertEqual(AccessAttempt.objects.filter(username="ghost").count(), 1)
        self.assertFalse(LockRelease.objects.exists())


class SuccessTests(PersonaTestCase):
    def test_it_keeps_counting_an_address_after_a_success_on_another_account(self) -> None:
        # An attacker with an account of their own must not reset the count by signing in with it.
        for _ in range(4):
            self.client.post("/login/", {"username": "yuzhong", "password": "x"}, REMOTE_ADDR="10.6.6.6")
        own = self.client.post(
            "/login/", {"username": "nanan", "password": "pw-nanan"}, REMOTE_ADDR="10.6.6.6"
        )
        self.assertEqual(own.status_code, 302)
        self.client.logout()
        self.client.post("/login/", {"username": "yuzhong", "password": "x"}, REMOTE_ADDR="10.6.6.6")
        right = self.client.post(
            "/login/", {"username": "yuzhong", "password": "pw-yuzhong"}, REMOTE_ADDR="10.6.6.7"
        )
        self.assertEqual(right.status_code, 429)
