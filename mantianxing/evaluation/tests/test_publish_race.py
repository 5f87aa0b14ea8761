"""Publishers racing on PostgreSQL: each one waits for the one before, none fails, one run is current.

The threads need committed rows, which a `TestCase` (one transaction, rolled back) cannot give, and a
`TransactionTestCase` would empty every table afterwards, the data the migrations load included. So
this is a `SimpleTestCase` allowed to use the database: it writes its own scheme and runs, committed,
and deletes them (and their history entries) afterwards.

On SQLite the question does not arise: every transaction there begins with `BEGIN IMMEDIATE`
(settings.py), so a second publisher cannot even start reading until the first has committed; the
partial unique constraint is tested on both databases in `test_publication.py`.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime
from unittest import mock, skipUnless

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections
from django.test import SimpleTestCase

from mantianxing.evaluation import services
from mantianxing.evaluation.models import Run, Scheme
from mantianxing.plans.models import Plan

PUBLISHERS = 4


@pytest.mark.django_db  # makes pytest-django create the test database, even when this test runs alone
@skipUnless(connection.vendor == "postgresql", "SQLite serializes whole transactions (BEGIN IMMEDIATE)")
class PublishRaceTests(SimpleTestCase):
    databases = {"default"}

    def setUp(self) -> None:
        # Each run made with its own version of one scheme: publishers of one scheme name must queue
        # even when their runs used different versions.
        self.schemes = [
            Scheme.objects.create(name="并发发布测试", version=seed + 1, body={}, sha256=f"{seed:064x}")
            for seed in range(PUBLISHERS + 1)
        ]
        plan = Plan.objects.get(code="2025")
        self.runs = [
            Run.objects.create(
                period="2026H1",
                period_first=date(2026, 1, 1),
                period_last=date(2026, 6, 1),
                plan=plan,
                scheme=scheme,
                scheme_name=scheme.name,
                scheme_body=scheme.body,
                scheme_sha256=scheme.sha256,
                inputs={},
                inputs_sha256="0" * 64,
                sha256=scheme.sha256,
                result=[],
                draws=0,
                seed=0,
                method={},
            )
            for scheme in self.schemes
        ]
        self.addCleanup(self.remove)

    def remove(self) -> None:
        ids = [run.pk for run in self.runs]
        Run.objects.filter(pk__in=ids).update(superseded_by=None, published_at=None)
        Run.objects.filter(pk__in=ids).delete()
        scheme_ids = [scheme.pk for scheme in self.schemes]
        Scheme.objects.filter(pk__in=scheme_ids).delete()
        for model, pks in ((Run, ids), (Scheme, scheme_ids)):
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(model), object_pk__in=[str(pk) for pk in pks]
            ).delete()

    def test_it_leaves_one_current_run_when_publishers_race(self) -> None:
        services.publish(None, self.runs[0])  # a current run that every racer wants to supersede
        start = threading.Barrier(PUBLISHERS)
        failures: list[BaseException] = []

        def publish(run: Run) -> None:
            try:
                start.wait()
                services.publish(None, run)
            except BaseException as error:
                failures.append(error)
            finally:
                connections.close_all()

        def slow_now() -> datetime:
            # Between reading the current run and writing: where an unserialized publisher would interleave.
            time.sleep(0.2)
            return datetime.now(tz=UTC)

        threads = [threading.Thread(target=publish, args=(run,)) for run in self.runs[1:]]
        with mock.patch("mantianxing.evaluation.services.timezone", mock.Mock(now=slow_now)):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
        assert failures == []
        current = list(Run.objects.filter(pk__in=[r.pk for r in self.runs]).current())
        assert len(current) == 1
        # One chain from the first run to the current one: each run superseded by exactly one other.
        successor = dict(
            Run.objects.filter(pk__in=[r.pk for r in self.runs]).values_list("pk", "superseded_by")
        )
        seen, link = [], self.runs[0].pk
        while link is not None:
            seen.append(link)
            link = successor[link]
        assert sorted(seen) == sorted(successor) and seen[-1] == current[0].pk
