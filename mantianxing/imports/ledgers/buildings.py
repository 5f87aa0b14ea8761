"""楼宇台账: one row per building, keyed by its code.

Every rule is the model's: each field's own (`ModelRules`: length, areas not negative, step dates
not in the future) on reading the row, and those across fields (`building_errors`: parts within the
total, the status's date, the steps in order) once the row's blank step dates are filled from the
stored building.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from mantianxing.carriers.choices import STATUS_DATE_FIELDS, BuildingStatus
from mantianxing.carriers.models import Building, building_errors
from mantianxing.imports import cells
from mantianxing.imports.ledgers.common import ModelRules, UnitResolver, UpsertPlan, VocabularyColumn, uscc
from mantianxing.imports.models import Ledger
from mantianxing.imports.pipeline import LedgerImport, Parsed, read_fields, required

FIELDS = [
    "name",
    "unit_id",
    "address",
    "operator_uscc",
    "operator_name",
    "total_area",
    "acquired_area",
    "carrier_area",
    "status",
    "move_in_ready",
]
DATE_COLUMNS = {
    "listed_on": "列入台账日期",
    "acquired_on": "收储日期",
    "refitting_on": "开始改造日期",
    "in_use_on": "投用日期",
}
RULES = {
    "code": "楼宇编码",
    "name": "楼宇名称",
    "address": "地址",
    "operator_name": "运营机构名称",
    "total_area": "总建筑面积（㎡）",
    "acquired_area": "收储面积（㎡）",
    "carrier_area": "载体面积（㎡）",
    **DATE_COLUMNS,
}


class BuildingsImport(LedgerImport[dict[str, Any]]):
    ledger = Ledger.BUILDINGS
    model = Building
    columns = (
        "楼宇编码",
        "楼宇名称",
        "所在区县",
        "地址",
        "运营机构统一社会信用代码",
        "运营机构名称",
        "总建筑面积（㎡）",
        "收储面积（㎡）",
        "载体面积（㎡）",
        "状态",
        "拎包入住",
        *DATE_COLUMNS.values(),
    )
    required = ("楼宇编码", "楼宇名称", "所在区县")
    aliases = {
        "楼宇编码": ["楼宇编号", "载体编码"],
        "楼宇名称": ["载体名称", "楼宇(载体)名称"],
        "所在区县": ["区县", "所属区县"],
        "收储日期": ["收储时间"],
        "投用日期": ["投用时间", "投入使用日期"],
    }
    key_columns = ("楼宇编码",)
    notes = {
        "楼宇编码": "必填。由区县编定，全市唯一；再次导入同一编码即更新该楼宇。",
        "楼宇名称": "必填。",
        "所在区县": "必填。区县名称（如 渝中区）或 6 位代码（如 500103）。",
        "运营机构统一社会信用代码": "18 位，系统自动转半角、去空格、转大写后校验。",
        "总建筑面积（㎡）": "数字，单位平方米，不能为负数。",
        "收储面积（㎡）": "数字，不大于总建筑面积。",
        "载体面积（㎡）": "可供入驻的面积，不大于总建筑面积；入驻面积之和不得超过它。",
        "状态": "台账、收储、改造、投用之一（及后台维护的同义写法）；留空为台账。",
        "拎包入住": "是 / 否。",
        "列入台账日期": "选填。各步骤日期不能晚于今天，且依台账、收储、改造、投用的顺序不倒退。",
        "收储日期": "状态为收储时必填（已导入过的楼宇留空则沿用已有日期）。",
        "开始改造日期": "状态为改造时必填（同上）。",
        "投用日期": "状态为投用时必填（同上）。",
    }

    def prepare(self) -> None:
        self.units = UnitResolver()
        self.statuses = VocabularyColumn("building_status")
        self.rules = ModelRules(Building, RULES)
        self.stored = {
            row["code"]: row
            for row in Building.objects.values("pk", "code", *FIELDS, *STATUS_DATE_FIELDS.values())
        }

    def parse_row(self, values: tuple[Any, ...]) -> tuple[Any, dict[str, Any]]:
        code, name, unit, address, op_uscc, op_name, total, acquired, carrier, status, ready, *days = values
        record = read_fields(
            [
                ("code", "楼宇编码", lambda: required(cells.code(code))),
                ("name", "楼宇名称", lambda: required(cells.text(name))),
                ("unit_id", "所在区县", lambda: self.units.resolve("所在区县", unit).pk),
                ("address", "地址", lambda: cells.text(address)),
                ("operator_uscc", "运营机构统一社会信用代码", lambda: uscc(op_uscc)),
                ("operator_name", "运营机构名称", lambda: cells.text(op_name)),
                ("total_area", "总建筑面积（㎡）", lambda: cells.decimal(total)),
                ("acquired_area", "收储面积（㎡）", lambda: cells.decimal(acquired)),
                ("carrier_area", "载体面积（㎡）", lambda: cells.decimal(carrier)),
                ("status", "状态", lambda: self.statuses(status) or BuildingStatus.LISTED),
                ("move_in_ready", "拎包入住", lambda: bool(cells.boolean(ready))),
                *[
                    (field, column, lambda day=day: cells.date(day))
                    for (field, column), day in zip(DATE_COLUMNS.items(), days, strict=True)
                ],
            ]
        )
        self.rules.check(record)
        return record["code"], record

    def plan(self, parsed: list[Parsed[dict[str, Any]]]) -> UpsertPlan:
        plan = UpsertPlan(Building, [*FIELDS, *STATUS_DATE_FIELDS.values()])
        for item in parsed:
            values, stored = item.record, self.stored.get(item.key)
            if self.keyed_row_rejected(item, stored, _("楼宇")):
                continue
            # A blank step date keeps the stored one: a file need not repeat what the ledger knows.
            for date_field in STATUS_DATE_FIELDS.values():
                if values[date_field] is None and stored is not None:
                    values[date_field] = stored[date_field]
            if errors := building_errors(values):
                for column, message in self.rules.field_errors(errors):
                    self.reject(item.row, column, message)
                continue
            if stored is not None:
                values.pop("code")
            plan.compare(item.row, stored, values)
        return plan
