"""Reading a progress question (plan, month, unit) from users, and the scope it is asked in.

Shared by the dashboard, the API and `mtx indicators`. The city office, city-wide auditors and
talent reviewers see every unit; a district officer (or an auditor of one unit) sees the city's
totals and its own unit; other roles do not monitor.
"""

from __future__ import annotations

from datetime import date
from typing import cast

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from mantianxing.core.scoping import ScopeKind, scope_of
from mantianxing.geo.lookup import primary_successor
from mantianxing.geo.models import CITY_CODE, Unit
from mantianxing.lib.periods import parse_month
from mantianxing.monitoring.progress import default_as_of
from mantianxing.plans.models import Plan


class QueryError(ValueError):
    """A question that cannot be answered; the message is for users."""


def plan_named(code: str | None) -> Plan:
    """The plan with `code`; without one, the newest plan whose window has begun."""
    if not code:
        today = timezone.localdate()
        plan = Plan.objects.filter(starts_on__lte=today).order_by("-starts_on").first()
        if plan is None:
            raise QueryError(_("尚未载入行动计划。"))
        return plan
    try:
        return Plan.objects.get(code=code)
    except Plan.DoesNotExist:
        codes = "、".join(Plan.objects.values_list("code", flat=True))
        raise QueryError(
            _("没有代码为“%(code)s”的行动计划（可选：%(codes)s）。") % {"code": code, "codes": codes}
        ) from None


def month_asked(plan: Plan, text: str | None) -> date:
    if not text:
        return default_as_of(plan)
    try:
        return parse_month(text)
    except ValueError as error:
        raise QueryError(str(error)) from None


def unit_named(code: str) -> Unit:
    """A current unit by its code; an abolished code names the unit that carries it now."""
    today = timezone.localdate()
    unit = Unit.objects.valid_on(today).filter(code=code).first()
    if unit is not None:
        return unit
    former = Unit.objects.filter(code=code).order_by("-valid_from").first()
    if former is None:
        raise QueryError(_("没有代码为“%(code)s”的区县。") % {"code": code})
    successor = primary_successor(former, today)
    hint = (
        _("，其数据现计入%(name)s（%(code)s）") % {"name": successor.name, "code": successor.code}
        if successor
        else ""
    )
    raise QueryError(
        _("%(name)s（%(code)s）已于 %(date)s 撤销%(hint)s。")
        % {"name": former.name, "code": code, "date": former.abolished_on, "hint": hint}
    )


def city_units(code: str | None) -> list[Unit] | None:
    """What the city asks for: every unit (None), the city alone ([]) or one unit."""
    if not code:
        return None
    return [] if code == CITY_CODE else [unit_named(code)]


def units_for(user: object, code: str | None) -> list[Unit] | None:
    """The units whose rows `user` asks for: None for every unit with data, [] for the city alone.

    Raises PermissionDenied when the user may not monitor, or asks for a unit outside its scope.
    """
    scope = scope_of(user)  # type: ignore[arg-type]
    if scope is None or scope.kind not in (ScopeKind.CITY, ScopeKind.UNIT):
        raise PermissionDenied(_("您的角色不能查看成效监测。"))
    if scope.kind is ScopeKind.CITY:
        return city_units(code)
    if code == CITY_CODE:
        return []
    own = Unit.objects.get(pk=cast(int, scope.target_id))
    if code and code != own.code:
        raise PermissionDenied(_("您只能查看本区县（%(name)s）和全市的监测数据。") % {"name": own.name})
    return [own]


def may_see_unit(user: object, unit: Unit) -> bool:
    scope = scope_of(user)  # type: ignore[arg-type]
    if scope is None:
        return False
    if scope.kind is ScopeKind.CITY:
        return True
    return scope.kind is ScopeKind.UNIT and scope.target_id == unit.pk
