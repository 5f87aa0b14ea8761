from __future__ import annotations

from typing import Annotated

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
