"""A small world for monitoring tests: firms, buildings, people and figures, built explicitly."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from itertools import count

from mantianxing.carriers.models import Building, Occupancy
from mantianxing.core.testing import current_unit
from mantianxing.enterprises.models import Enterprise
from mantianxing.enterprises.origin import recompute_origins
from mantianxing.geo.models import Unit
from mantianxing.lib.identifiers import make_uscc
from mantianxing.monitoring.compute import recompute
from mantianxing.monitoring.models import IndicatorValue
from mantianxing.people.choices import RoleCategory
from mantianxing.people.models import EmploymentSpell, Person, RosterFiling
from mantianxing.plans.models import Plan
from mantianxing.stats.models import MonthlyStatistics

TODAY = date(2026, 11, 22)
serial = count(1)


class World:
    """Call from setUpTestData (or a test); then `compute()` and read values with `value()`."""

    def __init__(self) -> None:
        self.yuzhong = current_unit("500103")
        self.nanan = current_unit("500108")
        self.city = Unit.objects.get(code="500000")
        self.tower_yz = Building.objects.create(code=f"YZ-{next(serial)}", name="渝中大厦", unit=self.yuzhong)
        self.tower_na = Building.objects.create(code=f"NA-{next(serial)}", name="南岸大厦", unit=self.nanan)
        self.plan_2022 = Plan.objects.get(code="2022")
        self.plan_2025 = Plan.objects.get(code="2025")

    def firm(
        self,
        established_on: date | None,
        moves: Sequence[tuple[date, Building]] = (),
        division: str = "500103",
        unit: Unit | None = None,
        area: str = "100",
    ) -> Enterprise:
        enterprise = Enterprise.objects.create(
            uscc=make_uscc(f"91{division}MA{next(serial):06d}X"),
            name=f"测试企业{next(serial)}",
            unit=unit or self.yuzhong,
            established_on=established_on,
        )
        for index, (moved_in, building) in enumerate(moves):
            moved_out = moves[index + 1][0] if index + 1 < len(moves) else None
            Occupancy.objects.create(
                building=building,
                enterprise=enterprise,
                area=Decimal(area),
                moved_in_on=moved_in,
                moved_out_on=moved_out,
            )
        recompute_origins([enterprise.pk])
        return enterprise

    def person(self) -> Person:
        number = next(serial)
        return Person.objects.create(
            id_hash=f"hash-{number}", id_masked=f"**************{number:04d}", name=f"员工{number}"
        )

    def spell(
        self, person: Person, firm: Enterprise, first: date, last: date, role: str = RoleCategory.SOFTWARE
    ) -> EmploymentSpell:
        for month in (first, last):
            RosterFiling.objects.get_or_create(enterprise=firm, month=month, defaults={"headcount": 1})
        return EmploymentSpell.objects.create(
            person=person, enterprise=firm, first_month=first, last_month=last, role_category=role
        )

    def statistics(
        self, firm: Enterprise, month: date, software: str, product: str = "0", rd: str = "0"
    ) -> None:
        MonthlyStatistics.objects.create(
            enterprise=firm,
            month=month,
            software_revenue=Decimal(software),
            product_revenue=Decimal(product),
            rd_expense=Decimal(rd),
        )

    def compute(self) -> None:
        recompute(today=TODAY)

    def value(self, plan: Plan, indicator: str, unit: Unit, month: date) -> float:
        row = IndicatorValue.objects.filter(plan=plan, indicator=indicator, unit=unit, month=month).first()
        return 0.0 if row is None else float(row.value)
