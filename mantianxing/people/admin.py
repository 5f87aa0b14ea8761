"""People in the back office: read-only, scoped, never the ID hash, a salary only where allowed."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest, HttpResponse

from mantianxing.audit.services import record_person_view
from mantianxing.core.admin import ScopedAdmin
from mantianxing.core.scoping import ScopeKind, scope_of
from mantianxing.people.models import EmploymentSpell, Person, RosterFiling
from mantianxing.people.privacy import may_see_salaries_of_all_visible, may_see_salary


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    """Written by roster imports only; the keyed hash is never shown, not even read-only."""

    list_display = ["name", "id_masked"]
    search_fields = ["name", "id_masked"]
    fields = ["name", "id_masked"]
    show_auditlog_history_link = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


@admin.register(EmploymentSpell)
class EmploymentSpellAdmin(ScopedAdmin):
    # No salary column: the list is seen by roles that may not see salaries.
    list_display = ["person", "enterprise", "first_month", "last_month", "role_category", "hired_on", "batch"]
    list_filter = ["role_category"]
    search_fields = ["person__name", "person__id_masked", "enterprise__uscc", "enterprise__name"]
    list_select_related = ["person", "enterprise", "batch"]
    autocomplete_fields = ["person", "enterprise"]
    show_auditlog_history_link = False

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        # Django allows `?field__lookup=` on every local field, listed in list_filter or not: a salary
        # lookup would count (`annual_salary__gte=30`) or name (`annual_salary=27.80`) the people it hides.
        if lookup.split("__")[0] == "annual_salary" and not may_see_salaries_of_all_visible(request.user):
            return False
        return super().lookup_allowed(lookup, value, request)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        # Read like the person's page: a shown salary is an audited read (audit.services).
        spell = getattr(response, "context_data", {}).get("original") if response.status_code == 200 else None
        if isinstance(spell, EmploymentSpell) and request.method == "GET":
            shown = spell.annual_salary is not None and self._may_see_salary(request, spell)
            record_person_view(request.user, spell.person, includes_salary=shown)
        return response

    def get_exclude(self, request: HttpRequest, obj: EmploymentSpell | None = None) -> Any:
        excluded = list(super().get_exclude(request, obj) or [])
        if not self._may_see_salary(request, obj):
            excluded.append("annual_salary")
        return excluded

    def _may_see_salary(self, request: HttpRequest, obj: EmploymentSpell | None) -> bool:
        if obj is not None:
            return may_see_salary(request.user, obj.enterprise_id)
        # A new spell: an enterprise user files its own people, whose salaries it may see.
        scope = scope_of(request.user)
        return scope is not None and (
            scope.kind is ScopeKind.ENTERPRISE or may_see_salary(request.user, None)
        )


@admin.register(RosterFiling)
class RosterFilingAdmin(ScopedAdmin):
    list_display = ["enterprise", "month", "headcount", "batch"]
    search_fields = ["enterprise__uscc", "enterprise__name"]
    list_select_related = ["enterprise", "batch"]
    date_hierarchy = "month"
    autocomplete_fields = ["enterprise"]
    show_auditlog_history_link = False
