from __future__ import annotations

from typing import Annotated, Literal

from django.db.models import Q
from django.utils import timezone
from ninja import FilterLookup, FilterSchema

from mantianxing.enterprises.choices import NEW_ORIGINS, Origin
from mantianxing.enterprises.guishang import guishang_q
from mantianxing.enterprises.models import Enterprise, EnterpriseOrigin
from mantianxing.enterprises.shangxing import last_full_year

# "new" selects both new origins (新设立 and 新引进), the firms the plans count.
NEW = "new"
OriginChoice = Origin | Literal["new"]
ORIGIN_FILTER_CHOICES = [(NEW, "新企业（新设立＋新引进）"), *Origin.choices]


def origin_q(plan_code: str, value: OriginChoice | None) -> Q:
    """The enterprises whose computed origin in the plan `plan_code` is `value`."""
    if value is None:
        return Q()
    origins = NEW_ORIGINS if value == NEW else {value}
    computed = EnterpriseOrigin.objects.filter(plan__code=plan_code, origin__in=origins)
    return Q(pk__in=computed.values("enterprise_id"))


class EnterpriseFilterSet(FilterSchema):
    """The filters of the enterprise list, shared by the page and the API."""

    q: Annotated[str | None, FilterLookup(["uscc__icontains", "name__icontains"])] = None
    unit: Annotated[str | None, FilterLookup("unit__code")] = None
    industry: Annotated[str | None, FilterLookup("industry__code")] = None
    domain: str | None = None  # a focus domain's code
    origin_2022: OriginChoice | None = None  # the computed origin in the 2022–2025 plan
    origin_2025: OriginChoice | None = None  # … in the 2025–2027 plan
    guishang: bool | None = None  # 规上 in the last full year (`guishang.py`); false: not 规上

    def filter_domain(self, value: str | None) -> Q:
        if not value:
            return Q()
        # A subquery, not a join: a join through the many-to-many table could repeat rows.
        chosen = Enterprise.focus_domains.through.objects.filter(focusdomain__code=value)
        return Q(pk__in=chosen.values("enterprise_id"))

    def filter_origin_2022(self, value: OriginChoice | None) -> Q:
        return origin_q("2022", value)

    def filter_origin_2025(self, value: OriginChoice | None) -> Q:
        return origin_q("2025", value)

    def filter_guishang(self, value: bool | None) -> Q:
        return guishang_q(last_full_year(timezone.localdate()), value)


class DisputeFilterSet(FilterSchema):
    """The filters of the list of disputed claims."""

    q: Annotated[str | None, FilterLookup(["uscc__icontains", "name__icontains"])] = None
    unit: Annotated[str | None, FilterLookup("unit__code")] = None
