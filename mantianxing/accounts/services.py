"""Accounts' one door: passwords, API tokens, sign-in locks, and the demo accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from axes.models import AccessAttempt
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from mantianxing.accounts.choices import LockKind, OrganisationKind, Role
from mantianxing.accounts.models import ApiToken, LockRelease, Organisation, User
from mantianxing.accounts.passwords import generate_password
from mantianxing.carriers.models import Building
from mantianxing.core.audit import acting_as
from mantianxing.core.scoping import ScopeKind, scope_of
from mantianxing.enterprises.models import Enterprise
from mantianxing.geo.choices import UnitGroup
from mantianxing.geo.models import Unit
from mantianxing.lib.identifiers import make_uscc


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    scope: str


def _demo_scope_objects(home: Unit) -> tuple[Building, Enterprise, Organisation]:
    """The building, enterprise and owner organisation the scoped demo accounts hold.

    With demo ledgers loaded, the home unit's busiest building and enterprise, so that the
    operator and the enterprise see tenants, people and figures; otherwise two made for them.
    """
    building: Building | None = (
        Building.objects.filter(unit=home)
        .annotate(tenants=Count("occupancies"))
        .order_by("-tenants", "code")
        .first()
    )
    if building is None:
        building = Building.objects.create(
            code="DEMO-0001", name="演示楼宇（解放碑数字大厦）", unit=home, address="重庆市渝中区演示路 1 号"
        )
    enterprise: Enterprise | None = (
        Enterprise.objects.filter(unit=home, occupancies__building=building)
        .annotate(months=Count("roster_filings"))
        .order_by("-months", "uscc")
        .first()
    )
    if enterprise is None:
        enterprise, _ = Enterprise.objects.get_or_create(
            uscc=make_uscc("91500103MA61XQ7K2"),
            defaults={"name": "重庆演示软件有限公司", "unit": home, "established_on": date(2023, 5, 12)},
        )
    organisation, _ = Organisation.objects.get_or_create(
        name="重庆市演示数据集团有限公司",
        defaults={"kind": OrganisationKind.STATE_OWNED, "unit": home},
    )
    return building, enterprise, organisation


def create_demo_accounts(today: date, listing: Path) -> tuple[list[DemoAccount], str | None]:
    """Create the demo accounts unless they exist; return them and the password when just made.

    The password is one random string for all demo accounts, written with the list to `listing`.
    """
    if User.objects.filter(username="city").exists():
        return [], None
    password = generate_password()
    ranked = list(Unit.objects.in_group(UnitGroup.RANKED_2022, today).order_by("code"))
    home = next(u for u in ranked if u.code == "500103")
    accounts: list[DemoAccount] = []
    with transaction.atomic():
        building, enterprise, organisation = _demo_scope_objects(home)

        def make(username: str, role: str, label: str, *, staff: bool = False, **scope: object) -> None:
            user = User(username=username, role=role, is_staff=staff, **scope)
            user.set_password(password)
            user.full_clean(exclude=["password"])
            user.save()
            accounts.append(DemoAccount(username, str(Role(role).label) if role else "超级管理员", label))

        make("admin", "", "全市（超级管理员，可管理用户）", staff=True, is_superuser=True)
        make("city", Role.CITY_OFFICE, "全市", staff=True)
        make("auditor", Role.AUDITOR, "全市（只读）", staff=True)
        make("reviewer", Role.TALENT_REVIEWER, "全市（只读，可见年薪）")
        for unit in ranked:
            make(f"district{unit.code}", Role.DISTRICT_OFFICER, unit.name, staff=True, unit=unit)
        make("operator", Role.BUILDING_OPERATOR, str(building), building=building)
        make("enterprise", Role.ENTERPRISE_USER, str(enterprise), enterprise=enterprise)
        make("owner", Role.SCENARIO_OWNER, str(organisation), organisation=organisation)

    listing.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"满天星演示账号（所有账号密码相同）：{password}", "用户名\t角色\t数据范围"]
    lines += [f"{a.username}\t{a.role}\t{a.scope}" for a in accounts]
    listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    listing.chmod(0o600)
    return accounts, password


def can_manage_accounts(user: Any) -> bool:
    """Users, password resets and sign-in locks are the city office's (not its read-only auditors')."""
    scope = scope_of(user)
    return scope is not None and scope.kind is ScopeKind.CITY and not scope.read_only


def change_own_password(user: User, raw_password: str) -> None:
    """The user's own new password (already validated by the form); lifts a forced change.

    Saving a new password revokes the user's API tokens (User.save).
    """
    with transaction.atomic(), acting_as(user):
        user.set_password(raw_password)
        user.must_change_password = False
        user.save()


def reset_password(actor: User, user: User, raw_password: str, *, force_change: bool = True) -> None:
    """The city office sets a user's password, by default to be changed at the next sign-in."""
    if not can_manage_accounts(actor):
        raise PermissionError("只有市专班可以重置密码。")
    with transaction.atomic(), acting_as(actor):
        user.set_password(raw_password)
        user.must_change_password = force_change
        user.save()


def issue_token(user: User) -> tuple[ApiToken, str]:
    """A new API token for `user`, and its raw value to show once (never stored, never in a cookie)."""
    return ApiToken.issue(user)


def revoke_token(user: User, token_id: int) -> bool:
    """Revoke one of `user`'s own tokens; False when it is not theirs or already ended."""
    changed = ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return changed == 1


def unlock(actor: User, kind: str, value: str) -> int:
    """Lift the sign-in lock of an account name or an address; record who did it. Returns the failures cleared."""
    if not can_manage_accounts(actor):
        raise PermissionError("只有市专班可以解除登录锁定。")
    kind = LockKind(kind)
    with transaction.atomic():
        attempts = AccessAttempt.objects.filter(**{kind.value: value})
        failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
        attempts.delete()
        LockRelease.objects.create(released_by=actor, kind=kind, value=value, failures=failures)
    return failures
