"""`make bench-indicators`: the monitoring indicators at the scale of a city, computed and served.

DOMAIN §7 sizes a city at ~41 reporting units, ~5,000 buildings, ~50,000 enterprises and ~600,000
people on monthly rosters. The bench writes such a city, 36 months of it (2023-11 … 2026-10),
straight into the database, then measures

1. `recompute_origins()`: every enterprise's origin in both plan windows (timed, no goal);
2. `recompute()`: every indicator's monthly series rebuilt from the ledgers and stored,
   three times: wall time (goal < 10 s), peak resident memory, number of values;
3. `mtx verify`'s work, every derived fact recomputed and compared (goal < 60 s); then a month of
   rosters written as an import writes it and the indicators brought up to date again: only the
   indicators that read what the month touched are rebuilt (goal < 2 s);
4. with `--postgres URL` (default: the environment's BENCH_POSTGRES_URL), the dashboard on
   PostgreSQL under concurrent clients: the same city in a database the bench creates and drops,
   one recompute, then the app as a real server (gunicorn, threaded workers) and logged-in clients
   asking for each URL of DASHBOARD_URLS after a warm-up: one client 50 times (the time a request
   takes by itself), then 4 clients at once 50 times each (goal p95 < 300 ms).

Choices:

- The city is generated in memory and inserted by multi-row INSERTs (`core.bulk.insert_rows`), not
  through the import pipeline: importing 36 roster months would take an hour, and the import is
  `make bench`'s subject (bench/ledgers.py), not this one's. Everything is drawn from one
  `random.Random(seed)`, so a seed gives the same city. The data is plausible rather than
  realistic: what matters here is its volume and its shape (firm sizes heavy-tailed, people
  joining, changing jobs and leaving every month, year-to-date revenue that resets in January,
  firms arriving and moving), which is what the series code has to get through.
- The database is a fresh SQLite file, var/bench/indicators.sqlite3 (or the one DATABASE_URL
  names, which must hold no enterprises); the PostgreSQL database of step 3 is created by the bench,
  marked as its own with a comment, and dropped at the end (an earlier run's, so marked, is dropped
  first; any other database of that name makes the bench refuse).
- As in bench/ledgers.py, each step runs in a child process of its own (spawn), so that the peak
  resident memory a recompute reports, `ru_maxrss`, is its own and not the generator's.
- The clients are threads of the parent with a cookie jar each (urllib: `requests` is not a
  dependency); they share the machine with the server, which the figures include.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import math
import os
import random
import re
import resource
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.cookiejar import CookieJar
from itertools import accumulate
from pathlib import Path
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urlencode, urlsplit, urlunsplit
from urllib.request import HTTPCookieProcessor, OpenerDirector, Request, build_opener

from ledgers import BENCH_DIR, MB, ROOT, in_child

from mantianxing.lib.identifiers import make_uscc  # python-stdnum only: no Django in the parent

# What the dashboard part asks for, each from every client.
DASHBOARD_URLS = (
    "/monitoring/?plan=2025&as_of=2026-10",
    "/monitoring/?plan=2022&as_of=2025-12",
)
SQLITE_PATH = BENCH_DIR / "indicators.sqlite3"
SERVER_LOG = BENCH_DIR / "indicators-server.log"
RECOMPUTE_GOAL = 10.0  # seconds
VERIFY_GOAL = 60.0  # seconds, `mtx verify` of the whole city
INCREMENTAL_GOAL = 2.0  # seconds, indicators fresh again after a month of rosters
P95_GOAL = 300.0  # milliseconds
RUNS = 3
CLIENTS = 4
REQUESTS = 50  # per client and URL
WARM_UP = 3  # per client and URL
PG_MARK = "mantianxing indicators bench: throwaway, dropped by the bench"
USERNAME = "bench-city-office"
PASSWORD = "bench-Pa55word-not-secret"

# The city's months, and the day its units are taken on.
FIRST_MONTH = date(2023, 11, 1)
MONTHS = 36
LAST_DAY = date(2026, 10, 31)
UNITS_ON = date(2026, 11, 1)

# Shape of the city.
CENTRAL_WEIGHT = 6.0  # a central district draws this many times the firms and buildings of another
OUTSIDE_SHARE = 0.09  # firms registered outside Chongqing
CITY_REGISTERED_SHARE = 0.05  # firms registered by the municipal regulator (500000)
ELSEWHERE_IN_CITY_SHARE = 0.10  # firms registered in another Chongqing district than their own
OCCUPANCY_SHARE = 0.88  # firms with an occupancy in a ledger building
MOVE_SHARE = 0.25  # of those, firms that move to another building
MOVE_ACROSS_SHARE = 0.2  # of the moves, those to another unit
LEAVE_BUILDING_SHARE = 0.03  # firms that move out of the ledger buildings altogether
JOIN_RATE = 0.01  # people joining the industry per month, as a share of those in it
LEAVE_RATE = 0.004  # people leaving it per month
CHANGE_RATE = 0.009  # people changing jobs per month
ROLE_WEIGHTS = {"software": 42, "ai_plus": 6, "tech_service": 27, "management": 13, "other": 12}
REVENUE_PER_HEAD = 60.0  # 万元 a year
REVENUE_GROWTH = 1.12  # a year
OUTSIDE_REGISTRARS = ("110108", "110105", "310115", "440305", "330106", "510107", "420111", "610113")
# Firms of the zones and of 两江新区 (before it became a district) register with other authorities.
REGISTRARS = {"5001GX": ("500106", "500107"), "5001WS": ("500110",), "500157": ("500105", "500112")}
LIANGJIANG_DISTRICT = date(2025, 11, 6)
HONOURS = {"listed": 120, "unicorn": 30, "little_giant": 150, "key_software": 100}


@dataclass(frozen=True)
class Sizes:
    buildings: int = 5_000
    enterprises: int = 50_000
    people_at_start: int = 432_000  # grows to ~600,000 people, ~750,000 spells by the last month
    reporting_firms: int = 15_000  # firms filing monthly statistics
    honours_scale: float = 1.0

    def scaled(self, factor: float) -> Sizes:
        """A fraction of the city (for trying the bench out quickly)."""

        def part(count: int) -> int:
            return max(1, round(count * factor))

        return Sizes(
            part(self.buildings),
            part(self.enterprises),
            part(self.people_at_start),
            part(self.reporting_firms),
            honours_scale=factor,
        )


@dataclass(frozen=True)
class Place:
    pk: int
    code: str
    weight: float


@dataclass
class Firm:
    pk: int
    established: date
    arrived: date  # in Chongqing: established, or (registered elsewhere) its first move-in
    outside: bool
    weight: float  # relative size
    unit: int = 0
    uscc: str = ""


@dataclass
class City:
    """The rows to insert, per model: tuples of the fields in `FIELDS`, ids given."""

    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.rows.items()}


# Model label → the fields of its rows, in insertion order (foreign keys before their users).
FIELDS: dict[str, list[str]] = {
    "carriers.Building": [
        "id", "code", "name", "unit", "total_area", "acquired_area", "carrier_area", "status",
        "listed_on", "acquired_on", "refitting_on", "in_use_on",
    ],
    "enterprises.Enterprise": ["id", "uscc", "name", "established_on", "unit"],
    "carriers.Occupancy": ["id", "building", "enterprise", "area", "moved_in_on", "moved_out_on"],
    "people.Person": ["id", "id_hash", "id_masked", "name"],
    "people.EmploymentSpell": ["id", "person", "enterprise", "first_month", "last_month", "role_category"],
    "people.RosterFiling": ["id", "enterprise", "month", "headcount"],
    "stats.MonthlyStatistics": [
        "id", "enterprise", "month", "software_revenue", "product_revenue", "it_service_revenue",
        "security_revenue", "embedded_revenue", "rd_expense", "headcount",
    ],
    "enterprises.Honour": ["id", "enterprise", "kind", "awarded_on", "source"],
}  # fmt: skip
# Columns that are NOT NULL without a database default: the same in every row.
CONSTANTS: dict[str, dict[str, Any]] = {
    "carriers.Building": {"address": "", "operator_uscc": "", "operator_name": "", "move_in_ready": False},
    "enterprises.Enterprise": {"registered_address": "", "claimed_origin": ""},
}
TRACKED = {"carriers.Building", "carriers.Occupancy", "enterprises.Enterprise", "enterprises.Honour",
           "people.EmploymentSpell", "people.RosterFiling", "stats.MonthlyStatistics"}  # fmt: skip


# Months ------------------------------------------------------------------------------------------


def month_of(index: int) -> date:
    """The month `index` months after FIRST_MONTH."""
    count = FIRST_MONTH.year * 12 + FIRST_MONTH.month - 1 + index
    return date(count // 12, count % 12 + 1, 1)


def index_of(day: date) -> int:
    """The index of `day`'s month (negative before FIRST_MONTH)."""
    return (day.year - FIRST_MONTH.year) * 12 + day.month - FIRST_MONTH.month


def day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1)) if last > first else first


def geometric(rng: random.Random, rate: float) -> int:
    """Months until an event of monthly probability `rate` (at least 1)."""
    return int(math.log(1.0 - rng.random()) / math.log(1.0 - rate)) + 1


# Generating the city -----------------------------------------------------------------------------


def generate(seed: int, sizes: Sizes, places: list[Place]) -> City:
    rng = random.Random(seed)
    city = City()
    buildings = make_buildings(rng, places, sizes.buildings)
    firms = make_firms(rng, places, sizes.enterprises)
    occupancies = make_occupancies(rng, firms, buildings, places)
    spells = make_spells(rng, firms, sizes.people_at_start)
    headcounts = roster_headcounts(spells, len(firms))
    city.rows["carriers.Building"] = building_rows(rng, buildings, occupancies)
    city.rows["enterprises.Enterprise"] = [
        (f.pk, f.uscc, f"基准{f.pk}软件有限公司", f.established, f.unit) for f in firms
    ]
    city.rows["carriers.Occupancy"] = occupancies
    city.rows["people.Person"] = person_rows(seed, spells[-1][1])
    city.rows["people.EmploymentSpell"] = [
        (pk, person, firm, month_of(first), month_of(last), role)
        for pk, person, firm, first, last, role in spells
    ]
    city.rows["people.RosterFiling"] = filing_rows(headcounts)
    city.rows["stats.MonthlyStatistics"] = statistics_rows(rng, firms, headcounts, sizes)
    city.rows["enterprises.Honour"] = honour_rows(rng, firms, sizes)
    return city


def weighted(rng: random.Random, places: list[Place], count: int) -> list[Place]:
    return rng.choices(places, weights=[place.weight for place in places], k=count)


def make_buildings(rng: random.Random, places: list[Place], count: int) -> dict[int, list[int]]:
    """Building ids per unit: one in every unit at least, the rest drawn by weight."""
    units = [place.pk for place in places] + [p.pk for p in weighted(rng, places, count - len(places))]
    by_unit: dict[int, list[int]] = {}
    for pk, unit in enumerate(units, start=1):
        by_unit.setdefault(unit, []).append(pk)
    return by_unit


def make_firms(rng: random.Random, places: list[Place], count: int) -> list[Firm]:
    """Firms set up 2010–2026, more of them every year; sizes heavy-tailed (Pareto)."""
    years = list(range(2010, 2027))
    drawn = rng.choices(years, weights=[1.1 ** (year - 2010) for year in years], k=count)
    firms = []
    for pk, year in enumerate(drawn, start=1):
        established = day_between(rng, date(year, 1, 1), min(date(year, 12, 31), LAST_DAY))
        outside = rng.random() < OUTSIDE_SHARE
        arrived = min(established + timedelta(days=rng.randrange(1500)), LAST_DAY) if outside else established
        firms.append(Firm(pk, established, arrived, outside, min(rng.paretovariate(1.16), 1_000.0)))
    for firm, place in zip(firms, weighted(rng, places, count), strict=True):
        firm.unit = place.pk  # the ledger unit; the building of its last occupancy overrides it
        firm.uscc = make_uscc(f"91{registrar(rng, firm, place, places)}MA{firm.pk:07d}")
    return firms


def registrar(rng: random.Random, firm: Firm, place: Place, places: list[Place]) -> str:
    """The division code of the authority that registered the firm (chars 3–8 of its USCC)."""
    if firm.outside:
        return rng.choice(OUTSIDE_REGISTRARS)
    draw = rng.random()
    if draw < CITY_REGISTERED_SHARE:
        return "500000"
    if draw < CITY_REGISTERED_SHARE + ELSEWHERE_IN_CITY_SHARE:
        place = rng.choice(places)
    if place.code in REGISTRARS and (place.code != "500157" or firm.established < LIANGJIANG_DISTRICT):
        return rng.choice(REGISTRARS[place.code])
    return place.code if place.code.isdigit() else "500000"


def make_occupancies(
    rng: random.Random, firms: list[Firm], buildings: dict[int, list[int]], places: list[Place]
) -> list[tuple[Any, ...]]:
    """(id, building, enterprise, area, moved in, moved out): a first move-in for most firms (in a
    building of their unit), then for some a move to another building (mostly in the same unit) or
    out of the ledger buildings. The firm's ledger unit becomes that of its last building."""
    unit_of = {pk: unit for unit, pks in buildings.items() for pk in pks}
    rows: list[tuple[Any, ...]] = []
    for firm in firms:
        if rng.random() >= OCCUPANCY_SHARE:
            continue
        moved_in = (
            firm.arrived if firm.outside else min(firm.arrived + timedelta(rng.randrange(120)), LAST_DAY)
        )
        building = rng.choice(buildings[firm.unit])
        area = float(round(max(30.0, 12.0 * firm.weight * rng.lognormvariate(0.0, 0.3))))
        draw, room = rng.random(), (LAST_DAY - moved_in).days
        moved_out = None
        if draw < MOVE_SHARE + LEAVE_BUILDING_SHARE and room > 90:
            moved_out = moved_in + timedelta(days=rng.randrange(60, room))
        rows.append((len(rows) + 1, building, firm.pk, area, moved_in, moved_out))
        if moved_out is not None and draw < MOVE_SHARE:
            unit = firm.unit if rng.random() > MOVE_ACROSS_SHARE else weighted(rng, places, 1)[0].pk
            building = rng.choice([b for b in buildings[unit] if b != building] or buildings[unit])
            rows.append((len(rows) + 1, building, firm.pk, area, moved_out, None))
        firm.unit = unit_of[building]
    return rows


def building_rows(
    rng: random.Random, buildings: dict[int, list[int]], occupancies: list[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """Areas large enough for every occupancy at once; statuses with dates in order."""
    occupied: dict[int, float] = {}
    for _pk, building, _firm, area, *_dates in occupancies:
        occupied[building] = occupied.get(building, 0.0) + area
    statuses = ("listed", "acquired", "refitting", "in_use")
    rows = []
    for unit, pks in sorted(buildings.items()):
        for pk in pks:
            carrier = round(max(occupied.get(pk, 0.0), rng.uniform(1_000, 6_000)) * rng.uniform(1.1, 1.5))
            total = round(carrier * rng.uniform(1.0, 1.4))
            status = rng.choices(statuses, weights=(10, 15, 15, 60))[0]
            steps, day = [], day_between(rng, date(2018, 1, 1), date(2025, 6, 30))
            for _step in statuses[: statuses.index(status) + 1]:
                steps.append(day)
                day = min(day + timedelta(days=rng.randrange(30, 300)), LAST_DAY)
            dates = steps + [None] * (4 - len(steps))
            acquired = round(total * rng.uniform(0.5, 1.0)) if status != "listed" else None
            rows.append(
                (pk, f"BENCH-{pk:05d}", f"基准楼宇{pk}号", unit, total, acquired, carrier, status, *dates)
            )
    return rows


class FirmPicker:
    """Draws a firm by size among those already in Chongqing in a month (a prefix by arrival)."""

    def __init__(self, rng: random.Random, firms: list[Firm]) -> None:
        self.rng = rng
        ordered = sorted(firms, key=lambda firm: firm.arrived)
        self.ids = [firm.pk for firm in ordered]
        self.cumulative = list(accumulate(firm.weight for firm in ordered))
        arrivals = [index_of(firm.arrived) for firm in ordered]
        self.present = [bisect.bisect_right(arrivals, month) for month in range(MONTHS)]

    def pick(self, month: int, other_than: int = 0) -> int:
        count = self.present[month]
        for _attempt in range(3):
            drawn = self.rng.random() * self.cumulative[count - 1]
            firm = self.ids[bisect.bisect_right(self.cumulative, drawn, 0, count - 1)]
            if firm != other_than:
                break
        return firm


def make_spells(rng: random.Random, firms: list[Firm], at_start: int) -> list[tuple[Any, ...]]:
    """(id, person, enterprise, first month index, last month index, role) of everyone's spells.

    `at_start` people are on the rosters of the first month; each month JOIN_RATE more join. Each
    month a person leaves the industry with probability LEAVE_RATE, changes jobs with CHANGE_RATE.
    """
    picker = FirmPicker(rng, firms)
    roles, weights = list(ROLE_WEIGHTS), list(ROLE_WEIGHTS.values())
    starts = [0] * at_start
    for month in range(1, MONTHS):
        starts += [month] * round(JOIN_RATE * at_start * (1 + JOIN_RATE - LEAVE_RATE) ** (month - 1))
    spells: list[tuple[Any, ...]] = []
    for person, (start, role) in enumerate(
        zip(starts, rng.choices(roles, weights, k=len(starts)), strict=True), 1
    ):
        month, firm = start, picker.pick(start)
        while True:
            last = month + geometric(rng, LEAVE_RATE + CHANGE_RATE) - 1
            spells.append((len(spells) + 1, person, firm, month, min(last, MONTHS - 1), role))
            if last >= MONTHS - 1 or rng.random() < LEAVE_RATE / (LEAVE_RATE + CHANGE_RATE):
                break
            month = last + 1
            firm = picker.pick(month, other_than=firm)
    return spells


def roster_headcounts(spells: list[tuple[Any, ...]], firms: int) -> list[list[int]]:
    """People on each firm's roster in each month (index 0 unused: ids start at 1)."""
    deltas = [[0] * (MONTHS + 1) for _ in range(firms + 1)]
    for _pk, _person, firm, first, last, _role in spells:
        deltas[firm][first] += 1
        deltas[firm][last + 1] -= 1
    return [list(accumulate(row[:MONTHS])) for row in deltas]


def person_rows(seed: int, count: int) -> list[tuple[Any, ...]]:
    return [
        (
            pk,
            hashlib.sha256(f"bench:{seed}:{pk}".encode()).hexdigest(),
            f"{'*' * 14}{pk % 10_000:04d}",
            f"人员{pk}",
        )
        for pk in range(1, count + 1)
    ]


def filing_rows(headcounts: list[list[int]]) -> list[tuple[Any, ...]]:
    months = [month_of(index) for index in range(MONTHS)]
    rows = []
    for firm, counts in enumerate(headcounts):
        for month, count in zip(months, counts, strict=True):
            if count > 0:
                rows.append((len(rows) + 1, firm, month, count))
    return rows


def statistics_rows(
    rng: random.Random, firms: list[Firm], headcounts: list[list[int]], sizes: Sizes
) -> list[tuple[Any, ...]]:
    """Year-to-date figures in whole 万元 of the largest firms, every month they are here.

    Revenue grows ~12% a year; within a year it accrues unevenly (December is heavy) and starts
    again from nothing in January. The four parts of 软件业务收入 add up to at most the whole.
    """
    reporting = sorted(firms, key=lambda firm: -firm.weight)[: sizes.reporting_firms]
    rows: list[tuple[Any, ...]] = []
    for firm in sorted(reporting, key=lambda firm: firm.pk):
        heads = headcounts[firm.pk]
        yearly = max(200.0, max(heads) * REVENUE_PER_HEAD * rng.lognormvariate(0.0, 0.4))
        product, security, embedded = rng.uniform(0.15, 0.55), rng.uniform(0, 0.05), rng.uniform(0, 0.1)
        service = 1.0 - product - security - embedded - rng.uniform(0, 0.05)
        shares, rd_share = (product, service, security, embedded), rng.uniform(0.05, 0.2)
        first = max(0, index_of(firm.arrived))
        for index in range(first, MONTHS):
            month = month_of(index)
            if index == first or month.month == 1:  # a new year: its revenue, accrued unevenly
                revenue = yearly * REVENUE_GROWTH ** (month.year - 2023) * rng.lognormvariate(0.0, 0.08)
                accrual = [(1.8 if m == 12 else 1.0) * rng.uniform(0.7, 1.3) for m in range(1, 13)]
                # A firm here before its first month has the year's earlier months to date already.
                earlier = month.month - 1 if index_of(firm.arrived) < index else 0
                whole = sum(accrual)
                to_date = revenue * sum(accrual[:earlier]) / whole
            to_date += revenue * accrual[month.month - 1] / whole
            parts = [math.floor(to_date * share) for share in shares]
            rows.append(
                (len(rows) + 1, firm.pk, month, math.ceil(to_date), *parts,
                 math.floor(to_date * rd_share), heads[index] or None)
            )  # fmt: skip
    return rows


def honour_rows(rng: random.Random, firms: list[Firm], sizes: Sizes) -> list[tuple[Any, ...]]:
    """A few hundred titles, among the 2,000 largest firms, awarded since they arrived (or 2015)."""
    largest = sorted(firms, key=lambda firm: -firm.weight)[:2_000]
    rows: list[tuple[Any, ...]] = []
    for kind, count in HONOURS.items():
        for firm in rng.sample(largest, min(len(largest), max(1, round(count * sizes.honours_scale)))):
            awarded = day_between(rng, max(firm.arrived, date(2015, 1, 1)), LAST_DAY)
            rows.append((len(rows) + 1, firm.pk, kind, awarded, "基准数据"))
    return rows


# Work done in the children (plain arguments and results) -----------------------------------------


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mantianxing.settings")
    import django

    django.setup()


def _prepare_database() -> str | None:
    """Migrate; the reason the database cannot be used, or None."""
    _setup_django()
    from django.core.management import call_command

    from mantianxing.enterprises.models import Enterprise

    call_command("migrate", interactive=False, verbosity=0)
    if Enterprise.objects.exists():
        return "The database already holds enterprises: point DATABASE_URL at an empty, throwaway database."
    return None


def _populate(seed: int, scale: float) -> tuple[dict[str, int], float, float]:
    """Generate the city and insert it: rows per model, seconds generating, seconds writing."""
    _setup_django()
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from mantianxing.core.bulk import insert_rows
    from mantianxing.geo.choices import UnitGroup
    from mantianxing.geo.models import Unit

    started = time.perf_counter()
    central = set(Unit.objects.in_group(UnitGroup.CENTRAL, UNITS_ON).values_list("pk", flat=True))
    current = Unit.objects.reporting().valid_on(UNITS_ON).order_by("code").values_list("pk", "code")
    places = [Place(pk, code, CENTRAL_WEIGHT if pk in central else 1.0) for pk, code in current]
    city = generate(seed, Sizes().scaled(scale), places)
    generated = time.perf_counter() - started

    started, now = time.perf_counter(), timezone.now()
    models = [apps.get_model(label) for label in FIELDS]
    with transaction.atomic():
        for label, model in zip(FIELDS, models, strict=True):
            same = dict(CONSTANTS.get(label, {}))
            if label in TRACKED:
                same |= {"created_at": now, "updated_at": now}
            insert_rows(model, FIELDS[label], city.rows[label], **same)
        with connection.cursor() as cursor:  # the ids were given: move the sequences past them
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
    return city.counts(), generated, time.perf_counter() - started


def _origins() -> tuple[int, float]:
    """recompute_origins(): rows written, seconds."""
    _setup_django()
    from mantianxing.enterprises.origin import recompute_origins

    started = time.perf_counter()
    written = recompute_origins()
    return written, time.perf_counter() - started


def _recompute(profile: str | None) -> tuple[float, float, int, int]:
    """recompute(): seconds, CPU seconds, values stored, peak memory (bytes)."""
    _setup_django()
    from mantianxing.monitoring.compute import recompute

    started, cpu = time.perf_counter(), time.process_time()
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        state = profiler.runcall(recompute)
        profiler.dump_stats(profile)
    else:
        state = recompute()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux
    return seconds, cpu, state.changed, peak


def _next_month(seed: int) -> tuple[dict[str, int], float, float, list[str]]:
    """A month of rosters written as an import writes it, then the indicators brought up to date.

    Everyone on the last month's rosters stays (their spells extended), JOIN_RATE of them more join
    (new people, new spells at random firms), and every firm with people files the month; written
    by `core.bulk` (whose `rows_written` marks what the month touches, as in an import), then
    `ensure_fresh()` rebuilds what was marked. Returns the rows written, the seconds writing, the
    seconds to fresh indicators and the indicators that were rebuilt.
    """
    _setup_django()
    from collections import Counter

    from django.db import transaction
    from django.utils import timezone

    from mantianxing.core import derived
    from mantianxing.core.bulk import insert_rows, update_rows
    from mantianxing.monitoring.compute import INDICATORS, NAME, ensure_fresh
    from mantianxing.people.models import EmploymentSpell, Person, RosterFiling

    ensure_fresh()
    rng = random.Random(seed + 1)
    last, month = month_of(MONTHS - 1), month_of(MONTHS)
    now = timezone.now()
    stamp = {"created_at": now, "updated_at": now}
    started = time.perf_counter()
    with transaction.atomic():
        ongoing = list(EmploymentSpell.objects.filter(last_month=last).values_list("pk", "enterprise_id"))
        update_rows(EmploymentSpell, [pk for pk, _firm in ongoing], last_month=month, updated_at=now)
        firms = [firm for _pk, firm in ongoing]
        first_person = Person.objects.order_by("-pk").values_list("pk", flat=True).first() + 1  # type: ignore[operator]
        joining = [first_person + i for i in range(round(JOIN_RATE * len(ongoing)))]
        insert_rows(Person, FIELDS["people.Person"], person_rows(seed, joining[-1])[first_person - 1 :])
        new_spells = [(person, rng.choice(firms), month, month, "software") for person in joining]
        insert_rows(
            EmploymentSpell,
            ["person", "enterprise", "first_month", "last_month", "role_category"],
            new_spells,
            **stamp,
        )
        headcounts = Counter(firms) + Counter(firm for _p, firm, *_rest in new_spells)
        insert_rows(RosterFiling, ["enterprise", "headcount"], list(headcounts.items()), month=month, **stamp)
    written = time.perf_counter() - started
    marked = derived.pending(NAME)  # which indicators the month's writes marked
    rebuilt = sorted(INDICATORS[key] for key in marked) if marked is not None else list(INDICATORS)
    started = time.perf_counter()
    ensure_fresh()
    fresh = time.perf_counter() - started
    rows = {"spells extended": len(ongoing), "people joining": len(joining), "filings": len(headcounts)}
    return rows, written, fresh, rebuilt


def _verify() -> tuple[int, int, float]:
    """`mtx verify`'s work: values checked, differences, seconds."""
    _setup_django()
    from mantianxing.core import derived

    started = time.perf_counter()
    result = derived.verify_all()
    return result.checked, len(result.differences), time.perf_counter() - started


def _city_values(month: str) -> dict[str, dict[str, float]]:
    """The city's stored values per plan and indicator in `month` (a check that the data makes sense)."""
    _setup_django()
    from mantianxing.geo.models import CITY_CODE
    from mantianxing.monitoring.models import IndicatorValue

    values: dict[str, dict[str, float]] = {}
    rows = IndicatorValue.objects.filter(unit__code=CITY_CODE, month=date.fromisoformat(f"{month}-01"))
    for plan, indicator, value in rows.values_list("plan__code", "indicator", "value"):
        values.setdefault(plan, {})[indicator] = float(value)
    return values


def _create_user() -> None:
    _setup_django()
    from mantianxing.accounts.choices import Role
    from mantianxing.accounts.models import User

    User.objects.create_user(USERNAME, password=PASSWORD, role=Role.CITY_OFFICE, is_staff=True)


# PostgreSQL and the server -----------------------------------------------------------------------


@contextmanager
def postgres_database(url: str, keep: bool) -> Iterator[None]:
    """Create the database `url` names (dropping an earlier bench's), drop it afterwards."""
    import psycopg

    admin, name, found = postgres_check(url)
    with psycopg.connect(admin, autocommit=True) as connection:
        if found:
            connection.execute(f"DROP DATABASE {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")
        connection.execute(f"COMMENT ON DATABASE {name} IS '{PG_MARK}'")
    try:
        yield
    finally:
        if not keep:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def postgres_check(url: str) -> tuple[str, str, bool]:
    """The URL of the server's `postgres` database, the database's name, and whether an earlier
    bench's is there; exits if the name is not plain or names a database that is not the bench's."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        sys.exit(f"--postgres: give a plain database name (lower case, digits, _), not {name!r}")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        found = connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
    if found and found[0] != PG_MARK:
        sys.exit(f"The database {name} exists and is not this bench's: drop it or name another one.")
    return admin, name, found is not None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server(workers: int, threads: int, log: Path = SERVER_LOG) -> Iterator[str]:
    """The app served by gunicorn (gthread workers), with the parent's environment; its base URL."""
    port = free_port()
    command = [
        str(Path(sys.executable).parent / "gunicorn"), "mantianxing.wsgi:application",
        f"--bind=127.0.0.1:{port}", f"--workers={workers}", f"--threads={threads}",
        "--worker-class=gthread", "--timeout=120", f"--chdir={ROOT}",
        f"--control-socket={BENCH_DIR / 'gunicorn.ctl'}",
    ]  # fmt: skip
    with log.open("w") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while Client(base).get("/healthz")[0] != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"The server did not start; see {log}")
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


class Client:
    """One browser: its own cookies (session, CSRF)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener: OpenerDirector = build_opener(HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> tuple[int, float]:
        """Status and milliseconds (until the whole body is read). A redirect elsewhere (to the
        login page, say) counts as 302: the page asked for was not served; 0 when unreachable."""
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, timeout=120) as response:
                response.read()
                status = response.status if response.url == self.base + path else 302
        except HTTPError as error:
            error.read()
            status = error.code
        except OSError:
            status = 0
        return status, (time.perf_counter() - started) * 1000

    def login(self, username: str, password: str) -> None:
        with self.opener.open(f"{self.base}/login/", timeout=60) as response:
            page = response.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not token:
            sys.exit("No CSRF token on the login page")
        form = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token[1]})
        request = Request(
            f"{self.base}/login/", data=form.encode(), headers={"Referer": f"{self.base}/login/"}
        )
        with self.opener.open(request, timeout=60) as response:
            response.read()
            if urlsplit(response.url).path.startswith("/login"):
                sys.exit(f"Logging in as {username} failed")


@dataclass(frozen=True)
class Latency:
    url: str
    status: int  # of the warm-up; only 200 is measured
    timings: list[float]  # milliseconds
    failures: int

    def percentile(self, share: float) -> float:
        ordered = sorted(self.timings)
        return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)] if ordered else math.nan


def hammer(clients: list[Client], url: str, requests: int) -> Latency:
    """Every client asks for `url` WARM_UP times, then `requests` times, all clients at once."""
    statuses = {client.get(url)[0] for client in clients for _ in range(WARM_UP)}
    if statuses != {200}:
        return Latency(url, max(statuses - {200}), [], 0)
    timings: list[float] = []
    failures = [0]
    lock, start = threading.Lock(), threading.Barrier(len(clients))

    def run(client: Client) -> None:
        start.wait()
        for _ in range(requests):
            status, ms = client.get(url)
            with lock:
                if status == 200:
                    timings.append(ms)
                else:
                    failures[0] += 1

    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Latency(url, 200, timings, failures[0])


@dataclass(frozen=True)
class Dashboard:
    recompute: float  # seconds, on PostgreSQL
    alone: list[Latency]  # one client at a time
    together: list[Latency]  # all clients at once


def measure_dashboard(options: argparse.Namespace, seed: int) -> Dashboard:
    """The city on PostgreSQL, recomputed once, then each URL for one client (the time a request
    takes by itself) and for all the clients at once (the goal)."""
    os.environ["DATABASE_URL"] = options.postgres
    with postgres_database(options.postgres, options.keep_postgres):
        if refusal := in_child(_prepare_database):
            sys.exit(refusal)
        _counts, generated, written = in_child(_populate, seed, options.scale)
        print(f"  populated in {generated + written:.0f} s ({written:.0f} s writing)", flush=True)
        in_child(_origins)
        recomputed = in_child(_recompute, None)[0]
        print(f"  recompute(): {recomputed:.1f} s", flush=True)
        in_child(_create_user)
        with server(options.workers, options.threads) as base:
            clients = [Client(base) for _ in range(options.clients)]
            for client in clients:
                client.login(USERNAME, PASSWORD)
            alone, together = [], []
            for url in options.url or DASHBOARD_URLS:
                alone.append(hammer(clients[:1], url, options.requests))
                print(f"  1 client: {describe(alone[-1])}", flush=True)
                together.append(hammer(clients, url, options.requests))
                print(f"  {len(clients)} clients: {describe(together[-1])}", flush=True)
    return Dashboard(recomputed, alone, together)


def describe(latency: Latency) -> str:
    if latency.status != 200:
        return f"{latency.url}: HTTP {latency.status} (not measured)"
    return (
        f"{latency.url}: p50 {latency.percentile(0.5):.0f} ms, p95 {latency.percentile(0.95):.0f} ms, "
        f"max {max(latency.timings):.0f} ms over {len(latency.timings)} requests"
        + (f", {latency.failures} failed" if latency.failures else "")
    )


# The parent --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu: float
    values: int
    peak: int


def parse_options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0, help="a fraction of the city, for quick trials")
    parser.add_argument("--runs", type=int, default=RUNS, help="recomputes to time")
    parser.add_argument("--profile", action="store_true", help="also profile one recompute with cProfile")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES_URL", ""),
        help="measure the dashboard on this PostgreSQL database (created and dropped by the bench; "
        "default: $BENCH_POSTGRES_URL; none: skip that part)",
    )
    parser.add_argument("--keep-postgres", action="store_true", help="do not drop the database at the end")
    parser.add_argument("--url", action="append", help=f"a URL to measure instead of {DASHBOARD_URLS}")
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--requests", type=int, default=REQUESTS, help="per client and URL")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    return parser.parse_args()


def main() -> None:
    options = parse_options()
    started = time.perf_counter()
    os.environ["MTX_DEBUG"] = "1"
    os.environ["MTX_VAR_DIR"] = str(BENCH_DIR)
    os.environ["DJANGO_SETTINGS_MODULE"] = "mantianxing.settings"
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    where = os.environ.get("DATABASE_URL", "")
    if not where:
        for stale in BENCH_DIR.glob(f"{SQLITE_PATH.name}*"):
            stale.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_PATH}"
        where = f"SQLite, fresh: {SQLITE_PATH}"
    if options.postgres:
        postgres_check(options.postgres)  # before the minutes spent on SQLite
    if refusal := in_child(_prepare_database):
        sys.exit(refusal)
    print(f"Database: {where}")

    counts, generated, written = in_child(_populate, options.seed, options.scale)
    print(f"City generated in {generated:.0f} s and written in {written:.0f} s (seed {options.seed}):")
    print("  " + ", ".join(f"{label.split('.')[1]} {count:,}" for label, count in counts.items()))
    origins, origin_seconds = in_child(_origins)
    print(f"recompute_origins(): {origins:,} rows in {origin_seconds:.1f} s", flush=True)

    runs = []
    for number in range(1, options.runs + 1):
        runs.append(Run(*in_child(_recompute, None)))
        print(f"recompute() #{number}: {runs[-1].seconds:.1f} s", flush=True)
    show_city_values(in_child(_city_values, f"{LAST_DAY:%Y-%m}"))
    checked, differences, verify_seconds = in_child(_verify)
    print(
        f"mtx verify: {checked:,} values checked, {differences} differences, {verify_seconds:.1f} s",
        flush=True,
    )
    rows, writing, fresh_seconds, rebuilt = in_child(_next_month, options.seed)
    print(
        f"Next roster month ({', '.join(f'{k} {v:,}' for k, v in rows.items())}) written in {writing:.1f} s; "
        f"indicators fresh again in {fresh_seconds:.1f} s (rebuilt: {', '.join(rebuilt)})",
        flush=True,
    )
    profile = BENCH_DIR / "recompute.prof"
    if options.profile:
        in_child(_recompute, str(profile))

    dashboard: Dashboard | None = None
    if options.postgres:
        print(f"Dashboard on PostgreSQL ({options.postgres}), {options.clients} clients:", flush=True)
        dashboard = measure_dashboard(options, options.seed)
    report(runs, origin_seconds, dashboard, clients=options.clients)
    print(
        f"{'mtx verify s':<40}{verify_seconds:>10.1f}  < {VERIFY_GOAL:.0f} s  {'yes' if verify_seconds < VERIFY_GOAL else 'NO'}"
    )
    print(
        f"{'fresh after a roster month s':<40}{fresh_seconds:>10.1f}  < {INCREMENTAL_GOAL:.0f} s  "
        f"{'yes' if fresh_seconds < INCREMENTAL_GOAL else 'NO'}"
    )
    if options.profile:
        show_profile(profile)
    total = time.perf_counter() - started
    print(f"\nWhole bench: {total / 60:.1f} min ({total:.0f} s).")


def show_city_values(values: dict[str, dict[str, float]]) -> None:
    print(f"City values in {LAST_DAY:%Y-%m} (a plausibility check):")
    for plan, indicators in sorted(values.items()):
        shown = ", ".join(f"{name} {value:,.4g}" for name, value in sorted(indicators.items()))
        print(f"  plan {plan}: {shown}")


def report(runs: list[Run], origin_seconds: float, dashboard: Dashboard | None, *, clients: int) -> None:
    goal = f"p95 < {P95_GOAL:.0f} ms"
    lines: list[tuple[str, str, str, bool | None]] = [
        ("recompute_origins() s", f"{origin_seconds:.1f}", "", None)
    ]
    for number, run in enumerate(runs, start=1):
        lines.append(
            (f"recompute #{number}: wall s (cpu s)", f"{run.seconds:.1f} ({run.cpu:.1f})",
             f"< {RECOMPUTE_GOAL:.0f} s", run.seconds < RECOMPUTE_GOAL)
        )  # fmt: skip
    if runs:
        lines.append(("recompute: peak RSS", f"{max(run.peak for run in runs) / MB:,.0f} MB", "", None))
        lines.append(("recompute: values stored", f"{runs[-1].values:,}", "", None))
    if dashboard is None:
        lines.append(("dashboard", "skipped: no --postgres", goal, None))
    else:
        lines.append(("recompute on PostgreSQL s", f"{dashboard.recompute:.1f}", "", None))
        for alone, together in zip(dashboard.alone, dashboard.together, strict=True):
            lines.append((f"{alone.url} 1 client p50/p95/max ms", latencies(alone), "", None))
            met = together.status == 200 and together.percentile(0.95) < P95_GOAL and not together.failures
            lines.append((f"{together.url} {clients} clients p50/p95/max ms", latencies(together), goal, met))
    width = max(len(figure) for figure, *_ in lines) + 2
    header = f"{'figure':<{width}}{'value':>22}  {'goal':<16}met"
    print("\n" + header + "\n" + "-" * len(header))
    for figure, value, goal, met in lines:
        verdict = "" if met is None else ("yes" if met else "NO")
        print(f"{figure:<{width}}{value:>22}  {goal:<16}{verdict}")


def latencies(latency: Latency) -> str:
    if latency.status != 200:
        return f"HTTP {latency.status}"
    shown = "/".join(f"{latency.percentile(share):.0f}" for share in (0.5, 0.95, 1.0))
    return shown + (f" ({latency.failures} failed)" if latency.failures else "")


def show_profile(path: Path) -> None:
    import pstats

    print(f"\ncProfile of one recompute ({path}), by cumulative time:")
    pstats.Stats(str(path)).sort_stats("cumulative").print_stats(30)
    print("... and by own time:")
    pstats.Stats(str(path)).sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    main()
