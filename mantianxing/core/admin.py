"""The back office's share of the scoping mechanism: every scoped ModelAdmin uses ScopedAdmin."""

from __future__ import annotations

from typing import Any

from auditlog.mixins import AuditlogHistoryAdminMixin
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from unfold.admin import ModelAdmin

from mantianxing.core.scoping import can_create, can_write, check_write, scope_of
from mantianxing.core.services import stamp
from mantianxing.geo.lookup import units_assignable_by
from mantianxing.geo.models import Unit


class ScopedAdmin(AuditlogHistoryAdminMixin, ModelAdmin):
    """Rows outside the user's scope do not exist for them; writes are checked row by row.

    Django's per-model permissions are not consulted: the role and scope decide, as they do
    for the HTML views and the API. Each object's change history is one click away.
    """

    show_auditlog_history_link = True

    def has_module_permission(self, request: HttpRequest) -> bool:
        return scope_of(request.user) is not None

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if scope_of(request.user) is None:
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return can_create(request.user, self.model)

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if obj is None:
            return can_create(request.user, self.model) or self._may_edit_some(request)
        return can_write(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if obj is None:
            return can_create(request.user, self.model)
        return can_write(request.user, obj)

    def _may_edit_some(self, request: HttpRequest) -> bool:
        scope = scope_of(request.user)
        return scope is not None and not scope.read_only and scope.role in self.model.scope_writers

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return super().get_queryset(request).visible_to(request.user)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # Offer only the targets the user may use (their own unit, say), so a choice cannot leak scope.
        related = db_field.remote_field.model
        if related is Unit:
            kwargs["queryset"] = units_assignable_by(request.user, keep=self._stored_unit_id(request))
        elif hasattr(related.objects, "visible_to"):
            kwargs["queryset"] = related.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _stored_unit_id(self, request: HttpRequest) -> int | None:
        """The unit of the object being edited, which stays selectable (see units_assignable_by)."""
        match = request.resolver_match
        object_id = match.kwargs.get("object_id") if match else None
        if object_id is None:
            return None
        return self.get_queryset(request).filter(pk=unquote(object_id)).values_list("unit", flat=True).first()

    def auditlog_history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # The mixin renders an empty page for an object it cannot find; out of scope is not found.
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404
        return super().auditlog_history_view(request, object_id, extra_context)

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        check_write(request.user, obj)
        stamp(obj, request.user)
        super().save_model(request, obj, form, change)

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        check_write(request.user, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyAdmin(ModelAdmin):
    """Reference data: readable by every signed-in role, changed only by migrations."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return scope_of(request.user) is not None

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return scope_of(request.user) is not None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


admin.site.site_title = "满天星"
admin.site.site_header = "满天星 管理后台"
admin.site.index_title = "管理后台"


class ServiceOnlyAdmin(ScopedAdmin):
    """Rows that change only through their services (the pages, the API, the CLI): read here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False
