from __future__ import annotations

from datetime import date
from typing import Annotated

from django.db.models import Q
from ninja import FilterLookup, FilterSchema

from mantianxing.core.filtering import Month
from mantianxing.lib.identifiers import normalize_uscc


class StatisticsFilterSet(FilterSchema):
    """The filters of the statistics list, shared by the page and the API."""

    month: Month | None = None
    unit: Annotated[str | None, FilterLookup("enterprise__unit__code")] = None
    q: Annotated[str | None, FilterLookup(["enterprise__uscc__icontains", "enterprise__name__icontains"])] = (
        None
    )
    enterprise: str | None = None  # USCC, exact

    def filter_month(self, value: date | None) -> Q:
        # Months are stored as their first day; a range keeps a stray day-of-month from hiding a row.
        if value is None:
            return Q()
        following = date(value.year + value.month // 12, value.month % 12 + 1, 1)
        return Q(month__gte=value, month__lt=following)

    def filter_enterprise(self, value: str | None) -> Q:
        return Q(enterprise__uscc=normalize_uscc(value)) if value else Q()
