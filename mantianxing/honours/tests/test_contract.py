"""The JSON of the API and of `mtx honours --json`, and how bad questions are answered."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import CommandError, call_command

from mantianxing.honours.tests.base import HonoursTestCase, december, firm


def run(*args: str) -> str:
    out = StringIO()
    call_command("honours", *args, stdout=out)
    return out.getvalue()


class BuildingsContractTests(HonoursTestCase):
    def get(self, **params: str) -> dict:  # type: ignore[type-arg]
        response = self.client.get("/api/honours/buildings", params, headers=self.bearer(self.city_officer))
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()

    def test_it_answers_the_issues_shape(self) -> None:
        data = self.get(on="2026-06-30")
        self.assertEqual(set(data), {"on", "criteria", "rows"})
        self.assertEqual(data["on"], "2026-06-30")
        self.assertEqual(
            [c["kind"] for c in data["criteria"]],
            ["independent_operator", "software_focus", "carrier_area", "software_firms", "occupancy_rate"],
        )
        self.assertEqual(set(data["criteria"][0]), {"kind", "name", "threshold", "parameter", "unit_label"})
        star = next(row for row in data["rows"] if row["building"] == "YZ-STAR")
        self.assertEqual(set(star), {"building", "name", "unit", "unit_name", "criteria", "passed"})
        self.assertTrue(star["passed"])
        self.assertEqual(star["unit"], "500103")
        self.assertEqual(
            star["criteria"]["occupancy_rate"],
            {"value": 75.0, "shown": "75.00%", "threshold": 70.0, "passed": True},
        )
        self.assertEqual(star["criteria"]["software_firms"]["value"], 20)
        self.assertEqual(star["criteria"]["independent_operator"]["value"], "91")
        self.assertIsNone(star["criteria"]["independent_operator"]["threshold"])

    def test_it_filters_by_verdict_and_unit(self) -> None:
        self.assertEqual([row["building"] for row in self.get(passed="true")["rows"]], ["YZ-STAR"])
        self.assertNotIn("YZ-STAR", [row["building"] for row in self.get(passed="false")["rows"]])
        self.assertEqual({row["unit"] for row in self.get(unit="500108")["rows"]}, {"500108"})

    def test_the_command_prints_the_same_json(self) -> None:
        from_api = self.get(on="2026-06-30", passed="true")
        from_cli = json.loads(run("buildings", "--on", "2026-06-30", "--passed", "--json"))
        self.assertEqual(from_cli, from_api)

    def test_the_command_prints_a_table(self) -> None:
        text = run("buildings", "--on", "2026-06-30", "--unit", "500103")
        self.assertIn("2 栋，全部达标 1 栋", text)
        self.assertIn("YZ-STAR", text)

    def test_bad_questions_are_refused_with_a_reason(self) -> None:
        headers = self.bearer(self.city_officer)
        for params, reason in (({"on": "2026/06/30"}, "YYYY-MM-DD"), ({"unit": "999999"}, "999999")):
            with self.subTest(params=params):
                response = self.client.get("/api/honours/buildings", params, headers=headers)
                self.assertEqual(response.status_code, 400)
                self.assertIn(reason, response.json()["message"])
        with self.assertRaisesMessage(CommandError, "YYYY-MM-DD") as caught:
            run("buildings", "--on", "30.6.2026")
        self.assertEqual(caught.exception.returncode, 2)
        with self.assertRaisesMessage(CommandError, "两江新区"):
            run("buildings", "--unit", "500105")
        with self.assertRaisesMessage(CommandError, "没有用户"):
            run("buildings", "--user", "nobody")


class ShangxingContractTests(HonoursTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.risen = firm(cls.yuzhong)
        december(cls.risen, 2025, revenue="12000.50", headcount=60)

    def test_it_answers_the_issues_shape(self) -> None:
        response = self.client.get(
            "/api/honours/shangxing", {"period": "2025"}, headers=self.bearer(self.city_officer)
        )
        data = response.json()
        self.assertEqual((data["period"], data["year"], data["compared_with"]), ("2025", 2025, 2024))
        self.assertEqual(
            data["rows"],
            [
                {
                    "uscc": self.risen.uscc,
                    "name": self.risen.name,
                    "unit": "500103",
                    "unit_name": "渝中区",
                    "revenue": 12000.5,
                    "revenue_figure": "软件业务收入",
                    "headcount": 60,
                    "headcount_source": "经营数据",
                }
            ],
        )
        self.assertEqual(json.loads(run("shangxing", "--period", "2025", "--json")), data)

    def test_the_default_period_is_the_last_complete_year(self) -> None:
        data = self.client.get("/api/honours/shangxing", headers=self.bearer(self.city_officer)).json()
        self.assertEqual(data["period"], "2025")
        self.assertIn("2025 新增上星企业（2025 年上星、2024 年未上星）：1 家", run("shangxing"))

    def test_a_bad_period_is_refused(self) -> None:
        response = self.client.get(
            "/api/honours/shangxing", {"period": "2025Q3"}, headers=self.bearer(self.city_officer)
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("2026H1", response.json()["message"])
        with self.assertRaisesMessage(CommandError, "期间") as caught:
            run("shangxing", "--period", "2025Q3")
        self.assertEqual(caught.exception.returncode, 2)
