"""Change history and the access log are kept at least `MTX_HISTORY_RETENTION_DAYS` (≥ 183 days).

等保 2.0 level 3 asks for six months of audit records. The guards that hold the window:

- a system check refuses a shorter setting;
- `mtx auditlogflush` (ours, in place of django-auditlog's) refuses a truncate, a flush without a
  date, and a date that would cut into the window. It is the platform's only purge of the change
  history: django-auditlog's admin cannot delete entries, and no code of ours deletes them;
- the access log has no purge at all, and a `pre_delete` receiver refuses deleting an access record
  younger than the window, whatever the door (a shell, a script, a cascade).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from mantianxing.audit.models import AccessRecord

MINIMUM_RETENTION_DAYS = 183  # six months


class HistoryRetained(Exception):
    """A purge that would delete records younger than the retention window."""


def retention_days() -> int:
    return int(settings.MTX_HISTORY_RETENTION_DAYS)


def oldest_purgeable_date() -> date:
    """The last day whose records may go: everything dated before the day after it is out of the window."""
    return timezone.localdate() - timedelta(days=retention_days())


def retained_since() -> datetime:
    return timezone.now() - timedelta(days=retention_days())


@register()
def check_retention(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if retention_days() < MINIMUM_RETENTION_DAYS:
        return [
            Error(
                _("MTX_HISTORY_RETENTION_DAYS 为 %(days)s：变更历史至少保留 %(minimum)s 天（6 个月）。")
                % {"days": retention_days(), "minimum": MINIMUM_RETENTION_DAYS},
                hint="Set MTX_HISTORY_RETENTION_DAYS to 183 or more, or leave it unset.",
                id="mantianxing.E101",
            )
        ]
    return []


@receiver(pre_delete, sender=AccessRecord, dispatch_uid="audit_keep_access")
def refuse_young_delete(sender: type, instance: AccessRecord, **kwargs: Any) -> None:
    # Raising inside the deletion's transaction rolls back the whole purge, not just this row.
    # (Not on LogEntry: tests that commit their rows clean up their own history entries.)
    if instance.timestamp >= retained_since():
        raise HistoryRetained(
            _("%(when)s 的访问记录仍在 %(days)s 天的保留期内，不能删除。")
            % {"when": f"{timezone.localtime(instance.timestamp):%Y-%m-%d %H:%M}", "days": retention_days()}
        )
