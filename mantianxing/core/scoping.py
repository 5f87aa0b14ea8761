"""The one mechanism that decides what a user may see and change.

Every user holds one scope, derived from their role: the city, one unit (district, county or zone),
a building, an enterprise or an owner organisation. A scoped model declares, per kind of scope, the
lookup that leads from a row to the scope's object (`scope_lookups`) and which roles may write it
(`scope_writers`). The admin, the HTML views and the API all filter with `visible_to()` and check
writes with `check_write()`; nothing else grants access.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Self

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from mantianxing.accounts.choices import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from mantianxing.accounts.models import User


class ScopeKind(StrEnum):
    CITY = "city"
    UNIT = "unit"
    BUILDING = "building"
    ENTERPRISE = "enterprise"
    ORGANISATION = "organisation"


# Which kind of scope each role holds, and through which field of the user.
ROLE_SCOPE: dict[str, tuple[ScopeKind, str | None]] = {
    Role.CITY_OFFICE: (ScopeKind.CITY, None),
    Role.DISTRICT_OFFICER: (ScopeKind.UNIT, "unit_id"),
    Role.BUILDING_OPERATOR: (ScopeKind.BUILDING, "building_id"),
    Role.ENTERPRISE_USER: (ScopeKind.ENTERPRISE, "enterprise_id"),
    Role.SCENARIO_OWNER: (ScopeKind.ORGANISATION, "organisation_id"),
}


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind
    target_id: int | None
    read_only: bool
    role: str


def scope_of(user: User | AnonymousUser | None) -> Scope | None:
    """The user's scope, or None when the user may see nothing (anonymous, inactive, no role)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Scope(ScopeKind.CITY, None, read_only=False, role=Role.CITY_OFFICE)
    role = user.role
    if role == Role.TALENT_REVIEWER:
        return Scope(ScopeKind.CITY, None, read_only=True, role=role)
    if role == Role.AUDITOR:
        # An auditor reads the whole city, or one unit when one is given; never writes.
        if user.unit_id:
            return Scope(ScopeKind.UNIT, user.unit_id, read_only=True, role=role)
        return Scope(ScopeKind.CITY, None, read_only=True, role=role)
    if role not in ROLE_SCOPE:
        return None
    kind, field = ROLE_SCOPE[role]
    target = getattr(user, field) if field else None
    if field and target is None:
        return None  # a scoped role without its object sees nothing rather than everything
    return Scope(kind, target, read_only=False, role=role)


def is_city_office(user: User | AnonymousUser | None) -> bool:
    """The city office itself (or a superuser), not a read-only city-wide role."""
    scope = scope_of(user)
    return (
        scope is not None
        and scope.kind is ScopeKind.CITY
        and not scope.read_only
        and scope.role == Role.CITY_OFFICE
    )


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user: User | AnonymousUser | None) -> Self:
        scope = scope_of(user)
        if scope is None:
            return self.none()
        if scope.kind is ScopeKind.CITY:
            return self.all()
        lookup = scope_lookups(self.model).get(scope.kind)
        if lookup is None:
            return self.none()
        if _is_multi_valued(self.model, lookup):
            # Through a reverse or many-to-many relation a row would repeat once per match.
            matching = self.model._base_manager.filter(**{lookup: scope.target_id}).values("pk")
            return self.filter(pk__in=matching)
        return self.filter(**{lookup: scope.target_id})


def scope_lookups(model: type[models.Model]) -> dict[ScopeKind, str]:
    return getattr(model, "scope_lookups", {})


def _is_multi_valued(model: type[models.Model], lookup: str) -> bool:
    for step in lookup.split("__"):
        if step == "pk":
            return False
        field = model._meta.get_field(step)
        if field.one_to_many or field.many_to_many:
            return True
        if field.related_model is None:
            return False
        model = field.related_model
    return False


def _writers(model: type[models.Model]) -> frozenset[str]:
    return getattr(model, "scope_writers", frozenset())


def _value_at(obj: models.Model, lookup: str) -> Any:
    """Follow a single-valued lookup such as `unit` or `building__unit` on an unsaved or saved object."""
    *path, last = lookup.split("__")
    current: Any = obj
    for step in path:
        current = getattr(current, step, None)
        if current is None:
            return None
    if last == "pk":
        return current.pk
    field = current._meta.get_field(last)
    return getattr(current, field.attname)


def can_create(user: User | AnonymousUser | None, model: type[models.Model]) -> bool:
    scope = scope_of(user)
    if scope is None or scope.read_only or scope.role not in _writers(model):
        return False
    if scope.kind is ScopeKind.CITY:
        return True
    # A user scoped to one object (its own building, say) edits it but cannot create more of them.
    return scope_lookups(model).get(scope.kind) not in (None, "pk")


def can_write(user: User | AnonymousUser | None, obj: models.Model) -> bool:
    """May the user save `obj` as it now stands (its scope fields included), or delete it?"""
    scope = scope_of(user)
    model = type(obj)
    if scope is None or scope.read_only or scope.role not in _writers(model):
        return False
    if scope.kind is ScopeKind.CITY:
        return True
    lookup = scope_lookups(model).get(scope.kind)
    if lookup is None:
        return False
    # The stored row must be the user's ...
    if obj.pk is not None and not ScopedQuerySet(model).filter(pk=obj.pk).visible_to(user).exists():
        return False
    # ... and the row as it will be saved must stay the user's ...
    if _value_at(obj, lookup) != scope.target_id:
        return False
    # ... in the same unit: only the city moves a record between units, and a district officer
    # only within their own (checked above). An operator's building or an enterprise's profile
    # is theirs by its key, which a change of unit would not alter.
    unit_lookup = scope_lookups(model).get(ScopeKind.UNIT)
    if obj.pk is not None and unit_lookup and scope.kind is not ScopeKind.UNIT:
        stored = ScopedQuerySet(model).filter(pk=obj.pk).values_list(unit_lookup, flat=True).first()
        return stored == _value_at(obj, unit_lookup)
    return True


def check_write(user: User | AnonymousUser | None, obj: models.Model) -> None:
    if not can_write(user, obj):
        raise PermissionDenied(_("您无权修改该记录（超出您的数据范围或角色只读）。"))
