from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum

from mantianxing.core.generic import ScopedCreateView, ScopedDetailView, ScopedListView, ScopedUpdateView
from mantianxing.stats.filters import StatisticsFilterSet
from mantianxing.stats.forms import MonthlyStatisticsForm
from mantianxing.stats.models import REVENUE_PARTS, MonthlyStatistics

CENT = Decimal("0.01")
SUMMED = (
    "software_revenue",
    *REVENUE_PARTS,
    "rd_expense",
    "headcount",
    "operating_revenue",
    "main_business_revenue",
)


def totals(rows: QuerySet[MonthlyStatistics]) -> dict[str, Any]:
    """The sums of the filtered rows, how many rows and how many distinct months they span."""
    sums = {name: Sum(name) for name in SUMMED}
    result = rows.order_by().aggregate(rows=Count("pk"), months=Count("month", distinct=True), **sums)
    # Some databases drop the trailing zeros of a decimal sum; money is shown to the fen (0.01 万元).
    return {
        key: value.quantize(CENT) if isinstance(value, Decimal) else value for key, value in result.items()
    }


class StatisticsListView(ScopedListView):
    model = MonthlyStatistics
    filterset_class = StatisticsFilterSet
    template_name = "stats/statistics_list.html"
    select_related = ("enterprise", "enterprise__unit", "batch")

    def get_queryset(self) -> QuerySet[MonthlyStatistics]:
        return super().get_queryset().order_by("-month", "enterprise__name", "pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"totals": totals(self.object_list)}


class StatisticsDetailView(ScopedDetailView):
    model = MonthlyStatistics
    template_name = "stats/statistics_detail.html"

    def get_queryset(self) -> QuerySet[MonthlyStatistics]:
        return (
            super()
            .get_queryset()
            .select_related("enterprise", "enterprise__unit", "batch", "created_by", "updated_by")
        )


class StatisticsCreateView(ScopedCreateView):
    model = MonthlyStatistics
    form_class = MonthlyStatisticsForm
    template_name = "core/record_form.html"

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        if uscc := self.request.GET.get("enterprise"):
            initial["enterprise"] = uscc
        return initial


class StatisticsUpdateView(ScopedUpdateView):
    model = MonthlyStatistics
    form_class = MonthlyStatisticsForm
    template_name = "core/record_form.html"
