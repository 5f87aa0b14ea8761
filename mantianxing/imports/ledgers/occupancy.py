"""入驻记录: which enterprise occupies how much of which building, from when to when.

Keyed by (building, enterprise, move-in date): a later file with the same key updates the area or
the move-out date. Each row is checked against the building's other occupancies, stored and in the
file (rows taken in file order): no overlap for one enterprise, never more than the carrier area.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from mantianxing.carriers.models import Building, Occupancy, occupancy_conflict, stay_errors
from mantianxing.core.references import referable
from mantianxing.enterprises.models import Enterprise
from mantianxing.imports import cells
from mantianxing.imports.ledgers.common import ModelRules, UpsertPlan
from mantianxing.imports.models import Ledger
from mantianxing.imports.pipeline import LedgerImport, Parsed, RowInvalid, read_fields, required

FIELDS = ["area", "moved_out_on"]
RULES = {"area": "入驻面积（㎡）", "moved_in_on": "入驻日期", "moved_out_on": "迁出日期"}


@dataclass(frozen=True)
class Span:
    """An occupancy as the checks see it, stored or from the file."""

    pk: int | None
    enterprise_id: int
    moved_in_on: date
    moved_out_on: date | None
    area: Decimal


class OccupancyImport(LedgerImport[dict[str, Any]]):
    ledger = Ledger.OCCUPANCY
    model = Occupancy
    columns = ("楼宇编码", "统一社会信用代码", "入驻面积（㎡）", "入驻日期", "迁出日期")
    required = ("楼宇编码", "统一社会信用代码", "入驻面积（㎡）", "入驻日期")
    aliases = {
        "统一社会信用代码": ["社会信用代码", "信用代码", "企业统一社会信用代码"],
        "入驻面积（㎡）": ["租用面积", "使用面积", "面积"],
        "入驻日期": ["入驻时间", "迁入日期"],
        "迁出日期": ["迁出时间", "退租日期"],
    }
    key_columns = ("楼宇编码", "统一社会信用代码", "入驻日期")
    notes = {
        "楼宇编码": "必填。须已在楼宇台账中。",
        "统一社会信用代码": "必填。须已在企业台账中。",
        "入驻面积（㎡）": "必填，大于 0。同一时间楼宇的入驻面积之和不得超过载体面积。",
        "入驻日期": "必填。同一企业在同一楼宇的入驻期不得重叠。",
        "迁出日期": "迁出当日起不再计入；未迁出留空。",
    }

    def prepare(self) -> None:
        self.rules = ModelRules(Occupancy, RULES)
        self.buildings = {
            code: (pk, unit_id, area)
            for pk, code, unit_id, area in referable(self.user, Building).values_list(
                "pk", "code", "unit_id", "carrier_area"
            )
        }
        # Only what the user may see (`core.references`): an out-of-scope code reads as unknown.
        self.enterprises = dict(referable(self.user, Enterprise).values_list("uscc", "pk"))
        self.stored: dict[int, list[Span]] = {}
        for pk, building_id, enterprise_id, moved_in, moved_out, area in Occupancy.objects.values_list(
            "pk", "building_id", "enterprise_id", "moved_in_on", "moved_out_on", "area"
        ):
            self.stored.setdefault(building_id, []).append(Span(pk, enterprise_id, moved_in, moved_out, area))

    def parse_row(self, values: tuple[Any, ...]) -> tuple[Any, dict[str, Any]]:
        building, uscc, area, moved_in, moved_out = values
        record = read_fields(
            [
                ("building", "楼宇编码", lambda: self._building(building)),
                ("enterprise_id", "统一社会信用代码", lambda: self._enterprise(uscc)),
                ("area", "入驻面积（㎡）", lambda: required(cells.decimal(area))),
                ("moved_in_on", "入驻日期", lambda: required(cells.date(moved_in))),
                ("moved_out_on", "迁出日期", lambda: cells.date(moved_out)),
            ]
        )
        self.rules.check(record)
        if errors := stay_errors(record["moved_in_on"], record["moved_out_on"]):
            raise RowInvalid(*self.rules.field_errors(errors))
        building_id, unit_id, _area = record["building"]
        if self.outside_scope(
            unit_id=unit_id, building_id=building_id, enterprise_id=record["enterprise_id"]
        ):
            raise RowInvalid(("楼宇编码", _("该楼宇不在您的数据范围内。")))
        return (building_id, record["enterprise_id"], record["moved_in_on"]), record

    def _building(self, value: Any) -> tuple[int, int, Decimal | None]:
        code = required(cells.code(value))
        if code not in self.buildings:
            raise cells.CellError(
                _("楼宇“%(code)s”不在楼宇台账中或不在您的数据范围内，请先导入楼宇台账。") % {"code": code}
            )
        return self.buildings[code]

    def _enterprise(self, value: Any) -> int:
        code = required(cells.code(value))
        if code not in self.enterprises:
            raise cells.CellError(
                _("企业“%(code)s”不在企业台账中或不在您的数据范围内，请先导入企业台账。") % {"code": code}
            )
        return self.enterprises[code]

    def plan(self, parsed: list[Parsed[dict[str, Any]]]) -> UpsertPlan:
        plan = UpsertPlan(Occupancy, FIELDS)
        spans = {building: list(items) for building, items in self.stored.items()}
        for item in parsed:
            building_id, enterprise_id, moved_in = item.key
            record = item.record
            current = spans.setdefault(building_id, [])
            stored = next(
                (s for s in current if (s.enterprise_id, s.moved_in_on) == (enterprise_id, moved_in)), None
            )
            span = Span(
                stored.pk if stored else None, enterprise_id, moved_in, record["moved_out_on"], record["area"]
            )
            others = [s for s in current if s is not stored]
            if message := occupancy_conflict(span, others, record["building"][2]):  # type: ignore[arg-type]
                self.reject(item.row, "入驻面积（㎡）" if "面积" in message else "入驻日期", message)
                continue
            current[:] = [*others, span]
            values = {"area": span.area, "moved_out_on": span.moved_out_on}
            if stored is None:
                values |= {
                    "building_id": building_id,
                    "enterprise_id": enterprise_id,
                    "moved_in_on": moved_in,
                }
                plan.compare(item.row, None, values)
            else:
                plan.compare(item.row, asdict(stored), values)
        return plan
