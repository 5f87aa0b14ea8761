"""Class-based views for scoped ledgers: list, detail with history, create and edit.

Each queryset starts from `visible_to(user)`, so a row outside the user's scope answers 404;
each save goes through `save_record`, which checks the write against the scope again.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms import ModelForm
from django.http import HttpResponse, HttpResponseRedirect
from django.views.generic import CreateView, DetailView, ListView, UpdateView
from ninja import FilterSchema
from pydantic import ValidationError as FilterError

from mantianxing.core.audit import change_history
from mantianxing.core.scoping import can_create, can_write
from mantianxing.core.services import save_record


class ScopedMixin(LoginRequiredMixin):
    model: type[models.Model]

    def get_queryset(self) -> models.QuerySet:
        return self.model.objects.visible_to(self.request.user)  # type: ignore[attr-defined]


class ScopedListView(ScopedMixin, ListView):
    filterset_class: type[FilterSchema]
    select_related: tuple[str, ...] = ()
    paginate_by = 50

    def get_queryset(self) -> models.QuerySet:
        given = {key: value for key, value in self.request.GET.items() if value and key != "page"}
        try:
            self.filters = self.filterset_class(**given)
        except FilterError:
            self.filters = self.filterset_class()
        return self.filters.filter(super().get_queryset().select_related(*self.select_related))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["filters"] = self.filters
        context["can_create"] = can_create(self.request.user, self.model)
        context["query_string"] = urlencode(self.filters.model_dump(exclude_none=True))
        return context


class ScopedDetailView(ScopedMixin, DetailView):
    history_limit = 50

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_edit"] = can_write(self.request.user, self.object)
        context["history"] = change_history(self.object, self.history_limit)
        return context


class ScopedFormMixin(ScopedMixin):
    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["verbose_name"] = self.model._meta.verbose_name
        return context

    def form_valid(self, form: ModelForm) -> HttpResponse:
        try:
            self.object = save_record(self.request.user, form.instance)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)  # type: ignore[attr-defined]
        # Not ModelFormMixin.form_valid: it would save the form a second time, past the service.
        return HttpResponseRedirect(self.get_success_url())  # type: ignore[attr-defined]


class ScopedCreateView(ScopedFormMixin, CreateView):
    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not can_create(request.user, self.model):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ScopedUpdateView(ScopedFormMixin, UpdateView):
    def get_object(self, queryset: models.QuerySet | None = None) -> models.Model:
        obj = super().get_object(queryset)
        if not can_write(self.request.user, obj):
            raise PermissionDenied
        return obj
