"""Which of today's units holds a place: the one answer every app uses to count across boundary changes.

A record (a building, a firm, an occupancy) is filed under the unit that held its place when it was
filed. To compare figures across the 2025-11-06 change (江北区, 渝北区 → 两江新区), every app counts
it for the unit that carries that unit today: follow the primary successions
(`mantianxing.geo.lookup.successor_map`) to the first unit still existing. Monitoring's indicators,
honours' 上星 and building lists all read `Places`; the city (500000) holds everything.

A unit split between several (渝北区's five towns went to 北碚区) is carried by one, its primary
successor; `holders` answers the other question, which of today's units hold *some* part of it,
for a firm's move to be told from a change of boundary (`enterprises.origin`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.utils import timezone

from mantianxing.geo.lookup import successor_map
from mantianxing.geo.models import CITY_CODE, Succession, Unit


@dataclass(frozen=True)
class Places:
    """Every unit, and for each the id of the unit that carries it on the day loaded (today)."""

    units: dict[int, Unit]
    today: dict[int, int]  # unit id → id of the unit carrying it
    city: int
    on: date

    @classmethod
    def load(cls, on: date | None = None) -> Places:
        """Two queries: the units and the primary successions."""
        on = on or timezone.localdate()
        units = {unit.pk: unit for unit in Unit.objects.all()}
        city = next(pk for pk, unit in units.items() if unit.code == CITY_CODE)
        return cls(units, successor_map(on, units), city, on)

    def holder(self, unit_id: int | None) -> int | None:
        """The id of the unit carrying `unit_id` today (itself when it has no successor); None stays None."""
        return None if unit_id is None else self.today.get(unit_id, unit_id)

    def credited(self, unit_id: int | None) -> int:
        """The unit a figure filed under `unit_id` counts for today: its holder, else the city."""
        return self.holder(unit_id) or self.city

    def of(self, unit_id: int) -> Unit:
        """The unit carrying `unit_id` today, as a `Unit`."""
        return self.units[self.today.get(unit_id, unit_id)]

    def filed_under(self, units: Iterable[Unit]) -> set[int]:
        """The ids of the units whose records belong to `units`: the units and those they carry today."""
        wanted = {unit.pk for unit in units}
        return wanted | {pk for pk, carrier in self.today.items() if carrier in wanted}

    def holds(self, unit_id: int, credited: int | None) -> bool:
        """Is a figure credited to `credited` part of unit `unit_id`'s figure (the city holds everything)?"""
        return unit_id == self.city or self.credited(credited) == unit_id

    @cached_property
    def _successors(self) -> dict[int, list[int]]:
        found: dict[int, list[int]] = defaultdict(list)
        for predecessor, successor in Succession.objects.values_list("predecessor_id", "successor_id"):
            found[predecessor].append(successor)
        return found

    def holders(self, unit_id: int) -> frozenset[int]:
        """The units existing on the day loaded that hold some part of `unit_id`, through every
        succession (primary or not): the unit itself while it exists. One query, the first time."""
        seen: set[int] = set()
        found: set[int] = set()
        waiting = [unit_id]
        while waiting:
            pk = waiting.pop()
            if pk in seen:
                continue
            seen.add(pk)
            if self.units[pk].is_valid_on(self.on):
                found.add(pk)
            else:
                waiting.extend(self._successors.get(pk, ()))
        return frozenset(found) or frozenset({unit_id})
