"""The SQLite database is readable by its owner only, whatever the umask it was created under."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path
from types import SimpleNamespace

from django.test import SimpleTestCase

from mantianxing.core.owner_only import owner_only_database


class OwnerOnlyDatabaseTests(SimpleTestCase):
    def test_it_makes_the_sqlite_file_0600_on_the_first_connection(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "db.sqlite3"
            sqlite3.connect(path).close()
            path.chmod(0o644)
            connection = SimpleNamespace(vendor="sqlite", settings_dict={"NAME": str(path)})
            owner_only_database(sender=None, connection=connection)
            self.assertEqual(path.stat().st_mode & 0o777, 0o600)

    def test_it_leaves_other_databases_alone(self) -> None:
        connection = SimpleNamespace(vendor="postgresql", settings_dict={"NAME": "mtx"})
        owner_only_database(sender=None, connection=connection)  # no file to touch, no error
