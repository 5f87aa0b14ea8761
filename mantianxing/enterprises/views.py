from mantianxing.core.generic import ScopedCreateView, ScopedDetailView, ScopedListView, ScopedUpdateView
from mantianxing.enterprises.filters import EnterpriseFilterSet
from mantianxing.enterprises.forms import EnterpriseForm
from mantianxing.enterprises.models import Enterprise


class EnterpriseListView(ScopedListView):
    model = Enterprise
    filterset_class = EnterpriseFilterSet
    template_name = "enterprises/enterprise_list.html"
    select_related = ("unit",)


class EnterpriseDetailView(ScopedDetailView):
    model = Enterprise
    template_name = "enterprises/enterprise_detail.html"


class EnterpriseCreateView(ScopedCreateView):
    model = Enterprise
    form_class = EnterpriseForm
    template_name = "core/record_form.html"


class EnterpriseUpdateView(ScopedUpdateView):
    model = Enterprise
    form_class = EnterpriseForm
    template_name = "core/record_form.html"
