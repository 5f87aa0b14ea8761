"""楼宇台账: one row per building, keyed by its code."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from mantianxing.carriers.choices import STATUS_DATE_FIELDS, BuildingStatus
from mantianxing.carriers.models import Building
from mantianxing.imports import cells
from mantianxing.imports.ledgers.common import UnitResolver, UpsertPlan, area, uscc
from mantianxing.imports.models import Ledger
from mantianxing.imports.pipeline import LedgerImport, Parsed, RowInvalid, read_fields, required

STATUS_LABELS = {str(label): value for value, label in BuildingStatus.choices} | {
    "已收储": BuildingStatus.ACQUIRED,
    "改造中": BuildingStatus.REFITTING,
    "已投用": BuildingStatus.IN_USE,
    "投入使用": BuildingStatus.IN_USE,
}
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
    )
    required = ("楼宇编码", "楼宇名称", "所在区县")
    aliases = {
        "楼宇编码": ["楼宇编号", "载体编码"],
        "楼宇名称": ["载体名称", "楼宇(载体)名称"],
        "所在区县": ["区县", "所属区县"],
    }
    key_columns = ("楼宇编码",)
    notes = {
        "楼宇编码": "必填。由区县编定，全市唯一；再次导入同一编码即更新该楼宇。",
        "楼宇名称": "必填。",
        "所在区县": "必填。区县名称（如 渝中区）或 6 位代码（如 500103）。",
        "运营机构统一社会信用代码": "18 位，系统自动转半角、去空格、转大写后校验。",
        "总建筑面积（㎡）": "数字，单位平方米。",
        "收储面积（㎡）": "数字，不大于总建筑面积。",
        "载体面积（㎡）": "可供入驻的面积，不大于总建筑面积；入驻面积之和不得超过它。",
        "状态": "台账、收储、改造、投用之一；留空为台账。",
        "拎包入住": "是 / 否。",
    }

    def prepare(self) -> None:
        self.units = UnitResolver()
        self.stored = {
            row["code"]: row
            for row in Building.objects.values("pk", "code", *FIELDS, *STATUS_DATE_FIELDS.values())
        }

    def parse_row(self, values: tuple[Any, ...]) -> tuple[Any, dict[str, Any]]:
        code, name, unit, address, op_uscc, op_name, total, acquired, carrier, status, ready = values
        record = read_fields(
            [
                ("code", "楼宇编码", lambda: required(cells.code(code))),
                ("name", "楼宇名称", lambda: required(cells.text(name))),
                ("unit_id", "所在区县", lambda: self.units.resolve("所在区县", unit).pk),
                ("address", "地址", lambda: cells.text(address)),
                ("operator_uscc", "运营机构统一社会信用代码", lambda: uscc(op_uscc)),
                ("operator_name", "运营机构名称", lambda: cells.text(op_name)),
                ("total_area", "总建筑面积（㎡）", lambda: area(total)),
                ("acquired_area", "收储面积（㎡）", lambda: area(acquired)),
                ("carrier_area", "载体面积（㎡）", lambda: area(carrier)),
                ("status", "状态", lambda: cells.choice(status, STATUS_LABELS) or BuildingStatus.LISTED),
                ("move_in_ready", "拎包入住", lambda: bool(cells.boolean(ready))),
            ]
        )
        total_area: Decimal | None = record["total_area"]
        if total_area is not None:
            errors = [
                (
                    column,
                    _("%(part)s %(value)s ㎡ 大于总建筑面积 %(total)s ㎡。")
                    % {"part": column[:4], "value": value, "total": total_area},
                )
                for column, value in (
                    ("收储面积（㎡）", record["acquired_area"]),
                    ("载体面积（㎡）", record["carrier_area"]),
                )
                if value is not None and value > total_area
            ]
            if errors:
                raise RowInvalid(*errors)
        return record["code"], record

    def plan(self, parsed: list[Parsed[dict[str, Any]]]) -> UpsertPlan:
        plan = UpsertPlan(Building, [*FIELDS, *STATUS_DATE_FIELDS.values()])
        today = timezone.localdate()
        for item in parsed:
            values, stored = item.record, self.stored.get(item.key)
            if self.keyed_row_rejected(item, stored, _("楼宇")):
                continue
            # A stored building moving to another step has reached it today (unless its date is
            # known); a new building's step dates are unknown: the template does not carry them.
            reached = (
                values["status"] if stored is not None and stored["status"] != values["status"] else None
            )
            for status, date_field in STATUS_DATE_FIELDS.items():
                known = stored[date_field] if stored else None
                values[date_field] = known or (today if status == reached else None)
            if stored is not None:
                values.pop("code")
            plan.compare(item.row, stored, values)
        return plan
