"""上星 enterprises: ≥100 employees or ≥10,000 万元 revenue in December of the last full year."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import count

from django.test import TestCase

from mantianxing.core.testing import current_unit
from mantianxing.enterprises.models import Enterprise
from mantianxing.enterprises.shangxing import (
    is_shangxing,
    last_full_year,
    shangxing_basis,
    shangxing_ids,
)
from mantianxing.lib.identifiers import make_uscc
from mantianxing.people.models import RosterFiling
from mantianxing.stats.models import MonthlyStatistics

DECEMBER = date(2025, 12, 1)
serial = count(1)


def firm() -> Enterprise:
    n = next(serial)
    return Enterprise.objects.create(
        uscc=make_uscc(f"91500103MA{n:06d}Y"), name=f"上星测试企业{n}", unit=current_unit("500103")
    )


def statistics(
    enterprise: Enterprise, revenue: str | None = None, headcount: int | None = None, month: date = DECEMBER
) -> None:
    MonthlyStatistics.objects.create(
        enterprise=enterprise,
        month=month,
        software_revenue=Decimal(revenue) if revenue is not None else None,
        headcount=headcount,
    )


class LastFullYearTests(TestCase):
    def test_it_is_the_previous_calendar_year(self) -> None:
        assert last_full_year(date(2026, 1, 1)) == 2025
        assert last_full_year(date(2026, 6, 30)) == 2025
        assert last_full_year(date(2025, 12, 31)) == 2024


class ThresholdTests(TestCase):
    def test_it_needs_a_hundred_employees(self) -> None:
        short, enough = firm(), firm()
        statistics(short, headcount=99)
        statistics(enough, headcount=100)
        assert shangxing_ids(2025) == {enough.pk}
        assert not is_shangxing(short, 2025)
        assert is_shangxing(enough, 2025)

    def test_it_needs_ten_thousand_wan_yuan_of_revenue(self) -> None:
        short, enough = firm(), firm()
        statistics(short, revenue="9999.99", headcount=10)
        statistics(enough, revenue="10000.00", headcount=10)
        assert shangxing_ids(2025) == {enough.pk}
        assert shangxing_basis(short, 2025)["revenue"] == Decimal("9999.99")
        assert shangxing_basis(enough, 2025)["revenue_met"]


class SourceTests(TestCase):
    def test_it_falls_back_to_the_december_roster_without_december_statistics(self) -> None:
        enterprise = firm()
        statistics(enterprise, revenue="50", headcount=150, month=date(2025, 11, 1))  # not December
        RosterFiling.objects.create(enterprise=enterprise, month=DECEMBER, headcount=120)
        assert shangxing_ids(2025) == {enterprise.pk}
        basis = shangxing_basis(enterprise, 2025)
        assert basis["headcount"] == 120
        assert basis["headcount_source"] == "花名册 2025-12"
        assert basis["revenue"] is None
        assert basis["shangxing"]

    def test_it_falls_back_to_the_roster_when_the_statistics_leave_headcount_blank(self) -> None:
        enterprise = firm()
        statistics(enterprise, revenue="80", headcount=None)
        RosterFiling.objects.create(enterprise=enterprise, month=DECEMBER, headcount=101)
        assert is_shangxing(enterprise, 2025)

    def test_it_prefers_the_statistics_headcount_to_the_roster(self) -> None:
        enterprise = firm()
        statistics(enterprise, revenue="80", headcount=60)
        RosterFiling.objects.create(enterprise=enterprise, month=DECEMBER, headcount=130)
        basis = shangxing_basis(enterprise, 2025)
        assert (basis["headcount"], basis["headcount_source"]) == (60, "经营数据 2025-12")
        assert not basis["shangxing"]

    def test_it_uses_only_the_figures_of_the_year_asked(self) -> None:
        enterprise = firm()
        statistics(enterprise, revenue="20000", headcount=300, month=date(2024, 12, 1))
        RosterFiling.objects.create(enterprise=enterprise, month=date(2026, 12, 1), headcount=300)
        assert shangxing_ids(2024) == {enterprise.pk}
        assert shangxing_ids(2025) == set()
        assert shangxing_ids(2026) == {enterprise.pk}
        basis = shangxing_basis(enterprise, 2025)
        assert basis["revenue"] is None and basis["headcount"] is None
        assert not basis["shangxing"]


class BulkTests(TestCase):
    def test_it_restricts_to_the_given_enterprises_in_two_queries(self) -> None:
        big = [firm() for _ in range(3)]
        for enterprise in big:
            statistics(enterprise, headcount=500)
        with self.assertNumQueries(2):
            assert shangxing_ids(2025, [big[0].pk, big[2].pk]) == {big[0].pk, big[2].pk}
        with self.assertNumQueries(2):
            assert shangxing_ids(2025) == {e.pk for e in big}
