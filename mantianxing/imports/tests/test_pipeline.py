"""The import pipeline end to end: messy sheets, errors, batches, idempotency and scope."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from unittest import mock

from mantianxing.carriers.choices import BuildingStatus
from mantianxing.carriers.models import Building, Occupancy
from mantianxing.core.testing import PersonaTestCase
from mantianxing.enterprises.models import Enterprise
from mantianxing.imports.ledgers import LEDGERS
from mantianxing.imports.models import ImportBatch
from mantianxing.imports.pipeline import ImportRefused, run_import
from mantianxing.imports.reading import FileUnusable
from mantianxing.imports.tests.sheets import xlsx
from mantianxing.lib.identifiers import make_uscc
from mantianxing.people.models import EmploymentSpell, Person, RosterFiling
from mantianxing.stats.models import MonthlyStatistics

BUILDINGS = LEDGERS["buildings"].columns
ENTERPRISES = LEDGERS["enterprises"].columns
OCCUPANCY = LEDGERS["occupancy"].columns
ROSTER = LEDGERS["roster"].columns
STATISTICS = LEDGERS["statistics"].columns

FIRM_A = make_uscc("91500103MA61TA001")
FIRM_B = make_uscc("91500108MA61TB002")
# Synthetic resident ID numbers with valid check digits (500225: 大足县, abolished in 2011, still valid).
ID_1 = "500103199003071239"
ID_2 = "11010819851111106X"
ID_3 = "500225198001010036"


def building_row(code: str, unit: str = "渝中区", carrier: object = 10000, **extra: object) -> list[object]:
    values = {
        "楼宇编码": code,
        "楼宇名称": f"{code}大厦",
        "所在区县": unit,
        "总建筑面积（㎡）": 20000,
        "载体面积（㎡）": carrier,
        "状态": "投用",
        "投用日期": "2024-06-01",
        "拎包入住": "是",
    } | extra
    return [values.get(column) for column in BUILDINGS]


class MessySheetTests(PersonaTestCase):
    def test_title_rows_merged_cells_header_variants_fullwidth_digits_and_total_row(self):
        header = [
            "序号",
            "楼宇编码",
            "楼宇\n名称",
            " 所在区县 ",
            "总建筑面积(平方米)",
            "载体面积（平方米）",
            "状态",
            "拎包入住",
            "收储时间",
            "投用日期",
            "备注",
        ]
        rows = [
            [
                1,
                "yz-101",
                "解放碑一号",
                "渝中区",
                "２０，０００",
                "12000.5",
                "投用",
                "是",
                None,
                "2024.6.1",
                "",
            ],
            [
                2,
                "YZ-102",
                "解放碑二号",
                None,
                8000,
                6000,
                "收储",
                "否",
                "2024年3月1日",
                None,
                "所在区县与上一行合并",
            ],
            ["合计", None, None, None, 28000, 18000.5, None, None, None, None, None],
        ]
        data = xlsx(header, rows, title="渝中区楼宇台账（2026年10月）", merge=["D3:D4"])

        result = run_import("buildings", data, file_name="楼宇.xlsx")

        self.assertEqual(result.errors, [])
        self.assertEqual((result.rows, result.valid, result.imported), (2, 2, 2))
        first, second = Building.objects.filter(code__in=["YZ-101", "YZ-102"]).order_by("code")
        self.assertEqual(first.total_area, Decimal("20000"))
        self.assertEqual(first.carrier_area, Decimal("12000.50"))
        self.assertEqual(second.unit, self.yuzhong)  # the merged cell fills down
        self.assertEqual(second.status, BuildingStatus.ACQUIRED)
        self.assertFalse(second.move_in_ready)

    def test_every_date_form(self):
        serial = 45058  # 2023-05-12 as an Excel serial number
        forms = ["2023年5月12日", "2023/5/12", "2023.5.12", serial, date(2023, 5, 12), "２０２３－０５－１２"]
        rows = [
            [make_uscc(f"91500103MA61D{n:03d}1"), f"日期{n}公司", when, "渝中区", "", "", "", ""]
            for n, when in enumerate(forms)
        ]
        result = run_import("enterprises", xlsx(ENTERPRISES, rows), file_name="e.xlsx")
        self.assertEqual(result.errors, [])
        days = set(
            Enterprise.objects.filter(name__startswith="日期").values_list("established_on", flat=True)
        )
        self.assertEqual(days, {date(2023, 5, 12)})

    def test_bad_rows_are_named_by_row_column_and_reason_and_nothing_is_written(self):
        rows = [
            building_row("OK-1"),
            building_row("BAD-1", unit="火星区"),
            building_row("BAD-2", carrier=30000),  # more than the total floor area
            building_row("OK-1"),  # the same key again
        ]
        before = Building.objects.count()
        result = run_import("buildings", xlsx(BUILDINGS, rows, title="台账"), file_name="b.xlsx")

        self.assertEqual(Building.objects.count(), before)
        self.assertIsNone(result.batch)
        self.assertEqual(result.exit_code, 1)
        self.assertEqual((result.rows, result.valid, result.imported, result.skipped), (4, 1, 0, 4))
        found = {(e.row, e.column) for e in result.errors}
        self.assertEqual(found, {(4, "所在区县"), (5, "载体面积（㎡）"), (6, "楼宇编码")})
        by_row = {e.row: e.message for e in result.errors}
        self.assertIn("火星区", by_row[4])
        self.assertIn("第 3 行", by_row[6])

    def test_keep_valid_writes_the_good_rows(self):
        rows = [building_row("OK-2"), building_row("BAD-3", unit="火星区")]
        result = run_import("buildings", xlsx(BUILDINGS, rows), file_name="b.xlsx", keep_valid=True)
        self.assertEqual((result.imported, result.skipped, len(result.errors)), (1, 1, 1))
        self.assertTrue(Building.objects.filter(code="OK-2").exists())
        self.assertFalse(Building.objects.filter(code="BAD-3").exists())

    def test_dry_run_counts_but_writes_nothing(self):
        result = run_import(
            "buildings", xlsx(BUILDINGS, [building_row("DRY-1")]), file_name="b.xlsx", dry_run=True
        )
        self.assertEqual((result.valid, result.imported, result.batch), (1, 1, None))
        self.assertFalse(Building.objects.filter(code="DRY-1").exists())
        self.assertFalse(ImportBatch.objects.exists())

    def test_unusable_files(self):
        with self.assertRaises(ImportRefused):
            run_import("talents", b"", file_name="x.xlsx")
        with self.assertRaises(FileUnusable):
            run_import("buildings", b"not a spreadsheet", file_name="x.xlsx")
        with self.assertRaises(FileUnusable):
            run_import("buildings", xlsx(["甲", "乙"], [[1, 2]]), file_name="x.xlsx")


class BatchTests(PersonaTestCase):
    def test_rows_point_to_their_batch_and_a_second_import_writes_nothing(self):
        data = xlsx(BUILDINGS, [building_row("B-1"), building_row("B-2")])
        first = run_import("buildings", data, file_name="b.xlsx", user=self.yuzhong_officer)
        batch = ImportBatch.objects.get(pk=first.batch)
        self.assertEqual(
            (batch.file_name, batch.sha256, batch.created_by), ("b.xlsx", first.sha256, self.yuzhong_officer)
        )
        self.assertEqual((batch.rows, batch.imported), (2, 2))
        self.assertEqual(
            set(Building.objects.filter(batch=batch).values_list("code", flat=True)), {"B-1", "B-2"}
        )

        again = run_import("buildings", data, file_name="b.xlsx", user=self.yuzhong_officer)
        self.assertEqual((again.imported, again.skipped, again.batch), (0, 2, first.batch))
        self.assertEqual(ImportBatch.objects.count(), 1)

    def test_a_changed_row_is_updated_and_points_to_the_new_batch(self):
        run_import(
            "buildings", xlsx(BUILDINGS, [building_row("C-1"), building_row("C-2")]), file_name="1.xlsx"
        )
        second = run_import(
            "buildings",
            xlsx(BUILDINGS, [building_row("C-1", carrier=9000), building_row("C-2")]),
            file_name="2.xlsx",
        )
        self.assertEqual((second.imported, second.skipped), (1, 1))
        changed = Building.objects.get(code="C-1")
        self.assertEqual((changed.carrier_area, changed.batch_id), (Decimal("9000.00"), second.batch))
        self.assertNotEqual(Building.objects.get(code="C-2").batch_id, second.batch)


class ScopeTests(PersonaTestCase):
    def test_a_district_officer_imports_only_into_their_unit(self):
        rows = [building_row("S-1"), building_row("S-2", unit="南岸区")]
        result = run_import("buildings", xlsx(BUILDINGS, rows), file_name="b.xlsx", user=self.yuzhong_officer)
        self.assertEqual([(e.row, e.column) for e in result.errors], [(3, "所在区县")])
        self.assertIn("数据范围", result.errors[0].message)
        self.assertFalse(Building.objects.filter(code__startswith="S-").exists())

    def test_a_district_officer_cannot_touch_another_units_building(self):
        row = building_row(self.building_na.code, unit="渝中区")
        result = run_import(
            "buildings", xlsx(BUILDINGS, [row]), file_name="b.xlsx", user=self.yuzhong_officer
        )
        self.assertEqual(result.errors[0].column, "楼宇编码")
        self.assertEqual(Building.objects.get(pk=self.building_na.pk).unit, self.nanan)

    def test_an_operator_updates_its_building_but_creates_none(self):
        rows = [building_row(self.building_yz.code, carrier=5000), building_row("NEW-1")]
        result = run_import(
            "buildings", xlsx(BUILDINGS, rows), file_name="b.xlsx", user=self.operator, keep_valid=True
        )
        self.assertEqual([(e.row, e.column) for e in result.errors], [(3, "所在区县")])
        self.building_yz.refresh_from_db()
        self.assertEqual(self.building_yz.carrier_area, Decimal("5000.00"))

    def test_roles_that_may_not_import_a_ledger_are_refused(self):
        data = xlsx(BUILDINGS, [building_row("R-1")])
        for user in (self.enterprise_user, self.auditor, self.owner, self.outsider):
            with self.subTest(user=user.username), self.assertRaises(ImportRefused):
                run_import("buildings", data, file_name="b.xlsx", user=user)

    def test_an_enterprise_reports_its_own_statistics_only(self):
        rows = [
            ["2026-03", self.enterprise_yz.uscc, 100, 40, 60, 0, 0, 10, 20],
            ["2026-03", self.enterprise_na.uscc, 100, 40, 60, 0, 0, 10, 20],
        ]
        result = run_import(
            "statistics",
            xlsx(STATISTICS, rows),
            file_name="s.xlsx",
            user=self.enterprise_user,
            keep_valid=True,
        )
        self.assertEqual([(e.row, e.column) for e in result.errors], [(3, "统一社会信用代码")])
        self.assertEqual(
            list(MonthlyStatistics.objects.values_list("enterprise", flat=True)), [self.enterprise_yz.pk]
        )


class OccupancyTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        Building.objects.filter(pk=cls.building_yz.pk).update(total_area=2000, carrier_area=1000)

    def rows(self, *rows: list[object]) -> bytes:
        return xlsx(OCCUPANCY, list(rows))

    def test_capacity_and_overlap_are_checked_against_stored_and_file_rows(self):
        code, firm_a, firm_b = self.building_yz.code, self.enterprise_yz.uscc, self.enterprise_na.uscc
        result = run_import(
            "occupancy",
            self.rows(
                [code, firm_a, 600, "2024-01-01", "2025-01-01"],
                [code, firm_b, 500, "2024-06-01", None],  # 1,100 ㎡ together: over the 1,000 ㎡
                [code, firm_b, 400, "2025-01-01", None],  # fits once firm A has left
                [code, firm_b, 100, "2025-03-01", None],  # overlaps firm B's own occupancy
                [code, firm_a, 100, "2024-05-01", "2024-04-01"],  # leaves before it arrives
            ),
            file_name="o.xlsx",
            keep_valid=True,
        )
        self.assertEqual(
            [(e.row, e.column) for e in result.errors],
            [(3, "入驻面积（㎡）"), (5, "入驻日期"), (6, "迁出日期")],
        )
        self.assertEqual(Occupancy.objects.count(), 2)

    def test_unknown_building_or_enterprise(self):
        result = run_import(
            "occupancy",
            self.rows(["NOPE", make_uscc("91500103MA61YY0Y1"), 10, "2024-01-01", None]),
            file_name="o.xlsx",
        )
        self.assertEqual({e.column for e in result.errors}, {"楼宇编码", "统一社会信用代码"})


class StatisticsTests(PersonaTestCase):
    def test_parts_may_not_exceed_the_total(self):
        rows = [["2026年3月", self.enterprise_yz.uscc, 100, 60, 50, 0, 0, 10, 20]]
        result = run_import("statistics", xlsx(STATISTICS, rows), file_name="s.xlsx")
        self.assertEqual([(e.row, e.column) for e in result.errors], [(2, "软件业务收入（万元）")])
        self.assertFalse(MonthlyStatistics.objects.exists())

    def test_month_forms(self):
        rows = [
            [month, self.enterprise_yz.uscc, 100, 60, 30, 0, 0, 10, 20] for month in ("2026-03", "2026年4月")
        ]
        result = run_import("statistics", xlsx(STATISTICS, rows), file_name="s.xlsx")
        self.assertEqual(result.errors, [])
        months = set(MonthlyStatistics.objects.values_list("month", flat=True))
        self.assertEqual(months, {date(2026, 3, 1), date(2026, 4, 1)})


class RosterTests(PersonaTestCase):
    def roster(self, month: str, *people: tuple[str, str, str]) -> bytes:
        return xlsx(
            ROSTER,
            [[month, firm, name, number, "软件开发", "2020-01-01", 30] for firm, name, number in people],
        )

    def spells(self) -> set[tuple[str, int, date, date]]:
        return {
            (s.person.id_masked[-4:], s.enterprise_id, s.first_month, s.last_month)
            for s in EmploymentSpell.objects.select_related("person")
        }

    def test_rosters_become_spells_and_people_are_matched_by_their_id_number(self):
        a, b = self.enterprise_yz.uscc, self.enterprise_na.uscc
        run_import("roster", self.roster("2026-01", (a, "张三", ID_1), (a, "李四", ID_2)), file_name="1.xlsx")
        # In February 李四 moves to B (listed there under a lower-case x); 张三 stays.
        run_import(
            "roster",
            self.roster("2026-02", (a, "张三", ID_1), (b, "李四", ID_2.lower()), (b, "王五", ID_3)),
            file_name="2.xlsx",
        )
        ya, na = self.enterprise_yz.pk, self.enterprise_na.pk
        self.assertEqual(
            self.spells(),
            {
                ("1239", ya, date(2026, 1, 1), date(2026, 2, 1)),
                ("106X", ya, date(2026, 1, 1), date(2026, 1, 1)),
                ("106X", na, date(2026, 2, 1), date(2026, 2, 1)),
                ("0036", na, date(2026, 2, 1), date(2026, 2, 1)),
            },
        )
        self.assertEqual(Person.objects.count(), 3)
        self.assertEqual(RosterFiling.objects.get(enterprise=na, month=date(2026, 2, 1)).headcount, 2)

    def test_the_id_number_is_never_stored_nor_echoed(self):
        bad = ID_1[:-1] + ("0" if ID_1[-1] != "0" else "1")
        result = run_import(
            "roster",
            self.roster(
                "2026-01", (self.enterprise_yz.uscc, "张三", ID_1), (self.enterprise_yz.uscc, "赵六", bad)
            ),
            file_name="r.xlsx",
            keep_valid=True,
        )
        self.assertEqual([(e.row, e.column) for e in result.errors], [(3, "身份证号")])
        self.assertNotIn(bad, result.errors[0].message)
        person = Person.objects.get()
        stored = " ".join(str(value) for value in Person.objects.values_list().get())
        self.assertNotIn(ID_1, stored)
        self.assertEqual(person.id_masked, "**************1239")

    def test_the_same_roster_twice_writes_nothing(self):
        data = self.roster("2026-01", (self.enterprise_yz.uscc, "张三", ID_1))
        first = run_import("roster", data, file_name="r.xlsx")
        again = run_import("roster", data, file_name="r.xlsx")
        self.assertEqual((again.imported, again.batch), (0, first.batch))
        self.assertEqual(EmploymentSpell.objects.get().batch_id, first.batch)


class BuildingStepTests(PersonaTestCase):
    def test_it_keeps_a_stored_step_date_when_the_file_leaves_it_blank(self):
        row = building_row("ST-1", 状态="收储", 收储日期="2024-03-01", 投用日期=None)
        run_import("buildings", xlsx(BUILDINGS, [row]), file_name="1.xlsx")
        row = building_row("ST-1", 状态="投用", 投用日期="2024-09-01")
        result = run_import("buildings", xlsx(BUILDINGS, [row]), file_name="2.xlsx")
        self.assertEqual(result.errors, [])
        building = Building.objects.get(code="ST-1")
        self.assertEqual(
            (building.status, building.acquired_on, building.in_use_on),
            (BuildingStatus.IN_USE, date(2024, 3, 1), date(2024, 9, 1)),
        )

    def test_it_refuses_a_step_reached_without_its_date(self):
        row = building_row("ST-2", 状态="改造", 投用日期=None)
        result = run_import("buildings", xlsx(BUILDINGS, [row]), file_name="3.xlsx")
        self.assertEqual(
            [(e.row, e.column, e.message) for e in result.errors],
            [(2, "开始改造日期", "状态为“改造”时须填写开始改造日期。")],
        )
        self.assertFalse(Building.objects.filter(code="ST-2").exists())


class BigRosterTests(RosterTests):
    """The same cases with people found by reading the whole table, as for a city's month."""

    def setUp(self) -> None:
        patcher = mock.patch("mantianxing.imports.ledgers.roster.WHOLE_TABLE_ABOVE", 0)
        patcher.start()
        self.addCleanup(patcher.stop)
