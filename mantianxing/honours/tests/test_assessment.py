"""assess_buildings: occupancies on a date, software firms, enabled criteria, units, query count."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mantianxing.core.testing import current_unit
from mantianxing.geo.models import Unit
from mantianxing.honours.buildings import BuildingAssessment, assess_buildings
from mantianxing.honours.choices import CriterionKind
from mantianxing.honours.tests.base import (
    ON,
    HonoursTestCase,
    building,
    firm,
    occupy,
    set_criterion,
    software_class,
    telecom_class,
)


def of(rows: list[BuildingAssessment], code: str) -> BuildingAssessment:
    return next(row for row in rows if row.code == code)


class AssessmentTests(HonoursTestCase):
    def test_it_passes_a_building_meeting_every_criterion(self) -> None:
        star = of(assess_buildings(ON), "YZ-STAR")
        self.assertTrue(star.passed)
        self.assertEqual(list(star.results), [k.value for k in CriterionKind])
        self.assertEqual(star.results["software_focus"].value, Decimal("100.00"))
        self.assertEqual(star.results["software_firms"].value, 20)
        self.assertEqual(star.results["occupancy_rate"].value, Decimal("75.00"))
        self.assertEqual(star.results["carrier_area"].value, Decimal("12000"))
        self.assertEqual((star.occupied_area, star.software_area), (Decimal("9000"), Decimal("9000")))
        self.assertEqual(star.unit, self.yuzhong)

    def test_it_fails_a_building_missing_one_criterion(self) -> None:
        plain = of(assess_buildings(ON), "NA-PLAIN")
        self.assertFalse(plain.passed)
        self.assertFalse(plain.results["independent_operator"].passed)
        self.assertFalse(plain.results["carrier_area"].passed)

    def test_it_lists_every_ledger_building(self) -> None:
        codes = [row.code for row in assess_buildings(ON)]
        self.assertEqual(sorted(codes), sorted(["YZ-0001", "NA-0001", "YZ-STAR", "NA-PLAIN"]))

    def test_it_counts_only_occupancies_in_force_on_the_date(self) -> None:
        software = software_class()
        left_the_day_before = firm(self.yuzhong, software)
        occupy(self.star, left_the_day_before, "100", date(2025, 1, 1), moved_out=ON - timedelta(days=1))
        leaves_that_day = firm(self.yuzhong, software)  # in residence up to, not including, the move-out day
        occupy(self.star, leaves_that_day, "100", date(2025, 1, 1), moved_out=ON)
        left_tomorrow = firm(self.yuzhong, software)
        occupy(self.star, left_tomorrow, "100", date(2025, 1, 1), moved_out=ON + timedelta(days=1))
        arrives_today = firm(self.yuzhong, software)
        occupy(self.star, arrives_today, "100", ON)
        arrives_tomorrow = firm(self.yuzhong, software)
        occupy(self.star, arrives_tomorrow, "100", ON + timedelta(days=1))
        star = of(assess_buildings(ON), "YZ-STAR")
        # The 20 tenants, the one leaving tomorrow and the one arriving today.
        self.assertEqual(star.software_firms, 22)
        self.assertEqual(star.occupied_area, Decimal("9200"))

    def test_it_counts_software_firms_by_industry_division(self) -> None:
        telecom = firm(self.yuzhong, telecom_class())
        unclassified = firm(self.yuzhong)
        occupy(self.star, telecom, "1000")
        occupy(self.star, unclassified, "1000")
        star = of(assess_buildings(ON), "YZ-STAR")
        self.assertEqual(star.software_firms, 20)
        self.assertEqual(star.occupied_area, Decimal("11000"))
        # 9,000 of 11,000 ㎡: 81.81 % software.
        self.assertEqual(star.results["software_focus"].value, Decimal("81.81"))

    def test_it_follows_the_software_definition_of_the_criterion(self) -> None:
        set_criterion(CriterionKind.SOFTWARE_FOCUS, parameter={"edition": "2017", "codes": ["63"]})
        star = of(assess_buildings(ON), "YZ-STAR")
        self.assertEqual(star.software_firms, 0)
        self.assertFalse(star.results["software_focus"].passed)

    def test_it_ignores_disabled_criteria(self) -> None:
        set_criterion(CriterionKind.CARRIER_AREA, enabled=False)
        set_criterion(CriterionKind.INDEPENDENT_OPERATOR, enabled=False)
        small = building(self.yuzhong, carrier_area="1000", operator_uscc="")
        software = software_class()
        for _ in range(20):
            occupy(small, firm(self.yuzhong, software), "40")
        row = of(assess_buildings(ON), small.code)
        self.assertNotIn("carrier_area", row.results)
        self.assertNotIn("independent_operator", row.results)
        self.assertTrue(row.passed)

    def test_no_building_passes_without_an_enabled_criterion(self) -> None:
        for kind in CriterionKind:
            set_criterion(kind, enabled=False)
        self.assertFalse(any(row.passed for row in assess_buildings(ON)))

    def test_it_narrows_to_units(self) -> None:
        rows = assess_buildings(ON, [self.nanan])
        self.assertEqual({row.code for row in rows}, {"NA-0001", "NA-PLAIN"})

    def test_it_credits_an_abolished_units_building_to_its_successor(self) -> None:
        jiangbei = Unit.objects.get(code="500105")
        liangjiang = current_unit("500157")
        old = building(jiangbei, code="JB-0001")
        self.assertEqual(of(assess_buildings(ON), "JB-0001").unit, liangjiang)
        self.assertIn(old.code, {row.code for row in assess_buildings(ON, [liangjiang])})
        self.assertNotIn(old.code, {row.code for row in assess_buildings(ON, [self.yuzhong])})

    def test_it_reads_the_ledger_in_a_fixed_number_of_queries(self) -> None:
        with CaptureQueriesContext(connection) as few:
            assess_buildings(ON)
        software = software_class()
        for _ in range(30):
            more = building(self.nanan)
            occupy(more, firm(self.nanan, software), "100")
        with self.assertNumQueries(len(few)):
            rows = assess_buildings(ON)
        self.assertEqual(len(few), 5)
        self.assertEqual(len(rows), 34)
