"""`geo.places`: the unit that carries a place today, and the units holding some part of it."""

from __future__ import annotations

from datetime import date

from django.test import TestCase

from mantianxing.geo.models import CITY_CODE, Unit
from mantianxing.geo.places import Places

AFTER = date(2026, 1, 1)


def code_of(places: Places, pk: int | None) -> str | None:
    return None if pk is None else places.units[pk].code


class PlacesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.jiangbei = Unit.objects.get(code="500105")
        cls.yubei = Unit.objects.get(code="500112")
        cls.yuzhong = Unit.objects.get(code="500103", abolished_on__isnull=True)

    def test_it_credits_an_abolished_unit_to_the_unit_carrying_it_today(self) -> None:
        places = Places.load(AFTER)
        self.assertEqual(code_of(places, places.holder(self.jiangbei.pk)), "500157")
        self.assertEqual(code_of(places, places.holder(self.yubei.pk)), "500157")
        self.assertEqual(places.holder(self.yuzhong.pk), self.yuzhong.pk)

    def test_it_credits_a_record_without_a_unit_to_the_city(self) -> None:
        places = Places.load(AFTER)
        self.assertEqual(code_of(places, places.credited(None)), CITY_CODE)
        self.assertTrue(places.holds(places.city, self.yuzhong.pk))
        self.assertTrue(places.holds(places.holder(self.jiangbei.pk) or 0, self.jiangbei.pk))
        self.assertFalse(places.holds(self.yuzhong.pk, self.jiangbei.pk))

    def test_the_units_holding_part_of_yubei_include_beibei(self) -> None:
        # 渝北区's five towns went to 北碚区 (not its primary successor), the rest to 两江新区.
        places = Places.load(AFTER)
        self.assertEqual(
            {places.units[pk].code for pk in places.holders(self.yubei.pk)}, {"500157", "500109"}
        )
        self.assertEqual(places.holders(self.yuzhong.pk), frozenset({self.yuzhong.pk}))

    def test_before_the_change_a_unit_holds_itself(self) -> None:
        places = Places.load(date(2025, 11, 5))
        self.assertEqual(places.holder(self.yubei.pk), self.yubei.pk)
        self.assertEqual(places.holders(self.yubei.pk), frozenset({self.yubei.pk}))

    def test_records_filed_under_an_abolished_unit_belong_to_its_carrier(self) -> None:
        places = Places.load(AFTER)
        liangjiang = places.units[places.holder(self.jiangbei.pk) or 0]
        self.assertTrue({self.jiangbei.pk, self.yubei.pk} <= places.filed_under([liangjiang]))
