"""Each indicator defined once: for every plan, indicator, unit and month, the rows behind the value
add up to the stored value, and `verify.indicator_differences` finds nothing to report.

Two data sets: explicit rows covering the cases that made the two copies of each rule disagree
(firms filing late, a firm just arrived, movers between districts, a firm filed under 江北区 before
the 2025-11-06 change, 上星 gained and lost, occupancies ending, titles, acquisitions), and the
tiny demo as imported through the pipeline.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase

from mantianxing.carriers.choices import BuildingStatus
from mantianxing.carriers.models import Building
from mantianxing.enterprises.choices import HonourKind
from mantianxing.enterprises.models import Honour
from mantianxing.geo.models import Unit
from mantianxing.monitoring.compute import recompute
from mantianxing.monitoring.contributions import SPECS, Sources, Window
from mantianxing.monitoring.drilldown import drill
from mantianxing.monitoring.models import IndicatorValue
from mantianxing.monitoring.tests.factories import World
from mantianxing.monitoring.verify import indicator_differences
from mantianxing.plans.models import Plan

# Late enough that December 2026 (上星 judged on 2026) is inside the 2025 plan's stored months.
TODAY = date(2027, 1, 15)
LONG_AGO = date(2015, 3, 1)


def build_world() -> World:
    w = World()
    jiangbei = Unit.objects.get(code="500105")  # abolished 2025-11-06: carried by 两江新区 today
    tower_jb = Building.objects.create(code="JB-1", name="江北大厦", unit=jiangbei)
    Building.objects.create(
        code="JB-2",
        name="江北收储楼",
        unit=jiangbei,
        status=BuildingStatus.ACQUIRED,
        total_area=Decimal("900"),
        acquired_area=Decimal("500"),
        acquired_on=date(2024, 3, 5),
    )
    Building.objects.create(
        code="YZ-A",
        name="渝中收储楼",
        unit=w.yuzhong,
        status=BuildingStatus.IN_USE,
        total_area=Decimal("400"),
        acquired_area=Decimal("300"),
    )
    # Filing since before both windows, with a month missing (2025-03) and a move to 南岸.
    steady = w.firm(LONG_AGO, [(date(2016, 1, 1), w.tower_yz), (date(2026, 3, 10), w.tower_na)])
    for month, amount in [
        (date(2022, 6, 1), "300"),
        (date(2022, 7, 1), "350"),
        (date(2022, 12, 1), "700"),
        (date(2023, 12, 1), "800"),
        (date(2024, 12, 1), "900"),
        (date(2025, 2, 1), "150"),
        (date(2025, 12, 1), "1000"),
        (date(2026, 1, 1), "90"),
        (date(2026, 6, 1), "600"),
        (date(2026, 12, 1), "1300"),
    ]:
        w.statistics(steady, month, amount, str(Decimal(amount) / 3), "10")
    # An old firm of 南岸 that starts filing in March 2026: its first month is its baseline.
    late = w.firm(LONG_AGO, [(date(2016, 1, 1), w.tower_na)], division="500108", unit=w.nanan)
    w.statistics(late, date(2026, 3, 1), "3000")
    w.statistics(late, date(2026, 6, 1), "7000")
    # Set up in February 2026, filing from March: all of its revenue is new.
    arrived = w.firm(date(2026, 2, 10), [(date(2026, 2, 10), w.tower_na)], division="500108", unit=w.nanan)
    w.statistics(arrived, date(2026, 3, 1), "30")
    # Filed under 江北区, its occupancy ending in May 2026; 上星 in 2025 (December revenue ≥ 1 亿元),
    # not in 2026 (no December figure): lost at December 2026.
    north = w.firm(LONG_AGO, [(date(2020, 1, 1), tower_jb)], division="500105", unit=jiangbei)
    north.occupancies.update(moved_out_on=date(2026, 5, 20))
    w.statistics(north, date(2024, 12, 1), "9000")
    w.statistics(north, date(2025, 12, 1), "12000")
    w.statistics(north, date(2026, 10, 1), "8000")
    # 上星 in 2024 only: gained for 2025's months of the 2022 plan, lost at its December.
    star = w.firm(LONG_AGO, [(date(2016, 1, 1), w.tower_yz)])
    w.statistics(star, date(2024, 12, 1), "15000")
    w.statistics(star, date(2025, 12, 1), "5000")
    # People: baselines, entries, a mover, the staff of the new firm and of the 江北 firm.
    w.spell(w.person(), steady, date(2022, 5, 1), date(2026, 10, 1))
    w.spell(w.person(), steady, date(2023, 4, 1), date(2026, 10, 1))
    mover = w.person()
    w.spell(mover, steady, date(2024, 1, 1), date(2025, 6, 1))
    w.spell(mover, late, date(2025, 7, 1), date(2026, 10, 1))
    w.spell(w.person(), late, date(2026, 2, 1), date(2026, 10, 1))
    w.spell(w.person(), arrived, date(2026, 3, 1), date(2026, 10, 1))
    w.spell(w.person(), north, date(2021, 1, 1), date(2026, 10, 1))
    w.spell(w.person(), north, date(2026, 4, 1), date(2026, 10, 1))
    Honour.objects.create(
        enterprise=steady, kind=HonourKind.LISTED, awarded_on=date(2026, 4, 8), source="上市"
    )
    Honour.objects.create(
        enterprise=north, kind=HonourKind.UNICORN, awarded_on=date(2023, 9, 1), source="榜单"
    )
    recompute(today=TODAY)
    return w


class AgreementMixin:
    """For every stored key and every unit with a value, the drill-down's total is the stored value."""

    def assert_rows_add_up(self: TestCase) -> None:  # type: ignore[misc]
        sources = Sources(people="each")
        stored = {
            (plan, indicator, unit, month): float(value)
            for plan, indicator, unit, month, value in IndicatorValue.objects.values_list(
                "plan_id", "indicator", "unit_id", "month", "value"
            )
        }
        self.assertTrue(stored)
        units = {pk: Unit.objects.get(pk=pk) for pk in {key[2] for key in stored}}
        for plan in Plan.objects.all():
            window = Window.of(plan, TODAY)
            for indicator, spec in SPECS.items():
                with self.subTest(plan=plan.code, indicator=indicator):
                    for unit in units.values():
                        for month in spec.months(sources, window):
                            result = drill(plan, indicator, unit, month, today=TODAY, sources=sources)
                            # A value not stored is zero, and must have no rows adding up to more.
                            expected = stored.get((plan.pk, indicator, unit.pk, month), 0.0)
                            self.assertAlmostEqual(
                                result.total, expected, places=4, msg=f"{unit.code} {month:%Y-%m}"
                            )
        checked, differences = indicator_differences(TODAY)
        self.assertEqual(differences, [])
        self.assertEqual(checked, len(stored))


class ExplicitRowsAgreementTests(AgreementMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.w = build_world()

    def test_it_lists_rows_adding_up_to_every_stored_value(self) -> None:
        self.assert_rows_add_up()

    def test_a_firm_filing_late_adds_its_increase_not_its_revenue(self) -> None:
        # 南岸, 2025 plan: the late filer from its own March figure (3000 × 12/3 = 12000) to June's
        # (7000 × 12/6 = 14000), +2000; the firm that arrived in February brings its March 120 in
        # whole, and counts nothing in June, a month it did not file.
        plan, nanan = self.w.plan_2025, self.w.nanan
        self.assertEqual(self.w.value(plan, "software_revenue", nanan, date(2026, 3, 1)), 120)
        self.assertEqual(self.w.value(plan, "software_revenue", nanan, date(2026, 6, 1)), 2000)
        result = drill(plan, "software_revenue", nanan, date(2026, 6, 1), today=TODAY)
        self.assertEqual((result.total, len(result.listed)), (2000, 2))

    def test_losing_shangxing_is_stored_though_no_firm_is_shangxing_that_month(self) -> None:
        # The 江北 firm was 上星 in 2025 (the 2025 plan's baseline month judges on 2025), not in
        # 2026: at December 2026 no firm anywhere is 上星, and the increase is −1, stored.
        plan, month = self.w.plan_2025, date(2026, 12, 1)
        liangjiang = Unit.objects.get(code="500157")
        for unit in (liangjiang, self.w.city):
            stored = IndicatorValue.objects.get(
                plan=plan, indicator="shangxing_enterprises", unit=unit, month=month
            )
            self.assertEqual(stored.value, -1)
            self.assertEqual(drill(plan, "shangxing_enterprises", unit, month, today=TODAY).total, -1)

    def test_a_unit_without_a_value_has_no_rows(self) -> None:
        nothing_filed = Unit.objects.get(code="500120")
        for indicator in SPECS:
            result = drill(self.w.plan_2025, indicator, nothing_filed, date(2026, 10, 1), today=TODAY)
            self.assertEqual((result.total, len(result.listed)), (0, 0), indicator)

    def test_it_renders_every_row_with_one_cell_per_column(self) -> None:
        for plan, month in ((self.w.plan_2022, date(2025, 12, 1)), (self.w.plan_2025, date(2026, 12, 1))):
            for indicator in SPECS:
                result = drill(plan, indicator, self.w.city, month, today=TODAY)
                rows = result.listed[0 : len(result.listed)]
                self.assertTrue({len(cells) for cells in rows} <= {len(result.columns)}, indicator)

    def test_a_month_before_any_statistics_has_no_rows(self) -> None:
        result = drill(self.w.plan_2022, "software_revenue", self.w.city, date(2022, 5, 1), today=TODAY)
        self.assertEqual((result.total, len(result.listed), len(result.columns)), (0, 0, 7))

    def test_it_reports_a_stored_value_that_no_longer_matches(self) -> None:
        row = IndicatorValue.objects.filter(indicator="new_employees", unit=self.w.city).last()
        assert row is not None
        row.value += 1
        row.save()
        _checked, differences = indicator_differences(TODAY)
        kinds = sorted(d["kind"] for d in differences)
        self.assertEqual(kinds, ["indicator", "indicator_rows"])
        self.assertTrue(differences[0]["key"].endswith(f"/new_employees/500000/{row.month:%Y-%m}"))


class DemoAgreementTests(AgreementMixin, TestCase):
    out: Path

    @classmethod
    def setUpTestData(cls) -> None:
        cls.out = Path(tempfile.mkdtemp(prefix="mtx-demo-"))
        call_command("demo", "--scale", "tiny", "--out", str(cls.out), verbosity=0)
        recompute(today=TODAY)

    @classmethod
    def tearDownClass(cls) -> None:
        shutil.rmtree(cls.out, ignore_errors=True)
        super().tearDownClass()

    def test_it_lists_rows_adding_up_to_every_stored_value(self) -> None:
        self.assert_rows_add_up()
