"""`mtx auditlogflush`: django-auditlog's purge, refused where it would cut into the retention window.

This app comes before `auditlog` in INSTALLED_APPS, so this command replaces the library's.
"""

from __future__ import annotations

from typing import Any

from auditlog.management.commands.auditlogflush import Command as AuditlogFlush
from django.core.management.base import CommandError

from mantianxing.audit.retention import oldest_purgeable_date, retention_days


class Command(AuditlogFlush):
    help = "删除早于保留期（MTX_HISTORY_RETENTION_DAYS 天）的变更历史；必须给出 --before-date。"

    def handle(self, *args: Any, **options: Any) -> None:
        latest = oldest_purgeable_date()
        if options["truncate"] or options["before_date"] is None:
            raise CommandError(
                f"变更历史至少保留 {retention_days()} 天：不能全部删除。"
                f"请用 --before-date 给出不晚于 {latest:%Y-%m-%d} 的日期。"
            )
        if options["before_date"] > latest:
            raise CommandError(
                f"--before-date {options['before_date']:%Y-%m-%d} 会删除保留期（{retention_days()} 天）内的"
                f"变更历史：最晚可用 {latest:%Y-%m-%d}。"
            )
        super().handle(*args, **options)
