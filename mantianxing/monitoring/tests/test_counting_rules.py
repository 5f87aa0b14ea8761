"""The counting rules of DOMAIN §4 as the stored indicator values apply them, unit by unit."""

from __future__ import annotations

from datetime import date

from django.test import TestCase

from mantianxing.monitoring.choices import Indicator
from mantianxing.monitoring.drilldown import drill
from mantianxing.monitoring.tests.factories import World
from mantianxing.people.choices import RoleCategory

LONG_AGO = date(2015, 3, 1)
OCT_2026 = date(2026, 10, 1)


class CountingRuleTests(TestCase):
    """One world for the 2025 plan (window opens 2025-12-23, so December 2025 is its baseline month)."""

    @classmethod
    def setUpTestData(cls) -> None:
        w = cls.w = World()
        # Old firms: A in 渝中, B in 南岸, D moves from 渝中 to 南岸 inside the window.
        cls.a = w.firm(LONG_AGO, [(date(2016, 1, 1), w.tower_yz)])
        cls.b = w.firm(LONG_AGO, [(date(2016, 1, 1), w.tower_na)], division="500108", unit=w.nanan)
        cls.d = w.firm(LONG_AGO, [(date(2016, 1, 1), w.tower_yz), (date(2026, 3, 10), w.tower_na)])
        # New firms: C established in 南岸 in May 2026; E established in 渝中, moves to 南岸 in July.
        cls.c = w.firm(date(2026, 5, 10), [(date(2026, 5, 15), w.tower_na)], division="500108", unit=w.nanan)
        cls.e = w.firm(date(2026, 2, 1), [(date(2026, 2, 1), w.tower_yz), (date(2026, 7, 1), w.tower_na)])

        # A's rosters start in October 2025: whoever is on that first roster was already employed.
        w.spell(w.person(), cls.a, date(2025, 10, 1), OCT_2026)
        cls.p2 = w.person()
        w.spell(cls.p2, cls.a, date(2026, 2, 1), OCT_2026)
        # Changes jobs inside the city: first at A (baseline), then at B.
        p3 = w.person()
        w.spell(p3, cls.a, date(2025, 10, 1), date(2026, 3, 1))
        w.spell(p3, cls.b, date(2026, 4, 1), OCT_2026)
        # New in March at A (渝中), then moves to B (南岸): new once, for 渝中.
        cls.p4 = w.person()
        w.spell(cls.p4, cls.a, date(2026, 3, 1), date(2026, 5, 1), RoleCategory.MANAGEMENT)
        w.spell(cls.p4, cls.b, date(2026, 6, 1), OCT_2026)
        # The first staff of a firm that just arrived are new.
        w.spell(w.person(), cls.c, date(2026, 6, 1), OCT_2026)
        # On A's roster in December 2025, the 2025 window's baseline month.
        w.spell(w.person(), cls.a, date(2025, 12, 1), OCT_2026)
        w.compute()

    def value(self, indicator: str, unit: object, month: date = OCT_2026, plan: object = None) -> float:
        return self.w.value(plan or self.w.plan_2025, indicator, unit, month)  # type: ignore[arg-type]

    def test_a_person_changing_jobs_inside_the_city_is_not_a_new_employee(self) -> None:
        # p3 moved from A to B, p4 from A to B: 南岸 gains only C's new hire.
        self.assertEqual(self.value(Indicator.NEW_EMPLOYEES, self.w.nanan), 1)

    def test_it_counts_each_new_person_once_where_their_first_firm_was(self) -> None:
        self.assertEqual(self.value(Indicator.NEW_EMPLOYEES, self.w.yuzhong), 2)  # p2 and p4
        self.assertEqual(self.value(Indicator.NEW_EMPLOYEES, self.w.city), 3)

    def test_it_counts_new_people_in_the_month_they_first_appear(self) -> None:
        self.assertEqual(self.value(Indicator.NEW_EMPLOYEES, self.w.yuzhong, date(2026, 2, 1)), 1)
        self.assertEqual(self.value(Indicator.NEW_EMPLOYEES, self.w.yuzhong, date(2026, 3, 1)), 2)

    def test_the_first_roster_of_an_old_firm_is_a_baseline_not_new_people(self) -> None:
        # Under the 2022 plan (baseline July 2022), only the December 2025 hire is new: A's first
        # roster in October 2025 counts nobody, though it is inside that window.
        self.assertEqual(
            self.value(Indicator.NEW_EMPLOYEES, self.w.city, date(2025, 12, 1), self.w.plan_2022), 1
        )

    def test_someone_on_the_roster_in_the_baseline_month_is_not_new(self) -> None:
        self.assertEqual(self.value(Indicator.NEW_EMPLOYEES, self.w.city, date(2025, 12, 1)), 0)

    def test_core_talent_counts_the_role_of_the_first_spell(self) -> None:
        # p4's first spell is in management: new, but not core talent.
        self.assertEqual(self.value(Indicator.NEW_CORE_TALENT, self.w.yuzhong), 1)
        self.assertEqual(self.value(Indicator.NEW_CORE_TALENT, self.w.city), 2)

    def test_a_firm_moving_between_districts_is_not_a_new_enterprise_for_either(self) -> None:
        # D (old) moved from 渝中 to 南岸; E (new) moved the same way after arriving in 渝中.
        self.assertEqual(self.value(Indicator.NEW_ENTERPRISES, self.w.yuzhong), 1)  # E only
        self.assertEqual(self.value(Indicator.NEW_ENTERPRISES, self.w.nanan), 1)  # C only
        self.assertEqual(self.value(Indicator.NEW_ENTERPRISES, self.w.city), 2)

    def test_carrier_area_is_the_change_since_the_windows_first_day(self) -> None:
        # 渝中 had A and D on 2025-12-23 and only A at the end of October 2026.
        self.assertEqual(self.value(Indicator.CARRIER_AREA_IN_USE, self.w.yuzhong), -100)
        # 南岸 had B; now B, C, D and E.
        self.assertEqual(self.value(Indicator.CARRIER_AREA_IN_USE, self.w.nanan), 300)
        self.assertEqual(self.value(Indicator.CARRIER_AREA_IN_USE, self.w.city), 200)

    def test_a_move_out_on_the_last_day_of_a_month_is_out_at_its_end(self) -> None:
        # E left 渝中 on 2026-07-01; at the end of June it was still there (half-open occupancy).
        self.assertEqual(self.value(Indicator.CARRIER_AREA_IN_USE, self.w.yuzhong, date(2026, 6, 1)), 0)
        self.assertEqual(self.value(Indicator.CARRIER_AREA_IN_USE, self.w.yuzhong, date(2026, 7, 1)), -100)

    def test_the_rows_behind_new_employees_are_the_people_counted(self) -> None:
        result = drill(self.w.plan_2025, Indicator.NEW_EMPLOYEES, self.w.yuzhong, OCT_2026)
        self.assertEqual(result.total, 2)
        people = [cells[0][0] for cells in result.listed[0:10]]
        self.assertEqual(people, [str(self.p2), str(self.p4)])

    def test_the_rows_behind_new_enterprises_leave_out_the_firm_that_moved(self) -> None:
        result = drill(self.w.plan_2025, Indicator.NEW_ENTERPRISES, self.w.nanan, OCT_2026)
        self.assertEqual([cells[0][0] for cells in result.listed], [self.c.name])
