"""Control characters (NUL, BEL, ESC …) are refused at every door: import, form, API and back office."""

from __future__ import annotations

from django.apps import apps
from django.db import models

from mantianxing.carriers.models import Building
from mantianxing.core.testing import PersonaTestCase
from mantianxing.core.validation import validate_no_control_characters
from mantianxing.imports.ledgers import LEDGERS
from mantianxing.imports.pipeline import run_import

JSON = "application/json"
HOSTILE = ("数字\x00大厦", "数字\x07大厦", "\x1b[2J数字大厦", "数字\x7f大厦")


class ControlCharacterTests(PersonaTestCase):
    def test_it_guards_every_text_field_of_our_models(self) -> None:
        unguarded = [
            f"{model.__name__}.{field.name}"
            for model in apps.get_models()
            if model.__module__.startswith("mantianxing.")
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
            and validate_no_control_characters not in field.validators
        ]
        self.assertEqual(unguarded, [])

    def test_it_refuses_them_as_a_row_error_at_import(self) -> None:
        columns = LEDGERS["buildings"].columns
        for name in HOSTILE:
            with self.subTest(name=repr(name)):
                row = {"楼宇编码": "YZ-0009", "楼宇名称": name, "所在区县": "渝中区", "状态": "投用"}
                # A CSV: openpyxl will not even write such a cell, but other programs do.
                lines = [",".join(columns), ",".join(str(row.get(c) or "") for c in columns)]
                result = run_import("buildings", "\n".join(lines).encode(), file_name="b.csv")
                self.assertEqual([(e.row, e.column) for e in result.errors], [(2, "楼宇名称")])
                self.assertIn("控制字符", result.errors[0].message)
                self.assertNotIn("\x00", result.errors[0].message)
                self.assertFalse(Building.objects.filter(code="YZ-0009").exists())

    def test_it_keeps_tabs_and_line_breaks(self) -> None:
        validate_no_control_characters("第一行\n第二行\t制表\r\n")

    def test_it_refuses_them_in_the_api_with_a_400(self) -> None:
        for name in HOSTILE:
            with self.subTest(name=repr(name)):
                payload = {"code": "YZ-0009", "name": name, "unit": "500103"}
                response = self.client.post(
                    "/api/buildings", payload, content_type=JSON, headers=self.bearer(self.yuzhong_officer)
                )
                self.assertEqual(response.status_code, 400, response.content)
                self.assertIn("控制字符", response.content.decode())
        self.assertFalse(Building.objects.filter(code="YZ-0009").exists())

    def test_it_refuses_them_in_the_forms(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.client.post(
            "/buildings/new/",
            {"code": "YZ-0009", "name": "数字\x07大厦", "unit": self.yuzhong.pk, "status": "listed"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("控制字符", str(response.context["form"].errors))
        self.assertFalse(Building.objects.filter(code="YZ-0009").exists())
