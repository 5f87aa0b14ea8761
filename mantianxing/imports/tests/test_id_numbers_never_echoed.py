"""An ID number typed into the wrong column is never quoted in full: not in a row error, the stored
batch, the API's answer or the preview page; one typed into 年薪 is a row error, not a salary."""

from __future__ import annotations

import re

from django.core.files.uploadedfile import SimpleUploadedFile

from mantianxing.core.testing import PersonaTestCase
from mantianxing.imports.ledgers import LEDGERS
from mantianxing.imports.models import ImportBatch
from mantianxing.imports.pipeline import run_import
from mantianxing.imports.tests.sheets import xlsx
from mantianxing.lib.identifiers import mask_id_numbers
from mantianxing.people.models import EmploymentSpell

ROSTER = LEDGERS["roster"].columns
ID_NEW = "500103199003071239"
ID_X = "11010819851111106X"
ID_OLD = "500103900307123"  # the 15 digits of a pre-1999 card
# Any of them, in full, anywhere.
FULL = re.compile("|".join((ID_NEW, ID_X, ID_X.lower(), ID_OLD)))


class IdNumbersNeverEchoedTests(PersonaTestCase):
    def roster(self) -> bytes:
        uscc = self.enterprise_yz.uscc
        row = {
            "统计月份": "2026-01",
            "统一社会信用代码": uscc,
            "姓名": "张三",
            "身份证号": "500225198001010036",
            "岗位类别": "软件开发",
            "入职日期": "2020-01-01",
            "年薪（万元）": 30,
        }
        wrong = [
            {"入职日期": ID_NEW},
            {"统一社会信用代码": ID_X},
            {"统计月份": ID_OLD},
            {"岗位类别": ID_X.lower()},
            {"年薪（万元）": ID_NEW},
            {"年薪（万元）": int(ID_NEW)},  # typed into a number cell
            {"姓名": f"张三 {ID_NEW}"},
        ]
        rows = [row, *({**row, "身份证号": f"11010819851111{n:03d}5"} | w for n, w in enumerate(wrong))]
        return xlsx(ROSTER, [[r.get(column) for column in ROSTER] for r in rows])

    def test_it_masks_every_id_number_like_run_and_nothing_else(self) -> None:
        self.assertEqual(mask_id_numbers(f"“{ID_NEW}”"), "“**************1239”")
        self.assertEqual(mask_id_numbers(f"{ID_X}、{ID_OLD}"), "**************106X、***********7123")
        self.assertEqual(
            mask_id_numbers("第 12 行 2026-01 30.5 万元 12345678901234567890"),
            "第 12 行 2026-01 30.5 万元 12345678901234567890",
        )

    def test_it_quotes_no_id_number_in_the_row_errors_or_the_stored_batch(self) -> None:
        result = run_import(
            "roster", self.roster(), file_name="r.xlsx", user=self.city_officer, keep_valid=True
        )
        columns = {e.column for e in result.errors}
        self.assertLessEqual(
            {"入职日期", "统一社会信用代码", "统计月份", "岗位类别", "年薪（万元）"}, columns
        )
        messages = " ".join(e.message for e in result.errors)
        self.assertIsNone(FULL.search(messages), messages)
        self.assertIn("1239", messages)
        batch = ImportBatch.objects.get()
        self.assertIsNone(FULL.search(str(batch.errors)))

    def test_it_takes_no_id_number_as_a_salary(self) -> None:
        result = run_import(
            "roster", self.roster(), file_name="r.xlsx", user=self.city_officer, keep_valid=True
        )
        salary_errors = [e for e in result.errors if e.column == "年薪（万元）"]
        self.assertEqual(len(salary_errors), 2)
        self.assertFalse(EmploymentSpell.objects.filter(annual_salary__gt=10**6).exists())

    def test_it_quotes_no_id_number_in_the_api_answer(self) -> None:
        for user in (self.city_officer, self.yuzhong_officer, self.enterprise_user):
            with self.subTest(user=user.username):
                response = self.client.post(
                    "/api/imports/roster",
                    {"file": SimpleUploadedFile("r.xlsx", self.roster()), "dry_run": "true"},
                    headers=self.bearer(user),
                )
                self.assertEqual(response.status_code, 200)
                body = response.content.decode()
                self.assertIsNone(FULL.search(body), body)
                self.assertTrue(response.json()["errors"])

    def test_it_quotes_no_id_number_on_the_preview_page(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.client.post(
            "/imports/", {"ledger": "roster", "file": SimpleUploadedFile("r.xlsx", self.roster())}
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["result"].errors)
        self.assertIsNone(FULL.search(response.content.decode()))
