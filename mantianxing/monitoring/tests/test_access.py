"""The dashboard, the rows behind a value, the download, the targets and the API, per role."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from mantianxing.carriers.models import Occupancy
from mantianxing.core.testing import PersonaTestCase
from mantianxing.enterprises.origin import recompute_origins
from mantianxing.monitoring.choices import Indicator
from mantianxing.monitoring.models import Target
from mantianxing.plans.models import Plan

DASHBOARD = reverse("monitoring:dashboard")
ROWS = reverse("monitoring:rows")
TARGETS = reverse("monitoring:targets")


@time_machine.travel("2026-11-22 10:00 +0800", tick=False)
class MonitoringAccessTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Both persona firms were established inside the 2022 window; each occupies its unit's building.
        Occupancy.objects.create(
            building=cls.building_yz,
            enterprise=cls.enterprise_yz,
            area=Decimal("500"),
            moved_in_on=date(2023, 6, 1),
        )
        Occupancy.objects.create(
            building=cls.building_na,
            enterprise=cls.enterprise_na,
            area=Decimal("300"),
            moved_in_on=date(2024, 2, 1),
        )
        recompute_origins()
        cls.plan = Plan.objects.get(code="2022")
        Target.objects.create(plan=cls.plan, indicator=Indicator.NEW_ENTERPRISES, unit=cls.yuzhong, value=4)

    def get(self, user: object, url: str, **params: str) -> object:
        self.client.force_login(user)  # type: ignore[arg-type]
        return self.client.get(url, params)

    def test_it_shows_the_city_office_every_unit(self) -> None:
        response = self.get(
            self.city_officer, DASHBOARD, plan="2022", as_of="2025-12", indicator="new_enterprises"
        )
        self.assertContains(response, "全市目标完成情况")
        self.assertContains(response, "渝中区")
        self.assertContains(response, "南岸区")
        compared = {row.unit.code for row in response.context["compared"]}
        self.assertEqual(compared, {"500103", "500108"})

    def test_a_district_officer_sees_the_city_and_only_its_own_unit(self) -> None:
        response = self.get(self.yuzhong_officer, DASHBOARD, plan="2022", as_of="2025-12")
        self.assertEqual({row.unit.code for row in response.context["report"].rows}, {"500000", "500103"})
        self.assertEqual([q.unit.code for q in response.context["quality"].units], ["500103"])
        self.assertNotContains(response, "南岸区")

    def test_a_district_officer_cannot_ask_for_another_unit(self) -> None:
        self.assertEqual(self.get(self.yuzhong_officer, DASHBOARD, unit="500108").status_code, 403)
        self.assertEqual(
            self.get(self.yuzhong_officer, ROWS, indicator="new_enterprises", unit="500108").status_code, 403
        )
        self.assertEqual(
            self.get(self.yuzhong_officer, ROWS, indicator="new_enterprises", unit="500000").status_code, 403
        )

    def test_roles_outside_monitoring_are_refused(self) -> None:
        for user in (self.operator, self.enterprise_user, self.owner, self.outsider):
            with self.subTest(user=user.username):
                self.assertEqual(self.get(user, DASHBOARD).status_code, 403)

    def test_the_rows_add_up_to_the_value(self) -> None:
        response = self.get(
            self.yuzhong_officer,
            ROWS,
            plan="2022",
            as_of="2025-12",
            indicator="new_enterprises",
            unit="500103",
        )
        self.assertEqual(response.context["row"].actual, 1)
        self.assertTrue(response.context["matches"])
        self.assertContains(response, self.enterprise_yz.name)
        self.assertNotContains(response, self.enterprise_na.name)

    def test_the_area_rows_show_both_ends(self) -> None:
        response = self.get(
            self.city_officer, ROWS, plan="2022", as_of="2025-12", indicator="carrier_area_in_use"
        )
        self.assertEqual(response.context["row"].actual, 800)
        self.assertTrue(response.context["matches"])

    def test_it_downloads_the_progress_table(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.client.get(reverse("monitoring:download"), {"plan": "2022", "as_of": "2025-12"})
        sheet = load_workbook(BytesIO(response.content))["进度表"]
        rows = list(sheet.iter_rows(min_row=3, values_only=True))
        self.assertEqual({row[0] for row in rows}, {"500000", "500103"})
        new_firms = next(row for row in rows if row[0] == "500103" and row[2] == "new_enterprises")
        self.assertEqual((new_firms[5], new_firms[6], new_firms[7]), (1, 4, 0.25))

    def test_the_city_office_sets_a_district_target(self) -> None:
        self.client.force_login(self.city_officer)
        field = f"t-{Indicator.NEW_EMPLOYEES}-{self.nanan.pk}"
        response = self.client.post(TARGETS, {"plan": "2022", field: "1,500"})
        self.assertEqual(response.status_code, 302)
        target = Target.objects.get(plan=self.plan, indicator=Indicator.NEW_EMPLOYEES, unit=self.nanan)
        self.assertEqual(target.value, 1500)
        # Fields left empty remove targets: the 渝中 new-enterprise target was not posted.
        self.assertFalse(Target.objects.filter(plan=self.plan, unit=self.yuzhong).exists())

    def test_a_bad_target_changes_nothing(self) -> None:
        self.client.force_login(self.city_officer)
        field = f"t-{Indicator.NEW_ENTERPRISES}-{self.yuzhong.pk}"
        response = self.client.post(TARGETS, {"plan": "2022", field: "四个"})
        self.assertContains(response, "不是数字")
        self.assertEqual(Target.objects.get(plan=self.plan, unit=self.yuzhong).value, 4)

    def test_a_district_officer_reads_but_cannot_set_targets(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        self.assertContains(self.client.get(TARGETS, {"plan": "2022"}), "只有市专班可以修改")
        field = f"t-{Indicator.NEW_ENTERPRISES}-{self.yuzhong.pk}"
        self.assertEqual(self.client.post(TARGETS, {"plan": "2022", field: "40"}).status_code, 403)


class MonitoringApiTests(MonitoringAccessTests):
    def api(self, user: object, path: str, **params: str) -> object:
        return self.client.get(f"/api/indicators/{path}", params, headers=self.bearer(user))  # type: ignore[arg-type]

    def test_it_gives_the_progress_rows_in_the_cli_shape(self) -> None:
        data = self.api(self.city_officer, "progress", plan="2022", as_of="2025-12").json()
        self.assertEqual((data["plan"], data["as_of"], data["time_progress"]), ("2022", "2025-12", 1.0))
        row = next(r for r in data["rows"] if r["unit"] == "500103" and r["indicator"] == "new_enterprises")
        self.assertEqual(
            {k: row[k] for k in ("actual", "target", "completion", "status")},
            {"actual": 1, "target": 4, "completion": 0.25, "status": "behind"},
        )

    def test_it_keeps_a_district_to_its_unit(self) -> None:
        data = self.api(self.nanan_officer, "progress", plan="2022").json()
        self.assertEqual({r["unit"] for r in data["rows"]}, {"500000", "500108"})
        self.assertEqual(self.api(self.nanan_officer, "progress", unit="500103").status_code, 403)
        self.assertEqual(
            self.api(self.nanan_officer, "rows", indicator="new_enterprises", unit="500103").status_code, 403
        )

    def test_it_lists_the_rows_behind_a_value(self) -> None:
        data = self.api(
            self.city_officer, "rows", plan="2022", as_of="2025-12", indicator="new_enterprises"
        ).json()
        self.assertEqual((data["value"], data["rows_total"], data["count"]), (2, 2, 2))

    def test_it_explains_a_bad_question_in_chinese(self) -> None:
        response = self.api(self.city_officer, "progress", plan="2030")
        self.assertEqual(response.status_code, 400)
        self.assertIn("没有代码为“2030”的行动计划", response.json()["message"])

    def test_only_the_city_office_sets_targets(self) -> None:
        body = [{"indicator": "new_employees", "unit": "500108", "value": "900"}]
        refused = self.client.put(
            "/api/indicators/targets?plan=2022",
            body,
            content_type="application/json",
            headers=self.bearer(self.nanan_officer),
        )
        self.assertEqual(refused.status_code, 403)
        done = self.client.put(
            "/api/indicators/targets?plan=2022",
            body,
            content_type="application/json",
            headers=self.bearer(self.city_officer),
        )
        self.assertEqual(done.status_code, 200)
        self.assertEqual(Target.objects.get(plan=self.plan, unit=self.nanan).value, 900)

    def test_a_new_target_shows_at_once(self) -> None:
        before = self.api(self.city_officer, "progress", plan="2022", unit="500108").json()
        row = next(r for r in before["rows"] if r["unit"] == "500108" and r["indicator"] == "new_enterprises")
        self.assertIsNone(row["target"])
        body = [{"indicator": "new_enterprises", "unit": "500108", "value": "2"}]
        self.client.put(
            "/api/indicators/targets?plan=2022",
            body,
            content_type="application/json",
            headers=self.bearer(self.city_officer),
        )
        after = self.api(self.city_officer, "progress", plan="2022", unit="500108").json()
        row = next(r for r in after["rows"] if r["unit"] == "500108" and r["indicator"] == "new_enterprises")
        self.assertEqual((row["target"], row["completion"]), (2, 0.5))
