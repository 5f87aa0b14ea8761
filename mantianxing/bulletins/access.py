"""Who reads bulletins: the city office, city-wide roles and districts (bulletins are circulated to
every district, with the same content for all); building operators, enterprises and scenario
owners do not."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from mantianxing.core.scoping import ScopeKind, scope_of


def may_read(user: Any) -> bool:
    scope = scope_of(user)
    return scope is not None and scope.kind in (ScopeKind.CITY, ScopeKind.UNIT)


def check_read(user: Any) -> None:
    if not may_read(user):
        raise PermissionDenied("您的角色不能查看讲评通报。")
