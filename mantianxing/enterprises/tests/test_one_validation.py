"""One validation for every door: the form, the API, the admin and the import refuse an
enterprise's bad values with the same message, under the same field (or its column)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from mantianxing.core.testing import PersonaTestCase
from mantianxing.enterprises.models import Enterprise
from mantianxing.imports.ledgers import LEDGERS
from mantianxing.imports.pipeline import run_import
from mantianxing.imports.tests.sheets import xlsx
from mantianxing.lib.identifiers import make_uscc

ENTERPRISES = LEDGERS["enterprises"].columns
COLUMNS = {"uscc": "统一社会信用代码", "name": "企业名称", "established_on": "成立日期"}
USCC = make_uscc("91500103MA61CDE01")


class EnterpriseDoorsTests(PersonaTestCase):
    def valid(self, **changes: Any) -> dict[str, Any]:
        return {"uscc": USCC, "name": "重庆校验软件有限公司", "established_on": "2024-02-01"} | changes

    def post_data(self, values: dict[str, Any], **extra: Any) -> dict[str, Any]:
        return {"registered_address": "", "industry": "", "claimed_origin": "", "unit": self.yuzhong.pk} | (
            values | extra
        )

    def by_form(self, values: dict[str, Any]) -> dict[str, str]:
        self.client.force_login(self.city_officer)
        response = self.client.post("/enterprises/new/", self.post_data(values))
        self.assertEqual(response.status_code, 200)
        return {field: " ".join(errors) for field, errors in response.context["form"].errors.items()}

    def by_admin(self, values: dict[str, Any]) -> dict[str, str]:
        self.client.force_login(self.city_officer)
        response = self.client.post(
            "/admin/enterprises/enterprise/add/", self.post_data(values, _save="保存")
        )
        self.assertEqual(response.status_code, 200)
        form = response.context["adminform"].form
        return {field: " ".join(errors) for field, errors in form.errors.items()}

    def by_api(self, values: dict[str, Any]) -> dict[str, str]:
        response = self.client.post(
            "/api/enterprises",
            {"unit": self.yuzhong.code} | values,
            content_type="application/json",
            headers=self.bearer(self.city_officer),
        )
        self.assertEqual(response.status_code, 400, response.content)
        return {field: " ".join(errors) for field, errors in response.json()["errors"].items()}

    def by_import(self, values: dict[str, Any]) -> dict[str, str]:
        row = {column: values.get(field) for field, column in COLUMNS.items()} | {"所在区县": "渝中区"}
        result = run_import(
            "enterprises", xlsx(ENTERPRISES, [[row.get(c) for c in ENTERPRISES]]), file_name="e.xlsx"
        )
        by_column = {error.column: error.message for error in result.errors}
        return {field: by_column[column] for field, column in COLUMNS.items() if column in by_column}

    def assertRefusedAlike(self, values: dict[str, Any], field: str, message: str) -> None:
        for door in (self.by_form, self.by_admin, self.by_api, self.by_import):
            with self.subTest(door=door.__name__):
                self.assertEqual(door(values).get(field), message)
                self.assertFalse(Enterprise.objects.filter(uscc=USCC).exists())

    def test_it_refuses_a_future_establishment_date_at_every_door(self) -> None:
        today = timezone.localdate()
        values = self.valid(established_on=(today + timedelta(days=1)).isoformat())
        self.assertRefusedAlike(values, "established_on", f"不能晚于今天（{today:%Y-%m-%d}）。")

    def test_it_refuses_an_over_long_name_at_every_door(self) -> None:
        self.assertRefusedAlike(self.valid(name="长" * 201), "name", "长度不能超过 200 个字符（当前 201）。")

    def test_it_accepts_an_establishment_date_of_today(self) -> None:
        self.assertEqual(self.by_import(self.valid(established_on=timezone.localdate())), {})
        self.assertEqual(Enterprise.objects.get(uscc=USCC).established_on, timezone.localdate())
