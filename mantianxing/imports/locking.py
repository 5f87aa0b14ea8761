"""One import at a time: the transaction an import reads, plans and writes in, under the import lock.

Why a lock, and why one for all ledgers: an import plans its writes from what is stored (the
spells a roster extends, the occupancies an area is checked against, the enterprises every other
ledger names), so two imports planning from the same state would each write as if the other had
not run (two rosters at once left 245,073 spells where one after the other left 232,153). The
ledgers also write into each other's facts: a roster or a statistics file moves a firm's first
month and so its origin, an occupancy file recomputes origins, an enterprise file moves firms
between units, and the derived figures refreshed on `batch_written` read them all. A lock per
ledger would still let a roster and an occupancy file recompute the same origins from two
different states, so every import, of any ledger, takes the same lock; they are minutes apart in
practice, and the second simply waits.

How: the whole import after reading the file (checking, planning, writing, the change log and the
`batch_written` receivers) is one transaction that starts by taking the lock, so nothing it reads
can change before it writes.

- PostgreSQL: a transaction-level advisory lock (`pg_advisory_xact_lock`), released by the commit
  or rollback; the wait is bounded by `lock_timeout`, set for that one statement only, so the
  row locks the writes take later keep the server's setting.
- SQLite: settings open every transaction with `BEGIN IMMEDIATE` (`transaction_mode`), which
  takes the database's single write lock at once; the wait is the connection's busy timeout, set
  for the `BEGIN` only. (SQLite serializes all writers anyway; IMMEDIATE makes an import wait at
  its start instead of failing with "database is locked" when it first writes.)

The dry run takes the same path, lock included, so a check reports what the import would do at
that moment and can never differ from it by a half-written import. After `MTX_IMPORT_LOCK_TIMEOUT`
seconds (default 60) of waiting, `LockTimeout` is raised and nothing has been written (the
pipeline turns it into `ImportBusy`, a Chinese message for the CLI, the page and the API).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connections, router, transaction

from mantianxing.imports.models import ImportBatch

# The advisory lock's key: one for every import (see the module docstring).
IMPORT_LOCK_KEY = zlib.crc32(b"mantianxing.imports")
DEFAULT_TIMEOUT = 60.0
LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE for lock_timeout


def lock_timeout() -> float:
    """Seconds an import waits for the one before it (settings.MTX_IMPORT_LOCK_TIMEOUT)."""
    return float(getattr(settings, "MTX_IMPORT_LOCK_TIMEOUT", DEFAULT_TIMEOUT))


class LockTimeout(Exception):
    """Another import held the lock for longer than the timeout; this one has not started."""


@contextmanager
def import_transaction() -> Iterator[None]:
    """A transaction holding the import lock; raises LockTimeout when the lock does not come in time."""
    alias = router.db_for_write(ImportBatch)
    connection = connections[alias]
    timeout_ms = max(1, int(lock_timeout() * 1000))
    if connection.vendor == "sqlite":
        with _busy_timeout(alias, timeout_ms):
            atomic = transaction.atomic(using=alias)
            atomic.__enter__()  # BEGIN IMMEDIATE: waits for the write lock, up to the busy timeout
        with _exiting(atomic):
            yield
        return
    with transaction.atomic(using=alias):
        _advisory_lock(alias, timeout_ms)
        yield


@contextmanager
def _busy_timeout(alias: str, timeout_ms: int) -> Iterator[None]:
    connection = connections[alias]
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA busy_timeout = {timeout_ms:d}")
    try:
        yield
    except OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise LockTimeout from None
        raise
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(before):d}")


@contextmanager
def _exiting(atomic: transaction.Atomic) -> Iterator[None]:
    """Leave an atomic block entered by hand, committing or rolling back as `with` would."""
    try:
        yield
    except BaseException as error:
        atomic.__exit__(type(error), error, error.__traceback__)  # rolls back
        raise
    atomic.__exit__(None, None, None)


def _advisory_lock(alias: str, timeout_ms: int) -> None:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT current_setting('lock_timeout')")
        before = cursor.fetchone()[0]
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{timeout_ms}ms"])
        try:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE:
                raise LockTimeout from None
            raise
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [before])
