from auditlog.mixins import AuditlogHistoryAdminMixin
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

from mantianxing.accounts.models import ApiToken, Organisation, User
from mantianxing.core.admin import ScopedAdmin
from mantianxing.core.scoping import ScopeKind, scope_of

admin.site.unregister(Group)


def _is_city_writer(request: HttpRequest) -> bool:
    scope = scope_of(request.user)
    return scope is not None and scope.kind is ScopeKind.CITY and not scope.read_only


@admin.register(User)
class UserAdmin(AuditlogHistoryAdminMixin, DjangoUserAdmin, ModelAdmin):
    """Accounts are managed by the city office alone."""

    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm
    list_display = ["username", "last_name", "first_name", "role", "unit", "is_active"]
    list_filter = ["role", "is_active"]
    list_select_related = ["unit"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("last_name", "first_name", "email")}),
        (_("角色与数据范围"), {"fields": ("role", "unit", "building", "enterprise", "organisation")}),
        (_("状态"), {"fields": ("is_active", "is_staff", "is_superuser", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "password1", "password2")}),
        (_("角色与数据范围"), {"fields": ("role", "unit", "building", "enterprise", "organisation")}),
    )
    autocomplete_fields = ["building", "enterprise", "organisation"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_city_writer(request)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _is_city_writer(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_city_writer(request)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _is_city_writer(request)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _is_city_writer(request)


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdmin):
    list_display = ["name", "kind", "unit"]
    list_filter = ["kind"]
    search_fields = ["name", "uscc"]


@admin.register(ApiToken)
class ApiTokenAdmin(ModelAdmin):
    list_display = ["prefix", "user", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "key_hash", "prefix", "created_at", "last_used_at"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_city_writer(request)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _is_city_writer(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _is_city_writer(request)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _is_city_writer(request)
