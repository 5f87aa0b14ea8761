"""An upload awaiting confirmation (a roster: full ID numbers) is gone within the hour, and only its
owner could read it meanwhile."""

from __future__ import annotations

import os
import time
from unittest import mock

from mantianxing.imports import views
from mantianxing.imports.ledgers import LEDGERS
from mantianxing.imports.tests.sheets import xlsx
from mantianxing.imports.tests.test_web import UploadTestCase

BUILDINGS = LEDGERS["buildings"].columns
ROW = ["K-1", "K-1大厦", "渝中区", 20000, 10000, "投用", "2024-06-01", "是"]


class UploadLifetimeTests(UploadTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.yuzhong_officer)
        self.check(xlsx(BUILDINGS, [ROW]))
        (self.kept,) = (self.var_dir / "uploads").iterdir()

    def age(self, seconds: float) -> None:
        then = time.time() - seconds
        os.utime(self.kept, (then, then))

    def test_it_keeps_the_upload_readable_by_its_owner_only(self) -> None:
        self.assertEqual(self.kept.stat().st_mode & 0o777, 0o600)
        self.assertEqual(self.kept.parent.stat().st_mode & 0o777, 0o700)

    def test_it_removes_an_upload_older_than_an_hour_on_any_request(self) -> None:
        self.age(61 * 60)
        with mock.patch.object(views, "_last_sweep", 0.0):
            self.client.get("/")  # any page: the sweep runs on request_started
        self.assertFalse(self.kept.exists())

    def test_it_keeps_an_upload_younger_than_an_hour(self) -> None:
        self.age(50 * 60)
        with mock.patch.object(views, "_last_sweep", 0.0):
            self.client.get("/")
        self.assertTrue(self.kept.exists())
