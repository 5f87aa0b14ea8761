"""The one door for writing the access log of personal-data reads (see `audit.models`)."""

from __future__ import annotations

import getpass
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.utils.translation import gettext as _

from mantianxing.audit.choices import AccessAction
from mantianxing.audit.middleware import current_origin
from mantianxing.audit.models import AccessRecord
from mantianxing.core.middleware import current_request_id


def record_access(
    user: Any,
    action: AccessAction,
    *,
    obj: Model | None = None,
    includes_salary: bool = False,
    detail: str = "",
    object_repr: str = "",
) -> AccessRecord:
    """Log one read by `user` (None: the command line) of `obj` or of what `detail` describes."""
    origin = current_origin()
    signed_in = user is not None and getattr(user, "is_authenticated", False) and user.pk is not None
    return AccessRecord.objects.create(
        actor=user if signed_in else None,
        actor_name=user.get_username() if signed_in else _("命令行：%(user)s") % {"user": getpass.getuser()},
        action=action,
        channel=origin.channel,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_pk=str(obj.pk) if obj is not None else "",
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:200],
        includes_salary=includes_salary,
        detail=detail[:200],
        remote_addr=origin.remote_addr,
        request_id=(current_request_id() or "")[:100],
    )


def record_person_view(user: Any, person: Model, *, includes_salary: bool) -> AccessRecord:
    """A person's page or API detail was shown; `includes_salary` when a salary figure was on it."""
    return record_access(user, AccessAction.PERSON_VIEW, obj=person, includes_salary=includes_salary)


def record_roster_export(
    user: Any, *, unit: str | None, month: date | None, rows: int, includes_salary: bool
) -> AccessRecord:
    detail = _("月份 %(month)s，区县 %(unit)s，%(rows)s 行") % {
        "month": f"{month:%Y-%m}" if month else _("最近"),
        "unit": unit or _("全部"),
        "rows": rows,
    }
    return record_access(
        user,
        AccessAction.ROSTER_EXPORT,
        includes_salary=includes_salary,
        detail=detail,
        object_repr=_("花名册"),
    )
