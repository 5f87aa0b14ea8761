"""mtx import / template / export: the JSON contract and the exit codes 0, 1 and 2."""

from __future__ import annotations

import io
import json
from pathlib import Path
from tempfile import TemporaryDirectory

from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from mantianxing.carriers.models import Building
from mantianxing.core.testing import PersonaTestCase
from mantianxing.imports.ledgers import LEDGERS
from mantianxing.imports.tests.sheets import xlsx
from mantianxing.imports.tests.test_pipeline import BUILDINGS, building_row

KEYS = {"ledger", "file", "sha256", "rows", "valid", "imported", "skipped", "errors", "batch"}


class CommandTests(PersonaTestCase):
    def setUp(self) -> None:
        self.tmp = TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def file(self, name: str, data: bytes) -> str:
        path = Path(self.tmp.name) / name
        path.write_bytes(data)
        return str(path)

    def run_import(self, *args: str) -> tuple[int, str]:
        out = io.StringIO()
        try:
            call_command("import", *args, stdout=out, stderr=io.StringIO())
        except CommandError as error:
            return error.returncode, out.getvalue()
        return 0, out.getvalue()

    def test_json_and_exit_0(self):
        path = self.file("楼宇.xlsx", xlsx(BUILDINGS, [building_row("CLI-1")]))
        code, out = self.run_import("buildings", path, "--json")
        result = json.loads(out)
        self.assertEqual((code, set(result)), (0, KEYS))
        self.assertEqual(
            (result["ledger"], result["file"], result["rows"], result["imported"]),
            ("buildings", "楼宇.xlsx", 1, 1),
        )
        self.assertEqual(len(result["sha256"]), 64)
        self.assertIsInstance(result["batch"], int)

    def test_errors_exit_1_and_write_nothing(self):
        path = self.file(
            "b.xlsx", xlsx(BUILDINGS, [building_row("CLI-2"), building_row("CLI-3", unit="火星")])
        )
        code, out = self.run_import("buildings", path, "--json")
        result = json.loads(out)
        self.assertEqual(code, 1)
        self.assertEqual(
            result["errors"], [{"row": 3, "column": "所在区县", "message": result["errors"][0]["message"]}]
        )
        self.assertIsNone(result["batch"])
        self.assertFalse(Building.objects.filter(code="CLI-2").exists())
        code, _out = self.run_import("buildings", path, "--keep-valid")
        self.assertEqual(code, 1)
        self.assertTrue(Building.objects.filter(code="CLI-2").exists())

    def test_unusable_file_unknown_ledger_and_no_header_exit_2(self):
        for args in (
            ("buildings", self.file("x.xlsx", b"garbage")),
            ("talents", self.file("y.xlsx", xlsx(BUILDINGS, []))),
            ("buildings", self.file("z.xlsx", xlsx(["甲", "乙"], [[1, 2]]))),
            ("buildings", str(Path(self.tmp.name) / "missing.xlsx")),
        ):
            with self.subTest(args=args):
                self.assertEqual(self.run_import(*args)[0], 2)

    def test_acting_as_a_user_applies_their_scope(self):
        path = self.file("b.xlsx", xlsx(BUILDINGS, [building_row("CLI-4", unit="南岸区")]))
        code, out = self.run_import("buildings", path, "--json", "--user", self.yuzhong_officer.username)
        self.assertEqual(code, 1)
        self.assertIn("数据范围", json.loads(out)["errors"][0]["message"])
        self.assertEqual(self.run_import("buildings", path, "--user", self.auditor.username)[0], 2)

    def test_template_has_the_columns_in_order(self):
        for ledger, spec in LEDGERS.items():
            with self.subTest(ledger=ledger):
                path = str(Path(self.tmp.name) / f"{ledger}.xlsx")
                call_command("template", ledger, path, stdout=io.StringIO())
                header = next(load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True))
                self.assertEqual(header, spec.columns)

    def test_export_round_trips_through_import_and_respects_unit_and_user(self):
        call_command(
            "import",
            "buildings",
            self.file("b.xlsx", xlsx(BUILDINGS, [building_row("EXP-1")])),
            stdout=io.StringIO(),
        )
        path = str(Path(self.tmp.name) / "out.xlsx")
        call_command("export", "buildings", path, "--unit", "500103", stdout=io.StringIO())
        rows = list(load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True))
        self.assertEqual(rows[0][: len(BUILDINGS)], BUILDINGS)
        self.assertEqual({row[0] for row in rows[1:]}, {"EXP-1", self.building_yz.code})
        # The export imports again as it is, and changes nothing.
        code, out = self.run_import("buildings", path, "--json")
        self.assertEqual((code, json.loads(out)["imported"]), (0, 0))

        call_command("export", "buildings", path, "--user", self.nanan_officer.username, stdout=io.StringIO())
        rows = list(load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True))
        self.assertEqual({row[0] for row in rows[1:]}, {self.building_na.code})

    def test_every_ledger_exports_in_its_template(self):
        for ledger, spec in LEDGERS.items():
            with self.subTest(ledger=ledger):
                path = str(Path(self.tmp.name) / f"{ledger}.xlsx")
                call_command("export", ledger, path, stdout=io.StringIO())
                header = next(load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True))
                self.assertEqual(header[: len(spec.columns)], spec.columns)

    def test_building_export_adds_the_area_occupied_today(self):
        from datetime import date

        from mantianxing.carriers.models import Occupancy

        Building.objects.filter(pk=self.building_yz.pk).update(total_area=2000, carrier_area=1000)
        Occupancy.objects.create(
            building=self.building_yz, enterprise=self.enterprise_yz, area=300, moved_in_on=date(2024, 1, 1)
        )
        Occupancy.objects.create(
            building=self.building_yz,
            enterprise=self.enterprise_na,
            area=200,
            moved_in_on=date(2023, 1, 1),
            moved_out_on=date(2024, 1, 1),  # gone: not counted
        )
        path = str(Path(self.tmp.name) / "b.xlsx")
        call_command("export", "buildings", path, "--unit", "500103", stdout=io.StringIO())
        rows = list(load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True))
        self.assertEqual(rows[0][-2:], ("当前入驻面积（㎡）", "当前入驻企业数"))
        row = next(row for row in rows[1:] if row[0] == self.building_yz.code)
        self.assertEqual((float(row[-2]), row[-1]), (300.0, 1))
