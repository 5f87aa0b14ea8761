from __future__ import annotations

from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone

from mantianxing.carriers.choices import STATUS_DATE_FIELDS, BuildingStatus
from mantianxing.carriers.filters import BuildingFilterSet, OccupancyFilterSet
from mantianxing.carriers.forms import BuildingForm, OccupancyForm
from mantianxing.carriers.models import Building, Occupancy
from mantianxing.carriers.occupancy import (
    current_tenants,
    in_force,
    occupied_by_month,
    with_current_occupancy,
)
from mantianxing.core.generic import ScopedCreateView, ScopedDetailView, ScopedListView, ScopedUpdateView
from mantianxing.core.scoping import can_create
from mantianxing.enterprises.models import Enterprise

MONTHS_SHOWN = 24


class BuildingListView(ScopedListView):
    model = Building
    filterset_class = BuildingFilterSet
    template_name = "carriers/building_list.html"
    select_related = ("unit",)
    extra_context = {"status_choices": BuildingStatus.choices}

    def get_queryset(self) -> QuerySet[Building]:
        self.today = timezone.localdate()
        return with_current_occupancy(super().get_queryset(), self.today)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"today": self.today}


class BuildingDetailView(ScopedDetailView):
    model = Building
    template_name = "carriers/building_detail.html"

    def get_queryset(self) -> QuerySet[Building]:
        return super().get_queryset().select_related("unit", "batch", "created_by", "updated_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        building = self.object
        today = timezone.localdate()
        occupancies = list(
            building.occupancies.select_related("enterprise", "batch").order_by("moved_in_on", "pk")
        )
        tenants = current_tenants(occupancies, today)
        context["today"] = today
        context["can_add_occupancy"] = can_create(self.request.user, Occupancy)
        context["steps"] = [
            (BuildingStatus(status).label, getattr(building, field), status == building.status)
            for status, field in STATUS_DATE_FIELDS.items()
        ]
        context["tenants"] = tenants
        context["occupied_area"] = sum((o.area for o in tenants), 0)
        context["occupancies"] = occupancies
        context["months"] = occupied_by_month(occupancies, building.carrier_area, today, MONTHS_SHOWN)
        context["visible_enterprises"] = visible_ids(
            Enterprise.objects.visible_to(self.request.user), {o.enterprise_id for o in occupancies}
        )
        return context


def visible_ids(queryset: QuerySet[Any], ids: set[int]) -> set[int]:
    """Which of `ids` the (already scoped) queryset holds: link only to pages the user may open."""
    return set(queryset.filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()


class BuildingCreateView(ScopedCreateView):
    model = Building
    form_class = BuildingForm
    template_name = "core/record_form.html"


class BuildingUpdateView(ScopedUpdateView):
    model = Building
    form_class = BuildingForm
    template_name = "core/record_form.html"


class OccupancyListView(ScopedListView):
    model = Occupancy
    filterset_class = OccupancyFilterSet
    template_name = "carriers/occupancy_list.html"
    select_related = ("building", "building__unit", "enterprise", "batch")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["total_area"] = self.object_list.aggregate(total=Sum("area"))["total"]
        context["today"] = timezone.localdate()
        return context


class OccupancyDetailView(ScopedDetailView):
    model = Occupancy
    template_name = "carriers/occupancy_detail.html"

    def get_queryset(self) -> QuerySet[Occupancy]:
        return (
            super()
            .get_queryset()
            .select_related("building", "building__unit", "enterprise", "batch", "created_by", "updated_by")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        occupancy = self.object
        today = timezone.localdate()
        if occupancy.moved_in_on > today:
            context["state"] = "尚未入驻"
        else:
            context["state"] = "在驻" if in_force(occupancy, today) else "已迁出"
        context["enterprise_visible"] = bool(
            visible_ids(Enterprise.objects.visible_to(self.request.user), {occupancy.enterprise_id})
        )
        return context


class OccupancyCreateView(ScopedCreateView):
    model = Occupancy
    form_class = OccupancyForm
    template_name = "core/record_form.html"

    def get_initial(self) -> dict[str, Any]:
        # "登记入驻" on a building's page names the building.
        initial = super().get_initial()
        if code := self.request.GET.get("building"):
            initial["building"] = code
        return initial


class OccupancyUpdateView(ScopedUpdateView):
    model = Occupancy
    form_class = OccupancyForm
    template_name = "core/record_form.html"
