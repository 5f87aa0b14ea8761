from __future__ import annotations

from typing import Annotated

from ninja import FilterLookup, FilterSchema

from mantianxing.core.filtering import Month


class MonthlyReportFilterSet(FilterSchema):
    """The filters of the report list API."""

    month: Month | None = None
    unit: Annotated[str | None, FilterLookup("unit__code")] = None
    status: str | None = None
