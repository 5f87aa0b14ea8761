"""The list page and the report page: what each role sees and may press."""

from __future__ import annotations

from mantianxing.reporting.models import MonthlyReport
from mantianxing.reporting.tests.base import ReportTestCase

LIST = "/reports/"


class ListPageTests(ReportTestCase):
    def test_it_puts_last_months_report_first_for_a_district_officer(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.client.get(LIST)
        self.assertContains(response, "待填报")
        self.assertContains(response, "渝中区 2026年10月月报")
        self.assertContains(response, "开始填报")
        self.assertNotContains(response, "南岸区")
        response = self.client.post("/reports/open/", {"unit": self.yuzhong.pk, "month": "2026-10"})
        report = MonthlyReport.objects.get()
        self.assertRedirects(response, report.get_absolute_url(), fetch_redirect_response=False)
        self.assertContains(self.client.get(LIST), "去填报")

    def test_it_shows_the_city_office_every_unit_with_quality_columns(self) -> None:
        self.approved(self.nanan)
        self.client.force_login(self.city_officer)
        # Session, user, units, the grid's reports, the reports' version and the quality's two (the
        # report just approved emptied the quality cache): however many units and months.
        with self.assertNumQueries(7):
            response = self.client.get(LIST)
        self.assertContains(response, "渝中区")
        self.assertContains(response, "南岸区")
        self.assertContains(response, "完整率")
        self.assertContains(response, "已审核（锁定）")
        self.assertNotContains(response, "待填报")

    def test_it_flags_an_overdue_month(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        self.assertContains(self.client.get(LIST), "逾期未报")

    def test_it_shows_the_menu_entry(self) -> None:
        self.client.force_login(self.auditor)
        self.assertContains(self.client.get(LIST), 'href="/reports/"')


class ReportPageTests(ReportTestCase):
    def test_it_shows_the_figures_the_form_and_the_buttons_to_the_officer(self) -> None:
        report = self.filled()
        self.client.force_login(self.yuzhong_officer)
        response = self.client.get(report.get_absolute_url())
        self.assertContains(response, "新增从业人员")
        self.assertContains(response, "窗口累计")
        self.assertContains(response, "保存草稿")
        self.assertContains(response, 'value="submit"')
        self.assertNotContains(response, "审核通过")

    def test_it_saves_a_draft_from_the_page(self) -> None:
        report = self.open()
        self.client.force_login(self.yuzhong_officer)
        response = self.client.post(
            report.get_absolute_url(),
            {
                "investment_projects": "4",
                "investment_projects_major": "",
                "investment_amount": "3.5",
                "scenarios_released": "",
                "events_held": "",
                "remarks": "部分数据待核实",
                "action": "save",
            },
        )
        self.assertRedirects(response, report.get_absolute_url(), fetch_redirect_response=False)
        report.refresh_from_db()
        self.assertEqual(report.investment_projects, 4)
        self.assertEqual(report.remarks, "部分数据待核实")
        self.assertEqual(report.status, "draft")

    def test_it_refuses_a_negative_count_on_the_page(self) -> None:
        report = self.open()
        self.client.force_login(self.yuzhong_officer)
        response = self.client.post(
            report.get_absolute_url(), {"investment_projects": "-1", "action": "save"}
        )
        self.assertEqual(response.status_code, 400)
        report.refresh_from_db()
        self.assertIsNone(report.investment_projects)

    def test_it_lets_the_city_office_approve_and_return_from_the_page(self) -> None:
        from mantianxing.reporting import services

        report = services.submit(self.yuzhong_officer, self.filled(), {})
        self.client.force_login(self.city_officer)
        page = self.client.get(report.get_absolute_url())
        self.assertContains(page, "审核通过")
        self.assertContains(page, "退回意见")
        self.client.post(f"/reports/{report.pk}/return/", {"comment": ""})
        report.refresh_from_db()
        self.assertEqual(report.status, "submitted")
        self.client.post(f"/reports/{report.pk}/approve/")
        report.refresh_from_db()
        self.assertEqual(report.status, "approved")
        page = self.client.get(report.get_absolute_url())
        self.assertContains(page, "已审核锁定")
        self.assertNotContains(page, "保存草稿")

    def test_it_answers_404_for_a_missing_report(self) -> None:
        self.client.force_login(self.city_officer)
        self.assertEqual(self.client.get("/reports/999/").status_code, 404)
