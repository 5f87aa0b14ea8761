"""The import pages: check then confirm, batches, templates and exports, each within the user's scope."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from stdnum.cn import ric

from mantianxing.carriers.models import Building
from mantianxing.core.testing import PersonaTestCase
from mantianxing.imports.ledgers import LEDGERS
from mantianxing.imports.models import ImportBatch
from mantianxing.imports.pipeline import run_import
from mantianxing.imports.tests.sheets import xlsx
from mantianxing.people.models import Person

BUILDINGS = LEDGERS["buildings"].columns
ROSTER = LEDGERS["roster"].columns
UPLOAD = "/imports/"
CONFIRM = "/imports/confirm/"
RECHECK = "/imports/recheck/"


def building_row(code: str, unit: str = "渝中区", **extra: object) -> list[object]:
    values = {
        "楼宇编码": code,
        "楼宇名称": f"{code}大厦",
        "所在区县": unit,
        "总建筑面积（㎡）": 20000,
        "载体面积（㎡）": 10000,
        "状态": "投用",
        "投用日期": "2024-06-01",
    } | extra
    return [values.get(column) for column in BUILDINGS]


def id_number(body: str) -> str:
    """A synthetic resident ID number with a correct check digit."""
    return body + ric.calc_check_digit(body + "0")


def read_xlsx(content: bytes) -> list[tuple[Any, ...]]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def content_of(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


class UploadTestCase(PersonaTestCase):
    def setUp(self) -> None:
        self.var_dir = Path(self.enterContext(tempfile.TemporaryDirectory()))
        self.enterContext(override_settings(VAR_DIR=self.var_dir))

    def check(
        self, data: bytes, *, ledger: str = "buildings", name: str = "楼宇台账.xlsx", keep_valid: bool = False
    ) -> Any:
        form: dict[str, Any] = {"ledger": ledger, "file": SimpleUploadedFile(name, data)}
        if keep_valid:
            form["keep_valid"] = "on"
        return self.client.post(UPLOAD, form)

    def kept_files(self) -> list[str]:
        folder = self.var_dir / "uploads"
        return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


class CheckTests(UploadTestCase):
    def test_it_previews_a_bad_files_errors_row_by_row_and_writes_nothing(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        rows = [building_row("W-1"), building_row("W-2", unit="火星区"), building_row("W-1")]
        before = (Building.objects.count(), ImportBatch.objects.count())

        response = self.check(xlsx(BUILDINGS, rows, title="渝中区楼宇台账"))

        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "imports/preview.html")
        result = response.context["result"]
        self.assertEqual((result.rows, result.valid, result.imported, result.skipped), (3, 1, 0, 3))
        self.assertEqual([(e.row, e.column) for e in result.errors], [(4, "所在区县"), (5, "楼宇编码")])
        self.assertContains(response, '<th class="num">行号</th><th>列</th><th>问题</th>', html=False)
        self.assertContains(response, '<td class="num">4</td><td>所在区县</td>', html=False)
        self.assertContains(response, "火星区")
        self.assertContains(response, '<td class="num">5</td><td>楼宇编码</td>', html=False)
        self.assertContains(response, "不会写入任何数据")
        self.assertTrue(response.context["blocked"])
        self.assertFalse(response.context["can_confirm"])
        self.assertContains(response, "disabled")
        self.assertEqual((Building.objects.count(), ImportBatch.objects.count()), before)

    def test_it_shows_the_counts_before_anything_is_written(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.check(xlsx(BUILDINGS, [building_row("P-1"), building_row("P-2")]))
        for label in ("数据行", "有效行", "将写入", "跳过"):
            self.assertContains(response, label)
        self.assertTrue(response.context["can_confirm"])
        self.assertFalse(Building.objects.filter(code__startswith="P-").exists())

    def test_it_keeps_the_uploaded_bytes_under_their_sha256(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.check(xlsx(BUILDINGS, [building_row("K-1")]))
        sha256 = response.context["result"].sha256
        self.assertEqual(self.kept_files(), [sha256])
        entry = self.client.session["imports_pending"][response.context["token"]]
        self.assertEqual(
            entry,
            {"sha256": sha256, "ledger": "buildings", "file_name": "楼宇台账.xlsx", "keep_valid": False},
        )

    def test_it_shows_an_unusable_file_on_the_form_and_keeps_nothing(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.check(xlsx(["甲", "乙"], [[1, 2]]))
        self.assertTemplateUsed(response, "imports/upload.html")
        self.assertContains(response, "未找到表头")
        self.assertEqual(self.kept_files(), [])
        self.assertNotIn("imports_pending", self.client.session)

    def test_it_refuses_a_file_type_it_cannot_read(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.check(b"%PDF-1.4", name="楼宇.pdf")
        self.assertContains(response, "只能导入")
        self.assertEqual(self.kept_files(), [])

    def test_it_offers_only_the_ledgers_the_role_may_import(self) -> None:
        self.client.force_login(self.operator)
        response = self.client.get(UPLOAD)
        self.assertEqual(response.status_code, 200)
        self.assertEqual([value for value, _label in response.context["ledgers"]], ["buildings", "occupancy"])
        self.assertContains(response, "楼宇台账")
        response = self.check(xlsx(["统一社会信用代码", "企业名称", "所在区县"], []), ledger="enterprises")
        self.assertTrue(response.context["form"].errors["ledger"])

    def test_it_explains_each_column_and_links_the_templates(self) -> None:
        self.client.force_login(self.city_officer)
        response = self.client.get(UPLOAD)
        self.assertContains(response, "<th>列名</th><th>填写要求</th>", html=False)
        self.assertContains(response, LEDGERS["buildings"].notes["楼宇编码"])
        for ledger in LEDGERS:
            self.assertContains(response, reverse("imports:template", args=[ledger]))
        self.assertContains(response, "保留正确的行（有错误时仍导入正确的行）")


class ConfirmTests(UploadTestCase):
    def test_it_writes_the_checked_file_and_records_a_batch(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        token = self.check(xlsx(BUILDINGS, [building_row("C-1"), building_row("C-2")])).context["token"]

        response = self.client.post(CONFIRM, {"upload": token})

        batch = ImportBatch.objects.get()
        self.assertRedirects(response, reverse("imports:batch_detail", args=[batch.pk]))
        self.assertEqual(
            (batch.ledger, batch.file_name, batch.created_by),
            ("buildings", "楼宇台账.xlsx", self.yuzhong_officer),
        )
        self.assertEqual((batch.rows, batch.imported), (2, 2))
        self.assertEqual(
            set(Building.objects.filter(batch=batch).values_list("code", flat=True)), {"C-1", "C-2"}
        )
        self.assertEqual(self.kept_files(), [])  # a roster would hold full ID numbers: nothing stays
        self.assertNotIn(token, self.client.session["imports_pending"])

    def test_it_writes_nothing_when_the_same_file_comes_again(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        data = xlsx(BUILDINGS, [building_row("A-1")])
        self.client.post(CONFIRM, {"upload": self.check(data).context["token"]})
        batch = ImportBatch.objects.get()

        preview = self.check(data)
        self.assertEqual(preview.context["result"].imported, 0)
        self.assertFalse(preview.context["can_confirm"])
        self.assertContains(preview, "没有需要写入的数据")
        self.assertContains(preview, batch.get_absolute_url())

        response = self.client.post(CONFIRM, {"upload": preview.context["token"]})
        self.assertTemplateUsed(response, "imports/nothing_written.html")
        self.assertContains(response, "没有需要写入的数据")
        self.assertContains(response, batch.get_absolute_url())
        self.assertEqual(ImportBatch.objects.count(), 1)

    def test_it_keeps_the_valid_rows_when_asked(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        data = xlsx(BUILDINGS, [building_row("V-1"), building_row("V-2", unit="火星区")])
        preview = self.check(data, keep_valid=True)
        self.assertTrue(preview.context["can_confirm"])
        self.assertEqual(preview.context["result"].imported, 1)

        self.client.post(CONFIRM, {"upload": preview.context["token"]})

        self.assertEqual(
            list(Building.objects.filter(code__startswith="V-").values_list("code", flat=True)), ["V-1"]
        )
        batch = ImportBatch.objects.get()
        self.assertEqual((batch.imported, batch.skipped), (1, 1))
        self.assertEqual([(e["row"], e["column"]) for e in batch.errors], [(3, "所在区县")])

    def test_it_rechecks_the_kept_file_keeping_the_valid_rows(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        data = xlsx(BUILDINGS, [building_row("R-1"), building_row("R-2", unit="火星区")])
        token = self.check(data).context["token"]

        recheck = self.client.post(RECHECK, {"upload": token})
        self.assertTrue(recheck.context["can_confirm"])
        self.client.post(CONFIRM, {"upload": token})

        self.assertEqual(
            list(Building.objects.filter(code__startswith="R-").values_list("code", flat=True)), ["R-1"]
        )

    def test_it_does_not_write_a_file_with_errors_on_confirm(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        token = self.check(
            xlsx(BUILDINGS, [building_row("E-1"), building_row("E-2", unit="火星区")])
        ).context["token"]
        response = self.client.post(CONFIRM, {"upload": token})
        self.assertContains(response, "不会写入任何数据")
        self.assertFalse(ImportBatch.objects.exists())
        self.assertFalse(Building.objects.filter(code__startswith="E-").exists())

    def test_it_rejects_a_row_of_another_unit_naming_the_scope(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        data = xlsx(BUILDINGS, [building_row("U-1"), building_row("U-2", unit="南岸区")])
        preview = self.check(data, keep_valid=True)
        [error] = preview.context["result"].errors
        self.assertEqual((error.row, error.column), (3, "所在区县"))
        self.assertIn("超出您的数据范围", error.message)
        self.assertContains(preview, "超出您的数据范围")

        self.client.post(CONFIRM, {"upload": preview.context["token"]})

        self.assertTrue(Building.objects.filter(code="U-1", unit=self.yuzhong).exists())
        self.assertFalse(Building.objects.filter(code="U-2").exists())

    def test_it_confirms_only_an_upload_of_this_session(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        token = self.check(xlsx(BUILDINGS, [building_row("S-1")])).context["token"]
        self.client.force_login(self.nanan_officer)  # a new session

        response = self.client.post(CONFIRM, {"upload": token})

        self.assertRedirects(response, UPLOAD)
        self.assertFalse(ImportBatch.objects.exists())
        self.assertFalse(Building.objects.filter(code="S-1").exists())

    def test_it_refuses_a_kept_file_that_was_changed_on_disk(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.check(xlsx(BUILDINGS, [building_row("T-1")]))
        (self.var_dir / "uploads" / response.context["result"].sha256).write_bytes(
            xlsx(BUILDINGS, [building_row("T-2")])
        )
        self.assertRedirects(self.client.post(CONFIRM, {"upload": response.context["token"]}), UPLOAD)
        self.assertFalse(Building.objects.filter(code__startswith="T-").exists())


class UploadAccessTests(UploadTestCase):
    def test_it_answers_403_to_read_only_roles_and_users_without_scope(self) -> None:
        data = xlsx(BUILDINGS, [building_row("X-1")])
        for user in (self.auditor, self.outsider):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(UPLOAD).status_code, 403)
                self.assertEqual(self.check(data).status_code, 403)
                self.assertEqual(self.client.post(CONFIRM, {"upload": "x"}).status_code, 403)
        self.assertFalse(Building.objects.filter(code="X-1").exists())
        self.assertEqual(self.kept_files(), [])

    def test_it_sends_anonymous_users_to_the_login_page(self) -> None:
        for url in (UPLOAD, reverse("imports:batch_list"), reverse("imports:export", args=["buildings"])):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertRedirects(
                    response, f"{reverse('login')}?next={quote(url)}", fetch_redirect_response=False
                )


class BatchPageTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        rows = [building_row("B-1"), building_row("B-2", unit="火星区")]
        result = run_import(
            "buildings",
            xlsx(BUILDINGS, rows),
            file_name="渝中.xlsx",
            user=cls.yuzhong_officer,
            keep_valid=True,
        )
        cls.batch = ImportBatch.objects.get(pk=result.batch)

    def test_it_lists_the_batches_of_the_users_scope(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.client.get(reverse("imports:batch_list"))
        self.assertEqual(list(response.context["object_list"]), [self.batch])
        self.assertContains(response, "渝中.xlsx")
        self.assertContains(response, self.batch.sha256[:12])

        self.client.force_login(self.nanan_officer)
        self.assertEqual(list(self.client.get(reverse("imports:batch_list")).context["object_list"]), [])

        self.client.force_login(self.auditor)  # the whole city, read-only
        self.assertEqual(
            list(self.client.get(reverse("imports:batch_list")).context["object_list"]), [self.batch]
        )

    def test_it_lists_the_batches_in_a_constant_number_of_queries(self) -> None:
        self.client.force_login(self.city_officer)
        url = reverse("imports:batch_list")
        with CaptureQueriesContext(connection) as one:
            self.client.get(url)
        for number in range(3):
            ImportBatch.objects.create(
                ledger="roster",
                file_name=f"{number}.xlsx",
                sha256=f"{number:064d}",
                created_by=self.nanan_officer,
                rows=1,
                valid=1,
                imported=1,
                skipped=0,
            )
        with CaptureQueriesContext(connection) as four:
            self.assertContains(self.client.get(url), "2.xlsx")
        self.assertEqual(len(four), len(one))

    def test_it_filters_the_list_by_ledger(self) -> None:
        self.client.force_login(self.city_officer)
        url = reverse("imports:batch_list")
        self.assertEqual(
            list(self.client.get(url, {"ledger": "buildings"}).context["object_list"]), [self.batch]
        )
        self.assertEqual(list(self.client.get(url, {"ledger": "roster"}).context["object_list"]), [])

    def test_it_shows_a_batch_its_errors_and_the_rows_it_wrote(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.client.get(self.batch.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, self.batch.sha256)
        self.assertContains(response, "火星区")  # the stored error
        [section] = response.context["sections"]
        self.assertEqual((section.label, section.count), ("楼宇", 1))
        building = Building.objects.get(code="B-1")
        self.assertContains(response, f'<a href="{building.get_absolute_url()}">', html=False)

    def test_it_answers_404_for_a_batch_outside_the_scope(self) -> None:
        self.client.force_login(self.nanan_officer)
        self.assertEqual(self.client.get(self.batch.get_absolute_url()).status_code, 404)


class TemplateAndExportTests(PersonaTestCase):
    def test_it_downloads_the_empty_template(self) -> None:
        self.client.force_login(self.auditor)
        response = self.client.get(reverse("imports:template", args=["buildings"]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(read_xlsx(content_of(response)), [BUILDINGS])

    def test_it_exports_only_the_rows_of_the_users_unit(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.client.get(reverse("imports:export", args=["buildings"]))

        self.assertEqual(response.status_code, 200)
        disposition = response["Content-Disposition"]
        self.assertTrue(disposition.startswith("attachment;"))
        self.assertIn("filename*=UTF-8''" + quote("楼宇台账-"), disposition)
        header, *rows = read_xlsx(content_of(response))
        self.assertEqual(header, (*BUILDINGS, "当前入驻面积（㎡）", "当前入驻企业数"))
        self.assertEqual([(row[0], row[2]) for row in rows], [("YZ-0001", "渝中区")])

    def test_it_exports_a_unit_filter_within_the_scope_only(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.client.get(reverse("imports:export", args=["buildings"]), {"unit": "500108"})
        self.assertEqual(read_xlsx(content_of(response))[1:], [])
        self.client.force_login(self.city_officer)
        response = self.client.get(reverse("imports:export", args=["buildings"]), {"unit": "500108"})
        self.assertEqual([row[0] for row in read_xlsx(content_of(response))[1:]], ["NA-0001"])

    def test_it_never_exports_a_full_id_number(self) -> None:
        numbers = [id_number("50010319900307123"), id_number("11010819851111106")]
        rows = [
            ["2026-03", self.enterprise_yz.uscc, name, number, "软件开发", "2020-01-01", 30]
            for name, number in zip(["张三", "李四"], numbers, strict=True)
        ]
        run_import("roster", xlsx(ROSTER, rows), file_name="花名册.xlsx", keep_valid=False)
        self.assertEqual(Person.objects.count(), 2)

        self.client.force_login(self.city_officer)
        response = self.client.get(reverse("imports:export", args=["roster"]), {"month": "2026-03"})

        header, *exported = read_xlsx(content_of(response))
        self.assertEqual(header, ROSTER)
        self.assertEqual(len(exported), 2)
        text = " ".join(str(value) for row in exported for value in row)
        for number in numbers:
            self.assertNotIn(number, text)
            self.assertIn(number[-4:], text)

    def test_it_answers_404_for_an_unknown_ledger_and_400_for_a_bad_month(self) -> None:
        self.client.force_login(self.city_officer)
        self.assertEqual(self.client.get(reverse("imports:export", args=["talents"])).status_code, 404)
        self.assertEqual(self.client.get(reverse("imports:template", args=["talents"])).status_code, 404)
        response = self.client.get(reverse("imports:export", args=["roster"]), {"month": "三月"})
        self.assertEqual(response.status_code, 400)
