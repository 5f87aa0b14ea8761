"""One validation for every door: the form, the API, the admin and the import refuse a building's
bad values with the same message, under the same field (or its column), and change nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from mantianxing.carriers.models import Building
from mantianxing.core.testing import PersonaTestCase, form_data
from mantianxing.imports.ledgers import LEDGERS
from mantianxing.imports.pipeline import run_import
from mantianxing.imports.tests.sheets import xlsx

BUILDINGS = LEDGERS["buildings"].columns
# Each field, and the import column that fills it.
COLUMNS = {
    "code": "楼宇编码",
    "total_area": "总建筑面积（㎡）",
    "acquired_area": "收储面积（㎡）",
    "carrier_area": "载体面积（㎡）",
    "status": "状态",
    "acquired_on": "收储日期",
    "in_use_on": "投用日期",
}
STATUS_LABELS = {"listed": "台账", "acquired": "收储", "in_use": "投用"}


class BuildingDoorsTests(PersonaTestCase):
    """Each case: the values of a new building, the field refused and the message expected."""

    def valid(self, **changes: Any) -> dict[str, Any]:
        return {"code": "DOOR-1", "name": "校验大厦", "total_area": 1000, "status": "listed"} | changes

    # -- the four doors, each answering {field: message} -------------------------------------------
    def by_form(self, values: dict[str, Any]) -> dict[str, str]:
        self.client.force_login(self.city_officer)
        data = form_data(Building(unit=self.yuzhong), **values)
        response = self.client.post("/buildings/new/", data)
        self.assertEqual(response.status_code, 200)
        return {field: " ".join(errors) for field, errors in response.context["form"].errors.items()}

    def by_admin(self, values: dict[str, Any]) -> dict[str, str]:
        self.client.force_login(self.city_officer)
        data = form_data(Building(unit=self.yuzhong), _save="保存", **values)
        response = self.client.post("/admin/carriers/building/add/", data)
        self.assertEqual(response.status_code, 200)
        form = response.context["adminform"].form
        return {field: " ".join(errors) for field, errors in form.errors.items()}

    def by_api(self, values: dict[str, Any]) -> dict[str, str]:
        payload = {"unit": self.yuzhong.code} | values
        response = self.client.post(
            "/api/buildings", payload, content_type="application/json", headers=self.bearer(self.city_officer)
        )
        self.assertEqual(response.status_code, 400, response.content)
        return {field: " ".join(errors) for field, errors in response.json()["errors"].items()}

    def by_import(self, values: dict[str, Any]) -> dict[str, str]:
        cells = {column: values.get(field) for field, column in COLUMNS.items()}
        cells["状态"] = STATUS_LABELS[values["status"]]
        row = {"楼宇名称": values["name"], "所在区县": self.yuzhong.name} | cells
        result = run_import(
            "buildings", xlsx(BUILDINGS, [[row.get(c) for c in BUILDINGS]]), file_name="b.xlsx"
        )
        self.assertTrue(all(error.row == 2 for error in result.errors))
        by_column = {error.column: error.message for error in result.errors}
        return {field: by_column[column] for field, column in COLUMNS.items() if column in by_column}

    def assertRefusedAlike(self, values: dict[str, Any], field: str, message: str) -> None:
        for door in (self.by_form, self.by_admin, self.by_api, self.by_import):
            with self.subTest(door=door.__name__):
                self.assertEqual(door(values).get(field), message)
                self.assertFalse(Building.objects.filter(code=values["code"].upper()).exists())

    # -- the rules -----------------------------------------------------------------------------------
    def test_it_refuses_a_negative_area_at_every_door(self) -> None:
        self.assertRefusedAlike(self.valid(carrier_area=-5), "carrier_area", "不能为负数。")

    def test_it_refuses_an_acquired_area_above_the_total_at_every_door(self) -> None:
        self.assertRefusedAlike(
            self.valid(acquired_area=1500), "acquired_area", "收储面积不能大于总建筑面积（1000 ㎡）。"
        )

    def test_it_refuses_a_carrier_area_above_the_total_at_every_door(self) -> None:
        self.assertRefusedAlike(
            self.valid(carrier_area=1200), "carrier_area", "载体面积不能大于总建筑面积（1000 ㎡）。"
        )

    def test_it_refuses_a_status_without_its_date_at_every_door(self) -> None:
        self.assertRefusedAlike(self.valid(status="in_use"), "in_use_on", "状态为“投用”时须填写投用日期。")

    def test_it_refuses_a_step_date_in_the_future_at_every_door(self) -> None:
        tomorrow = timezone.localdate() + timedelta(days=1)
        values = self.valid(status="acquired", acquired_on=tomorrow.isoformat())
        self.assertRefusedAlike(values, "acquired_on", f"不能晚于今天（{timezone.localdate():%Y-%m-%d}）。")

    def test_it_refuses_an_over_long_code_at_every_door_and_never_cuts_it(self) -> None:
        self.assertRefusedAlike(self.valid(code="L" * 45), "code", "长度不能超过 40 个字符（当前 45）。")

    def test_it_accepts_the_valid_building_at_the_import(self) -> None:
        values = self.valid(status="acquired", acquired_on="2024-03-01", acquired_area=800, carrier_area=600)
        self.assertEqual(self.by_import(values), {})
        self.assertTrue(Building.objects.filter(code="DOOR-1", acquired_area=800).exists())
