from mantianxing.carriers.choices import BuildingStatus
from mantianxing.carriers.filters import BuildingFilterSet
from mantianxing.carriers.forms import BuildingForm
from mantianxing.carriers.models import Building
from mantianxing.core.generic import ScopedCreateView, ScopedDetailView, ScopedListView, ScopedUpdateView


class BuildingListView(ScopedListView):
    model = Building
    filterset_class = BuildingFilterSet
    template_name = "carriers/building_list.html"
    select_related = ("unit",)
    extra_context = {"status_choices": BuildingStatus.choices}


class BuildingDetailView(ScopedDetailView):
    model = Building
    template_name = "carriers/building_detail.html"


class BuildingCreateView(ScopedCreateView):
    model = Building
    form_class = BuildingForm
    template_name = "core/record_form.html"


class BuildingUpdateView(ScopedUpdateView):
    model = Building
    form_class = BuildingForm
    template_name = "core/record_form.html"
