"""The routine: open, save a draft, submit, return, resubmit, approve — and who may do which."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError

from mantianxing.reporting import services
from mantianxing.reporting.choices import ReportStatus
from mantianxing.reporting.models import MonthlyReport
from mantianxing.reporting.tests.base import CLEAN, OCTOBER, ReportTestCase


class FlowTests(ReportTestCase):
    def test_it_opens_a_draft_with_the_ledger_figures_and_the_default_deadline(self) -> None:
        report = self.open()
        self.assertEqual(report.status, ReportStatus.DRAFT)
        self.assertEqual(report.revision, 0)
        self.assertEqual(report.deadline, date(2026, 11, 5))
        self.assertEqual(report.figures["plan"], "2025")
        codes = [row["indicator"] for row in report.figures["figures"]]
        self.assertIn("new_employees", codes)
        self.assertIn("software_product_share", codes)
        self.assertEqual(report.created_by, self.yuzhong_officer)

    def test_it_returns_the_same_report_when_opened_again(self) -> None:
        first = self.open()
        self.assertEqual(self.open().pk, first.pk)
        self.assertEqual(services.open_report(self.city_officer, self.yuzhong, OCTOBER).pk, first.pk)
        self.assertEqual(MonthlyReport.objects.count(), 1)

    def test_it_refuses_a_month_that_has_not_ended(self) -> None:
        with self.assertRaisesMessage(ValidationError, "尚未结束"):
            self.open(month=date(2026, 11, 1))

    def test_it_takes_a_report_through_submission_return_and_approval(self) -> None:
        report = self.filled()
        report = services.submit(self.yuzhong_officer, report, {})
        self.assertEqual(report.status, ReportStatus.SUBMITTED)
        self.assertEqual(report.submitted_by, self.yuzhong_officer)
        first_submission = report.first_submitted_at

        report = services.return_report(self.city_officer, report, "活动场次请附清单。")
        self.assertEqual(report.status, ReportStatus.RETURNED)
        self.assertEqual(report.review_comment, "活动场次请附清单。")

        report = services.save_draft(self.yuzhong_officer, report, {"events_held": 4})
        report = services.submit(self.yuzhong_officer, report, {})
        self.assertEqual(report.first_submitted_at, first_submission)

        report = services.approve(self.city_officer, report)
        self.assertEqual(report.status, ReportStatus.APPROVED)
        self.assertEqual(report.reviewed_by, self.city_officer)
        self.assertEqual(report.events_held, 4)

    def test_it_needs_a_comment_to_return_a_report(self) -> None:
        report = services.submit(self.yuzhong_officer, self.filled(), {})
        with self.assertRaisesMessage(ValidationError, "退回必须填写退回意见"):
            services.return_report(self.city_officer, report, "  ")
        report.refresh_from_db()
        self.assertEqual(report.status, ReportStatus.SUBMITTED)

    def test_it_lets_only_the_city_office_approve(self) -> None:
        report = services.submit(self.yuzhong_officer, self.filled(), {})
        for user in (self.yuzhong_officer, self.auditor):
            with self.assertRaises(PermissionDenied):
                services.approve(user, report)
        report.refresh_from_db()
        self.assertEqual(report.status, ReportStatus.SUBMITTED)

    def test_it_never_lets_a_read_only_role_write(self) -> None:
        report = self.open()
        with self.assertRaises(PermissionDenied):
            services.save_draft(self.auditor, report, CLEAN)
        with self.assertRaises(PermissionDenied):
            services.open_report(self.auditor, self.nanan, OCTOBER)
        with self.assertRaises(PermissionDenied):
            services.submit(self.auditor, report, {})

    def test_it_refuses_to_change_a_submitted_report(self) -> None:
        report = services.submit(self.yuzhong_officer, self.filled(), {})
        with self.assertRaisesMessage(services.ReportConflict, "等待市专班审核"):
            services.save_draft(self.yuzhong_officer, report, {"events_held": 9})

    def test_it_refuses_unknown_fields(self) -> None:
        with self.assertRaisesMessage(ValidationError, "status"):
            services.save_draft(self.yuzhong_officer, self.open(), {"status": "approved"})

    def test_it_lets_the_city_office_move_a_deadline(self) -> None:
        report = self.open()
        report = services.set_deadline(self.city_officer, report, date(2026, 11, 10))
        self.assertEqual(report.deadline, date(2026, 11, 10))
        with self.assertRaises(PermissionDenied):
            services.set_deadline(self.yuzhong_officer, report, date(2026, 11, 30))
