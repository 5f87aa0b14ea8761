"""mtx indicators: the JSON contract of the issue, one unit, the workbook, and refusals."""

from __future__ import annotations

import json
import tempfile
from datetime import date
from io import StringIO
from pathlib import Path

import time_machine
from django.core.management import CommandError, call_command
from django.test import TestCase
from openpyxl import load_workbook

from mantianxing.monitoring.choices import Indicator
from mantianxing.monitoring.definitions import DEFINITIONS
from mantianxing.monitoring.tests.factories import World


def run(*args: str) -> str:
    out = StringIO()
    call_command("indicators", *args, stdout=out)
    return out.getvalue()


@time_machine.travel("2026-11-22 10:00 +0800", tick=False)
class IndicatorsCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        w = cls.w = World()
        w.firm(date(2026, 2, 1), [(date(2026, 2, 1), w.tower_yz)])
        w.firm(date(2026, 3, 1), [(date(2026, 3, 1), w.tower_na)], division="500108", unit=w.nanan)

    def test_it_prints_the_issues_json(self) -> None:
        data = json.loads(run("--plan", "2025", "--as-of", "2026-10", "--json"))
        self.assertEqual(set(data), {"plan", "as_of", "time_progress", "rows"})
        self.assertEqual((data["plan"], data["as_of"]), ("2025", "2026-10"))
        self.assertAlmostEqual(data["time_progress"], 313 / 739, places=4)
        for row in data["rows"]:
            self.assertEqual(
                set(row), {"unit", "indicator", "actual", "target", "completion", "status", "projection"}
            )
        # One row per indicator for the city and for each unit with data, city first.
        units = [row["unit"] for row in data["rows"]]
        self.assertEqual(units[: len(DEFINITIONS)], ["500000"] * len(DEFINITIONS))
        self.assertEqual(set(units), {"500000", "500103", "500108"})
        city = next(
            r for r in data["rows"] if r["unit"] == "500000" and r["indicator"] == Indicator.NEW_ENTERPRISES
        )
        self.assertEqual((city["actual"], city["target"], city["status"]), (2, 10000, "behind"))
        self.assertAlmostEqual(city["completion"], 0.0002)

    def test_it_gives_one_unit_when_asked(self) -> None:
        data = json.loads(run("--plan", "2025", "--unit", "500108", "--json"))
        self.assertEqual({row["unit"] for row in data["rows"]}, {"500000", "500108"})
        city_only = json.loads(run("--plan", "2025", "--unit", "500000", "--json"))
        self.assertEqual({row["unit"] for row in city_only["rows"]}, {"500000"})

    def test_it_writes_the_progress_workbook(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "p.xlsx"
            text = run("--plan", "2025", "--as-of", "2026-10", "--xlsx", str(path))
            self.assertIn("进度表已写出", text)
            sheet = load_workbook(path)["进度表"]
            self.assertIn("序时进度 42.4%", sheet["A1"].value)
            self.assertEqual(sheet.max_row, 2 + 3 * len(DEFINITIONS))

    def test_it_names_an_abolished_units_successor(self) -> None:
        with self.assertRaisesMessage(CommandError, "两江新区"):
            run("--plan", "2022", "--unit", "500105")

    def test_it_refuses_a_bad_month_and_an_unknown_plan(self) -> None:
        with self.assertRaisesMessage(CommandError, "YYYY-MM"):
            run("--plan", "2025", "--as-of", "2026/10")
        with self.assertRaisesMessage(CommandError, "2030"):
            run("--plan", "2030")
