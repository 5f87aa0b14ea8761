from __future__ import annotations

from datetime import date
from typing import Annotated

from django.db.models import Q
from ninja import FilterLookup, FilterSchema

from mantianxing.carriers.choices import BuildingStatus


class BuildingFilterSet(FilterSchema):
    """The filters of the building list, shared by the page and the API."""

    q: Annotated[str | None, FilterLookup(["code__icontains", "name__icontains", "address__icontains"])] = (
        None
    )
    unit: Annotated[str | None, FilterLookup("unit__code")] = None
    status: Annotated[BuildingStatus | None, FilterLookup("status")] = None
    move_in_ready: Annotated[bool | None, FilterLookup("move_in_ready")] = None


class OccupancyFilterSet(FilterSchema):
    """The filters of the occupancy list, shared by the page and the API."""

    building: Annotated[str | None, FilterLookup("building__code")] = None
    q: Annotated[str | None, FilterLookup(["enterprise__uscc__icontains", "enterprise__name__icontains"])] = (
        None
    )
    unit: Annotated[str | None, FilterLookup("building__unit__code")] = None
    on: date | None = None  # in force on this day (see `OccupancyQuerySet.on`)

    def filter_on(self, value: date | None) -> Q:
        if value is None:
            return Q()
        return Q(moved_in_on__lte=value) & (Q(moved_out_on__isnull=True) | Q(moved_out_on__gt=value))
