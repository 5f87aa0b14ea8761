"""`mtx backup` and `mtx restore`: a consistent copy of the database taken while the app runs.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies every page in one step under a
read lock, so writers in other processes wait a moment and the copy is one point in time; restore
runs the same API the other way, into the live file. PostgreSQL: `pg_dump -Fc` reads in one
snapshot (a repeatable-read transaction) without blocking anyone; `pg_restore --clean` drops and
recreates every object in a single transaction, so a failed restore leaves the database as it was.

A backup holds ID-number digests, salaries and passwords' hashes: it is written to a temporary file
that only its owner can read (0600) and moved into place once complete, so a half-written or
world-readable copy never exists under the name asked for.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
# A database of ours, and not any SQLite file: the migrations table and the users table.
MARKER_TABLES = ("django_migrations", "accounts_user")
# What `restore` counts to say what it restored, looked up by label: core imports no domain app.
SUMMARY_MODELS = (
    ("enterprises", "Enterprise", gettext_lazy("企业")),
    ("carriers", "Building", gettext_lazy("楼宇")),
    ("people", "Person", gettext_lazy("从业人员")),
    ("imports", "ImportBatch", gettext_lazy("导入批次")),
    ("accounts", "User", gettext_lazy("用户")),
)


class Kind(StrEnum):
    SQLITE = "sqlite"
    POSTGRESQL = "postgresql"


class BackupRefused(Exception):
    """A backup or restore that cannot go ahead; the message is for the person at the console."""


@dataclass(frozen=True)
class Restored:
    kind: Kind
    counts: list[tuple[str, int]]


def kind_of_database(alias: str = "default") -> Kind:
    vendor = connections[alias].vendor
    if vendor == "sqlite":
        return Kind.SQLITE
    if vendor == "postgresql":
        return Kind.POSTGRESQL
    raise BackupRefused(_("不支持备份 %(vendor)s 数据库。") % {"vendor": vendor})


def kind_of_file(path: Path) -> Kind | None:
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC:
        return Kind.SQLITE
    if head.startswith(PG_DUMP_MAGIC):
        return Kind.POSTGRESQL
    return None


def backup(target: Path, alias: str = "default") -> Kind:
    """Copy the database to `target` (replaced if it exists), readable by its owner only."""
    kind = kind_of_database(alias)
    target = target.resolve()
    if target.is_dir():
        raise BackupRefused(_("%(path)s 是目录，请给出备份文件名。") % {"path": target})
    if not target.parent.is_dir():
        raise BackupRefused(_("目录 %(path)s 不存在。") % {"path": target.parent})
    # mkstemp creates the file 0600; in the target's folder, so the final rename is atomic.
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    try:
        if kind is Kind.SQLITE:
            _backup_sqlite(Path(temporary), alias)
        else:
            _backup_postgresql(Path(temporary), alias)
        os.chmod(temporary, 0o600)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return kind


def restore(source: Path, alias: str = "default") -> Restored:
    """Replace the database's contents by the backup in `source`; refuses a file of another kind."""
    kind = kind_of_database(alias)
    if not source.is_file():
        raise BackupRefused(_("找不到备份文件 %(path)s。") % {"path": source})
    found = kind_of_file(source)
    if found is None:
        raise BackupRefused(_("%(path)s 不是满天星的备份文件。") % {"path": source})
    if found is not kind:
        raise BackupRefused(
            _("%(path)s 是 %(found)s 备份，而当前数据库是 %(kind)s：不能恢复到不同类型的数据库。")
            % {"path": source, "found": found, "kind": kind}
        )
    if kind is Kind.SQLITE:
        _restore_sqlite(source, alias)
    else:
        _restore_postgresql(source, alias)
    return Restored(kind, summary(alias))


def summary(alias: str = "default") -> list[tuple[str, int]]:
    counts = []
    for app_label, model_name, label in SUMMARY_MODELS:
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        counts.append((str(label), model._default_manager.using(alias).count()))
    return counts


# SQLite ------------------------------------------------------------------------------------------


def _backup_sqlite(target: Path, alias: str) -> None:
    # Through Django's own connection: it is the database the settings name (a file in production,
    # the in-memory test database in tests), opened with the settings' pragmas.
    connection = connections[alias]
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
        # One self-contained file: the copy would otherwise inherit WAL mode and want -wal/-shm files.
        destination.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.OperationalError as exc:
        raise BackupRefused(_("备份失败：%(error)s") % {"error": exc}) from exc
    finally:
        destination.close()


def _restore_sqlite(source: Path, alias: str) -> None:
    origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in origin.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not set(MARKER_TABLES) <= tables:
            raise BackupRefused(_("%(path)s 不是满天星的备份文件。") % {"path": source})
        connection = connections[alias]
        connection.ensure_connection()
        if connection.in_atomic_block:
            raise BackupRefused(_("不能在事务中恢复数据库。"))
        origin.backup(connection.connection)
    except sqlite3.OperationalError as exc:
        # Another process holding the database (a long import): the copy was not applied at all.
        raise BackupRefused(
            _("恢复失败，数据库未改动：%(error)s。请停止应用后重试。") % {"error": exc}
        ) from exc
    finally:
        origin.close()


# PostgreSQL --------------------------------------------------------------------------------------


def _client_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupRefused(
            _("找不到 %(name)s：请安装 PostgreSQL 客户端工具（如 postgresql-client）。") % {"name": name}
        )
    return found


def _pg_arguments(alias: str) -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for the client tools, from the settings (DATABASE_URL)."""
    settings: dict[str, Any] = connections[alias].settings_dict
    arguments = ["--dbname", str(settings["NAME"])]
    if settings.get("HOST"):
        arguments += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        arguments += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        arguments += ["--username", str(settings["USER"])]
    environment = dict(os.environ)
    if settings.get("PASSWORD"):
        # In the environment, not on the command line, where `ps` would show it to every user.
        environment["PGPASSWORD"] = str(settings["PASSWORD"])
    return arguments, environment


def _run(command: list[str], environment: dict[str, str]) -> None:
    finished = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        raise BackupRefused(
            _("%(tool)s 失败（退出码 %(code)s）：%(error)s")
            % {"tool": Path(command[0]).name, "code": finished.returncode, "error": finished.stderr.strip()}
        )


def _backup_postgresql(target: Path, alias: str) -> None:
    arguments, environment = _pg_arguments(alias)
    _run([_client_tool("pg_dump"), "--format=custom", "--file", str(target), *arguments], environment)


def _restore_postgresql(source: Path, alias: str) -> None:
    listing = subprocess.run(
        [_client_tool("pg_restore"), "--list", str(source)], capture_output=True, text=True, check=False
    )
    if listing.returncode != 0 or not all(
        re.search(rf"\bTABLE \S+ {table}\b", listing.stdout) for table in MARKER_TABLES
    ):
        raise BackupRefused(_("%(path)s 不是满天星的备份文件。") % {"path": source})
    arguments, environment = _pg_arguments(alias)
    connection = connections[alias]
    if connection.in_atomic_block:
        raise BackupRefused(_("不能在事务中恢复数据库。"))
    # Our own connection would hold no locks while idle, but its cached state (types, sequences)
    # belongs to the objects being dropped: start afresh after the restore.
    connection.close()
    _run(
        [
            _client_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
            *arguments,
            str(source),
        ],
        environment,
    )
    connection.close()
