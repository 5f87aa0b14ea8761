"""An approved report is locked: no service, page or API call changes it; only an amendment does,
and the amendment keeps the original and its reason beside it."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError

from mantianxing.reporting import services
from mantianxing.reporting.choices import ReportStatus
from mantianxing.reporting.models import MonthlyReport
from mantianxing.reporting.tests.base import CLEAN, ReportTestCase

JSON = "application/json"


class LockingTests(ReportTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.report = self.approved()
        self.stored = MonthlyReport.objects.values().get(pk=self.report.pk)

    def assertUnchanged(self) -> None:
        self.assertEqual(MonthlyReport.objects.values().get(pk=self.report.pk), self.stored)

    def test_it_refuses_every_service_change_of_an_approved_report(self) -> None:
        calls = [
            lambda: services.save_draft(self.yuzhong_officer, self.report, {"events_held": 99}),
            lambda: services.save_draft(self.city_officer, self.report, {"events_held": 99}),
            lambda: services.submit(self.yuzhong_officer, self.report, {}),
            lambda: services.approve(self.city_officer, self.report),
            lambda: services.return_report(self.city_officer, self.report, "再改改"),
            lambda: services.set_deadline(
                self.city_officer, self.report, self.report.deadline.replace(day=20)
            ),
        ]
        for call in calls:
            with self.assertRaises(services.ReportConflict):
                call()
        self.assertUnchanged()

    def test_it_refuses_a_save_that_bypasses_the_services(self) -> None:
        self.report.events_held = 99
        with self.assertRaisesMessage(ValidationError, "已审核锁定"):
            self.report.save()
        self.assertUnchanged()

    def test_it_refuses_a_web_post_to_an_approved_report(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        data = {key: str(value) for key, value in CLEAN.items()} | {"events_held": "99", "action": "save"}
        response = self.client.post(self.report.get_absolute_url(), data)
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "已审核锁定", status_code=409)
        self.client.force_login(self.city_officer)
        response = self.client.post(f"/reports/{self.report.pk}/return/", {"comment": "再改改"})
        self.assertRedirects(response, self.report.get_absolute_url(), fetch_redirect_response=False)
        self.assertUnchanged()

    def test_it_refuses_an_api_change_of_an_approved_report(self) -> None:
        url = f"/api/reports/{self.report.pk}"
        response = self.client.patch(
            url, {"events_held": 99}, content_type=JSON, headers=self.bearer(self.yuzhong_officer)
        )
        self.assertEqual(response.status_code, 409)
        self.assertIn("已审核锁定", response.json()["message"])
        response = self.client.post(
            f"{url}/submit", {}, content_type=JSON, headers=self.bearer(self.yuzhong_officer)
        )
        self.assertEqual(response.status_code, 409)
        self.assertUnchanged()

    def test_it_amends_into_a_new_revision_and_keeps_the_original(self) -> None:
        amendment = services.amend(self.yuzhong_officer, self.report, "漏报一个亿元以上项目。")
        self.assertEqual(amendment.revision, 1)
        self.assertEqual(amendment.amends, self.report)
        self.assertEqual(amendment.amendment_reason, "漏报一个亿元以上项目。")
        self.assertEqual(amendment.status, ReportStatus.DRAFT)
        self.assertEqual(amendment.investment_amount, Decimal("12.50"))

        amendment = services.save_draft(self.yuzhong_officer, amendment, {"investment_projects_major": 2})
        amendment = services.approve(self.city_officer, services.submit(self.yuzhong_officer, amendment, {}))
        self.assertEqual(amendment.status, ReportStatus.APPROVED)
        self.assertUnchanged()
        self.assertEqual(list(MonthlyReport.objects.current().values_list("pk", flat=True)), [amendment.pk])

    def test_it_needs_a_reason_to_amend(self) -> None:
        with self.assertRaisesMessage(ValidationError, "必须说明原因"):
            services.amend(self.yuzhong_officer, self.report, "")
        self.assertEqual(MonthlyReport.objects.count(), 1)

    def test_it_amends_only_approved_latest_revisions(self) -> None:
        services.amend(self.yuzhong_officer, self.report, "第一次更正")
        with self.assertRaisesMessage(services.ReportConflict, "更新的版本"):
            services.amend(self.yuzhong_officer, self.report, "第二次更正")
        draft = self.open(self.nanan)
        with self.assertRaisesMessage(services.ReportConflict, "只有已审核的月报"):
            services.amend(self.nanan_officer, draft, "还没审核")

    def test_it_amends_through_the_page_and_the_api(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.client.post(f"/reports/{self.report.pk}/amend/", {"reason": ""})
        self.assertEqual(MonthlyReport.objects.count(), 1)
        response = self.client.post(f"/reports/{self.report.pk}/amend/", {"reason": "金额口径更正"})
        amendment = MonthlyReport.objects.get(revision=1)
        self.assertRedirects(response, amendment.get_absolute_url(), fetch_redirect_response=False)
        page = self.client.get(amendment.get_absolute_url())
        self.assertContains(page, "金额口径更正")
        self.assertContains(page, "原报")

        response = self.client.post(
            f"/api/reports/{self.report.pk}/amend",
            {"reason": "再次"},
            content_type=JSON,
            headers=self.bearer(self.yuzhong_officer),
        )
        self.assertEqual(response.status_code, 409)
        self.assertUnchanged()
