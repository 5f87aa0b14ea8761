from __future__ import annotations

from typing import Annotated

from ninja import FilterLookup, FilterSchema


class EnterpriseFilterSet(FilterSchema):
    """The filters of the enterprise list, shared by the page and the API."""

    q: Annotated[str | None, FilterLookup(["uscc__icontains", "name__icontains"])] = None
    unit: Annotated[str | None, FilterLookup("unit__code")] = None
