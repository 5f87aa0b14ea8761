"""Who may see salaries: the enterprise itself and talent reviewers, nobody else (DOMAIN §4)."""

from __future__ import annotations

from typing import Any

from mantianxing.accounts.choices import Role
from mantianxing.core.scoping import ScopeKind, scope_of


def may_see_salary(user: Any, enterprise_id: int | None) -> bool:
    scope = scope_of(user)
    if scope is None:
        return False
    if scope.role == Role.TALENT_REVIEWER:
        return True
    return (
        scope.kind is ScopeKind.ENTERPRISE and enterprise_id is not None and scope.target_id == enterprise_id
    )


def may_see_salaries_of_all_visible(user: Any) -> bool:
    """Whether every salary among the rows `user` may see is one they may see: filters and orderings
    on a salary are open to these users only, else a count or an order would disclose the hidden figures."""
    scope = scope_of(user)
    if scope is None:
        return False
    return scope.role == Role.TALENT_REVIEWER or scope.kind is ScopeKind.ENTERPRISE
