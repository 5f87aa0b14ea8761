"""A bulk insert never cuts a value to fit its column: PostgreSQL refuses it instead."""

from __future__ import annotations

from django.db import DataError, connection, transaction
from django.test import TestCase
from django.utils import timezone

from mantianxing.carriers.models import Building
from mantianxing.core.bulk import insert_rows
from mantianxing.core.testing import current_unit


class BulkLengthTests(TestCase):
    def test_it_refuses_a_value_longer_than_its_column_rather_than_cutting_it(self) -> None:
        if connection.vendor != "postgresql":
            self.skipTest("SQLite does not enforce lengths; the imports refuse such values first")
        unit, now = current_unit("500103"), timezone.now()
        names = ["code", "name", "unit", "status", "move_in_ready"]
        row = ("C" * 45, "长编码大厦", unit.pk, "listed", False)
        with self.assertRaises(DataError), transaction.atomic():
            insert_rows(Building, names, [row], created_at=now, updated_at=now)
        self.assertFalse(Building.objects.exists())
