"""The .xlsx downloads (page and command) hold what the pages show."""

from __future__ import annotations

import tempfile
from io import BytesIO, StringIO
from pathlib import Path

from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from mantianxing.honours.tests.base import HonoursTestCase, december, firm


class WorkbookTests(HonoursTestCase):
    def test_the_buildings_workbook_has_a_row_per_building_and_a_column_per_criterion(self) -> None:
        self.client.force_login(self.city_officer)
        response = self.client.get(reverse("honours:building_download"), {"on": "2026-06-30"})
        self.assertEqual(
            response["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        self.assertIn("demonstration-buildings-2026-06-30.xlsx", response["Content-Disposition"])
        book = load_workbook(BytesIO(response.content))
        sheet = book["示范楼宇条件核对"]
        self.assertIn("2026-06-30，4 栋，全部达标 1 栋", sheet["A1"].value)
        headers = [cell.value for cell in sheet[2]]
        self.assertEqual(
            headers[:6],
            ["楼宇编码", "楼宇名称", "区县代码", "区县", "运营机构为独立法人", "运营机构为独立法人是否达标"],
        )
        self.assertEqual(headers[-1], "全部达标")
        self.assertEqual(len(headers), 4 + 2 * 5 + 1)
        rows = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
        self.assertEqual(set(rows), {"YZ-0001", "YZ-STAR", "NA-0001", "NA-PLAIN"})
        star = rows["YZ-STAR"]
        self.assertEqual(star[4:6], ("企业（91）", "是"))
        self.assertEqual(star[6:8], (100.0, "是"))  # software share, %
        self.assertEqual(star[8:10], (12000.0, "是"))  # carrier area, ㎡
        self.assertEqual(star[10:12], (20, "是"))
        self.assertEqual(star[12:15], (75.0, "是", "是"))
        self.assertEqual(rows["NA-PLAIN"][4:6], ("个体工商户（92）", "否"))
        notes = [row for row in book["认定条件"].iter_rows(min_row=2, values_only=True)]
        self.assertEqual(
            notes[1][:5], ("software_focus", "软件主导", 50.0, "%", "GB/T 4754-2017 大类 64、65")
        )

    def test_only_passing_buildings_when_asked(self) -> None:
        self.client.force_login(self.city_officer)
        response = self.client.get(reverse("honours:building_download"), {"on": "2026-06-30", "passed": "1"})
        sheet = load_workbook(BytesIO(response.content)).active
        self.assertEqual([row[0] for row in sheet.iter_rows(min_row=3, values_only=True)], ["YZ-STAR"])

    def test_the_shangxing_workbook_lists_the_new_firms_with_their_figures(self) -> None:
        risen = firm(self.nanan, division="500108")
        december(risen, 2025, revenue="15000", headcount=40)
        self.client.force_login(self.nanan_officer)
        response = self.client.get(reverse("honours:shangxing_download"), {"period": "2025"})
        sheet = load_workbook(BytesIO(response.content)).active
        self.assertIn("2025 新增上星企业（2025 年上星、2024 年未上星），共 1 家", sheet["A1"].value)
        self.assertEqual(sheet["E2"].value, "2025年12月营业收入（万元）")
        self.assertEqual(
            next(sheet.iter_rows(min_row=3, values_only=True)),
            (
                risen.uscc,
                risen.name,
                "500108",
                "南岸区",
                15000.0,
                40,
                "经营数据",
                "软件业务收入（未填营业收入，作下限）",
            ),
        )

    def test_the_command_writes_the_same_workbook(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "b.xlsx"
            out = StringIO()
            call_command("honours", "buildings", "--on", "2026-06-30", "--xlsx", str(path), stdout=out)
            self.assertIn("表格已写出", out.getvalue())
            sheet = load_workbook(path).active
            self.assertEqual(sheet.max_row, 2 + 4)
