"""The imports run the models' own rules: roster months, hire dates, salaries, names, occupancy
areas and dates are refused as the forms refuse them, with the column named."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from mantianxing.carriers.models import Building, Occupancy
from mantianxing.core.testing import PersonaTestCase
from mantianxing.imports.ledgers import LEDGERS
from mantianxing.imports.pipeline import ImportResult, run_import
from mantianxing.imports.tests.sheets import xlsx
from mantianxing.imports.tests.test_pipeline import ID_1
from mantianxing.people.models import EmploymentSpell

ROSTER = LEDGERS["roster"].columns
OCCUPANCY = LEDGERS["occupancy"].columns


def errors(result: ImportResult) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in result.errors]


class RosterRulesTests(PersonaTestCase):
    def roster(
        self,
        month: object,
        role: object = "软件开发",
        hired: object = "2020-01-01",
        salary: object = 30,
        name: str = "张三",
    ) -> ImportResult:
        row = [month, self.enterprise_yz.uscc, name, ID_1, role, hired, salary]
        return run_import("roster", xlsx(ROSTER, [row]), file_name="r.xlsx")

    def test_it_refuses_a_month_in_the_future(self) -> None:
        this_month = timezone.localdate().replace(day=1)
        next_month = (this_month + timedelta(days=31)).replace(day=1)
        self.assertEqual(
            errors(self.roster(f"{next_month:%Y-%m}")),
            [(2, "统计月份", f"不能晚于本月（{this_month:%Y-%m}）。")],
        )
        self.assertFalse(EmploymentSpell.objects.exists())

    def test_it_accepts_the_current_month(self) -> None:
        self.assertEqual(errors(self.roster(f"{timezone.localdate():%Y-%m}")), [])

    def test_it_refuses_a_hire_date_in_the_future_and_a_negative_salary(self) -> None:
        tomorrow = timezone.localdate() + timedelta(days=1)
        self.assertEqual(
            errors(self.roster("2026-01", hired=tomorrow, salary=-3)),
            [
                (2, "入职日期", f"不能晚于今天（{timezone.localdate():%Y-%m-%d}）。"),
                (2, "年薪（万元）", "不能为负数。"),
            ],
        )

    def test_it_refuses_an_over_long_name(self) -> None:
        self.assertEqual(
            errors(self.roster("2026-01", name="名" * 51)),
            [(2, "姓名", "长度不能超过 50 个字符（当前 51）。")],
        )

    def test_it_reads_a_role_synonym_and_lists_the_roles_for_an_unknown_one(self) -> None:
        self.assertEqual(errors(self.roster("2026-01", role="软件研发")), [])
        self.assertEqual(EmploymentSpell.objects.get().role_category, "software")
        self.assertEqual(
            errors(self.roster("2026-02", role="实习")),
            [(2, "岗位类别", "“实习”不是可选值，可选：软件开发、AI+应用、技术服务、管理、其他")],
        )


class OccupancyRulesTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        Building.objects.filter(pk=cls.building_yz.pk).update(carrier_area=Decimal(5000))

    def occupy(self, area: object, moved_in: object, moved_out: object = None) -> ImportResult:
        row = [self.building_yz.code, self.enterprise_yz.uscc, area, moved_in, moved_out]
        return run_import("occupancy", xlsx(OCCUPANCY, [row]), file_name="o.xlsx")

    def test_it_refuses_an_area_that_is_not_positive(self) -> None:
        self.assertEqual(errors(self.occupy(-10, "2024-01-01")), [(2, "入驻面积（㎡）", "应大于 0。")])
        self.assertEqual(errors(self.occupy(0, "2024-01-01")), [(2, "入驻面积（㎡）", "应大于 0。")])

    def test_it_refuses_a_move_out_before_the_move_in(self) -> None:
        self.assertEqual(
            errors(self.occupy(100, "2024-01-01", "2023-12-31")),
            [(2, "迁出日期", "迁出日期应晚于入驻日期。")],
        )

    def test_it_accepts_a_move_in_agreed_for_next_month(self) -> None:
        next_month = timezone.localdate() + timedelta(days=31)
        self.assertEqual(errors(self.occupy(100, next_month)), [])
        self.assertEqual(Occupancy.objects.get().moved_in_on, next_month)
