"""The demo data set: a reproducible world written as template spreadsheets, then imported like real files.

    world = World(SCALES["small"], seed=1, today=timezone.localdate())
    files = write_files(world, out_dir)          # 楼宇台账, 企业台账, 入驻记录, 经营数据, 花名册 by month
    load(files)                                  # each file through `run_import`, as the city office

Nothing here writes a model: every row reaches the database through the import pipeline, so every
row points to the batch of the file that made it, exactly as with the files officers bring. The same
seed on the same day writes the same bytes (see `mantianxing.demo.xlsx`); the months run up to the
last complete month before today.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from mantianxing.accounts.models import User
from mantianxing.carriers.choices import BuildingStatus
from mantianxing.demo.world import ROLE_LABELS, World
from mantianxing.demo.xlsx import write_xlsx
from mantianxing.enterprises.models import Enterprise
from mantianxing.imports.ledgers import LEDGERS
from mantianxing.imports.models import Ledger
from mantianxing.imports.pipeline import ImportResult, run_import

# The order files are imported in: each ledger needs the ones before it.
ORDER = (Ledger.BUILDINGS, Ledger.ENTERPRISES, Ledger.OCCUPANCY, Ledger.STATISTICS, Ledger.ROSTER)
# The names `write_files` gives its files (and removes before writing a new set).
FILE_NAME = re.compile(rf"^0[1-5]-({'|'.join(str(ledger.label) for ledger in ORDER)})(-.+)?\.xlsx$")


@dataclass(frozen=True)
class DemoFile:
    ledger: str
    path: Path
    rows: int


@dataclass(frozen=True)
class Loaded:
    file: DemoFile
    result: ImportResult
    seconds: float

    @property
    def rate(self) -> float:
        return self.result.rows / self.seconds if self.seconds else 0.0


class DemoFailed(Exception):
    """A demo file did not import cleanly: a bug in the generator, never to be papered over."""


def holds_enterprises() -> bool:
    """Does the database hold enterprises, beyond the one an enterprise demo account is given?

    `mtx demo_accounts` makes a placeholder firm by hand for its enterprise account; it must not make
    `make run` think the database is already loaded. Anything imported, or made by hand without
    an account holding it, counts.
    """
    held = User.objects.filter(enterprise__isnull=False).values("enterprise_id")
    return Enterprise.objects.exclude(batch__isnull=True, pk__in=held).exists()


def taken_usccs() -> frozenset[str]:
    return frozenset(Enterprise.objects.values_list("uscc", flat=True))


def file_path(out: Path, ledger: str, suffix: str = "") -> Path:
    number = ORDER.index(Ledger(ledger)) + 1
    return out / f"{number:02d}-{Ledger(ledger).label}{suffix}.xlsx"


def write_files(
    world: World,
    out: Path,
    *,
    ledgers: Iterable[str] = ORDER,
    progress: Callable[[DemoFile], None] | None = None,
) -> list[DemoFile]:
    """Write the world's spreadsheets into `out`, in import order; rosters one file per month.

    Earlier demo files in `out` are removed first, so that the folder holds one consistent set.
    """
    wanted = set(ledgers)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.iterdir():
        if FILE_NAME.match(stale.name):
            stale.unlink()
    files: list[DemoFile] = []

    def write(ledger: str, rows: Iterable[Sequence[Any]], suffix: str = "") -> None:
        path = file_path(out, ledger, suffix)
        count = write_xlsx(path, str(Ledger(ledger).label), LEDGERS[ledger].columns, rows)
        files.append(done := DemoFile(ledger, path, count))
        if progress:
            progress(done)

    if Ledger.BUILDINGS in wanted:
        write(Ledger.BUILDINGS, _building_rows(world))
    if Ledger.ENTERPRISES in wanted:
        write(Ledger.ENTERPRISES, _enterprise_rows(world))
    if Ledger.OCCUPANCY in wanted:
        write(Ledger.OCCUPANCY, _occupancy_rows(world))
    # The rosters step the job market month by month; the statistics need its headcounts, so they
    # are written after the rosters but listed (and imported) before them.
    rosters: list[DemoFile] = []
    if Ledger.ROSTER in wanted or Ledger.STATISTICS in wanted:
        for month, members in world.people():
            if Ledger.ROSTER in wanted:
                write(Ledger.ROSTER, _roster_rows(world, month, members), f"-{world.months[month]:%Y-%m}")
                rosters.append(files.pop())
    if Ledger.STATISTICS in wanted:
        for year in sorted({day.year for day in world.months}):
            write(Ledger.STATISTICS, _statistics_rows(world, year), f"-{year}年")
    return files + rosters


def load(files: Sequence[DemoFile], *, progress: Callable[[Loaded], None] | None = None) -> list[Loaded]:
    """Import the files in order through the pipeline, acting for the city office."""
    loaded = []
    for file in files:
        started = time.perf_counter()
        result = run_import(file.ledger, file.path, file_name=file.path.name)
        done = Loaded(file, result, time.perf_counter() - started)
        if result.errors:
            shown = "；".join(f"第 {e.row} 行 {e.column}：{e.message}" for e in result.errors[:5])
            raise DemoFailed(f"{file.path.name} 有 {len(result.errors)} 处错误：{shown}")
        loaded.append(done)
        if progress:
            progress(done)
    return loaded


# Rows in the templates' column order (see `LEDGERS[name].columns`) ------------------------------


def _building_rows(world: World) -> Iterable[Sequence[Any]]:
    for b in world.buildings:
        yield (
            b.code,
            b.name,
            b.place.name,
            b.address,
            b.operator_uscc,
            b.operator_name,
            b.total_area,
            b.acquired_area,
            b.carrier_area,
            str(BuildingStatus(b.status).label),
            "是" if b.move_in_ready else "否",
            *_step_dates(b.status),
        )


# When the demo's buildings reached each step (the ledger requires the date of the step reached).
DEMO_STEP_DATES = (date(2021, 3, 1), date(2021, 9, 1), date(2022, 3, 1), date(2022, 9, 1))


def _step_dates(status: str) -> list[date | None]:
    reached = list(BuildingStatus).index(BuildingStatus(status))
    return [day if step <= reached else None for step, day in enumerate(DEMO_STEP_DATES)]


def _enterprise_rows(world: World) -> Iterable[Sequence[Any]]:
    for f in world.firms:
        yield (
            f.uscc,
            f.name,
            f.established,
            f.place.name,
            f.address,
            f.industry,
            "、".join(f.domains),
            f.claim,
        )


def _occupancy_rows(world: World) -> Iterable[Sequence[Any]]:
    occupancies = [o for f in world.firms for o in f.occupancies]
    occupancies.sort(key=lambda o: (o.moved_in, o.building.code))
    for o in occupancies:
        yield (o.building.code, o.firm.uscc, int(o.area), o.moved_in, o.moved_out)


def _roster_rows(world: World, month: int, members: list[list[int]]) -> Iterable[Sequence[Any]]:
    label = f"{world.months[month]:%Y-%m}"
    names, numbers, roles = world.person_name, world.person_id, world.person_role
    hired, salaries = world.person_hired, world.person_salary
    for firm, staff in zip(world.firms, members, strict=True):
        uscc = firm.uscc
        for p in staff:
            yield (label, uscc, names[p], numbers[p], ROLE_LABELS[roles[p]], hired[p], salaries[p])


def _statistics_rows(world: World, year: int) -> Iterable[Sequence[Any]]:
    for month, firm, amounts, headcount, totals in world.statistics(year):
        yield (f"{month:%Y-%m}", firm.uscc, *amounts, headcount, *totals)
