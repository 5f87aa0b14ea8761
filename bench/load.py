"""`make bench-load`: the month-end load (issue 12 §16), on PostgreSQL with gunicorn, on 127.0.0.1.

For `--seconds` (60), `--users` (30) people use the app at once, each as fast as the server answers:
a third city-office browsers (dashboard, lists, reports), a third district officers' browsers (their
dashboard and lists), a third scripts reading the API with bearer tokens. At the same time, 20
district officers submit last month's report through the API (open, save the figures, submit with a
comment on each warning). Printed: requests per second, p50/p95/max milliseconds per kind and
overall, errors (any status but 200, and any request that failed); then whether every one of the 20
reports is stored as submitted with its figures. Goal: p95 < 500 ms, 0 errors, nothing lost.

Choices:

- The data is the demo at small scale (`mtx demo --scale small`: ~2,000 enterprises, 200
  buildings, 20,000 people, 24 months; about a minute) with the demo accounts: what a district
  works with, written through the import pipeline rather than straight into tables.
- The PostgreSQL database (`--postgres`, default $BENCH_POSTGRES_URL or mtx_bench_load on
  127.0.0.1) is created, marked and dropped as by bench/indicators.py, whose server, clients and
  database handling this bench reuses; the server log is var/bench/load-server.log.
- Clients are threads of this process (urllib, a cookie jar each); they share the 2 cores with the
  server and PostgreSQL, so the figures include the clients' own cost.
- Bounded: a request times out after 30 s (an error), the run stops after `--seconds`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.error import HTTPError
from urllib.request import Request

from indicators import Client, postgres_check, postgres_database, server
from ledgers import BENCH_DIR, in_child

LOAD_DIR = BENCH_DIR / "load"
SERVER_LOG = BENCH_DIR / "load-server.log"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/mtx_bench_load"
P95_GOAL = 500.0  # milliseconds
SUBMITTERS = 20
TIMEOUT = 30

# What each kind of user asks for, in turn. Districts' pages are filled in with their unit code.
CITY_PAGES = (
    "/monitoring/",
    "/monitoring/?plan=2022",
    "/enterprises/",
    "/buildings/",
    "/reports/",
    "/statistics/",
    "/",
)
DISTRICT_PAGES = ("/monitoring/", "/enterprises/", "/buildings/", "/reports/", "/people/")
API_READS = (
    "/api/indicators/progress",
    "/api/indicators/progress?plan=2022",
    "/api/enterprises?limit=50",
    "/api/buildings?limit=50",
    "/api/occupancy?limit=50",
    "/api/reports",
    "/api/reports/quality",
    "/api/statistics?limit=50",
)


@dataclass
class Tally:
    """Timings (ms) of the answered requests per kind, and the failures."""

    timings: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, url: str, status: int, ms: float) -> None:
        with self.lock:
            if status == 200:
                self.timings.setdefault(kind, []).append(ms)
            else:
                self.errors[kind] = self.errors.get(kind, 0) + 1
                if len(self.examples) < 10:
                    self.examples.append(f"{kind} {url}: HTTP {status}")


class ApiClient(Client):
    """A script with a bearer token (no cookies needed)."""

    def __init__(self, base: str, token: str) -> None:
        super().__init__(base)
        self.token = token

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any, float]:
        started = time.perf_counter()
        data = None if body is None else json.dumps(body).encode()
        request = Request(self.base + path, data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                status, payload = response.status, json.loads(response.read() or b"null")
        except HTTPError as error:
            status, payload = error.code, json.loads(error.read() or b"null")
        except OSError:
            status, payload = 0, None
        return status, payload, (time.perf_counter() - started) * 1000

    def get(self, path: str) -> tuple[int, float]:
        status, _payload, ms = self.call("GET", path)
        return status, ms


def mtx(*args: str) -> str:
    command = [str(Path(sys.executable).parent / "mtx"), *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def _district_accounts(password: str, count: int) -> list[str]:
    """The codes of `count` current reporting units, each with a district officer `district<code>`
    (the demo accounts cover the nine ranked districts; the others are added, same password)."""
    import django

    django.setup()
    from django.utils import timezone

    from mantianxing.accounts.choices import Role
    from mantianxing.accounts.models import User
    from mantianxing.geo.models import Unit

    units = list(Unit.objects.reporting().valid_on(timezone.localdate()).order_by("code")[:count])
    for unit in units:
        if not User.objects.filter(username=f"district{unit.code}").exists():
            User.objects.create_user(
                f"district{unit.code}",
                password=password,
                role=Role.DISTRICT_OFFICER,
                unit=unit,
                is_staff=True,
            )
    return [unit.code for unit in units]


def token_for(base: str, username: str, password: str) -> str:
    client = ApiClient(base, "")
    status, payload, _ms = client.call(
        "POST", "/api/auth/token", {"username": username, "password": password}
    )
    if status != 200:
        sys.exit(f"No token for {username}: HTTP {status} {payload}")
    return str(payload["token"])


def browse(client: Client, kind: str, urls: tuple[str, ...], until: float, tally: Tally) -> None:
    turn = 0
    while time.monotonic() < until:
        url = urls[turn % len(urls)]
        status, ms = client.get(url)
        tally.add(kind, url, status, ms)
        turn += 1


def submit_report(client: ApiClient, unit: str, month: str, tally: Tally) -> str:
    """Open, fill and submit `unit`'s report for `month`; '' when submitted, else what went wrong."""
    status, report, ms = client.call("POST", "/api/reports", {"unit": unit, "month": month})
    tally.add("report submission", "POST /api/reports", 200 if status in (200, 201) else status, ms)
    if status not in (200, 201):
        return f"open: HTTP {status} {report}"
    figures = {"investment_projects": 3, "investment_projects_major": 1, "investment_amount": "1200.5",
               "scenarios_released": 2, "events_held": 4, "remarks": f"{unit} 基准月报"}  # fmt: skip
    status, report, ms = client.call("PATCH", f"/api/reports/{report['id']}", figures)
    tally.add("report submission", "PATCH /api/reports/{id}", status, ms)
    if status != 200:
        return f"save: HTTP {status} {report}"
    comments = {f["rule"]: "基准说明：数据已核实。" for f in report["findings"] if f["severity"] == "warning"}
    status, report, ms = client.call("POST", f"/api/reports/{report['id']}/submit", {"comments": comments})
    tally.add("report submission", "POST /api/reports/{id}/submit", status, ms)
    return "" if status == 200 else f"submit: HTTP {status} {report}"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return (
        ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))] if ordered else float("nan")
    )


def run_load(base: str, password: str, options: argparse.Namespace, units: list[str]) -> tuple[Tally, float]:
    """The users and the submitters at once, for options.seconds; the tally and the wall seconds."""
    tally = Tally()
    thirds = [options.users // 3, options.users // 3, options.users - 2 * (options.users // 3)]
    users: list[tuple[Client, str, tuple[str, ...]]] = []
    for _ in range(thirds[0]):
        client = Client(base)
        client.login("city", password)
        users.append((client, "city pages", CITY_PAGES))
    for number in range(thirds[1]):
        client = Client(base)
        client.login(f"district{units[number % len(units)]}", password)
        users.append((client, "district pages", DISTRICT_PAGES))
    token = token_for(base, "city", password)
    for number in range(thirds[2]):
        shifted = API_READS[number % len(API_READS) :] + API_READS[: number % len(API_READS)]
        users.append((ApiClient(base, token), "API reads", shifted))
    submitters = [
        ApiClient(base, token_for(base, f"district{unit}", password)) for unit in units[:SUBMITTERS]
    ]
    today = date.today()
    month = f"{today.year - (today.month == 1)}-{(today.month - 2) % 12 + 1:02d}"  # last month
    outcomes: dict[str, str] = {}

    def submitter(client: ApiClient, unit: str) -> None:
        outcomes[unit] = submit_report(client, unit, month, tally)

    started = time.monotonic()
    threads = [
        threading.Thread(target=browse, args=(client, kind, urls, started + options.seconds, tally))
        for client, kind, urls in users
    ] + [
        threading.Thread(target=submitter, args=(client, unit))
        for client, unit in zip(submitters, units[:SUBMITTERS], strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started
    check_reports(base, token, month, units[:SUBMITTERS], outcomes)
    return tally, seconds


def check_reports(base: str, token: str, month: str, units: list[str], outcomes: dict[str, str]) -> None:
    """Every submitter's report, read back: submitted, with its figures."""
    status, page, _ms = ApiClient(base, token).call("GET", f"/api/reports?limit=500&month={month}")
    stored = {r["unit"]: r for r in (page or {}).get("items", []) if r["month"] == month}
    kept = [
        unit for unit in units
        if unit in stored and stored[unit]["status"] == "submitted" and stored[unit]["events_held"] == 4
    ]  # fmt: skip
    print(
        f"\n{SUBMITTERS} districts submitting {month} at once: {len(kept)} stored as submitted with their figures"
    )
    for unit, problem in sorted(outcomes.items()):
        if problem:
            print(f"  {unit}: {problem[:300]}")
    if len(kept) != len(units):
        print(f"  LOST: {sorted(set(units) - set(kept))} (HTTP {status} reading them back)")


def report(tally: Tally, seconds: float) -> bool:
    everything = [ms for timings in tally.timings.values() for ms in timings]
    errors = sum(tally.errors.values())
    print(
        f"\n{len(everything) + errors:,} requests in {seconds:.0f} s: {(len(everything) + errors) / seconds:.1f} req/s"
    )
    header = f"{'kind':<20}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'errors':>8}"
    print(header + "\n" + "-" * len(header))
    for kind in sorted(set(tally.timings) | set(tally.errors)):
        timings = tally.timings.get(kind, [])
        print(
            f"{kind:<20}{len(timings):>9}{percentile(timings, 0.5):>9.0f}{percentile(timings, 0.95):>9.0f}"
            f"{max(timings, default=float('nan')):>9.0f}{tally.errors.get(kind, 0):>8}"
        )
    p95 = percentile(everything, 0.95)
    print(f"{'all':<20}{len(everything):>9}{percentile(everything, 0.5):>9.0f}{p95:>9.0f}"
          f"{max(everything, default=float('nan')):>9.0f}{errors:>8}")  # fmt: skip
    for example in tally.examples:
        print(f"  error: {example}")
    met = p95 < P95_GOAL and errors == 0
    print(f"\nGoal p95 < {P95_GOAL:.0f} ms and 0 errors: {'met' if met else 'NOT met'}")
    return met


def profile_pages(urls: tuple[str, ...], username: str) -> None:
    """cProfile of each URL asked 5 times in this process (Django's test client, signed in as
    `username`), after one warm-up: the 25 most expensive calls by cumulative time."""
    import cProfile
    import pstats

    import django

    django.setup()
    from django.test import Client as DjangoClient

    from mantianxing.accounts.models import User

    client = DjangoClient(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=username))
    for url in urls:
        client.get(url)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(5):
            client.get(url)
        profiler.disable()
        print(f"\ncProfile of GET {url} ×5 as {username}:")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def production_mode() -> None:
    """Serve as production does: debug off (Django's debug mode keeps every query and template
    trace, a large share of a page's time), with the secrets the demo was loaded with."""
    secrets = json.loads((LOAD_DIR / "secrets.json").read_text())
    os.environ |= secrets | {
        "MTX_DEBUG": "0",
        "MTX_ALLOWED_HOSTS": "127.0.0.1",
        "MTX_SECURE_COOKIES": "0",  # plain HTTP on the loopback
        "MTX_STATIC_MANIFEST": "0",  # the clients fetch no static files
    }


def parse_options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL") or DEFAULT_URL)
    parser.add_argument("--keep-postgres", action="store_true", help="do not drop the database at the end")
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--profile", action="store_true", help="also cProfile the city's pages (no load)")
    return parser.parse_args()


def main() -> None:
    options = parse_options()
    started = time.perf_counter()
    LOAD_DIR.mkdir(parents=True, exist_ok=True)
    os.environ |= {"MTX_DEBUG": "1", "MTX_VAR_DIR": str(LOAD_DIR), "DATABASE_URL": options.postgres}
    os.environ["DJANGO_SETTINGS_MODULE"] = "mantianxing.settings"
    postgres_check(options.postgres)
    with postgres_database(options.postgres, options.keep_postgres):
        print(f"Database: {options.postgres}; the demo at small scale ...", flush=True)
        mtx("migrate", "--noinput", "-v", "0")
        mtx("demo", "--scale", "small")
        (LOAD_DIR / "demo-accounts.txt").unlink(missing_ok=True)
        mtx("demo_accounts")
        listing = (LOAD_DIR / "demo-accounts.txt").read_text(encoding="utf-8").splitlines()
        password = listing[0].split("：", 1)[1].strip()
        units = in_child(_district_accounts, password, SUBMITTERS)
        print(f"  ready in {time.perf_counter() - started:.0f} s; {len(units)} district accounts", flush=True)
        if options.profile:
            profile_pages(CITY_PAGES, "city")
            return
        production_mode()
        with server(options.workers, options.threads, log=SERVER_LOG) as base:
            warm = Client(base)
            warm.login("city", password)
            for url in CITY_PAGES:  # the first request of each page pays for Python's imports
                warm.get(url)
            print(f"{options.users} users and {SUBMITTERS} submitting districts for {options.seconds:.0f} s "
                  f"(gunicorn: {options.workers} workers × {options.threads} threads)", flush=True)  # fmt: skip
            tally, seconds = run_load(base, password, options, units)
    report(tally, seconds)
    print(f"\nWhole bench: {time.perf_counter() - started:.0f} s.")


if __name__ == "__main__":
    main()
