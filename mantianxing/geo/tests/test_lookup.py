"""Which unit held a place on a date, and which unit carries an old one's history."""

from __future__ import annotations

from datetime import date

from django.test import TestCase

from mantianxing.geo.lookup import primary_successor, successor_map, successors, unit_on
from mantianxing.geo.models import Unit

BEFORE = date(2025, 11, 5)
AFTER = date(2025, 11, 6)


def unit(code: str, on: date) -> Unit:
    found = Unit.objects.filter(code=code).valid_on(on).get()
    return found


class UnitOnTests(TestCase):
    def test_it_moves_the_five_yubei_towns_to_beibei(self) -> None:
        for town in ["大湾镇", "统景镇", "大盛镇", "兴隆镇", "茨竹镇"]:
            assert unit_on(town, BEFORE).code == "500112", town
            assert unit_on(town, AFTER).code == "500109", town

    def test_it_moves_the_five_beibei_places_to_liangjiang(self) -> None:
        for place in ["水土街道", "复兴街道", "蔡家岗街道", "施家梁镇", "童家溪镇"]:
            assert unit_on(place, BEFORE).code == "500109", place
            assert unit_on(place, AFTER).code == "500157", place

    def test_it_resolves_codes_and_names_as_of_the_date(self) -> None:
        assert unit_on("500112", BEFORE).name == "渝北区"
        assert unit_on("500112", AFTER) is None
        assert unit_on("渝北区", BEFORE).code == "500112"
        assert unit_on("渝北", BEFORE).code == "500112"
        assert unit_on("重庆市渝中区", AFTER).code == "500103"
        assert unit_on("500110", date(2010, 1, 1)).name == "万盛区"
        assert unit_on("500110", date(2012, 1, 1)).name == "綦江区"
        assert unit_on("两江新区", BEFORE).code == "5001LJ"
        assert unit_on("两江新区", AFTER).code == "500157"
        assert unit_on("高新区", AFTER).code == "5001GX"
        assert unit_on("5001gx", AFTER).code == "5001GX"

    def test_it_answers_none_for_unknown_places(self) -> None:
        assert unit_on("不存在镇", AFTER) is None
        assert unit_on("", AFTER) is None
        assert unit_on("500101", date(1990, 1, 1)) is None


class SuccessorTests(TestCase):
    def test_it_gives_yubei_both_successors_primary_first(self) -> None:
        yubei = unit("500112", BEFORE)
        assert [u.code for u in successors(yubei, AFTER)] == ["500157", "500109"]
        assert primary_successor(yubei, AFTER).code == "500157"

    def test_it_maps_jiangbei_and_the_old_zone_to_liangjiang(self) -> None:
        assert primary_successor(unit("500105", BEFORE), AFTER).code == "500157"
        assert primary_successor(unit("5001LJ", BEFORE), AFTER).code == "500157"

    def test_it_follows_chains_of_changes(self) -> None:
        # 万盛区 (1997–2011) → 綦江区; 江津市 → 江津区: old history lands on today's unit.
        wansheng = Unit.objects.get(code="500110", name="万盛区")
        assert primary_successor(wansheng, AFTER).name == "綦江区"
        assert primary_successor(Unit.objects.get(code="500381"), AFTER).name == "江津区"

    def test_it_leaves_existing_units_alone(self) -> None:
        yuzhong = unit("500103", AFTER)
        assert successors(yuzhong, AFTER) == [yuzhong]
        assert primary_successor(yuzhong, BEFORE) == yuzhong

    def test_it_maps_every_unit_for_comparisons(self) -> None:
        mapping = successor_map(AFTER)
        assert mapping[unit("500112", BEFORE).pk] == unit("500157", AFTER).pk
        assert mapping[unit("500103", AFTER).pk] == unit("500103", AFTER).pk
        # Every unit ever known has a successor existing today.
        assert len(mapping) == Unit.objects.count()
