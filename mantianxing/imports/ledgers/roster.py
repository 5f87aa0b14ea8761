"""从业人员花名册: complete monthly rosters of the enterprises a file lists, turned into spells.

Each row is a person on an enterprise's roster in a month. The ID number is validated, hashed with
the PII key and masked, then dropped: it is never stored, logged, echoed in an error or exported.
The spells themselves are planned and written by `mantianxing.people.spells`; a file that changes
no spell and no filing writes nothing. For a roster, "imported" counts the valid rows of a file
that changes something (a roster is a whole: its rows make the spells together).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from mantianxing.core.bulk import chunked
from mantianxing.imports import cells
from mantianxing.imports.changelog import Change
from mantianxing.imports.ledgers.common import EnterpriseRowsMixin, ModelRules, VocabularyColumn
from mantianxing.imports.models import ImportBatch, Ledger
from mantianxing.imports.pipeline import LedgerImport, Parsed, Plan, RowInvalid, required
from mantianxing.people.choices import RoleCategory
from mantianxing.people.identity import id_hash, id_number_error, mask_id
from mantianxing.people.models import EmploymentSpell, Person, RosterFiling
from mantianxing.people.spells import Entry, apply_plan, plan_snapshots, stored_changes

# Above this many people in a file, their ids are found by reading the whole table once.
WHOLE_TABLE_ABOVE = 50_000


class RosterPlan(Plan):
    def __init__(self, rows: set[int], spells: Any, new_people: dict[str, tuple[int, str, str]]) -> None:
        self.rows = rows
        self.spells = spells
        self.new_people = new_people  # hash → (temporary negative id, masked number, name)

    def changed_rows(self) -> set[int]:
        return self.rows if (self.spells or self.new_people) else set()

    def changes(self) -> Iterator[Change]:
        return map(Change._make, stored_changes(self.spells))

    def write(self, batch: ImportBatch, user_id: int | None) -> None:
        created = Person.objects.bulk_create(
            [
                Person(id_hash=key, id_masked=masked, name=name)
                for key, (_tmp, masked, name) in self.new_people.items()
            ],
            batch_size=5000,
        )
        real = {self.new_people[person.id_hash][0]: person.pk for person in created}
        if real:
            # New people were planned under temporary ids; only new spells can name them.
            self.spells.create = [(real.get(row[0], row[0]), *row[1:]) for row in self.spells.create]
        apply_plan(self.spells, batch.pk, user_id)


class RosterImport(EnterpriseRowsMixin, LedgerImport[tuple[Any, ...]]):
    ledger = Ledger.ROSTER
    model = EmploymentSpell
    columns = ("统计月份", "统一社会信用代码", "姓名", "身份证号", "岗位类别", "入职日期", "年薪（万元）")
    required = ("统计月份", "统一社会信用代码", "姓名", "身份证号")
    aliases = {
        "统计月份": ["月份", "报送月份"],
        "统一社会信用代码": ["社会信用代码", "信用代码", "企业统一社会信用代码"],
        "身份证号": ["身份证号码", "公民身份号码", "证件号码"],
        "岗位类别": ["岗位", "岗位类型"],
        "入职日期": ["入职时间"],
        "年薪（万元）": ["年薪", "年收入（万元）"],
    }
    key_columns = ("身份证号", "统计月份", "统一社会信用代码")
    notes = {
        "统计月份": "必填。如 2026-03，不能晚于本月。一个文件中每家企业每个月份的名单须完整：未列出的人员视为已离职。",
        "统一社会信用代码": "必填。须已在企业台账中；文件中没有的企业保持不变。",
        "姓名": "必填。",
        "身份证号": "必填，18 位，请将该列设为文本。系统只保存加密摘要和后四位，不保存号码本身。",
        "岗位类别": "软件开发、AI+应用、技术服务、管理、其他之一（及后台维护的同义写法）；留空为其他。",
        "入职日期": "日期，不能晚于今天。",
        "年薪（万元）": "选填，不能为负数；仅企业本身和人才认定审核人员可见。",
    }

    def prepare(self) -> None:
        self.load_enterprises()
        self.today = timezone.localdate()
        self.roles = VocabularyColumn("role_category")
        # The models' field rules, run once per distinct value (months, dates, salaries repeat).
        self.month_rules = ModelRules(RosterFiling, {"month": "统计月份"})
        self.spell_rules = ModelRules(
            EmploymentSpell, {"hired_on": "入职日期", "annual_salary": "年薪（万元）"}
        )
        self.name_length = Person._meta.get_field("name").max_length or 0
        self.person_rules = ModelRules(Person, {"name": "姓名"})
        # A month's file repeats the same month, firms, categories, dates and salaries many times:
        # each distinct raw value is parsed once (a roster month of the city is 600,000 rows).
        self.memo: dict[str, dict[Any, Any]] = {
            name: {} for name in ("month", "firm", "role", "date", "salary")
        }

    def _cached(self, kind: str, parse: Any, value: Any) -> Any:
        """`parse(value)` remembered per raw value; a CellError is returned, not raised."""
        cache = self.memo[kind]
        try:
            return cache[value]
        except KeyError:
            try:
                found = parse(value)
            except cells.CellError as error:
                found = error
            cache[value] = found
            return found

    def parse_row(self, values: tuple[Any, ...]) -> tuple[Any, tuple[Any, ...]]:
        month, uscc, name, number, role, hired, salary = values
        memo = self.memo
        # Spelled out rather than called: this runs 600,000 times for a month of the city.
        parsed = (
            memo["month"][month] if month in memo["month"] else self._cached("month", self._month, month),
            memo["firm"][uscc] if uscc in memo["firm"] else self._cached("firm", self.enterprise, uscc),
            self._name(name),
            self._id_number(number),
            memo["role"][role] if role in memo["role"] else self._cached("role", self._role, role),
            memo["date"][hired] if hired in memo["date"] else self._cached("date", self._hired, hired),
            memo["salary"][salary]
            if salary in memo["salary"]
            else self._cached("salary", self._salary, salary),
        )
        for value in parsed:
            if value.__class__ is cells.CellError:
                raise RowInvalid(
                    *[
                        (column, str(v))
                        for column, v in zip(self.columns, parsed, strict=True)
                        if v.__class__ is cells.CellError
                    ]
                )
        month_, enterprise, name_, (key, masked), role_, hired_, salary_ = parsed
        return (key, month_, enterprise), (enterprise, month_, key, role_, hired_, salary_, masked, name_)

    def _id_number(self, value: Any) -> tuple[str, str] | cells.CellError:
        if isinstance(value, float):
            # An 18-digit number stored by Excel as a number has lost its last digits.
            return cells.CellError(
                _("身份证号被 Excel 存成了数字，末几位已丢失；请把该列设为文本后重新填写。")
            )
        # The common case, 18 plain characters, skips the full normalisation.
        if isinstance(value, str) and len(value) == 18 and value.isascii() and value.isalnum():
            number = value.upper()
        else:
            number = cells.code(value)
        if not number:
            return cells.CellError(_("不能为空。"))
        if error := id_number_error(number, self.today):
            return cells.CellError(error)
        return id_hash(number), mask_id(number)

    def _role(self, value: Any) -> str:
        return self.roles(value) or RoleCategory.OTHER

    def _month(self, value: Any) -> date:
        return self.month_rules.value("month", required(cells.month(value)))

    def _hired(self, value: Any) -> date | None:
        return self.spell_rules.value("hired_on", cells.date(value))

    def _salary(self, value: Any) -> Decimal | None:
        return self.spell_rules.value("annual_salary", cells.decimal(value))

    def _name(self, value: Any) -> str | cells.CellError:
        name = cells.text(value)
        if not name:
            return cells.CellError(_("不能为空。"))
        # Names are seldom repeated, so the length rule runs only when the length breaks it.
        if len(name) > self.name_length:
            try:
                self.person_rules.value("name", name)
            except cells.CellError as error:
                return error
        return name

    def plan(self, parsed: list[Parsed[tuple[Any, ...]]]) -> RosterPlan:
        hashes = {item.record[2] for item in parsed}
        people: dict[str, int] = {}
        if len(hashes) > WHOLE_TABLE_ABOVE:
            # A city's month names most people on file: one pass over the table beats 60 IN lists,
            # and a plain cursor beats the ORM's per-row conversions by seconds.
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT id_hash, id FROM {Person._meta.db_table}")
                while batch := cursor.fetchmany(50_000):
                    people.update((key, pk) for key, pk in batch if key in hashes)
        else:
            for part in chunked(hashes, 10_000):
                people.update(Person.objects.filter(id_hash__in=part).values_list("id_hash", "pk"))
        new_people: dict[str, tuple[int, str, str]] = {}
        snapshots: dict[tuple[int, date], list[Entry]] = defaultdict(list)
        for item in parsed:
            enterprise, month, key, role, hired, salary, masked, name = item.record
            person = people.get(key)
            if person is None:
                person = -(len(new_people) + 1)
                new_people[key] = (person, masked, name)
                people[key] = person
            snapshots[enterprise, month].append(Entry(person, role, hired, salary))
        rows = {item.row for item in parsed}
        return RosterPlan(rows, plan_snapshots(dict(snapshots)), new_people)
