from auditlog.mixins import AuditlogHistoryAdminMixin
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

from mantianxing.accounts.models import ApiToken, LockRelease, Organisation, User
from mantianxing.accounts.services import can_manage_accounts
from mantianxing.core.admin import ScopedAdmin

admin.site.unregister(Group)


def _is_city_writer(request: HttpRequest) -> bool:
    return can_manage_accounts(request.user)


class AccountsAdmin(ModelAdmin):
    """What only the city office (and superusers) manage: users, tokens, sign-in lock releases.
    Subclasses say which of add, change and delete they allow on top of seeing the rows."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_city_writer(request)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _is_city_writer(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class PasswordResetForm(AdminPasswordChangeForm):
    """The city office's password reset: the password rules apply, and by default a change is forced."""

    must_change_password = forms.BooleanField(
        label=_("下次登录须修改密码"),
        initial=True,
        required=False,
        help_text=_("用户下次登录后必须先修改密码；其 API 令牌随本次重置全部吊销。"),
    )

    def save(self, commit: bool = True) -> User:
        self.user.must_change_password = self.cleaned_data["must_change_password"]
        return super().save(commit=commit)


@admin.register(User)
class UserAdmin(AuditlogHistoryAdminMixin, DjangoUserAdmin, ModelAdmin):
    """Accounts are managed by the city office alone."""

    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = PasswordResetForm
    list_display = [
        "username",
        "last_name",
        "first_name",
        "role",
        "unit",
        "is_active",
        "must_change_password",
    ]
    list_filter = ["role", "is_active", "must_change_password"]
    list_select_related = ["unit"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("last_name", "first_name", "email")}),
        (_("角色与数据范围"), {"fields": ("role", "unit", "building", "enterprise", "organisation")}),
        (
            _("状态"),
            {
                "fields": (
                    "is_active",
                    "must_change_password",
                    "is_staff",
                    "is_superuser",
                    "last_login",
                    "date_joined",
                    "password_changed_at",
                )
            },
        ),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "password1", "password2")}),
        (_("角色与数据范围"), {"fields": ("role", "unit", "building", "enterprise", "organisation")}),
    )
    autocomplete_fields = ["building", "enterprise", "organisation"]
    readonly_fields = ["password_changed_at"]

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
class ApiTokenAdmin(AccountsAdmin):
    list_display = ["prefix", "user", "created_at", "last_used_at", "expires_at", "revoked_at"]
    readonly_fields = ["user", "key_hash", "prefix", "created_at", "last_used_at", "expires_at"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _is_city_writer(request)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _is_city_writer(request)


@admin.register(LockRelease)
class LockReleaseAdmin(AccountsAdmin):
    """Read-only: the releases are made on the 登录锁定 page (accounts:locks), one row per unlock."""

    list_display = ["released_at", "released_by", "kind", "value", "failures"]
    list_filter = ["kind"]
    search_fields = ["value", "released_by__username"]
