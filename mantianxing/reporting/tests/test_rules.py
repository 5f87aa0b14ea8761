"""The validation rules: errors block submission, each warning needs the district's comment."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError

from mantianxing.reporting import services
from mantianxing.reporting.choices import ReportStatus
from mantianxing.reporting.models import ValidationRule
from mantianxing.reporting.tests.base import ReportTestCase

JSON = "application/json"


class RuleTests(ReportTestCase):
    def rules_broken(self, report: object) -> list[str]:
        return [f.rule for f in services.check(report)]  # type: ignore[arg-type]

    def test_it_seeds_the_rules_from_the_data_file(self) -> None:
        codes = set(ValidationRule.objects.values_list("code", flat=True))
        self.assertTrue({"major-le-projects", "amount-range", "amount-large", "amount-outlier"} <= codes)

    def test_it_blocks_submission_on_errors(self) -> None:
        report = self.filled(investment_projects=2, investment_projects_major=3)
        self.assertIn("major-le-projects", self.rules_broken(report))
        with self.assertRaisesMessage(ValidationError, "其中亿元以上项目数（3）不能大于签约招商项目数（2）"):
            services.submit(self.yuzhong_officer, report, {})
        report.refresh_from_db()
        self.assertEqual(report.status, ReportStatus.DRAFT)

    def test_it_requires_projects_for_an_amount(self) -> None:
        report = self.filled(investment_projects=0, investment_projects_major=0, investment_amount=Decimal(3))
        self.assertIn("amount-requires-projects", self.rules_broken(report))

    def test_it_blocks_an_amount_out_of_range(self) -> None:
        report = self.filled(investment_amount=Decimal(2500))
        self.assertIn("amount-range", self.rules_broken(report))
        with self.assertRaises(ValidationError):
            services.submit(self.yuzhong_officer, report, {"amount-large": "大项目"})

    def test_it_blocks_empty_fields(self) -> None:
        report = self.open()
        self.assertEqual(self.rules_broken(report)[0], "required")
        with self.assertRaisesMessage(ValidationError, "尚未填写"):
            services.submit(self.yuzhong_officer, report, {})

    def test_it_needs_a_comment_for_each_warning(self) -> None:
        report = self.filled(investment_amount=Decimal(350))
        self.assertEqual(self.rules_broken(report), ["amount-large"])
        with self.assertRaisesMessage(ValidationError, "须填写说明"):
            services.submit(self.yuzhong_officer, report, {"amount-large": "  "})
        report = services.submit(
            self.yuzhong_officer, report, {"amount-large": "签约一个 300 亿元的算力中心项目。", "other": "x"}
        )
        self.assertEqual(report.status, ReportStatus.SUBMITTED)
        self.assertEqual(report.warning_comments, {"amount-large": "签约一个 300 亿元的算力中心项目。"})

    def test_it_skips_inactive_rules(self) -> None:
        ValidationRule.objects.filter(code="amount-large").update(active=False)
        report = self.filled(investment_amount=Decimal(350))
        self.assertEqual(self.rules_broken(report), [])

    def test_it_shows_findings_on_the_page_and_in_the_api(self) -> None:
        report = self.filled(
            investment_projects=1, investment_projects_major=2, investment_amount=Decimal(350)
        )
        self.client.force_login(self.yuzhong_officer)
        page = self.client.get(report.get_absolute_url())
        self.assertContains(page, "不能大于签约招商项目数")
        self.assertContains(page, 'name="comment-amount-large"')
        data = self.client.get(f"/api/reports/{report.pk}", headers=self.bearer(self.yuzhong_officer)).json()
        self.assertEqual({f["rule"] for f in data["findings"]}, {"major-le-projects", "amount-large"})
        response = self.client.post(
            f"/api/reports/{report.pk}/submit",
            {"comments": {}},
            content_type=JSON,
            headers=self.bearer(self.yuzhong_officer),
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("存在错误", response.json()["message"])

    def test_it_submits_from_the_page_with_the_warning_comments(self) -> None:
        report = self.filled(investment_amount=Decimal(350))
        self.client.force_login(self.yuzhong_officer)
        form = {
            "investment_projects": "5",
            "investment_projects_major": "1",
            "investment_amount": "350",
            "scenarios_released": "2",
            "events_held": "3",
            "remarks": "",
            "action": "submit",
        }
        response = self.client.post(report.get_absolute_url(), form)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "须填写说明", status_code=400)
        response = self.client.post(
            report.get_absolute_url(), form | {"comment-amount-large": "重大项目落地"}
        )
        self.assertRedirects(response, report.get_absolute_url(), fetch_redirect_response=False)
        report.refresh_from_db()
        self.assertEqual(report.status, ReportStatus.SUBMITTED)
        self.assertEqual(report.warning_comments, {"amount-large": "重大项目落地"})

    def test_it_validates_a_rule_edited_in_the_admin(self) -> None:
        rule = ValidationRule(
            code="x", name="x", severity="error", kind="parts_le_total", field="events_held", message="m"
        )
        with self.assertRaises(ValidationError):
            rule.full_clean()
        rule.params = {"total": "investment_projects"}
        rule.full_clean()
