"""Questions about places and time: who held this place on this date, who succeeds this unit."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from mantianxing.core.scoping import ScopeKind, scope_of
from mantianxing.geo.choices import UnitGroup
from mantianxing.geo.models import CITY_CODE, PlaceHolding, Succession, Unit, UnitQuerySet, valid_on_q

CITY_PREFIXES = ("重庆市", "重庆")


def _clean(place: str) -> str:
    text = place.strip().replace(" ", "").replace("\u3000", "")
    for prefix in CITY_PREFIXES:
        if text.startswith(prefix) and text != prefix:
            return text[len(prefix) :]
    return text


def unit_on(place: str, on: date) -> Unit | None:
    """The unit that held `place` on `on`.

    `place` is a unit's code (500112), a unit's name (渝北区, 渝北), or a listed town or street
    (大湾镇) whose unit changed over time. Returns None when nothing matches on that date.
    """
    text = _clean(place)
    if not text:
        return None
    units = Unit.objects.valid_on(on)
    if len(text) == 6 and text[:4].isdigit():
        return units.filter(code=text.upper()).first()
    holding = (
        PlaceHolding.objects.filter(valid_on_q(on, "valid_from", "until"), place__name=text)
        .select_related("unit")
        .first()
    )
    if holding:
        return holding.unit
    exact = units.filter(name=text).first()
    if exact:
        return exact
    # Names are often written without their suffix: 渝北 for 渝北区, 高新区 for the full zone name.
    candidates = [u for u in units.exclude(code=CITY_CODE) if u.name.startswith(text) or text in u.name]
    return candidates[0] if len(candidates) == 1 else None


def successors(unit: Unit, on: date | None = None) -> list[Unit]:
    """Every unit existing on `on` (default today) that took over some part of `unit`."""
    on = on or timezone.localdate()
    if unit.is_valid_on(on):
        return [unit]
    found: list[Unit] = []
    for succession in unit.successions.select_related("successor").order_by("-primary", "successor__code"):
        for unit_then in successors(succession.successor, on):
            if unit_then not in found:
                found.append(unit_then)
    return found


def primary_successor(unit: Unit, on: date | None = None) -> Unit | None:
    """The unit that carries `unit`'s history on `on`: follow the primary successions."""
    on = on or timezone.localdate()
    current: Unit | None = unit
    while current is not None and not current.is_valid_on(on):
        step = current.successions.filter(primary=True).select_related("successor").first()
        current = step.successor if step else None
    return current


def successor_map(on: date | None = None, units: dict[int, Unit] | None = None) -> dict[int, int]:
    """unit id → id of the unit that carries it on `on`, for every unit: to compare across changes.

    `primary_successor` for all units at once, in two queries (one when `units` are given)."""
    on = on or timezone.localdate()
    units = units if units is not None else {unit.pk: unit for unit in Unit.objects.all()}
    primary = dict(Succession.objects.filter(primary=True).values_list("predecessor_id", "successor_id"))
    carriers: dict[int, int] = {}
    for pk in units:
        current: int | None = pk
        seen: set[int] = set()
        while current is not None and current not in seen and not units[current].is_valid_on(on):
            seen.add(current)
            current = primary.get(current)
        if current is not None and current not in seen:
            carriers[pk] = current
    return carriers


def describe(unit: Unit, on: date) -> dict[str, Any]:
    """A unit as the API and `mtx units --json` show it, with its groups as of `on`."""
    return {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "valid_from": unit.valid_from,
        "abolished_on": unit.abolished_on,
        "central": unit.in_group(UnitGroup.CENTRAL, on),
        "ranked_2022": unit.in_group(UnitGroup.RANKED_2022, on),
    }


def resolve_place(place: str, on: date) -> dict[str, Any]:
    """Which unit held `place` on `on`, and which units carry it today."""
    today = timezone.localdate()
    unit = unit_on(place, on)
    return {
        "place": place,
        "on": on,
        "unit": describe(unit, on) if unit else None,
        "current": [describe(u, today) for u in successors(unit, today)] if unit else [],
    }


def units_assignable_by(user: Any, keep: int | None = None) -> UnitQuerySet:
    """The units a user may file a record under: all current ones for the city, else their own.

    `keep` (the record's present unit) stays selectable, so that a user scoped to one building
    can edit it without being asked to move it.
    """
    scope = scope_of(user)
    current = Unit.objects.valid_on(timezone.localdate()).reporting()
    if scope is None or scope.read_only:
        allowed = Unit.objects.none()
    elif scope.kind is ScopeKind.CITY:
        allowed = current
    elif scope.kind is ScopeKind.UNIT and scope.target_id is not None:
        allowed = current.filter(pk=scope.target_id)
    else:
        allowed = Unit.objects.none()
    return (allowed | Unit.objects.filter(pk=keep)) if keep else allowed
