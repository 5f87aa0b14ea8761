"""Zip bombs and huge files are refused before they are unpacked, at every door, with a clear message."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings

from mantianxing.carriers.models import Building
from mantianxing.core.testing import PersonaTestCase
from mantianxing.imports.ledgers import LEDGERS
from mantianxing.imports.pipeline import run_import
from mantianxing.imports.reading import FileTooLarge
from mantianxing.imports.tests.sheets import xlsx

BUILDINGS = LEDGERS["buildings"].columns
SHEET = "xl/worksheets/sheet1.xml"
HEAD = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
TAIL = b"</sheetData></worksheet>"


def with_sheet(xml: bytes) -> bytes:
    """A real workbook (openpyxl's) whose first sheet is replaced by `xml`."""
    source = zipfile.ZipFile(io.BytesIO(xlsx(BUILDINGS, [])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member.filename, xml if member.filename == SHEET else source.read(member))
    return buffer.getvalue()


def identical_cells_bomb(rows: int = 2_000_000) -> bytes:
    """Millions of identical cells: ~100 MB of XML that packs into a few hundred KB."""
    return with_sheet(HEAD + b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * rows + TAIL)


def far_corner_bomb(corner: bytes = b"XFD1048576") -> bytes:
    """Two cells, at A1 and at a far corner: tiny, yet a grid of billions of cells to calamine."""
    cells = b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
    far = b'<row><c r="' + corner + b'" t="inlineStr"><is><t>y</t></is></c></row>'
    return with_sheet(HEAD + cells + far + TAIL)


def csv_rows(count: int) -> bytes:
    lines = [",".join(BUILDINGS)] + [f"YZ-{n:04d},楼{n},渝中区,,,投用" for n in range(count)]
    return "\n".join(lines).encode()


class HostileFileTests(PersonaTestCase):
    def test_it_refuses_a_sheet_of_millions_of_identical_cells(self) -> None:
        bomb = identical_cells_bomb()
        self.assertLess(len(bomb), 1024 * 1024)
        with self.assertRaisesMessage(FileTooLarge, "压缩比超过"):
            run_import("buildings", bomb, file_name="bomb.xlsx")

    def test_it_refuses_a_sheet_whose_cells_span_the_whole_grid(self) -> None:
        with self.assertRaisesMessage(FileTooLarge, "数据行数过多"):
            run_import("buildings", far_corner_bomb(), file_name="corner.xlsx")
        with self.assertRaisesMessage(FileTooLarge, "2,000 行 × 16,384 列"):
            run_import("buildings", far_corner_bomb(b"XFD2000"), file_name="corner.xlsx")

    @override_settings(MTX_UNZIPPED_MAX_MB=1)
    def test_it_refuses_more_unpacked_content_than_the_limit(self) -> None:
        # Two MB of XML that does not pack well: past the 1 MB limit, however ordinary its ratio.
        filler = b"".join(b"<!-- %d -->" % (n * 7919 % 1000003) for n in range(150_000))
        with self.assertRaisesMessage(FileTooLarge, "解压后"):
            run_import("buildings", with_sheet(HEAD + filler + TAIL), file_name="big.xlsx")

    @override_settings(MTX_IMPORT_MAX_ROWS=10)
    def test_it_refuses_more_rows_than_the_limit_in_a_workbook_and_a_csv(self) -> None:
        rows = [[f"YZ-{n:04d}", f"楼{n}", "渝中区", None, None, "投用"] for n in range(20)]
        for name, data in (("b.xlsx", xlsx(BUILDINGS, rows)), ("b.csv", csv_rows(20))):
            with self.subTest(name=name), self.assertRaisesMessage(FileTooLarge, "数据行数过多"):
                run_import("buildings", data, file_name=name)
        self.assertFalse(Building.objects.filter(code="YZ-0000").exists())

    @override_settings(MTX_IMPORT_MAX_ROWS=100)
    def test_it_reads_a_file_within_the_limits(self) -> None:
        result = run_import("buildings", csv_rows(20), file_name="b.csv", dry_run=True)
        self.assertEqual(result.rows, 20)

    def test_it_answers_413_in_the_api(self) -> None:
        response = self.client.post(
            "/api/imports/buildings",
            {"file": SimpleUploadedFile("bomb.xlsx", identical_cells_bomb())},
            headers=self.bearer(self.yuzhong_officer),
        )
        self.assertEqual(response.status_code, 413)
        self.assertIn("压缩比", response.json()["message"])

    @override_settings(MTX_UPLOAD_MAX_MB=1)
    def test_it_refuses_an_upload_past_the_size_limit_in_the_api_and_the_page(self) -> None:
        data = csv_rows(40_000)
        self.assertGreater(len(data), 1024 * 1024)
        response = self.client.post(
            "/api/imports/buildings",
            {"file": SimpleUploadedFile("b.csv", data)},
            headers=self.bearer(self.yuzhong_officer),
        )
        self.assertEqual(response.status_code, 413)
        self.assertIn("1 MB", response.json()["message"])
        self.client.force_login(self.yuzhong_officer)
        page = self.client.post(
            "/imports/", {"ledger": "buildings", "file": SimpleUploadedFile("b.csv", data)}
        )
        self.assertEqual(page.status_code, 200)
        self.assertIn("1 MB", str(page.context["form"].errors))

    def test_it_exits_2_on_the_command_line(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "bomb.xlsx"
            path.write_bytes(identical_cells_bomb())
            with self.assertRaises(CommandError) as raised:
                call_command("import", "buildings", str(path), stdout=io.StringIO(), stderr=io.StringIO())
        self.assertEqual(raised.exception.returncode, 2)
        self.assertIn("压缩比", str(raised.exception))


class RequestSizeTests(PersonaTestCase):
    @override_settings(MTX_UPLOAD_MAX_MB=1)
    def test_it_refuses_a_body_past_the_limit_before_reading_it(self) -> None:
        headers = self.bearer(self.yuzhong_officer)
        response = self.client.post(
            "/api/imports/buildings",
            b"x",
            content_type="application/octet-stream",
            headers=headers,
            CONTENT_LENGTH=str(3 * 1024 * 1024),
        )
        self.assertEqual(response.status_code, 413)
        self.assertIn("1 MB", response.json()["message"])
