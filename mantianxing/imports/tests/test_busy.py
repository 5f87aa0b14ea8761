"""Another import holds the lock too long: a Chinese message at every door, and nothing written.

The lock itself is tested across two processes in test_concurrency.py; here its timeout is
simulated, to see what each door (pipeline, CLI, API, upload page) makes of it.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings

from mantianxing.carriers.models import Building
from mantianxing.core.testing import PersonaTestCase
from mantianxing.imports.locking import LockTimeout
from mantianxing.imports.models import ImportBatch
from mantianxing.imports.pipeline import ImportBusy, run_import
from mantianxing.imports.tests.sheets import xlsx
from mantianxing.imports.tests.test_pipeline import BUILDINGS, building_row

BUSY = "另一项数据导入正在进行"


def never_locked() -> mock._patch[mock.MagicMock]:
    """The import lock, as if another import kept it past the timeout."""
    return mock.patch("mantianxing.imports.pipeline.import_transaction", side_effect=LockTimeout)


class BusyTests(PersonaTestCase):
    def setUp(self) -> None:
        self.data = xlsx(BUILDINGS, [building_row("BUSY-1")])
        self.folder = Path(self.enterContext(tempfile.TemporaryDirectory()))

    def test_it_names_the_ledger_and_the_wait_and_writes_nothing(self) -> None:
        with (
            never_locked(),
            override_settings(MTX_IMPORT_LOCK_TIMEOUT=5),
            self.assertRaises(ImportBusy) as raised,
        ):
            run_import("buildings", self.data)

        self.assertIn(BUSY, str(raised.exception))
        self.assertIn("楼宇台账", str(raised.exception))
        self.assertIn("5 秒", str(raised.exception))
        self.assertFalse(Building.objects.filter(code="BUSY-1").exists())
        self.assertFalse(ImportBatch.objects.exists())

    def test_it_exits_2_from_the_command_line(self) -> None:
        path = self.folder / "b.xlsx"
        path.write_bytes(self.data)

        with never_locked(), self.assertRaises(CommandError) as raised:
            call_command("import", "buildings", str(path), "--json", stdout=io.StringIO())

        self.assertEqual(raised.exception.returncode, 2)
        self.assertIn(BUSY, str(raised.exception))

    def test_it_answers_409_from_the_api(self) -> None:
        form = {"file": SimpleUploadedFile("b.xlsx", self.data)}
        with never_locked():
            response = self.client.post(
                "/api/imports/buildings", form, headers=self.bearer(self.yuzhong_officer)
            )

        self.assertEqual(response.status_code, 409)
        self.assertIn(BUSY, response.json()["message"])

    def test_it_shows_the_message_on_the_upload_page(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        with override_settings(VAR_DIR=self.folder), never_locked():
            response = self.client.post(
                "/imports/", {"ledger": "buildings", "file": SimpleUploadedFile("b.xlsx", self.data)}
            )

        self.assertContains(response, BUSY)

    def test_it_keeps_the_checked_file_for_another_try_when_confirming(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        with override_settings(VAR_DIR=self.folder):
            check = self.client.post(
                "/imports/", {"ledger": "buildings", "file": SimpleUploadedFile("b.xlsx", self.data)}
            )
            token = check.context["token"]
            with never_locked():
                busy = self.client.post("/imports/confirm/", {"upload": token})
            self.assertEqual(busy.status_code, 409)
            self.assertContains(busy, BUSY, status_code=409)
            self.assertContains(busy, "再次确认导入", status_code=409)
            self.assertFalse(ImportBatch.objects.exists())

            again = self.client.post("/imports/confirm/", {"upload": token})

        self.assertEqual(again.status_code, 302)
        self.assertTrue(Building.objects.filter(code="BUSY-1").exists())
