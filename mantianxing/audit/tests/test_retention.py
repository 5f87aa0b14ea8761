"""Change history and the access log are kept at least six months; no purge cuts into that."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import time_machine
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import TestCase, override_settings

from mantianxing.audit.choices import AccessAction, Channel
from mantianxing.audit.models import AccessRecord
from mantianxing.audit.retention import HistoryRetained, check_retention
from mantianxing.core.testing import make_user

NOW = datetime(2026, 12, 2, 4, 0, tzinfo=UTC)  # 12:00 in Chongqing


def entry_on(when: datetime, user) -> LogEntry:  # type: ignore[no-untyped-def]
    entry = LogEntry.objects.log_create(user, action=LogEntry.Action.UPDATE, changes={"x": ["a", "b"]})
    LogEntry.objects.filter(pk=entry.pk).update(timestamp=when)
    return entry


def flush(*arguments: str) -> str:
    out = io.StringIO()
    call_command("auditlogflush", "--yes", *arguments, stdout=out)
    return out.getvalue()


@time_machine.travel(NOW, tick=False)
class RetentionTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.user = make_user("someone")
        LogEntry.objects.all().delete()  # the user's own creation entry, made before the clock stopped

    def setUp(self) -> None:
        self.old = entry_on(datetime(2026, 5, 1, tzinfo=UTC), self.user)  # 215 days ago
        self.young = entry_on(datetime(2026, 6, 10, tzinfo=UTC), self.user)  # 175 days ago

    def test_it_refuses_a_retention_setting_under_six_months(self) -> None:
        self.assertEqual(check_retention(None), [])
        with override_settings(MTX_HISTORY_RETENTION_DAYS=90):
            (error,) = check_retention(None)
        self.assertEqual(error.id, "mantianxing.E101")
        self.assertIn("183", error.msg)

    def test_it_refuses_to_flush_everything_or_to_truncate(self) -> None:
        with self.assertRaisesMessage(CommandError, "不能全部删除"):
            flush()
        with self.assertRaisesMessage(CommandError, "不能全部删除"):
            flush("--truncate")
        self.assertEqual(LogEntry.objects.count(), 2)

    def test_it_refuses_a_date_inside_the_window(self) -> None:
        with self.assertRaisesMessage(CommandError, "最晚可用 2026-06-02"):
            flush("--before-date", "2026-06-11")
        self.assertEqual(LogEntry.objects.count(), 2)

    def test_it_flushes_only_what_is_older_than_the_window(self) -> None:
        flush("--before-date", "2026-06-02")
        self.assertEqual(list(LogEntry.objects.all()), [self.young])

    def test_it_follows_a_longer_setting(self) -> None:
        with override_settings(MTX_HISTORY_RETENTION_DAYS=400):
            with self.assertRaisesMessage(CommandError, "最晚可用 2025-10-28"):
                flush("--before-date", "2026-06-02")
        self.assertEqual(LogEntry.objects.count(), 2)

    def test_it_refuses_deleting_a_young_access_record_by_any_door(self) -> None:
        def record(when: date) -> AccessRecord:
            return AccessRecord.objects.create(
                timestamp=datetime(when.year, when.month, when.day, tzinfo=UTC),
                actor_name="someone",
                action=AccessAction.PERSON_VIEW,
                channel=Channel.PAGE,
            )

        old, young = record(date(2026, 5, 1)), record(date(2026, 6, 10))
        with self.assertRaises(HistoryRetained), transaction.atomic():
            AccessRecord.objects.all().delete()
        self.assertEqual(AccessRecord.objects.count(), 2)  # the whole delete rolled back
        old.delete()
        self.assertEqual(list(AccessRecord.objects.all()), [young])
