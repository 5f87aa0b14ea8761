"""The reference geography against python-stdnum's division data and the 2025-11-06 change."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import stdnum.cn
from django.apps import apps
from django.test import TestCase

from mantianxing.geo.choices import UnitGroup, UnitKind
from mantianxing.geo.models import ReferenceDataset, Succession, Unit
from mantianxing.geo.reference import DIVISIONS_FILE, GeoModels, load_divisions, read_divisions

GROUPING_CODES = {"500100", "500200", "500300"}


def stdnum_chongqing() -> dict[str, list[tuple[int | None, int | None, str]]]:
    """code → [(first year, last year, name)] for Chongqing in stdnum/cn/loc.dat."""
    text = (Path(stdnum.cn.__file__).parent / "loc.dat").read_text(encoding="utf-8")
    block = text.split('50 province="重庆市"', 1)[1].split("\n51 ", 1)[0]
    entries: dict[str, list[tuple[int | None, int | None, str]]] = {}
    for suffix, names in re.findall(r'^\s+(\d{4}) county="([^"]*)"', block, flags=re.M):
        for part in names.split(","):
            found = re.fullmatch(r"(?:\[(\d*)-(\d*)\])?(.+)", part)
            assert found is not None
            start, end, name = found.groups()
            entries.setdefault("50" + suffix, []).append(
                (int(start) if start else None, int(end) if end else None, name)
            )
    return entries


class DivisionsMatchStdnumTests(TestCase):
    def test_it_has_every_stdnum_unit_with_its_name_and_years(self) -> None:
        reference = stdnum_chongqing()
        for code, spells in reference.items():
            if code in GROUPING_CODES:
                continue
            ours = list(Unit.objects.filter(code=code).order_by("valid_from"))
            assert [u.name for u in ours] == [name for _, _, name in spells], code
            for unit, (start, end, _) in zip(ours, spells, strict=True):
                if start is not None:
                    assert abs(unit.valid_from.year - start) <= 1, (code, unit.valid_from, start)
                if end is None:
                    assert unit.abolished_on is None, code
                else:
                    # loc.dat names the last year a unit was listed; it ended that year or early the next.
                    assert unit.abolished_on is not None and end <= unit.abolished_on.year <= end + 1, code

    def test_it_has_no_gb_code_that_stdnum_does_not_know(self) -> None:
        reference = stdnum_chongqing()
        for unit in Unit.objects.exclude(kind=UnitKind.FUNCTIONAL_ZONE):
            assert unit.code in reference, unit.code

    def test_it_gives_functional_zones_codes_that_cannot_collide(self) -> None:
        for unit in Unit.objects.filter(kind=UnitKind.FUNCTIONAL_ZONE):
            assert not unit.code.isdigit(), unit.code

    def test_it_records_source_and_date(self) -> None:
        dataset = ReferenceDataset.objects.get(name="divisions")
        data, sha256 = read_divisions()
        assert dataset.sha256 == sha256
        assert "stdnum" in dataset.source
        assert dataset.as_of == date.fromisoformat(data["as_of"])

    def test_it_loads_idempotently(self) -> None:
        before = (Unit.objects.count(), Succession.objects.count())
        load_divisions(GeoModels.from_apps(apps), DIVISIONS_FILE)
        assert (Unit.objects.count(), Succession.objects.count()) == before


class ChangeOf2025Tests(TestCase):
    def test_it_counts_37_county_level_units_after_the_change(self) -> None:
        after = Unit.objects.valid_on(date(2026, 2, 1)).exclude(
            kind__in=[UnitKind.CITY, UnitKind.FUNCTIONAL_ZONE]
        )
        kinds = [u.kind for u in after]
        assert len(kinds) == 37
        assert kinds.count(UnitKind.DISTRICT) == 25
        assert kinds.count(UnitKind.COUNTY) == 8
        assert kinds.count(UnitKind.AUTONOMOUS_COUNTY) == 4

    def test_it_keeps_jiangbei_and_yubei_until_the_day_before(self) -> None:
        before = set(Unit.objects.valid_on(date(2025, 11, 5)).values_list("code", flat=True))
        after = set(Unit.objects.valid_on(date(2025, 11, 6)).values_list("code", flat=True))
        assert {"500105", "500112", "5001LJ"} <= before
        assert "500157" not in before
        assert "500157" in after
        assert not {"500105", "500112", "5001LJ"} & after

    def test_it_ranks_the_central_units_as_of_a_date(self) -> None:
        def ranked(on: date) -> set[str]:
            return set(Unit.objects.in_group(UnitGroup.RANKED_2022, on).values_list("name", flat=True))

        assert ranked(date(2024, 6, 30)) == {
            "渝中区", "大渡口区", "江北区", "沙坪坝区", "九龙坡区", "南岸区", "北碚区", "渝北区", "巴南区",
            "两江新区", "西部科学城重庆高新区",
        }  # fmt: skip
        assert ranked(date(2026, 6, 30)) == {
            "渝中区", "大渡口区", "沙坪坝区", "九龙坡区", "南岸区", "北碚区", "巴南区", "两江新区", "西部科学城重庆高新区",
        }  # fmt: skip
        assert set(Unit.objects.in_group(UnitGroup.CENTRAL, date(2026, 6, 30))) == set(
            Unit.objects.in_group(UnitGroup.RANKED_2022, date(2026, 6, 30))
        )

    def test_it_knows_liangjiang_was_a_functional_zone_before(self) -> None:
        zone = Unit.objects.get(code="5001LJ")
        district = Unit.objects.get(code="500157")
        assert zone.kind == UnitKind.FUNCTIONAL_ZONE
        assert district.kind == UnitKind.DISTRICT
        assert zone.in_group(UnitGroup.RANKED_2022, date(2024, 1, 1))
        assert not zone.in_group(UnitGroup.RANKED_2022, date(2026, 1, 1))
        assert district.in_group(UnitGroup.RANKED_2022, date(2026, 1, 1))
