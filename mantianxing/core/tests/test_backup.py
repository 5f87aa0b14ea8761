"""mtx backup / mtx restore on the database the tests run on (SQLite or PostgreSQL, from DATABASE_URL).

Restoring replaces the whole database, which no `TestCase` transaction can hold, and a
`TransactionTestCase` would empty every table afterwards, the data the migrations load included. So
this is a `SimpleTestCase` allowed to use the database that backs the database up first and restores
that copy afterwards: the database leaves the test exactly as it came in.
"""

from __future__ import annotations

import io
import sqlite3
import stat
import tempfile
from contextlib import closing
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import SimpleTestCase

from mantianxing.accounts.models import User
from mantianxing.core.backups import PG_DUMP_MAGIC, SQLITE_MAGIC
from mantianxing.core.testing import make_user


def run(*arguments: str) -> str:
    out = io.StringIO()
    call_command(*arguments, stdout=out)
    return out.getvalue()


@pytest.mark.django_db  # makes pytest-django create the test database, even when this test runs alone
class BackupRestoreTests(SimpleTestCase):
    databases = {"default"}

    def setUp(self) -> None:
        self.folder = Path(self.enterContext(tempfile.TemporaryDirectory()))
        before = self.folder / "before-test.backup"
        run("backup", str(before))
        self.addCleanup(run, "restore", str(before), "--yes")

    def test_it_restores_the_state_the_backup_was_taken_in(self) -> None:
        probe = make_user("backup-probe", first_name="甲")
        target = self.folder / "mtx.backup"
        said = run("backup", str(target))
        self.assertIn("已备份", said)
        self.assertEqual(stat.S_IMODE(target.stat().st_mode), 0o600)  # the owner's alone

        probe.first_name = "乙"
        probe.save()
        make_user("backup-later")

        said = run("restore", str(target), "--yes")
        self.assertIn(f"已从 {target} 恢复 {connection.vendor}", said)
        self.assertIn("用户", said)
        self.assertEqual(User.objects.get(username="backup-probe").first_name, "甲")
        self.assertFalse(User.objects.filter(username="backup-later").exists())

    def test_it_replaces_an_existing_file_and_keeps_it_private(self) -> None:
        target = self.folder / "old.backup"
        target.write_bytes(b"an older file anyone could read")
        target.chmod(0o644)
        run("backup", str(target))
        self.assertEqual(stat.S_IMODE(target.stat().st_mode), 0o600)
        self.assertNotIn(b"anyone could read", target.read_bytes())
        self.assertEqual([path.name for path in self.folder.iterdir() if path.name.startswith(".")], [])

    def test_it_asks_before_restoring_and_changes_nothing_when_told_no(self) -> None:
        target = self.folder / "mtx.backup"
        run("backup", str(target))
        make_user("backup-later")
        with mock.patch("builtins.input", return_value="no") as asked:
            with self.assertRaisesMessage(CommandError, "已取消"):
                run("restore", str(target))
        self.assertIn("输入 yes", asked.call_args.args[0])
        self.assertTrue(User.objects.filter(username="backup-later").exists())

    def test_it_refuses_a_file_that_is_no_backup_of_this_kind(self) -> None:
        make_user("backup-later")
        other_kind = PG_DUMP_MAGIC if connection.vendor == "sqlite" else SQLITE_MAGIC
        for content, message in (
            (other_kind + b"\x00" * 200, "不能恢复到不同类型的数据库"),
            (b"hello", "不是满天星的备份文件"),
        ):
            wrong = self.folder / "wrong.backup"
            wrong.write_bytes(content)
            with self.assertRaisesMessage(CommandError, message):
                run("restore", str(wrong), "--yes")
        if connection.vendor == "sqlite":
            stranger = self.folder / "stranger.sqlite3"
            with closing(sqlite3.connect(stranger)) as database:
                database.execute("CREATE TABLE notes (body TEXT)")
            with self.assertRaisesMessage(CommandError, "不是满天星的备份文件"):
                run("restore", str(stranger), "--yes")
        with self.assertRaisesMessage(CommandError, "找不到备份文件"):
            run("restore", str(self.folder / "missing.backup"), "--yes")
        self.assertTrue(User.objects.filter(username="backup-later").exists())

    def test_it_refuses_a_folder_that_does_not_exist(self) -> None:
        with self.assertRaisesMessage(CommandError, "不存在"):
            run("backup", str(self.folder / "nowhere" / "mtx.backup"))
