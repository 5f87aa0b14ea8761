"""Setting targets: the city office's part of monitoring."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from mantianxing.accounts.models import User
from mantianxing.core.audit import acting_as
from mantianxing.core.scoping import ScopeKind, scope_of
from mantianxing.geo.models import Unit
from mantianxing.monitoring.definitions import DEFINITIONS
from mantianxing.monitoring.models import Target
from mantianxing.plans.models import Plan

TargetKey = tuple[str, int]  # indicator, unit id


def may_set_targets(user: User) -> bool:
    scope = scope_of(user)
    return scope is not None and scope.kind is ScopeKind.CITY and not scope.read_only


def set_targets(user: User, plan: Plan, values: dict[TargetKey, Decimal | None]) -> int:
    """Create, change or remove (None) targets of `plan`; returns how many rows changed.

    Only the city office sets targets. Each change is a saved row, so the history keeps who set
    which target when.
    """
    if not may_set_targets(user):
        raise PermissionDenied(_("只有市专班可以设定目标。"))
    unknown = {indicator for indicator, _unit in values} - set(DEFINITIONS)
    if unknown:
        raise ValueError(_("未知指标：%(codes)s") % {"codes": "、".join(sorted(unknown))})
    if any(value is not None and value < 0 for value in values.values()):
        raise ValueError(_("目标值不能为负数。"))
    units = Unit.objects.in_bulk({unit_id for _indicator, unit_id in values})
    existing = {(t.indicator, t.unit_id): t for t in Target.objects.filter(plan=plan)}
    changed = 0
    with transaction.atomic(), acting_as(user):
        for (indicator, unit_id), value in values.items():
            target = existing.get((indicator, unit_id))
            if value is None:
                if target is not None:
                    target.delete()
                    changed += 1
            elif target is None:
                Target.objects.create(
                    plan=plan,
                    indicator=indicator,
                    unit=units[unit_id],
                    value=value,
                    created_by=user,
                    updated_by=user,
                )
                changed += 1
            elif target.value != value:
                target.value, target.updated_by = value, user
                target.save(update_fields=["value", "updated_by", "updated_at"])
                changed += 1
    return changed
