"""Tuning the demonstration-building criteria: the city office's part of honours."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mantianxing.accounts.models import User
from mantianxing.core.audit import acting_as
from mantianxing.core.scoping import ScopeKind, scope_of
from mantianxing.core.services import stamp
from mantianxing.honours.choices import CriterionKind
from mantianxing.honours.models import DemonstrationCriterion

EDITABLE = ("threshold", "enabled", "parameter", "note", "position")


def may_edit_criteria(user: object) -> bool:
    scope = scope_of(user)  # type: ignore[arg-type]
    return scope is not None and scope.kind is ScopeKind.CITY and not scope.read_only


def save_criteria(actor: User, changes: Mapping[str, Mapping[str, Any]]) -> int:
    """Apply `changes` (kind → {field: value}) to the criteria; returns how many rows changed.

    All or nothing: every changed row is validated before any is saved, and a ValidationError
    names each failing criterion (keyed by kind). Each saved row is an entry in the change
    history, with `actor`.
    """
    if not may_edit_criteria(actor):
        raise PermissionDenied(_("只有市专班可以修改示范楼宇认定条件。"))
    rows = {row.kind: row for row in DemonstrationCriterion.objects.all()}
    errors: dict[str, list[str]] = {}
    changed: list[DemonstrationCriterion] = []
    for kind, values in changes.items():
        row = rows.get(kind)
        if row is None:
            known = "、".join(CriterionKind.values)
            errors[kind] = [_("没有“%(kind)s”这一条件（可选：%(known)s）。") % {"kind": kind, "known": known}]
            continue
        if unknown := sorted(set(values) - set(EDITABLE)):
            errors[kind] = [_("不能修改的字段：%(fields)s") % {"fields": "、".join(unknown)}]
            continue
        before = {field: getattr(row, field) for field in EDITABLE}
        for field, value in values.items():
            setattr(row, field, value)
        try:
            row.full_clean()
        except ValidationError as error:
            errors[kind] = [f"{row.name}：{message}" for message in error.messages]
            continue
        if any(getattr(row, field) != before[field] for field in EDITABLE):
            changed.append(row)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting_as(actor):
        for row in changed:
            stamp(row, actor)
            row.save(update_fields=[*EDITABLE, "updated_by", "updated_at"])
    return len(changed)
