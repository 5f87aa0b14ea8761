from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from mantianxing.core.generic import ScopedCreateView, ScopedDetailView, ScopedListView, ScopedUpdateView
from mantianxing.core.scoping import ScopeKind, can_write, scope_of
from mantianxing.enterprises.filters import ORIGIN_FILTER_CHOICES, DisputeFilterSet, EnterpriseFilterSet
from mantianxing.enterprises.forms import EnterpriseForm, HonourForm
from mantianxing.enterprises.guishang import guishang_basis, with_guishang
from mantianxing.enterprises.models import Enterprise, EnterpriseOrigin, FocusDomain, Honour, IndustryClass
from mantianxing.enterprises.origin import disputed_enterprises
from mantianxing.enterprises.profile import (
    claim_disputed,
    claimed_label,
    locations,
    origins_by_plan,
    roster_months,
    save_enterprise,
    statistics_rows,
)
from mantianxing.enterprises.shangxing import last_full_year, shangxing_basis, shangxing_ids
from mantianxing.plans.models import Plan
from mantianxing.stats.models import MonthlyStatistics


def with_origins(enterprises: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
    return enterprises.prefetch_related(
        Prefetch("origins", queryset=EnterpriseOrigin.objects.select_related("credited_unit"))
    )


def origin_columns(page: list[Enterprise], plans: list[Plan]) -> list[tuple[Enterprise, list[Any]]]:
    """Each enterprise of the page with its computed origin per plan (None where not computed)."""
    rows = []
    for enterprise in page:
        by_plan = {origin.plan_id: origin for origin in enterprise.origins.all()}
        rows.append((enterprise, [by_plan.get(plan.pk) for plan in plans]))
    return rows


class EnterpriseListView(ScopedListView):
    model = Enterprise
    filterset_class = EnterpriseFilterSet
    template_name = "enterprises/enterprise_list.html"
    select_related = ("unit", "industry")

    def get_queryset(self) -> QuerySet[Enterprise]:
        return with_guishang(with_origins(super().get_queryset()), last_full_year(timezone.localdate()))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plans = list(Plan.objects.all())
        page = list(context["object_list"])
        year = last_full_year(timezone.localdate())
        stars = shangxing_ids(year, [enterprise.pk for enterprise in page])
        context["plans"] = plans
        context["rows"] = [
            (enterprise, origins, enterprise.pk in stars)
            for enterprise, origins in origin_columns(page, plans)
        ]
        context["year"] = year
        context["industries"] = IndustryClass.objects.all()
        context["domains"] = FocusDomain.objects.all()
        context["origin_choices"] = ORIGIN_FILTER_CHOICES
        return context


class EnterpriseDetailView(ScopedDetailView):
    model = Enterprise
    template_name = "enterprises/enterprise_detail.html"

    def get_queryset(self) -> QuerySet[Enterprise]:
        return (
            super()
            .get_queryset()
            .select_related("unit", "industry", "batch", "created_by", "updated_by")
            .prefetch_related("focus_domains")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        enterprise, user = self.object, self.request.user
        origins = origins_by_plan(enterprise)
        context["honours"] = enterprise.honours.all()
        context["can_add_honour"] = can_write(user, Honour(enterprise=enterprise))
        context["locations"] = locations(enterprise, user)
        context["origins"] = origins
        context["claimed"] = claimed_label(enterprise)
        context["disputed"] = claim_disputed(origins)
        context["roster"] = roster_months(enterprise, user)
        context["can_add_statistics"] = can_write(user, MonthlyStatistics(enterprise=enterprise))
        context["statistics"] = statistics_rows(enterprise, user)
        year = last_full_year(timezone.localdate())
        context["shangxing"] = shangxing_basis(enterprise, year)
        context["guishang"] = guishang_basis(enterprise, year)
        return context


class EnterpriseSaveMixin:
    """Saves through `save_enterprise`: focus domains with the row."""

    def form_valid(self, form: ModelForm) -> HttpResponse:
        try:
            self.object = save_enterprise(
                self.request.user,  # type: ignore[attr-defined]
                form.instance,
                form.cleaned_data.get("focus_domains"),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)  # type: ignore[attr-defined]
        return HttpResponseRedirect(self.object.get_absolute_url())


class EnterpriseCreateView(EnterpriseSaveMixin, ScopedCreateView):
    model = Enterprise
    form_class = EnterpriseForm
    template_name = "core/record_form.html"


class EnterpriseUpdateView(EnterpriseSaveMixin, ScopedUpdateView):
    model = Enterprise
    form_class = EnterpriseForm
    template_name = "core/record_form.html"


class DisputeListView(ScopedListView):
    """Enterprises whose claimed origin agrees with the computed one in no plan (see `origin.py`).

    For the city office and the districts, each within its scope: they are the ones who claim.
    """

    model = Enterprise
    filterset_class = DisputeFilterSet
    template_name = "enterprises/dispute_list.html"
    select_related = ("unit",)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        scope = scope_of(request.user)
        if scope is not None and scope.kind not in (ScopeKind.CITY, ScopeKind.UNIT):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Enterprise]:
        return with_origins(disputed_enterprises(super().get_queryset()))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plans = list(Plan.objects.all())
        context["plans"] = plans
        context["rows"] = origin_columns(list(context["object_list"]), plans)
        context["can_create"] = False
        return context


class HonourFormMixin:
    model = Honour
    form_class = HonourForm
    template_name = "core/record_form.html"

    def get_success_url(self) -> str:
        return reverse("enterprises:enterprise_detail", args=[self.object.enterprise_id]) + "#honours"  # type: ignore[attr-defined]

    def form_context(self, enterprise: Enterprise) -> dict[str, Any]:
        return {"subtitle": enterprise.name, "cancel_url": enterprise.get_absolute_url() + "#honours"}


class HonourCreateView(HonourFormMixin, ScopedCreateView):
    @cached_property
    def enterprise(self) -> Enterprise:
        visible = Enterprise.objects.visible_to(self.request.user)
        return get_object_or_404(visible, pk=self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"instance": Honour(enterprise=self.enterprise)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | self.form_context(self.enterprise)


class HonourUpdateView(HonourFormMixin, ScopedUpdateView):
    def get_queryset(self) -> QuerySet[Honour]:
        return super().get_queryset().select_related("enterprise")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | self.form_context(self.object.enterprise)
