"""Which of today's units carries a record filed under any unit, read in two queries.

Honours count the way monitoring does: a building or firm filed under a unit abolished since (江北区,
渝北区) belongs to the unit that carries it today (两江新区), following the primary successions
(`mantianxing.geo.lookup.successor_map`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from mantianxing.geo.lookup import successor_map
from mantianxing.geo.models import Unit


@dataclass(frozen=True)
class Places:
    units: dict[int, Unit]
    today: dict[int, int]  # unit id → id of the unit carrying it today

    @classmethod
    def load(cls, on: date | None = None) -> Places:
        on = on or timezone.localdate()
        units = {unit.pk: unit for unit in Unit.objects.all()}
        return cls(units, successor_map(on, units))

    def of(self, unit_id: int) -> Unit:
        """The unit carrying `unit_id` today (the unit itself when it has no successor)."""
        return self.units[self.today.get(unit_id, unit_id)]

    def filed_under(self, units: Iterable[Unit]) -> set[int]:
        """The ids of the units whose records belong to `units`: the units and those they carry today."""
        wanted = {unit.pk for unit in units}
        return wanted | {pk for pk, carrier in self.today.items() if carrier in wanted}
