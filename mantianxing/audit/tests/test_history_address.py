"""The change history names the client's address the way the access log does: no spoofing, no 500s."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.test import override_settings

from mantianxing.core.testing import PersonaTestCase


class HistoryAddressTests(PersonaTestCase):
    def edit(self, **headers: str) -> LogEntry:
        self.client.force_login(self.yuzhong_officer)
        response = self.client.post(
            f"/buildings/{self.building_yz.pk}/edit/",
            {"code": "YZ-0001", "name": "网页修改", "unit": self.yuzhong.pk, "status": "listed"},
            **headers,
        )
        self.assertEqual(response.status_code, 302)
        return LogEntry.objects.get_for_object(self.building_yz).latest("timestamp")

    def test_it_ignores_x_forwarded_for_from_an_unknown_sender(self) -> None:
        entry = self.edit(HTTP_X_FORWARDED_FOR="6.6.6.6", REMOTE_ADDR="10.0.0.5")
        self.assertEqual(entry.remote_addr, "10.0.0.5")

    def test_it_survives_an_x_forwarded_for_that_is_no_address(self) -> None:
        # django-auditlog's own middleware stored this as the address: a 500 on PostgreSQL.
        entry = self.edit(HTTP_X_FORWARDED_FOR="<script>, 1.2.3.4", REMOTE_ADDR="10.0.0.5")
        self.assertEqual(entry.remote_addr, "10.0.0.5")

    @override_settings(MTX_TRUSTED_PROXIES=["10.0.0.1"])
    def test_it_takes_the_address_a_trusted_proxy_forwarded(self) -> None:
        entry = self.edit(HTTP_X_FORWARDED_FOR="6.6.6.6, 172.16.3.4", REMOTE_ADDR="10.0.0.1")
        self.assertEqual(entry.remote_addr, "172.16.3.4")
