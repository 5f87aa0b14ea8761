"""Each criterion at its boundary: a value that reaches the threshold passes, one just below fails."""

from __future__ import annotations

from decimal import Decimal

from django.test import SimpleTestCase

from mantianxing.honours.buildings import Criterion, Measured, judge
from mantianxing.honours.choices import CriterionKind
from mantianxing.honours.operators import LEGAL_PERSON_TYPES
from mantianxing.honours.tests.base import COMPANY, SOLE_TRADER
from mantianxing.lib.identifiers import make_uscc


def rule(kind: CriterionKind, threshold: str | None = None, **parameter: object) -> Criterion:
    return Criterion(kind, str(kind.label), Decimal(threshold) if threshold else None, "", parameter, "")


def measured(
    operator: str = COMPANY,
    carrier: str | None = "10000",
    occupied: str = "0",
    software: str = "0",
    firms: int = 0,
) -> Measured:
    return Measured(
        operator, Decimal(carrier) if carrier else None, Decimal(occupied), Decimal(software), firms
    )


class IndependentOperatorTests(SimpleTestCase):
    legal_persons = rule(CriterionKind.INDEPENDENT_OPERATOR, codes=list(LEGAL_PERSON_TYPES))

    def test_it_accepts_a_company(self) -> None:
        result = judge(self.legal_persons, measured(COMPANY))
        self.assertEqual((result.value, result.shown, result.passed), ("91", "企业（91）", True))

    def test_it_accepts_a_public_institution(self) -> None:
        result = judge(self.legal_persons, measured(make_uscc("12500000MB1234567")))
        self.assertEqual((result.value, result.passed), ("12", True))

    def test_it_refuses_a_sole_trader(self) -> None:
        result = judge(self.legal_persons, measured(SOLE_TRADER))
        self.assertEqual((result.value, result.shown, result.passed), ("92", "个体工商户（92）", False))

    def test_it_refuses_an_empty_or_invalid_code(self) -> None:
        empty = judge(self.legal_persons, measured(""))
        self.assertEqual((empty.value, empty.shown, empty.passed), (None, "未填写", False))
        broken = COMPANY[:-1] + ("0" if COMPANY[-1] != "0" else "1")
        invalid = judge(self.legal_persons, measured(broken))
        self.assertEqual((invalid.value, invalid.shown, invalid.passed), (None, "信用代码无效", False))

    def test_it_reads_a_code_as_people_type_it(self) -> None:
        typed = " " + COMPANY[:9].lower() + "　" + COMPANY[9:]
        self.assertTrue(judge(self.legal_persons, measured(typed)).passed)

    def test_it_follows_the_city_offices_list(self) -> None:
        companies_only = rule(CriterionKind.INDEPENDENT_OPERATOR, codes=["91"])
        self.assertFalse(judge(companies_only, measured(make_uscc("12500000MB1234567"))).passed)
        self.assertTrue(judge(companies_only, measured(COMPANY)).passed)


class ThresholdTests(SimpleTestCase):
    def test_software_focus_is_met_at_the_threshold(self) -> None:
        focus = rule(CriterionKind.SOFTWARE_FOCUS, "50", edition="2017", codes=["64", "65"])
        met = judge(focus, measured(occupied="1000", software="500"))
        self.assertEqual((met.value, met.shown, met.passed), (Decimal("50.00"), "50.00%", True))
        short = judge(focus, measured(occupied="1000", software="499.99"))
        self.assertFalse(short.passed)
        self.assertEqual(short.value, Decimal("49.99"))

    def test_software_focus_fails_an_empty_building(self) -> None:
        focus = rule(CriterionKind.SOFTWARE_FOCUS, "0", edition="2017", codes=["65"])
        result = judge(focus, measured(occupied="0"))
        self.assertEqual((result.value, result.shown, result.passed), (None, "无在驻企业", False))

    def test_a_ratio_is_cut_not_rounded_so_the_shown_value_agrees(self) -> None:
        rate = rule(CriterionKind.OCCUPANCY_RATE, "70")
        # 6,999.99 / 10,000 = 69.9999 %: shown as 69.99 %, not a misleading 70.00 %.
        result = judge(rate, measured(carrier="10000", occupied="6999.99"))
        self.assertEqual((result.shown, result.passed), ("69.99%", False))

    def test_carrier_area_is_met_at_the_threshold(self) -> None:
        area = rule(CriterionKind.CARRIER_AREA, "10000")
        self.assertTrue(judge(area, measured(carrier="10000")).passed)
        self.assertFalse(judge(area, measured(carrier="9999.99")).passed)
        missing = judge(area, measured(carrier=None))
        self.assertEqual((missing.value, missing.shown, missing.passed), (None, "未填写", False))

    def test_software_firms_is_met_at_the_threshold(self) -> None:
        firms = rule(CriterionKind.SOFTWARE_FIRMS, "20")
        self.assertTrue(judge(firms, measured(firms=20)).passed)
        self.assertFalse(judge(firms, measured(firms=19)).passed)
        self.assertEqual(judge(firms, measured(firms=19)).shown, "19 家")

    def test_occupancy_rate_is_met_at_the_threshold(self) -> None:
        rate = rule(CriterionKind.OCCUPANCY_RATE, "70")
        self.assertTrue(judge(rate, measured(carrier="10000", occupied="7000")).passed)
        self.assertFalse(judge(rate, measured(carrier="10000", occupied="6999.99")).passed)
        missing = judge(rate, measured(carrier=None, occupied="7000"))
        self.assertEqual((missing.shown, missing.passed), ("未填载体面积", False))
