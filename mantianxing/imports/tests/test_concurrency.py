"""Two imports at once, in two processes (`mtx import`), leave what one after the other leaves.

The processes import into the test database itself: on PostgreSQL they connect to it by name; on
SQLite, whose test database lives in this process's memory, it is copied to a file for them and
their result copied back (`SharedDatabase`). The sequential run goes through `run_import` here.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from stdnum.cn import ric

from mantianxing.enterprises.models import Enterprise
from mantianxing.geo.models import Unit
from mantianxing.imports.ledgers import LEDGERS
from mantianxing.imports.locking import IMPORT_LOCK_KEY
from mantianxing.imports.models import ImportBatch, ImportChange
from mantianxing.imports.pipeline import run_import
from mantianxing.imports.tests.sheets import xlsx
from mantianxing.lib.identifiers import make_uscc
from mantianxing.people.models import EmploymentSpell, Person, RosterFiling

# serialized_rollback: the flush after each test would otherwise take the units the migrations load.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROOT = Path(__file__).resolve().parents[3]
ROSTER = LEDGERS["roster"].columns
FIRMS = [make_uscc(f"91500103MA61CC{n:03d}") for n in range(3)]
PROCESS_TIMEOUT = 120  # seconds; each import here takes a second or two


def id_number(n: int) -> str:
    body = f"50010319900101{n:03d}"
    return body + ric.calc_check_digit(body + "0")


def roster(month: str, firm: int, people: Sequence[int], role: str = "软件开发") -> list[list[Any]]:
    return [[month, FIRMS[firm], f"员工{n}", id_number(n), role, "2020-01-01", 20 + n % 7] for n in people]


class SharedDatabase:
    """The test database as other processes reach it, and what they leave in it."""

    def __init__(self, folder: Path) -> None:
        self.sqlite = connection.vendor == "sqlite"
        self.file = folder / "shared.sqlite3"

    def url(self) -> str:
        if self.sqlite:
            return f"sqlite:///{self.file}"
        settings = connection.settings_dict
        password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
        return (
            f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        )

    def share(self) -> None:
        """Before the processes run: on SQLite, this process's database copied to the file."""
        if self.sqlite:
            connection.ensure_connection()
            self.file.unlink(missing_ok=True)
            target = sqlite3.connect(self.file)
            try:
                connection.connection.backup(target)
            finally:
                target.close()

    def take_back(self) -> None:
        """After they ran: on SQLite, what they wrote copied back into this process's database."""
        if self.sqlite:
            source = sqlite3.connect(self.file)
            try:
                source.backup(connection.connection)
            finally:
                source.close()

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the import lock (as a running import would) while the block runs."""
        if self.sqlite:
            holder = sqlite3.connect(self.file, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")
            try:
                yield
            finally:
                holder.execute("ROLLBACK")
                holder.close()
            return
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])
            yield

    def run(self, *commands: Sequence[str], **env: str) -> list[subprocess.CompletedProcess[str]]:
        """`mtx <command>` for each command, all started at once; waits for all of them."""
        environment = os.environ | {
            "DATABASE_URL": self.url(),
            "DJANGO_SETTINGS_MODULE": "mantianxing.settings",
        }
        environment |= env
        started = [
            subprocess.Popen(
                [sys.executable, "-m", "mantianxing", *command],
                cwd=ROOT,
                env=environment,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for command in commands
        ]
        done = []
        for process in started:
            out, err = process.communicate(timeout=PROCESS_TIMEOUT)
            done.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
        return done


def state() -> dict[str, Any]:
    """What the roster imports leave, in terms that do not depend on ids or order."""
    return {
        "people": sorted(Person.objects.values_list("id_hash", "id_masked", "name")),
        "spells": sorted(
            EmploymentSpell.objects.values_list(
                "person__id_hash",
                "enterprise__uscc",
                "first_month",
                "last_month",
                "role_category",
                "hired_on",
                "annual_salary",
            )
        ),
        "filings": sorted(RosterFiling.objects.values_list("enterprise__uscc", "month", "headcount")),
    }


def forget_rosters() -> None:
    for model in (ImportChange, EmploymentSpell, RosterFiling, Person):
        model._base_manager.all().delete()
    ImportBatch.objects.filter(ledger="roster").delete()


@pytest.fixture
def shared() -> Iterator[SharedDatabase]:
    unit = Unit.objects.get(code="500103", abolished_on__isnull=True)
    for n, uscc in enumerate(FIRMS):
        Enterprise.objects.create(
            uscc=uscc, name=f"并发测试企业{n}", unit=unit, established_on=date(2020, 1, 1)
        )
    with tempfile.TemporaryDirectory() as folder:
        yield SharedDatabase(Path(folder))


def write(folder: Path, name: str, rows: list[list[Any]]) -> str:
    path = folder / name
    path.write_bytes(xlsx(ROSTER, rows))
    return str(path)


# Two files each: an October and a November roster of the same firms and mostly the same people;
# Octobers of other firms, naming some people of the first file (both files create them) and some
# nobody else names; one file twice.
SCENARIOS = {
    "months": (
        roster("2026-10", 0, range(0, 40)) + roster("2026-10", 1, range(40, 60)),
        roster("2026-11", 0, range(5, 45), role="管理") + roster("2026-11", 1, range(45, 70)),
    ),
    "people_in_common_and_not": (
        roster("2026-10", 0, range(0, 40)),
        roster("2026-10", 1, range(20, 60)) + roster("2026-10", 2, range(100, 140)),
    ),
    "same_file": (
        roster("2026-10", 0, range(0, 40)),
        roster("2026-10", 0, range(0, 40)),
    ),
}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_it_gives_two_rosters_at_once_what_one_after_the_other_gives(shared: SharedDatabase, scenario: str):
    folder = shared.file.parent
    first, second = SCENARIOS[scenario]
    files = [write(folder, "first.xlsx", first), write(folder, "second.xlsx", second)]

    shared.share()
    done = shared.run(*[["import", "roster", path, "--json"] for path in files])
    shared.take_back()
    at_once = state()

    assert [process.returncode for process in done] == [0, 0], [process.stderr for process in done]
    results = [json.loads(process.stdout) for process in done]
    assert all(result["errors"] == [] for result in results)
    forget_rosters()
    for path in files:
        assert run_import("roster", path).errors == []
    assert at_once == state()
    assert at_once["spells"]


def test_it_refuses_a_second_import_while_the_lock_is_held_too_long(shared: SharedDatabase):
    path = write(shared.file.parent, "october.xlsx", roster("2026-10", 0, range(0, 10)))
    shared.share()

    with shared.locked():
        (done,) = shared.run(["import", "roster", path, "--json"], MTX_IMPORT_LOCK_TIMEOUT="0.5")
    shared.take_back()

    assert done.returncode == 2
    assert "另一项数据导入正在进行" in done.stderr
    assert "没有写入任何数据" in done.stderr
    assert not ImportBatch.objects.exists()
    assert not Person.objects.exists()


def test_it_waits_for_the_import_before_it(shared: SharedDatabase):
    path = write(shared.file.parent, "october.xlsx", roster("2026-10", 0, range(0, 10)))
    shared.share()

    # The lock is held while the process starts (a second or so), then let go: it waits, then imports.
    with shared.locked():
        process = subprocess.Popen(
            [sys.executable, "-m", "mantianxing", "import", "roster", path, "--json"],
            cwd=ROOT,
            env=os.environ | {"DATABASE_URL": shared.url(), "MTX_IMPORT_LOCK_TIMEOUT": "60"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            process.wait(timeout=4)
        except subprocess.TimeoutExpired:
            pass
        assert process.returncode is None  # still waiting for the lock
    out, err = process.communicate(timeout=PROCESS_TIMEOUT)
    shared.take_back()

    assert process.returncode == 0, err
    assert json.loads(out)["imported"] == 10
    assert EmploymentSpell.objects.count() == 10
