"""The .xlsx: the four sheets and their rows."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from openpyxl import load_workbook

from mantianxing.bulletins.gather import gather
from mantianxing.bulletins.tests.base import BulletinTestCase
from mantianxing.bulletins.workbook import bulletin_workbook
from mantianxing.monitoring.definitions import DEFINITIONS


def rows(sheet: Any) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(min_row=3, values_only=True)]


class WorkbookTests(BulletinTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.book = load_workbook(BytesIO(bulletin_workbook(gather("2026-06"))))

    def test_it_has_the_four_sheets_with_headers_and_frozen_panes(self) -> None:
        self.assertEqual(self.book.sheetnames, ["排名", "进度", "滞后", "数据质量"])
        for sheet in self.book.worksheets:
            with self.subTest(sheet=sheet.title):
                self.assertEqual(sheet.freeze_panes, "C3")
                self.assertTrue(sheet.cell(2, 1).font.bold)

    def test_it_ranks_with_robustness(self) -> None:
        sheet = self.book["排名"]
        headers = [cell.value for cell in sheet[2]]
        self.assertEqual(headers[:4], ["名次", "区县代码", "区县", "得分"])
        self.assertIn("名次P95", headers)
        self.assertIn("概率：第1名", headers)
        ranked = rows(sheet)
        self.assertEqual(
            [row[:4] for row in ranked], [[1, "500103", "渝中区", 88.5], [2, "500108", "南岸区", 61.25]]
        )
        first = dict(zip(headers, ranked[0], strict=True))
        self.assertEqual((first["奖励金额（万元）"], first["名次P5"], first["名次P95"]), (3000, 1, 2))
        self.assertEqual((first["获奖概率"], first["概率：第1名"]), (1.0, 0.81))

    def test_it_lists_every_unit_and_indicator_in_progress(self) -> None:
        progress = rows(self.book["进度"])
        self.assertEqual(len(progress), 3 * len(DEFINITIONS))  # the city, 渝中 and 南岸
        nanan = next(r for r in progress if r[0] == "500108" and r[3] == "新增软信企业")
        self.assertEqual(nanan[5:8], [1, 10, 0.1])
        self.assertEqual(nanan[9], "慢于序时进度")

    def test_it_lists_the_lagging_units(self) -> None:
        self.assertEqual([row[:3] for row in rows(self.book["滞后"])], [["500108", "南岸区", "新增软信企业"]])

    def test_it_gives_reporting_and_disputes_per_unit(self) -> None:
        quality = {row[0]: row for row in rows(self.book["数据质量"])}
        self.assertEqual(quality["500103"][2:7], [1, 1, 0, 1, 0])
        self.assertEqual(quality["500108"][2:7], [1, 0, 0, 0, 1])
        self.assertEqual(quality["500108"][10:12], ["2026-06", 1])
        self.assertEqual(quality["500000"][-1], 1)
