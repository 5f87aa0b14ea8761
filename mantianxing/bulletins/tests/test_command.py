"""mtx bulletin: both files written and their paths printed; bad periods and roles refused (exit 2)."""

from __future__ import annotations

import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import load_workbook

from mantianxing.bulletins.tests.base import BulletinTestCase


class BulletinCommandTests(BulletinTestCase):
    def run_command(self, *args: str) -> str:
        out = StringIO()
        call_command("bulletin", *args, stdout=out)
        return out.getvalue()

    def refused(self, *args: str) -> str:
        with self.assertRaises(CommandError) as caught:
            self.run_command(*args)
        self.assertEqual(caught.exception.returncode, 2)
        return str(caught.exception)

    def test_it_writes_the_document_and_the_workbook(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "new"
            printed = self.run_command("--period", "2026-06", "--out", str(out)).split()
            docx, xlsx = out / "满天星讲评通报-2026-06.docx", out / "满天星讲评通报-2026-06.xlsx"
            self.assertEqual(printed, [str(docx), str(xlsx)])
            self.assertIn("渝满天星通报〔2026〕6号", [p.text for p in Document(str(docx)).paragraphs])
            self.assertEqual(load_workbook(xlsx).sheetnames, ["排名", "进度", "滞后", "数据质量"])

    def test_it_takes_a_half_year_as_of_its_last_month(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            self.run_command("--period", "2026H1", "--out", folder, "--user", "yuzhong")
            document = Document(str(Path(folder) / "满天星讲评通报-2026H1.docx"))
            texts = [p.text for p in document.paragraphs]
            self.assertIn("渝满天星半年通报〔2026〕1号", texts)
            self.assertIn("关于2026年上半年“满天星”行动计划\n推进情况的讲评通报", texts)

    def test_it_refuses_a_malformed_period(self) -> None:
        self.assertIn("应写作月份", self.refused("--period", "2026/06", "--out", "/nonexistent"))

    def test_it_refuses_a_month_not_yet_complete(self) -> None:
        self.assertIn("2026年11月尚未结束", self.refused("--period", "2026-11", "--out", "/nonexistent"))
        self.assertIn("2026年下半年尚未结束", self.refused("--period", "2026H2", "--out", "/nonexistent"))

    def test_it_refuses_a_month_outside_every_plan(self) -> None:
        self.assertIn(
            "不在任何行动计划的实施期内", self.refused("--period", "2021-03", "--out", "/nonexistent")
        )

    def test_it_refuses_a_user_who_may_not_read_bulletins(self) -> None:
        self.assertIn(
            "不能查看讲评通报",
            self.refused("--period", "2026-06", "--out", "/nonexistent", "--user", "operator"),
        )
