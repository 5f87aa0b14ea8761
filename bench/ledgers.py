"""`make bench`: how fast, and in how much memory, the import pipeline takes a city's ledgers.

DOMAIN §7 sizes a city at ~5,000 buildings, ~50,000 enterprises and ~600,000 people on monthly
rosters. The bench writes such a city with the demo generator (`mantianxing.demo`), two roster months
of it, into a fresh throwaway SQLite database under var/bench/ (or the database DATABASE_URL names,
which must hold no enterprises), and imports the files through `run_import` in order:

    buildings → enterprises (measured) → occupancy → roster month 1 → roster month 2 (measured)

Goals: the enterprise ledger (50,000 rows, validation included) faster than 5,000 rows/s; a month's
roster (600,000 rows) on top of the previous month in under 30 s; each in under 1.5 GB of memory.

Every step runs in a child process of its own (multiprocessing, spawn context); an import's child
reports its time and its peak resident memory, `getrusage(RUSAGE_SELF).ru_maxrss`. The parent stays
small on purpose (no Django, no generated data): Linux carries the parent's resident size at the
fork over into the child's ru_maxrss, which would otherwise count the generator's memory against
the import. `--profile` also runs the measured imports under cProfile and prints where the time
goes (the measured figures are then slower than without).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from queue import Empty
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
FILES_DIR = BENCH_DIR / "files"
MB = 1024**2
ENTERPRISE_RATE_GOAL = 5_000  # rows/s
ROSTER_SECONDS_GOAL = 30.0
MEMORY_GOAL = 1.5 * 1024**3


@dataclass(frozen=True)
class Measured:
    step: str
    rows: int
    imported: int
    seconds: float
    cpu: float
    peak: int  # bytes
    errors: int

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


# Work done in the children (arguments and results are plain values: a child unpickles them before
# Django is set up) ----------------------------------------------------------------------------------


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mantianxing.settings")
    import django

    django.setup()


def _prepare_database() -> str | None:
    """Migrate; the reason the database cannot be used, or None."""
    _setup_django()
    from django.core.management import call_command

    from mantianxing.demo.generator import holds_enterprises

    call_command("migrate", interactive=False, verbosity=0)
    if holds_enterprises():
        return "The database already holds enterprises: point DATABASE_URL at an empty, throwaway database."
    return None


def _write_files(seed: int) -> list[tuple[str, str, int]]:
    """The city's files, two roster months of it: (ledger, path, rows) in import order."""
    _setup_django()
    from django.utils import timezone

    from mantianxing.demo.generator import write_files
    from mantianxing.demo.world import SCALES, World
    from mantianxing.imports.models import Ledger

    world = World(SCALES["city"], seed, timezone.localdate(), months=2)
    shutil.rmtree(FILES_DIR, ignore_errors=True)
    ledgers = (Ledger.BUILDINGS, Ledger.ENTERPRISES, Ledger.OCCUPANCY, Ledger.ROSTER)
    return [(str(f.ledger), str(f.path), f.rows) for f in write_files(world, FILES_DIR, ledgers=ledgers)]


def _import(ledger: str, path: str, profile: str | None) -> tuple[int, int, float, float, int, int]:
    """Import one file: rows, rows imported, seconds, CPU seconds, peak memory (bytes), errors."""
    _setup_django()
    from mantianxing.imports.pipeline import run_import

    started, cpu = time.perf_counter(), time.process_time()
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        result = profiler.runcall(run_import, ledger, path)
        profiler.dump_stats(profile)
    else:
        result = run_import(ledger, path)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux
    return result.rows, result.imported, seconds, cpu, peak, len(result.errors)


def _child(task: Callable[..., Any], args: tuple[Any, ...], queue: Any) -> None:
    queue.put(task(*args))


def in_child(task: Callable[..., Any], *args: Any) -> Any:
    """Run `task(*args)` in a new process (spawn) and return what it returns."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_child, args=(task, args, queue))
    child.start()
    while True:
        try:
            result = queue.get(timeout=5)
            break
        except Empty:
            if not child.is_alive():
                sys.exit(f"{task.__name__}: the child process failed (exit code {child.exitcode})")
    child.join()
    return result


# The parent --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="profile the measured imports with cProfile")
    options = parser.parse_args()
    started = time.perf_counter()

    # A throwaway database and var dir (debug mode generates its own secrets there); the children
    # inherit the environment.
    os.environ["MTX_DEBUG"] = "1"
    os.environ["MTX_VAR_DIR"] = str(BENCH_DIR)
    os.environ["DJANGO_SETTINGS_MODULE"] = "mantianxing.settings"
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    where = os.environ.get("DATABASE_URL", "")
    if not where:
        for stale in BENCH_DIR.glob("mantianxing.sqlite3*"):
            stale.unlink()
        where = f"SQLite, fresh: {BENCH_DIR / 'mantianxing.sqlite3'}"
    if refusal := in_child(_prepare_database):
        sys.exit(refusal)
    print(f"Database: {where}")

    writing = time.perf_counter()
    files = in_child(_write_files, options.seed)
    written = time.perf_counter() - writing
    print(f"Files written in {written:.0f} s (city scale, seed {options.seed}) to {FILES_DIR}:")
    for _ledger, path, rows in files:
        print(f"  {Path(path).name}: {rows:,} rows")

    buildings, enterprises, occupancy, month1, month2 = files
    steps = [
        ("buildings (base)", buildings, None),
        ("enterprises", enterprises, "enterprises"),
        ("occupancy (base)", occupancy, None),
        (f"roster {Path(month1[1]).stem[-7:]} (base)", month1, None),
        (f"roster {Path(month2[1]).stem[-7:]} on top of the month before", month2, "roster"),
    ]
    print("Importing, each file in a process of its own:")
    results: list[Measured] = []
    profiles: list[Path] = []
    for step, (ledger, path, _rows), measured_as in steps:
        profile = BENCH_DIR / f"{measured_as}.prof" if options.profile and measured_as else None
        measured = Measured(step, *in_child(_import, ledger, path, str(profile) if profile else None))
        results.append(measured)
        print(f"  {step}: {measured.rows:,} rows in {measured.seconds:.1f} s", flush=True)
        if measured.errors:
            sys.exit(
                f"{step}: {measured.errors} rows were rejected; the generated files should import cleanly"
            )
        if profile:
            profiles.append(profile)

    report(results, enterprises=results[1], roster=results[4])
    for profile in profiles:
        show_profile(profile)
    total = time.perf_counter() - started
    print(f"\nWhole bench: {total / 60:.1f} min ({total:.0f} s), of which {written:.0f} s writing the files.")


def report(results: list[Measured], *, enterprises: Measured, roster: Measured) -> None:
    goals = {
        enterprises.step: (
            f"> {ENTERPRISE_RATE_GOAL:,} rows/s, < 1.5 GB",
            enterprises.rate > ENTERPRISE_RATE_GOAL and enterprises.peak < MEMORY_GOAL,
        ),
        roster.step: (
            f"< {ROSTER_SECONDS_GOAL:.0f} s, < 1.5 GB",
            roster.seconds < ROSTER_SECONDS_GOAL and roster.peak < MEMORY_GOAL,
        ),
    }
    header = (
        f"{'import':<42}{'rows':>9}{'wall s':>8}{'cpu s':>8}{'rows/s':>8}{'peak RSS':>10}  {'goal':<25}met"
    )
    print("\n" + header + "\n" + "-" * len(header))
    for m in results:
        goal, met = goals.get(m.step, ("", None))
        verdict = "" if met is None else ("yes" if met else "NO")
        print(
            f"{m.step:<42}{m.rows:>9,}{m.seconds:>8.1f}{m.cpu:>8.1f}{m.rate:>8,.0f}"
            f"{m.peak / MB:>7,.0f} MB  {goal:<25}{verdict}"
        )


def show_profile(path: Path) -> None:
    import pstats

    print(f"\ncProfile of {path.stem} ({path}), by cumulative time:")
    pstats.Stats(str(path)).sort_stats("cumulative").print_stats(35)
    print("... and by own time:")
    pstats.Stats(str(path)).sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    main()
