"""Derived facts do not depend on the order the ledgers arrive in: `mtx verify` stays clean and the
stored origins and indicator values come out the same."""

from __future__ import annotations

from itertools import permutations

from django.db import transaction

from mantianxing.core import derived
from mantianxing.core.testing import PersonaTestCase
from mantianxing.enterprises.models import EnterpriseOrigin
from mantianxing.imports.ledgers import LEDGERS
from mantianxing.imports.pipeline import run_import
from mantianxing.imports.tests.sheets import xlsx
from mantianxing.lib.identifiers import make_uscc
from mantianxing.monitoring.compute import ensure_fresh
from mantianxing.monitoring.models import IndicatorValue

BEIJING = make_uscc("91110108MA01QRDR1")  # registered outside Chongqing: arrives with its first evidence
LOCAL = make_uscc("91500103MA61QRDR2")
ID_A, ID_B = "500103199003071239", "11010819851111106X"

FILES = {
    "occupancy": [["YZ-0001", BEIJING, 200, "2026-03-01", ""], ["YZ-0001", LOCAL, 100, "2024-06-01", ""]],
    # The Beijing firm's roster starts before its occupancy: its arrival is the earlier of the two.
    "roster": [
        ["2025-10", BEIJING, "张三", ID_A, "软件开发", "", 30],
        ["2026-04", LOCAL, "李四", ID_B, "AI+应用", "", 25],
    ],
    "statistics": [["2026-01", LOCAL, 500, 200, 300, "", "", 20, 3, 900, 600]],
}


class ImportOrderTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.building_yz.total_area = cls.building_yz.carrier_area = 10_000
        cls.building_yz.save()

    def state(self) -> tuple[set[tuple[object, ...]], set[tuple[object, ...]]]:
        ensure_fresh()
        origins = set(
            EnterpriseOrigin.objects.values_list("enterprise__uscc", "plan__code", "origin", "arrived_on")
        )
        values = set(
            IndicatorValue.objects.values_list("plan__code", "indicator", "unit__code", "month", "value")
        )
        return origins, values

    def load(self, order: tuple[str, ...]) -> None:
        enterprises = [
            [BEIJING, "北京来渝软件有限公司", "2015-01-01", "渝中区", "", "", "", ""],
            [LOCAL, "渝中本地软件有限公司", "2024-05-20", "渝中区", "", "", "", "新设立"],
        ]
        assert (
            run_import(
                "enterprises", xlsx(LEDGERS["enterprises"].columns, enterprises), file_name="e.xlsx"
            ).errors
            == []
        )
        for ledger in order:
            result = run_import(
                ledger, xlsx(LEDGERS[ledger].columns, FILES[ledger]), file_name=f"{ledger}.xlsx"
            )
            assert result.errors == [], (ledger, result.errors)

    def test_every_order_gives_the_same_facts_and_verify_stays_clean(self) -> None:
        seen = []
        for order in permutations(FILES):
            savepoint = transaction.savepoint()
            self.load(order)
            result = derived.verify_all()
            assert result.ok, (order, [d.as_dict() for d in result.differences][:5])
            seen.append(self.state())
            transaction.savepoint_rollback(savepoint)
        assert all(state == seen[0] for state in seen)
        assert seen[0][1]  # indicator values were computed
