"""Reading an honours question (date, unit, period) from users, and the scope it is asked in.

Shared by the pages, the API and `mtx honours`. The city office and the city-wide read-only roles
(auditors, talent reviewers) see every unit; a district officer, or an auditor of one unit, sees
its own unit only; building operators, enterprises and scenario owners do not see honours.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from mantianxing.core.scoping import ScopeKind, scope_of
from mantianxing.geo.models import CITY_CODE, Unit
from mantianxing.honours.shangxing import default_period
from mantianxing.lib.periods import Period, parse_period
from mantianxing.monitoring.queries import QueryError, unit_named

__all__ = ["QueryError", "day_asked", "may_view", "period_asked", "units_for"]


def may_view(user: object) -> bool:
    scope = scope_of(user)  # type: ignore[arg-type]
    return scope is not None and scope.kind in (ScopeKind.CITY, ScopeKind.UNIT)


def units_for(user: object, code: str | None) -> list[Unit] | None:
    """The units whose buildings and firms `user` asks for: None for the whole city.

    Raises PermissionDenied when the user may not see honours, or asks beyond its own unit.
    """
    scope = scope_of(user)  # type: ignore[arg-type]
    if scope is None or scope.kind not in (ScopeKind.CITY, ScopeKind.UNIT):
        raise PermissionDenied(_("您的角色不能查看荣誉认定。"))
    code = (code or "").strip()
    if scope.kind is ScopeKind.CITY:
        return None if code in ("", CITY_CODE) else [unit_named(code)]
    own = Unit.objects.get(pk=scope.target_id or 0)
    if code and code != own.code:
        raise PermissionDenied(_("您只能查看本区县（%(name)s）的荣誉认定。") % {"name": own.name})
    return [own]


def day_asked(text: str | None) -> date:
    """`2026-06-30`; today without one."""
    if not text or not text.strip():
        return timezone.localdate()
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise QueryError(_("日期“%(text)s”应写作 YYYY-MM-DD，如 2026-06-30。") % {"text": text}) from None


def period_asked(text: str | None) -> Period:
    """`2025`, `2025H2` or `2025-12`; the last complete year without one."""
    if not text or not text.strip():
        return default_period(timezone.localdate())
    try:
        return parse_period(text)
    except ValueError as error:
        raise QueryError(str(error)) from None
