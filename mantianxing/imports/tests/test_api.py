"""/api/imports: the pipeline's result as JSON, batches, templates and exports, within the caller's scope."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from mantianxing.carriers.models import Building
from mantianxing.core.testing import PersonaTestCase
from mantianxing.imports.ledgers import LEDGERS
from mantianxing.imports.models import ImportBatch
from mantianxing.imports.pipeline import run_import
from mantianxing.imports.tests.sheets import xlsx

BUILDINGS = LEDGERS["buildings"].columns
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RESULT_KEYS = {"ledger", "file", "sha256", "rows", "valid", "imported", "skipped", "errors", "batch"}


def building_row(code: str, unit: str = "渝中区") -> list[object]:
    values = {"楼宇编码": code, "楼宇名称": f"{code}大厦", "所在区县": unit, "总建筑面积（㎡）": 20000}
    return [values.get(column) for column in BUILDINGS]


def sheet_rows(content: bytes) -> list[tuple[Any, ...]]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]


class ImportApiTests(PersonaTestCase):
    def post(
        self, user: Any, data: bytes, ledger: str = "buildings", name: str = "b.xlsx", **flags: Any
    ) -> Any:
        form = {"file": SimpleUploadedFile(name, data), **flags}
        return self.client.post(f"/api/imports/{ledger}", form, headers=self.bearer(user))

    def test_it_answers_the_pipeline_result_with_exactly_its_keys(self) -> None:
        response = self.post(
            self.yuzhong_officer, xlsx(BUILDINGS, [building_row("J-1"), building_row("J-2")])
        )

        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(set(body), RESULT_KEYS)
        batch = ImportBatch.objects.get()
        self.assertEqual(
            body,
            {
                "ledger": "buildings",
                "file": "b.xlsx",
                "sha256": batch.sha256,
                "rows": 2,
                "valid": 2,
                "imported": 2,
                "skipped": 0,
                "errors": [],
                "batch": batch.pk,
            },
        )
        self.assertEqual(batch.created_by, self.yuzhong_officer)

    def test_it_answers_200_with_the_row_errors_and_writes_nothing(self) -> None:
        data = xlsx(BUILDINGS, [building_row("J-3"), building_row("J-4", unit="南岸区")])
        response = self.post(self.yuzhong_officer, data)

        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(set(body), RESULT_KEYS)
        self.assertEqual((body["imported"], body["batch"]), (0, None))
        [error] = body["errors"]
        self.assertEqual(set(error), {"row", "column", "message"})
        self.assertEqual((error["row"], error["column"]), (3, "所在区县"))
        self.assertIn("数据范围", error["message"])
        self.assertFalse(Building.objects.filter(code__startswith="J-").exists())

    def test_it_keeps_the_valid_rows_and_dry_runs_when_asked(self) -> None:
        data = xlsx(BUILDINGS, [building_row("K-1"), building_row("K-2", unit="火星区")])
        dry = self.post(self.city_officer, data, dry_run="true", keep_valid="true").json()
        self.assertEqual((dry["imported"], dry["batch"]), (1, None))
        self.assertFalse(Building.objects.filter(code="K-1").exists())

        query_dry = self.client.post(
            "/api/imports/buildings?dry_run=true&keep_valid=true",
            {"file": SimpleUploadedFile("b.xlsx", data)},
            headers=self.bearer(self.city_officer),
        ).json()
        self.assertEqual((query_dry["imported"], query_dry["batch"]), (1, None))
        self.assertFalse(Building.objects.filter(code="K-1").exists())

        done = self.post(self.city_officer, data, keep_valid="true").json()
        self.assertEqual((done["imported"], done["skipped"], len(done["errors"])), (1, 1, 1))
        self.assertTrue(Building.objects.filter(code="K-1", batch_id=done["batch"]).exists())

    def test_it_answers_400_for_an_unusable_file_or_an_unknown_ledger(self) -> None:
        for response in (
            self.post(self.city_officer, b"not a spreadsheet"),
            self.post(self.city_officer, xlsx(["甲", "乙"], [[1, 2]])),
            self.post(self.city_officer, xlsx(BUILDINGS, []), ledger="talents"),
            self.post(self.city_officer, b"%PDF", name="b.pdf"),
        ):
            with self.subTest(body=response.content[:80]):
                self.assertEqual(response.status_code, 400)
                self.assertEqual(set(response.json()), {"message"})

    def test_it_answers_403_to_a_role_that_may_not_import(self) -> None:
        data = xlsx(BUILDINGS, [building_row("F-1")])
        for user in (self.auditor, self.enterprise_user, self.outsider):
            with self.subTest(user=user.username):
                response = self.post(user, data)
                self.assertEqual(response.status_code, 403)
                self.assertIn("message", response.json())
        self.assertFalse(Building.objects.filter(code="F-1").exists())

    def test_it_answers_401_without_credentials(self) -> None:
        response = self.client.post("/api/imports/buildings", {"file": SimpleUploadedFile("b.xlsx", b"x")})
        self.assertEqual(response.status_code, 401)


class BatchApiTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        result = run_import(
            "buildings",
            xlsx(BUILDINGS, [building_row("B-1"), building_row("B-2", unit="火星区")]),
            file_name="渝中.xlsx",
            user=cls.yuzhong_officer,
            keep_valid=True,
        )
        cls.batch = ImportBatch.objects.get(pk=result.batch)

    def test_it_lists_the_batches_in_the_callers_scope(self) -> None:
        mine = self.client.get("/api/imports/batches", headers=self.bearer(self.yuzhong_officer)).json()
        self.assertEqual(mine["count"], 1)
        [item] = mine["items"]
        self.assertEqual(
            {
                k: item[k]
                for k in ("id", "ledger", "file_name", "sha256", "created_by", "imported", "error_count")
            },
            {
                "id": self.batch.pk,
                "ledger": "buildings",
                "file_name": "渝中.xlsx",
                "sha256": self.batch.sha256,
                "created_by": "yuzhong",
                "imported": 1,
                "error_count": 1,
            },
        )
        theirs = self.client.get("/api/imports/batches", headers=self.bearer(self.nanan_officer)).json()
        self.assertEqual(theirs, {"items": [], "count": 0})
        filtered = self.client.get(
            "/api/imports/batches", {"ledger": "roster"}, headers=self.bearer(self.city_officer)
        ).json()
        self.assertEqual(filtered["count"], 0)

    def test_it_shows_a_batch_with_its_errors_or_404_outside_the_scope(self) -> None:
        url = f"/api/imports/batches/{self.batch.pk}"
        response = self.client.get(url, headers=self.bearer(self.yuzhong_officer))
        self.assertEqual(response.status_code, 200)
        self.assertEqual([(e["row"], e["column"]) for e in response.json()["errors"]], [(3, "所在区县")])
        response = self.client.get(url, headers=self.bearer(self.nanan_officer))
        self.assertEqual(response.status_code, 404)
        self.assertEqual(set(response.json()), {"message"})


class DownloadApiTests(PersonaTestCase):
    def test_it_downloads_each_template_with_the_ledgers_columns(self) -> None:
        for ledger, spec in LEDGERS.items():
            with self.subTest(ledger=ledger):
                response = self.client.get(
                    f"/api/imports/templates/{ledger}", headers=self.bearer(self.auditor)
                )
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response["Content-Type"], XLSX)
                self.assertEqual(sheet_rows(response.content), [spec.columns])

    def test_it_exports_only_the_callers_unit(self) -> None:
        response = self.client.get(
            "/api/imports/exports/buildings", headers=self.bearer(self.yuzhong_officer)
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], XLSX)
        self.assertIn("attachment;", response["Content-Disposition"])
        header, *rows = sheet_rows(response.content)
        self.assertEqual(header[: len(BUILDINGS)], BUILDINGS)
        self.assertEqual([row[0] for row in rows], ["YZ-0001"])

    def test_it_answers_404_for_an_unknown_ledger_and_400_for_a_bad_month(self) -> None:
        headers = self.bearer(self.city_officer)
        self.assertEqual(self.client.get("/api/imports/templates/talents", headers=headers).status_code, 404)
        self.assertEqual(self.client.get("/api/imports/exports/talents", headers=headers).status_code, 404)
        response = self.client.get("/api/imports/exports/roster", {"month": "三月"}, headers=headers)
        self.assertEqual(response.status_code, 400)

    def test_it_documents_the_endpoints_in_openapi(self) -> None:
        paths = self.client.get("/api/openapi.json").json()["paths"]
        for path, method in [
            ("/api/imports/{ledger}", "post"),
            ("/api/imports/batches", "get"),
            ("/api/imports/batches/{batch_id}", "get"),
            ("/api/imports/templates/{ledger}", "get"),
            ("/api/imports/exports/{ledger}", "get"),
        ]:
            with self.subTest(path=path):
                self.assertIn(method, paths[path])
        upload = paths["/api/imports/{ledger}"]["post"]["requestBody"]["content"]
        self.assertIn("multipart/form-data", upload)
