"""A district officer sees only its own unit's reports: another unit's draft is 404, page and API."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from mantianxing.reporting import services
from mantianxing.reporting.models import MonthlyReport
from mantianxing.reporting.tests.base import OCTOBER, ReportTestCase

JSON = "application/json"


class ScopeTests(ReportTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.yz = self.open(self.yuzhong)
        self.na = self.open(self.nanan)

    def test_it_hides_another_units_draft_page(self) -> None:
        self.client.force_login(self.nanan_officer)
        self.assertEqual(self.client.get(self.yz.get_absolute_url()).status_code, 404)
        self.assertEqual(self.client.post(self.yz.get_absolute_url(), {"events_held": "1"}).status_code, 404)
        self.assertEqual(self.client.get(self.na.get_absolute_url()).status_code, 200)

    def test_it_hides_another_units_draft_in_the_api(self) -> None:
        headers = self.bearer(self.nanan_officer)
        self.assertEqual(self.client.get(f"/api/reports/{self.yz.pk}", headers=headers).status_code, 404)
        response = self.client.patch(
            f"/api/reports/{self.yz.pk}", {"events_held": 1}, content_type=JSON, headers=headers
        )
        self.assertEqual(response.status_code, 404)
        listed = self.client.get("/api/reports", headers=headers).json()
        self.assertEqual([item["unit"] for item in listed["items"]], ["500108"])

    def test_it_refuses_to_open_another_units_report(self) -> None:
        with self.assertRaises(PermissionDenied):
            services.open_report(self.nanan_officer, self.yuzhong, OCTOBER)
        response = self.client.post(
            "/api/reports",
            {"unit": "500103", "month": "2026-09"},
            content_type=JSON,
            headers=self.bearer(self.nanan_officer),
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(MonthlyReport.objects.filter(month="2026-09-01").exists())

    def test_it_lets_the_auditor_read_but_not_write(self) -> None:
        self.client.force_login(self.auditor)
        self.assertEqual(self.client.get(self.yz.get_absolute_url()).status_code, 200)
        response = self.client.post(f"/reports/{self.yz.pk}/approve/")
        self.assertEqual(response.status_code, 403)
        self.yz.refresh_from_db()
        self.assertEqual(self.yz.status, "draft")
        response = self.client.patch(
            f"/api/reports/{self.yz.pk}",
            {"events_held": 1},
            content_type=JSON,
            headers=self.bearer(self.auditor),
        )
        self.assertEqual(response.status_code, 403)

    def test_it_hides_reports_from_roles_outside_the_routine(self) -> None:
        for user in (self.operator, self.enterprise_user):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.yz.get_absolute_url()).status_code, 404)
            self.assertEqual(self.client.get("/reports/").status_code, 403)
