"""History without holes: every stored row an import changes keeps its fields' before and after."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from mantianxing.carriers.models import Building
from mantianxing.core.testing import PersonaTestCase
from mantianxing.enterprises.models import Enterprise
from mantianxing.imports.ledgers import LEDGERS
from mantianxing.imports.models import ChangeAction, ImportChange
from mantianxing.imports.pipeline import run_import
from mantianxing.imports.tests.sheets import xlsx
from mantianxing.imports.tests.test_pipeline import BUILDINGS, ID_1, ID_2, ROSTER, building_row
from mantianxing.people.models import EmploymentSpell, RosterFiling
from mantianxing.stats.models import MonthlyStatistics

STATISTICS = LEDGERS["statistics"].columns
ENTERPRISES = LEDGERS["enterprises"].columns


def changes_of(model: type, pk: int) -> list[ImportChange]:
    content_type = ContentType.objects.get_for_model(model)
    return list(ImportChange.objects.filter(content_type=content_type, object_id=pk).order_by("pk"))


class BuildingChangeTests(PersonaTestCase):
    def test_it_records_each_changed_field_before_and_after(self) -> None:
        run_import("buildings", xlsx(BUILDINGS, [building_row("H-1", 总建筑面积="20000")]))
        building = Building.objects.get(code="H-1")
        self.assertEqual(changes_of(Building, building.pk), [])  # created: the batch links it

        result = run_import(
            "buildings", xlsx(BUILDINGS, [building_row("H-1", 楼宇名称="新名大厦", 地址="解放碑 1 号")])
        )

        (change,) = changes_of(Building, building.pk)
        self.assertEqual(change.batch_id, result.batch)
        self.assertEqual(change.action, ChangeAction.CHANGED)
        self.assertEqual(change.changes, {"name": ["H-1大厦", "新名大厦"], "address": ["", "解放碑 1 号"]})

    def test_it_records_nothing_for_a_dry_run_or_an_unchanged_file(self) -> None:
        run_import("buildings", xlsx(BUILDINGS, [building_row("H-2")]))
        changed = xlsx(BUILDINGS, [building_row("H-2", 楼宇名称="别名")])

        run_import("buildings", changed, dry_run=True)
        run_import("buildings", xlsx(BUILDINGS, [building_row("H-2")]))

        self.assertFalse(ImportChange.objects.exists())

    def test_it_shows_import_changes_beside_edits_by_hand_newest_first(self) -> None:
        run_import("buildings", xlsx(BUILDINGS, [building_row("H-3")]))
        building = Building.objects.get(code="H-3")
        building.address = "手工地址"
        building.save()  # an edit by hand: django-auditlog's entry
        result = run_import("buildings", xlsx(BUILDINGS, [building_row("H-3", 楼宇名称="导入名")]))
        self.client.force_login(self.city_officer)

        response = self.client.get(building.get_absolute_url())

        history = response.context["history"]
        self.assertEqual([entry.action for entry in history[:2]], ["导入修改", "修改"])
        self.assertEqual(history[0].batch.pk, result.batch)
        self.assertEqual(
            # The file has no address: the import overwrote the hand-made one, and the log keeps it.
            [(c.label, c.before, c.after) for c in history[0].fields],
            [("楼宇名称", "H-3大厦", "导入名"), ("地址", "手工地址", "—")],
        )
        self.assertContains(response, reverse("imports:batch_detail", args=[result.batch]))
        self.assertContains(response, "手工地址")

    def test_it_names_a_unit_a_row_moved_to(self) -> None:
        run_import("buildings", xlsx(BUILDINGS, [building_row("H-4")]))
        building = Building.objects.get(code="H-4")
        run_import("buildings", xlsx(BUILDINGS, [building_row("H-4", 所在区县="南岸区")]))
        self.client.force_login(self.city_officer)

        history = self.client.get(building.get_absolute_url()).context["history"]

        self.assertIn(
            ("所在区县", str(self.yuzhong), str(self.nanan)),
            [(c.label, c.before, c.after) for c in history[0].fields],
        )

    def test_it_lists_the_changes_on_the_batch_page(self) -> None:
        run_import("buildings", xlsx(BUILDINGS, [building_row("H-5"), building_row("H-6")]))
        result = run_import(
            "buildings", xlsx(BUILDINGS, [building_row("H-5", 楼宇名称="改名"), building_row("H-7")])
        )
        self.client.force_login(self.city_officer)

        response = self.client.get(reverse("imports:batch_detail", args=[result.batch]))

        count, rows = response.context["changed"]
        self.assertEqual(count, 1)  # H-7 is new: listed among the rows the batch wrote, not here
        self.assertEqual(rows[0].text, str(Building.objects.get(code="H-5")))
        self.assertEqual([(c.before, c.after) for c in rows[0].fields], [("H-5大厦", "改名")])
        self.assertContains(response, "改名")


class StatisticsChangeTests(PersonaTestCase):
    def row(self, revenue: object) -> list[object]:
        values = {
            "统计月份": "2026-03",
            "统一社会信用代码": self.enterprise_yz.uscc,
            "软件业务收入（万元）": revenue,
        }
        return [values.get(column) for column in STATISTICS]

    def test_it_keeps_the_figure_an_import_replaced(self) -> None:
        run_import("statistics", xlsx(STATISTICS, [self.row(120)]))
        run_import("statistics", xlsx(STATISTICS, [self.row(150.5)]))
        figures = MonthlyStatistics.objects.get(enterprise=self.enterprise_yz, month=date(2026, 3, 1))

        (change,) = changes_of(MonthlyStatistics, figures.pk)

        self.assertEqual(
            {name: [Decimal(v) for v in pair] for name, pair in change.changes.items()},
            {"software_revenue": [Decimal(120), Decimal("150.5")]},
        )


class RosterChangeTests(PersonaTestCase):
    def roster(self, month: str, *people: tuple[str, object]) -> bytes:
        firm = self.enterprise_yz.uscc
        return xlsx(
            ROSTER,
            [[month, firm, "员工", number, "软件开发", "2020-01-01", salary] for number, salary in people],
        )

    def test_it_records_an_extended_spell_and_a_salary_changed_without_its_values(self) -> None:
        run_import("roster", self.roster("2026-01", (ID_1, 30)))
        spell = EmploymentSpell.objects.get()

        run_import("roster", self.roster("2026-02", (ID_1, 30)))
        run_import("roster", self.roster("2026-02", (ID_1, 45.5)))

        extended, raised = changes_of(EmploymentSpell, spell.pk)
        self.assertEqual(extended.changes, {"last_month": ["2026-01-01", "2026-02-01"]})
        self.assertEqual(raised.changes, {"annual_salary": ["*", "*"]})
        self.assertNotIn("45.5", str(ImportChange.objects.values_list("changes", flat=True)))
        self.assertNotIn(ID_1, str(ImportChange.objects.values_list("changes", flat=True)))

    def test_it_records_a_spell_a_corrected_month_removes_and_a_new_headcount(self) -> None:
        run_import("roster", self.roster("2026-01", (ID_1, 30), (ID_2, 30)))
        gone = EmploymentSpell.objects.get(person__id_masked__endswith="106X")
        filing = RosterFiling.objects.get()

        run_import("roster", self.roster("2026-01", (ID_1, 30)))

        (deleted,) = changes_of(EmploymentSpell, gone.pk)
        self.assertEqual(deleted.action, ChangeAction.DELETED)
        self.assertEqual(deleted.changes["person"], [gone.person_id, None])
        self.assertEqual(deleted.changes["first_month"], ["2026-01-01", None])
        self.assertEqual(deleted.changes["annual_salary"], ["*", "*"])
        (refiled,) = changes_of(RosterFiling, filing.pk)
        self.assertEqual(refiled.changes, {"headcount": [2, 1]})

    def test_it_shows_the_spells_history_on_the_person_page(self) -> None:
        run_import("roster", self.roster("2026-01", (ID_1, 30)))
        result = run_import("roster", self.roster("2026-02", (ID_1, 30)))
        spell = EmploymentSpell.objects.get()
        self.client.force_login(self.city_officer)

        response = self.client.get(spell.person.get_absolute_url())

        (entry,) = response.context["history"]
        self.assertEqual((entry.action, entry.batch.pk), ("导入修改", result.batch))
        self.assertEqual(
            [(c.label, c.before, c.after) for c in entry.fields], [("截止月份", "2026-01-01", "2026-02-01")]
        )
        self.assertIn(self.enterprise_yz.name, entry.subject)


class EnterpriseChangeTests(PersonaTestCase):
    def row(self, domains: str) -> list[object]:
        values = {
            "统一社会信用代码": self.enterprise_yz.uscc,
            "企业名称": self.enterprise_yz.name,
            "成立日期": "2023-05-12",
            "所在区县": "渝中区",
            "重点领域": domains,
        }
        return [values.get(column) for column in ENTERPRISES]

    def test_it_records_the_focus_domains_an_import_replaced_by_name(self) -> None:
        run_import("enterprises", xlsx(ENTERPRISES, [self.row("AI智能体")]))
        run_import("enterprises", xlsx(ENTERPRISES, [self.row("工业软件")]))
        self.client.force_login(self.city_officer)

        history = self.client.get(self.enterprise_yz.get_absolute_url()).context["history"]

        shown = [(c.label, c.before, c.after) for c in history[0].fields]
        self.assertEqual(len(shown), 1)
        label, before, after = shown[0]
        self.assertEqual(label, str(Enterprise._meta.get_field("focus_domains").verbose_name))
        self.assertIn("AI智能体", before)
        self.assertIn("工业软件", after)
