"""Shared set-up for the honours tests: a fixed clock, the personas, and small helpers that build
buildings, firms and occupancies explicitly."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import count

import time_machine

from mantianxing.carriers.models import Building, Occupancy
from mantianxing.core.testing import PersonaTestCase
from mantianxing.enterprises.models import Enterprise, IndustryClass
from mantianxing.geo.models import Unit
from mantianxing.honours.choices import CriterionKind
from mantianxing.honours.models import DemonstrationCriterion
from mantianxing.lib.identifiers import make_uscc
from mantianxing.people.models import RosterFiling
from mantianxing.stats.models import MonthlyStatistics

TODAY = date(2026, 11, 22)
ON = date(2026, 6, 30)
COMPANY = make_uscc("91500103MA5U000A0")  # 企业
SOLE_TRADER = make_uscc("92500103MA5U000B0")  # 个体工商户
serial = count(1)


def software_class() -> IndustryClass:
    return IndustryClass.objects.get(edition="2017", code="6513")


def telecom_class() -> IndustryClass:
    return IndustryClass.objects.get(edition="2017", code="6311")


def building(
    unit: Unit, carrier_area: str | None = "12000", operator_uscc: str = COMPANY, code: str | None = None
) -> Building:
    n = next(serial)
    return Building.objects.create(
        code=code or f"HB-{n:04d}",
        name=f"荣誉测试楼宇{n}",
        unit=unit,
        operator_uscc=operator_uscc,
        operator_name="重庆楼宇运营有限公司" if operator_uscc else "",
        carrier_area=Decimal(carrier_area) if carrier_area is not None else None,
    )


def firm(unit: Unit, industry: IndustryClass | None = None, division: str = "500103") -> Enterprise:
    n = next(serial)
    return Enterprise.objects.create(
        uscc=make_uscc(f"91{division}MA{n:06d}H"),
        name=f"荣誉测试企业{n:04d}",
        unit=unit,
        industry=industry,
    )


def occupy(
    where: Building,
    who: Enterprise,
    area: str,
    moved_in: date = date(2025, 1, 1),
    moved_out: date | None = None,
) -> Occupancy:
    return Occupancy.objects.create(
        building=where, enterprise=who, area=Decimal(area), moved_in_on=moved_in, moved_out_on=moved_out
    )


def december(who: Enterprise, year: int, revenue: str | None = None, headcount: int | None = None) -> None:
    MonthlyStatistics.objects.create(
        enterprise=who,
        month=date(year, 12, 1),
        software_revenue=Decimal(revenue) if revenue is not None else None,
        headcount=headcount,
    )


def roster(who: Enterprise, year: int, headcount: int) -> None:
    RosterFiling.objects.create(enterprise=who, month=date(year, 12, 1), headcount=headcount)


def criterion(kind: CriterionKind) -> DemonstrationCriterion:
    return DemonstrationCriterion.objects.get(kind=kind)


def set_criterion(kind: CriterionKind, **values: object) -> None:
    """Change a criterion behind the services' back (set-up only; the services have their own tests)."""
    DemonstrationCriterion.objects.filter(kind=kind).update(**values)


class HonoursTestCase(PersonaTestCase):
    """The personas, the clock at TODAY, and a "star" building in 渝中 that meets every seeded
    criterion on ON: independent operator, 12,000 ㎡, 20 software firms on 9,000 ㎡ (75 %)."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.star = building(cls.yuzhong, code="YZ-STAR")
        software = software_class()
        cls.tenants = [firm(cls.yuzhong, software) for _ in range(20)]
        for tenant in cls.tenants:
            occupy(cls.star, tenant, "450")
        cls.plain = building(cls.nanan, carrier_area="8000", operator_uscc=SOLE_TRADER, code="NA-PLAIN")

    def setUp(self) -> None:
        super().setUp()
        clock = time_machine.travel("2026-11-22 10:00 +0800", tick=False)
        clock.start()
        self.addCleanup(clock.stop)
