from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mantianxing.accounts.choices import LockKind, OrganisationKind, Role
from mantianxing.core.fields import USCCField
from mantianxing.core.models import TrackedModel
from mantianxing.core.scoping import ScopeKind


class Organisation(TrackedModel):
    """An owner organisation: a department or state-owned firm that owns scenarios, or an operator."""

    name = models.CharField(_("名称"), max_length=200, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=OrganisationKind.choices)
    uscc = USCCField(_("统一社会信用代码"), blank=True)
    unit = models.ForeignKey(
        "geo.Unit", verbose_name=_("所属区县"), on_delete=models.PROTECT, related_name="organisations"
    )

    scope_lookups = {ScopeKind.UNIT: "unit", ScopeKind.ORGANISATION: "pk"}
    scope_writers = frozenset({Role.CITY_OFFICE, Role.DISTRICT_OFFICER, Role.SCENARIO_OWNER})

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# Which field of the user names the object of each scoped role.
ROLE_SCOPE_FIELD: dict[str, str] = {
    Role.DISTRICT_OFFICER: "unit",
    Role.BUILDING_OPERATOR: "building",
    Role.ENTERPRISE_USER: "enterprise",
    Role.SCENARIO_OWNER: "organisation",
}


class MtxUserManager(UserManager["User"]):
    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra_fields: Any
    ) -> User:
        # `createsuperuser` lets its caller bypass the password rules (a "y" at its prompt, or
        # --noinput with DJANGO_SUPERUSER_PASSWORD, which it never checks): not here.
        if password is not None:
            validate_password(password, self.model(username=username, email=email or "", **extra_fields))
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices, blank=True)
    unit = models.ForeignKey(
        "geo.Unit",
        verbose_name=_("所属区县"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("区县经信部门必填；审计/领导可填，填写后只读该区县。"),
    )
    building = models.ForeignKey(
        "carriers.Building",
        verbose_name=_("负责楼宇"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="operator_users",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("所属企业"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("所属机构"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    must_change_password = models.BooleanField(
        _("下次登录须修改密码"),
        default=False,
        help_text=_("市专班重置密码后置位；用户修改密码前只能访问修改密码页面。"),
    )
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True, editable=False)

    objects: ClassVar[MtxUserManager] = MtxUserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        full = f"{self.last_name}{self.first_name}".strip()
        return f"{full}（{self.username}）" if full else self.username

    def clean(self) -> None:
        super().clean()
        # A scoped role needs its object, and holds no other: one user, one scope.
        needed = ROLE_SCOPE_FIELD.get(self.role)
        errors: dict[str, Any] = {}
        if needed and getattr(self, f"{needed}_id") is None:
            errors[needed] = _("该角色必须指定数据范围。")
        for field in ROLE_SCOPE_FIELD.values():
            allowed = field == needed or (self.role == Role.AUDITOR and field == "unit")
            if not allowed and getattr(self, f"{field}_id") is not None:
                errors[field] = _("该角色不使用此数据范围，请留空。")
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A new password (set through any door: own change, city reset, admin, createsuperuser,
        # changepassword) ends every API token of the user: a token taken with a leaked password
        # must not outlive the password. The change time lands in the user's change history.
        password_changed = self._password is not None  # type: ignore[attr-defined]
        if password_changed:
            self.password_changed_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "password_changed_at"}
        super().save(*args, **kwargs)
        if password_changed:
            self.tokens.filter(revoked_at__isnull=True).update(revoked_at=self.password_changed_at)

    @property
    def scope_label(self) -> str:
        if self.is_superuser or self.role == Role.CITY_OFFICE:
            return str(_("全市"))
        field = ROLE_SCOPE_FIELD.get(self.role) or ("unit" if self.unit_id else None)
        target = getattr(self, field) if field else None
        return str(target) if target else str(_("全市"))


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_expiry() -> datetime:
    return timezone.now() + timedelta(days=settings.API_TOKEN_DAYS)


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A bearer token for scripts. Only its hash is stored; the token is shown once when issued.

    A token lasts settings.API_TOKEN_DAYS (MTX_API_TOKEN_DAYS), ends when its owner revokes it
    on the account page, and ends with every other token of the user when the password changes.
    """

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="tokens")
    key_hash = models.CharField(_("令牌散列"), max_length=64, unique=True)
    prefix = models.CharField(_("令牌前缀"), max_length=8, help_text=_("用于辨认令牌，不足以使用它。"))
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("到期时间"), default=token_expiry)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @classmethod
    def issue(cls, user: User) -> tuple[ApiToken, str]:
        raw = f"mtx_{secrets.token_urlsafe(32)}"
        token = cls.objects.create(user=user, key_hash=hash_token(raw), prefix=raw[4:12])
        return token, raw

    @classmethod
    def authenticate(cls, raw: str) -> User | None:
        token = (
            cls.objects.usable()
            .select_related("user")
            .filter(key_hash=hash_token(raw), user__is_active=True, user__must_change_password=False)
            .first()
        )
        if token is None:
            return None
        # Conditional update: at most one write per token per minute, whatever the request rate.
        now = timezone.now()
        cls.objects.filter(pk=token.pk).exclude(last_used_at__gt=now - timedelta(minutes=1)).update(
            last_used_at=now
        )
        return token.user


class LockRelease(models.Model):
    """The city office lifted a sign-in lock early: who, when, on which account or address."""

    released_at = models.DateTimeField(_("解锁时间"), auto_now_add=True)
    released_by = models.ForeignKey(
        User, verbose_name=_("解锁人"), on_delete=models.PROTECT, related_name="lock_releases"
    )
    kind = models.CharField(_("锁定对象"), max_length=20, choices=LockKind.choices)
    value = models.CharField(_("账号或地址"), max_length=255)
    failures = models.PositiveIntegerField(_("失败次数"))

    class Meta:
        verbose_name = _("登录解锁记录")
        verbose_name_plural = _("登录解锁记录")
        ordering = ["-released_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"
