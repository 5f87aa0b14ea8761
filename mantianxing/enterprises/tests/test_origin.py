"""The origin the system computes for each enterprise in each plan window (DOMAIN §4)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from itertools import count

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from mantianxing.carriers.models import Building, Occupancy
from mantianxing.core.testing import current_unit
from mantianxing.enterprises.choices import NEW_ORIGINS, Origin
from mantianxing.enterprises.models import Enterprise, EnterpriseOrigin
from mantianxing.enterprises.origin import (
    Decision,
    UnitResolver,
    decide_origin,
    disputed_enterprises,
    recompute_origins,
)
from mantianxing.geo.models import Unit
from mantianxing.lib.identifiers import make_uscc
from mantianxing.people.models import RosterFiling
from mantianxing.plans.models import Plan

START_2022, END_2022 = date(2022, 7, 15), date(2025, 12, 31)
START_2025, END_2025 = date(2025, 12, 23), date(2027, 12, 31)
DAY = timedelta(days=1)

serial = count(1)


def uscc(division: str) -> str:
    """A valid USCC issued by `division`, unique within the test run."""
    return make_uscc(f"91{division}MA{next(serial):06d}X")


class OriginTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.yuzhong = current_unit("500103")
        cls.nanan = current_unit("500108")
        cls.liangjiang = current_unit("500157")
        cls.building_yz = Building.objects.create(code="YZ-1", name="渝中一号楼", unit=cls.yuzhong)
        cls.building_yz2 = Building.objects.create(code="YZ-2", name="渝中二号楼", unit=cls.yuzhong)
        cls.building_na = Building.objects.create(code="NA-1", name="南岸一号楼", unit=cls.nanan)
        cls.building_lj = Building.objects.create(code="LJ-1", name="两江一号楼", unit=cls.liangjiang)
        cls.plan_2022 = Plan.objects.get(code="2022")
        cls.plan_2025 = Plan.objects.get(code="2025")

    def firm(
        self,
        division: str,
        established_on: date | None,
        unit: Unit | None = None,
        moves: Sequence[tuple[date, Building]] = (),
        claimed: str = "",
    ) -> Enterprise:
        """An enterprise with one occupancy per move, each ending when the next begins."""
        enterprise = Enterprise.objects.create(
            uscc=uscc(division),
            name=f"企业{next(serial)}",
            unit=unit or self.yuzhong,
            established_on=established_on,
            claimed_origin=claimed,
        )
        for index, (moved_in, building) in enumerate(moves):
            moved_out = moves[index + 1][0] if index + 1 < len(moves) else None
            Occupancy.objects.create(
                building=building,
                enterprise=enterprise,
                area=Decimal("100"),
                moved_in_on=moved_in,
                moved_out_on=moved_out,
            )
        return enterprise

    def origins(self, enterprise: Enterprise) -> tuple[EnterpriseOrigin, EnterpriseOrigin]:
        recompute_origins([enterprise.pk])
        rows = {row.plan_id: row for row in EnterpriseOrigin.objects.filter(enterprise=enterprise)}
        return rows[self.plan_2022.pk], rows[self.plan_2025.pk]


class EstablishedTests(OriginTestCase):
    def test_it_counts_a_chongqing_firm_established_inside_each_window(self) -> None:
        in_2022 = self.firm("500103", date(2023, 5, 12), moves=[(date(2023, 6, 1), self.building_na)])
        first, second = self.origins(in_2022)
        assert first.origin == Origin.ESTABLISHED
        assert first.arrived_on == date(2023, 5, 12)
        assert first.credited_unit == self.nanan  # its first building, not the ledger unit
        assert "500103 在重庆" in first.reason
        assert second.origin == Origin.EXISTING

        in_2025 = self.firm("500103", date(2026, 3, 1))
        first, second = self.origins(in_2025)
        assert first.origin == Origin.LATER
        assert second.origin == Origin.ESTABLISHED
        assert second.credited_unit == self.yuzhong  # no occupancy: the ledger unit

    def test_it_counts_both_ends_of_the_2022_window_as_inside(self) -> None:
        assert self.origins(self.firm("500103", START_2022))[0].origin == Origin.ESTABLISHED
        assert self.origins(self.firm("500103", END_2022))[0].origin == Origin.ESTABLISHED
        assert self.origins(self.firm("500103", START_2022 - DAY))[0].origin == Origin.EXISTING
        assert self.origins(self.firm("500103", END_2022 + DAY))[0].origin == Origin.LATER

    def test_it_counts_both_ends_of_the_2025_window_as_inside(self) -> None:
        assert self.origins(self.firm("500103", START_2025))[1].origin == Origin.ESTABLISHED
        assert self.origins(self.firm("500103", END_2025))[1].origin == Origin.ESTABLISHED
        assert self.origins(self.firm("500103", START_2025 - DAY))[1].origin == Origin.EXISTING
        assert self.origins(self.firm("500103", END_2025 + DAY))[1].origin == Origin.LATER

    def test_it_counts_a_firm_established_where_the_windows_overlap_as_new_in_both(self) -> None:
        first, second = self.origins(self.firm("500103", date(2025, 12, 25)))
        assert first.origin == second.origin == Origin.ESTABLISHED

    def test_it_keeps_a_new_firm_that_moves_later_new_and_credited_to_its_first_building(self) -> None:
        firm = self.firm(
            "500103",
            date(2023, 1, 10),
            unit=self.nanan,  # the ledger follows it to 南岸
            moves=[(date(2023, 2, 1), self.building_yz), (date(2024, 5, 1), self.building_na)],
        )
        first, second = self.origins(firm)
        assert first.origin == Origin.ESTABLISHED
        assert first.credited_unit == self.yuzhong
        assert second.origin == Origin.EXISTING


class IntroducedTests(OriginTestCase):
    def test_it_credits_a_firm_from_another_province_to_its_first_building(self) -> None:
        firm = self.firm(
            "110108",
            date(2015, 4, 1),  # established in Beijing long ago: irrelevant
            unit=self.yuzhong,
            moves=[(date(2023, 3, 1), self.building_na), (date(2024, 8, 1), self.building_yz)],
        )
        first, second = self.origins(firm)
        assert first.origin == Origin.INTRODUCED
        assert first.arrived_on == date(2023, 3, 1)
        assert first.credited_unit == self.nanan
        assert "110108 在市外" in first.reason
        assert "2023-03-01" in first.reason
        assert second.origin == Origin.EXISTING

    def test_it_introduces_a_firm_into_the_2025_window(self) -> None:
        firm = self.firm("440300", None, moves=[(date(2026, 2, 1), self.building_lj)])
        first, second = self.origins(firm)
        assert first.origin == Origin.LATER
        assert second.origin == Origin.INTRODUCED
        assert second.credited_unit == self.liangjiang

    def test_it_treats_a_firm_introduced_before_the_window_that_moves_inside_as_relocated(self) -> None:
        firm = self.firm(
            "110108",
            None,
            moves=[(date(2020, 1, 1), self.building_yz), (date(2026, 2, 1), self.building_na)],
        )
        first, second = self.origins(firm)
        assert first.origin == Origin.EXISTING  # it did not move between 2022-07-15 and 2025-12-31
        assert second.origin == Origin.RELOCATED
        assert second.credited_unit == self.yuzhong  # the ledger unit; it earns nothing
        assert second.arrived_on == date(2020, 1, 1)


class RelocatedTests(OriginTestCase):
    def test_it_gives_a_firm_moving_between_districts_no_credit_anywhere(self) -> None:
        firm = self.firm(
            "500103",
            date(2019, 3, 1),
            unit=self.nanan,
            moves=[(date(2019, 6, 1), self.building_yz), (date(2023, 6, 1), self.building_na)],
        )
        first, second = self.origins(firm)
        assert first.origin == Origin.RELOCATED
        assert first.origin not in NEW_ORIGINS
        assert "2023-06-01" in first.reason
        assert second.origin == Origin.EXISTING
        new_anywhere = EnterpriseOrigin.objects.filter(enterprise=firm, origin__in=NEW_ORIGINS)
        assert not new_anywhere.exists()

    def test_it_treats_a_move_between_buildings_of_one_district_as_relocated(self) -> None:
        firm = self.firm(
            "500103",
            date(2019, 3, 1),
            moves=[(date(2019, 6, 1), self.building_yz), (date(2023, 6, 1), self.building_yz2)],
        )
        assert self.origins(firm)[0].origin == Origin.RELOCATED

    def test_it_compares_a_first_building_with_the_registering_district(self) -> None:
        elsewhere = self.firm("500103", date(2019, 3, 1), moves=[(date(2023, 6, 1), self.building_na)])
        assert self.origins(elsewhere)[0].origin == Origin.RELOCATED
        at_home = self.firm("500103", date(2019, 3, 1), moves=[(date(2023, 6, 1), self.building_yz)])
        assert self.origins(at_home)[0].origin == Origin.EXISTING

    def test_it_does_not_take_the_liangjiang_change_for_a_move(self) -> None:
        # Registered under 江北 500105 (abolished 2025-11-06), located in 两江新区 500157.
        firm = self.firm(
            "500105", date(2018, 5, 1), unit=self.liangjiang, moves=[(date(2026, 1, 10), self.building_lj)]
        )
        assert self.origins(firm)[1].origin == Origin.EXISTING
        moved = self.firm("500105", date(2018, 5, 1), moves=[(date(2026, 1, 10), self.building_na)])
        assert self.origins(moved)[1].origin == Origin.RELOCATED

    def test_it_finds_no_move_in_a_division_that_is_not_a_reporting_unit(self) -> None:
        city = self.firm("500000", date(2018, 5, 1), moves=[(date(2023, 1, 10), self.building_na)])
        assert self.origins(city)[0].origin == Origin.EXISTING

    def test_it_does_not_count_a_renewal_in_the_same_building_as_a_move(self) -> None:
        firm = self.firm(
            "500103",
            date(2018, 5, 1),
            moves=[(date(2018, 6, 1), self.building_na), (date(2023, 6, 1), self.building_na)],
        )
        assert self.origins(firm)[0].origin == Origin.EXISTING


class UnknownDateTests(OriginTestCase):
    def test_it_counts_a_firm_of_unknown_arrival_as_existing(self) -> None:
        for division in ("500103", "110108"):
            first, second = self.origins(self.firm(division, None))
            assert first.origin == second.origin == Origin.EXISTING
            assert first.arrived_on is None
            assert "无法确定" in first.reason

    def test_it_falls_back_to_the_first_occupancy_without_an_establishment_date(self) -> None:
        firm = self.firm("500103", None, moves=[(date(2024, 2, 1), self.building_na)])
        first, _ = self.origins(firm)
        assert (first.origin, first.arrived_on, first.credited_unit) == (
            Origin.ESTABLISHED,
            date(2024, 2, 1),
            self.nanan,
        )

    def test_it_falls_back_to_the_first_roster_month_without_anything_else(self) -> None:
        firm = self.firm("110108", None, unit=self.nanan)
        RosterFiling.objects.create(enterprise=firm, month=date(2024, 3, 1), headcount=5)
        RosterFiling.objects.create(enterprise=firm, month=date(2023, 9, 1), headcount=4)
        first, _ = self.origins(firm)
        assert (first.origin, first.arrived_on, first.credited_unit) == (
            Origin.INTRODUCED,
            date(2023, 9, 1),
            self.nanan,
        )

    def test_a_late_occupancy_record_does_not_make_a_firm_on_earlier_rosters_new(self) -> None:
        # On rosters since 2021; its occupancy was only recorded in 2026: it was here all along.
        firm = self.firm("110108", date(2010, 1, 1), moves=[(date(2026, 3, 1), self.building_yz)])
        RosterFiling.objects.create(enterprise=firm, month=date(2021, 6, 1), headcount=40)
        first, second = self.origins(firm)
        assert first.arrived_on == date(2021, 6, 1)
        assert first.origin not in NEW_ORIGINS
        assert second.origin not in NEW_ORIGINS


class DisputeTests(OriginTestCase):
    def test_it_flags_a_claim_that_agrees_with_no_plan(self) -> None:
        agrees_2022 = self.firm("500103", date(2023, 5, 1), claimed=Origin.ESTABLISHED)
        agrees_2025 = self.firm("500103", date(2023, 5, 1), claimed=Origin.EXISTING)
        wrong = self.firm("500103", date(2023, 5, 1), claimed=Origin.INTRODUCED)
        unclaimed = self.firm("500103", date(2023, 5, 1))
        wrong_in_nanan = self.firm("500103", date(2019, 5, 1), unit=self.nanan, claimed=Origin.ESTABLISHED)
        # Saved through the model, each firm's origin is already computed: no recompute is called.
        also_wrong = self.firm("500103", date(2023, 5, 1), claimed=Origin.INTRODUCED)

        disputed = set(disputed_enterprises(Enterprise.objects.all()))
        assert disputed == {wrong, wrong_in_nanan, also_wrong}
        assert {agrees_2022, agrees_2025, unclaimed}.isdisjoint(disputed)
        # The caller's scope is kept.
        assert list(disputed_enterprises(Enterprise.objects.filter(unit=self.nanan))) == [wrong_in_nanan]


class RecomputeTests(OriginTestCase):
    def rows(self) -> list[tuple[object, ...]]:
        return list(
            EnterpriseOrigin.objects.order_by("enterprise_id", "plan_id").values_list(
                "enterprise_id", "plan_id", "origin", "arrived_on", "credited_unit_id", "reason"
            )
        )

    def test_it_writes_the_same_rows_when_run_twice(self) -> None:
        self.firm("500103", date(2023, 5, 1), moves=[(date(2023, 6, 1), self.building_na)])
        self.firm(
            "110108", None, moves=[(date(2020, 1, 1), self.building_yz), (date(2026, 2, 1), self.building_na)]
        )
        self.firm("500103", None)
        EnterpriseOrigin.objects.all().delete()
        written = recompute_origins()
        first = self.rows()
        pks = set(EnterpriseOrigin.objects.values_list("pk", flat=True))
        assert written == len(first) == 2 * Enterprise.objects.count()

        assert recompute_origins() == 0  # nothing changed: nothing written, the rows kept
        assert self.rows() == first
        assert set(EnterpriseOrigin.objects.values_list("pk", flat=True)) == pks

        EnterpriseOrigin.objects.update(reason="手工改动")  # derived rows are put back
        assert recompute_origins() == written
        assert self.rows() == first

    def test_it_leaves_other_enterprises_rows_alone(self) -> None:
        kept = self.firm("500103", date(2023, 5, 1))
        redone = self.firm("500103", date(2023, 5, 1))
        recompute_origins()
        Enterprise.objects.filter(pk=redone.pk).update(established_on=date(2026, 5, 1))
        EnterpriseOrigin.objects.filter(enterprise=kept).update(reason="保留")
        assert recompute_origins([redone.pk]) == 2
        kept_reasons = EnterpriseOrigin.objects.filter(enterprise=kept).values_list("reason", flat=True)
        assert set(kept_reasons) == {"保留"}
        assert EnterpriseOrigin.objects.get(enterprise=redone, plan=self.plan_2022).origin == Origin.LATER

    def test_it_takes_as_many_queries_for_many_firms_as_for_a_few(self) -> None:
        def queries(firms: int) -> int:
            for _ in range(firms):
                self.firm("500103", date(2023, 5, 1), moves=[(date(2023, 6, 1), self.building_na)])
            with CaptureQueriesContext(connection) as captured:
                recompute_origins()
            EnterpriseOrigin.objects.all().delete()
            Occupancy.objects.all().delete()
            Enterprise.objects.all().delete()
            return len(captured.captured_queries)

        assert queries(2) == queries(40)


# Pure-function properties: three units, each a place of its own; the ledger lists every firm under 1.
RESOLVER = UnitResolver(
    places={1: frozenset({1}), 2: frozenset({2}), 3: frozenset({3})},
    divisions={"500103": frozenset({1}), "500108": frozenset({2}), "500105": frozenset({3})},
    names={1: "甲区", 2: "乙区", 3: "丙区"},
)
LEDGER_UNIT = 1
days = st.dates(date(2015, 1, 1), date(2030, 12, 31))
windows = st.sampled_from([(START_2022, END_2022), (START_2025, END_2025)])
divisions = st.sampled_from(["500103", "500108", "500105", "500000", "110108", "440300"])
histories = st.lists(st.tuples(days, st.integers(1, 4), st.integers(1, 3)), max_size=4).map(sorted)
Window = tuple[date, date]
History = list[tuple[date, int, int]]


def decide(
    window: Window, division: str, established_on: date | None, history: History, seen: date | None
) -> Decision:
    uscc = make_uscc(f"91{division}MA000001X")
    return decide_origin(window[0], window[1], uscc, established_on, LEDGER_UNIT, history, seen, RESOLVER)


@given(windows, divisions, st.none() | days, histories, st.none() | days)
def test_it_is_new_exactly_when_it_arrived_inside_the_window(
    window: Window, division: str, established_on: date | None, history: History, seen: date | None
) -> None:
    decision = decide(window, division, established_on, history, seen)
    local = division.startswith("50")
    assert decision.origin != (Origin.INTRODUCED if local else Origin.ESTABLISHED)
    arrived = decision.arrived_on
    assert decision.is_new == (arrived is not None and window[0] <= arrived <= window[1])
    if arrived is None:
        assert decision.origin == Origin.EXISTING
    if local and established_on is not None:
        assert arrived == established_on
    if not local and history:
        assert arrived == min(history[0][0], seen or history[0][0])
    assert decision.reason


@given(windows, divisions, st.none() | days, histories, st.none() | days)
def test_it_credits_only_new_firms_and_only_to_their_first_location(
    window: Window, division: str, established_on: date | None, history: History, seen: date | None
) -> None:
    decision = decide(window, division, established_on, history, seen)
    if decision.is_new:
        assert decision.credited_unit_id == (history[0][2] if history else LEDGER_UNIT)
    else:
        assert decision.credited_unit_id == LEDGER_UNIT


@given(windows, divisions, st.none() | days, histories, st.none() | days, st.data())
def test_it_never_makes_a_firm_new_by_moving_it(
    window: Window,
    division: str,
    established_on: date | None,
    history: History,
    seen: date | None,
    data: st.DataObject,
) -> None:
    before = decide(window, division, established_on, history, seen)
    last = history[-1][0] if history else date(2015, 1, 1)
    moved_in = data.draw(st.dates(last + DAY, date(2031, 12, 31)))
    after = decide(
        window, division, established_on, [*history, (moved_in, 9, data.draw(st.integers(1, 3)))], seen
    )
    if history or (division.startswith("50") and established_on is not None):
        # The arrival does not depend on the new occupancy, so newness does not change either.
        assert (after.is_new, after.arrived_on) == (before.is_new, before.arrived_on)
    if history:
        # The first location is already known: a later move does not change the credit.
        assert after.credited_unit_id == before.credited_unit_id
    if before.origin == Origin.RELOCATED:
        assert after.origin == Origin.RELOCATED
