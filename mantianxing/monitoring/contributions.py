"""Every indicator defined once: what each ledger row contributes to it, to which unit, from which month.

An indicator's rule lives in one function here (the `SPECS` table names it). Given the ledgers
(`Sources`) and a plan's window, it yields `Contribution`s: one per person entering, origin,
occupancy, building, firm or title, each with the unit credited (today's unit, `geo.places`) and its
amount as step changes by month. Everything else is arithmetic on those:

- the stored value of (plan, unit, month) is the sum of the amounts at that month of the
  contributions credited to the unit (the city: all of them), `series.aggregate`;
- the rows behind that value are the same contributions, filtered to the unit and active by the
  month, `drilldown.drill`; their amounts add up to the value by construction;
- a unit with any contribution active in the window has a value stored for every month of it, zero
  included, so that a missing value only ever means "no rows".

A share (软件产品收入占比) has two parts, products and software revenue; its value is the ratio of
their sums (none when the denominator is not positive).

Rules of each indicator are described for users in `definitions` (and /rules/#indicators); the
rules specific to the code are in the docstrings below.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Min
from django.utils import timezone

from mantianxing.carriers.choices import BuildingStatus
from mantianxing.carriers.models import Building, Occupancy
from mantianxing.enterprises.choices import NEW_ORIGINS, HonourKind
from mantianxing.enterprises.models import Enterprise, EnterpriseOrigin, Honour
from mantianxing.enterprises.shangxing import shangxing_ids
from mantianxing.geo.places import Places
from mantianxing.lib.periods import add_months, month_end, months
from mantianxing.monitoring.choices import Indicator
from mantianxing.people.choices import CORE_TALENT
from mantianxing.people.models import EmploymentSpell
from mantianxing.plans.models import Plan
from mantianxing.stats.models import MonthlyStatistics

ACQUIRED_STATUSES = (BuildingStatus.ACQUIRED, BuildingStatus.REFITTING, BuildingStatus.IN_USE)
HONOUR_INDICATORS = {
    HonourKind.LISTED: Indicator.LISTED_ENTERPRISES,
    HonourKind.UNICORN: Indicator.UNICORN_ENTERPRISES,
}
# A first spell: (person, or None when grouped; firm; month; role, or "" when grouped; core talent?;
# people).
FirstSpell = tuple[int | None, int, date, str, bool, int]


@dataclass(frozen=True)
class Window:
    """A plan's window in months: from the month holding its start (the baseline month) to its last."""

    plan: Plan
    base: date
    last: date
    stop: date  # the last month stored: the window's last, or the current month if earlier

    @classmethod
    def of(cls, plan: Plan, today: date | None = None) -> Window:
        current = (today or timezone.localdate()).replace(day=1)
        last = plan.ends_on.replace(day=1)
        return cls(plan, plan.starts_on.replace(day=1), last, min(last, current))

    @property
    def months(self) -> list[date]:
        return list(months(self.base, self.stop))

    def holds(self, day: date) -> bool:
        return self.plan.starts_on <= day <= self.plan.ends_on


class Contribution(NamedTuple):
    """What one ledger row (or group of like rows) adds to an indicator of one unit.

    Its amount at a month is the sum of its `steps` (month, change) up to that month; it is listed
    behind a value from its first step on. `row` is what the drill-down shows of it; `part` is 1 for
    the denominator of a share.
    """

    place: int
    steps: tuple[tuple[date, float], ...]
    row: tuple[Any, ...]
    part: int = 0

    def at(self, month: date) -> float:
        return sum(change for when, change in self.steps if when <= month)

    def active(self, month: date) -> bool:
        return self.steps[0][0] <= month


def steps_of(levels: list[tuple[date, float]]) -> tuple[tuple[date, float], ...]:
    """Step changes from amounts by month (in order): the first amount, then each change."""
    steps: list[tuple[date, float]] = []
    previous = 0.0
    for month, level in levels:
        if not steps or level != previous:
            steps.append((month, level - previous))
            previous = level
    return tuple(steps)


def as_date(raw: object, cache: dict[object, date]) -> date:
    """SQLite hands dates back as text from a raw query, PostgreSQL as dates."""
    found = cache.get(raw)
    if found is None:
        found = cache[raw] = date.fromisoformat(raw) if isinstance(raw, str) else raw  # type: ignore[assignment]
    return found  # type: ignore[return-value]


# -- What the rules read, each ledger read once and only when a rule asks ---------------------------


class Sources:
    """The ledgers as the rules need them. `people` is "grouped" for the series (first spells
    counted by firm, month and core talent: a city has 600,000 people) or "each" for the rows."""

    def __init__(self, places: Places | None = None, *, people: str = "grouped") -> None:
        self.places = places or Places.load()
        self.people = people
        # Worked out once for both people indicators and both plans: (firm, month) → unit credited.
        self.entries: dict[tuple[int, date], int | None] = {}
        # Per plan window: each filing firm's unit, baseline month, baseline and months on file.
        self.baselines: dict[date, list[tuple[int, int, date, float, list[date]]]] = {}
        self.shangxing_years: dict[int, set[int]] = {}  # the 上星 firms judged on each year

    @cached_property
    def ledger_unit(self) -> dict[int, int]:
        return dict(Enterprise.objects.values_list("pk", "unit_id"))

    @cached_property
    def occupancies(self) -> list[tuple[int, int, int, int, float, date, date | None]]:
        """(occupancy, enterprise, building, building's unit, area, moved in, moved out), by firm and move-in."""
        rows = Occupancy.objects.order_by("enterprise_id", "moved_in_on", "pk").values_list(
            "pk", "enterprise_id", "building_id", "building__unit_id", "area", "moved_in_on", "moved_out_on"
        )
        return [
            (pk, firm, building, unit, float(area), moved_in, moved_out)
            for pk, firm, building, unit, area, moved_in, moved_out in rows
        ]

    @cached_property
    def located(self) -> dict[int, list[tuple[date, date | None, int]]]:
        found: dict[int, list[tuple[date, date | None, int]]] = defaultdict(list)
        for _pk, firm, _building, unit, _area, moved_in, moved_out in self.occupancies:
            found[firm].append((moved_in, moved_out, unit))
        return dict(found)

    def unit_in(self, enterprise_id: int, month: date) -> int | None:
        """The unit of the firm's building during `month` (the earliest move-in in force), else its ledger unit."""
        end = month_end(month)
        for moved_in, moved_out, unit in self.located.get(enterprise_id, ()):
            if moved_in <= end and (moved_out is None or moved_out > month):
                return unit
        return self.ledger_unit.get(enterprise_id)

    @cached_property
    def arrived(self) -> dict[int, date]:
        """Each firm's earliest arrival in Chongqing (its origin's 来渝日期, under any plan)."""
        return dict(
            EnterpriseOrigin.objects.order_by()
            .filter(arrived_on__isnull=False)
            .values("enterprise_id")
            .annotate(first=Min("arrived_on"))
            .values_list("enterprise_id", "first")
        )

    def arrived_by(self, enterprise_id: int, month: date) -> bool:
        """Did the firm arrive in Chongqing in `month`, the month before, or later (its first figures are new)?"""
        arrived_on = self.arrived.get(enterprise_id)
        return arrived_on is not None and arrived_on >= add_months(month, -1)

    @cached_property
    def first_spells(self) -> tuple[list[FirstSpell], dict[int, date]]:
        """Everyone's first spell, and each firm's first month on file: one pass over the spells in
        the order of the (person, month) index."""
        table = EmploymentSpell._meta.db_table
        sql = (
            f"SELECT id, person_id, enterprise_id, first_month, role_category FROM {table}"
            " ORDER BY person_id, first_month, id"
        )
        grouped: dict[tuple[int, date, bool], int] = defaultdict(int)
        each: list[tuple[int, int, date, str, int]] = []
        first_on_file: dict[int, date] = {}
        dates: dict[object, date] = {}
        previous = None
        with connection.cursor() as cursor:
            cursor.execute(sql)
            while batch := cursor.fetchmany(50_000):
                for spell_id, person_id, enterprise_id, raw_month, role in batch:
                    month = as_date(raw_month, dates)
                    known = first_on_file.get(enterprise_id)
                    if known is None or month < known:
                        first_on_file[enterprise_id] = month
                    if person_id != previous:
                        previous = person_id
                        if self.people == "each":
                            each.append((person_id, enterprise_id, month, role, spell_id))
                        else:
                            grouped[(enterprise_id, month, role in CORE_TALENT)] += 1
        if self.people == "each":
            each.sort(key=lambda spell: (spell[2], spell[4]))
            return [(p, e, m, r, r in CORE_TALENT, 1) for p, e, m, r, _spell in each], first_on_file
        return [(None, e, m, "", c, n) for (e, m, c), n in grouped.items()], first_on_file

    @cached_property
    def statistics(self) -> tuple[dict[int, list[dict[date, float]]], list[date]]:
        """Each firm's twelve-month software revenue, product revenue and R&D for every month it
        filed (from its year-to-date figures), and the months with any statistics: one pass over raw
        rows in firm order (the ORM's per-value conversion cost more than the sums at a city's 400k+
        rows), a firm's year-to-date figures dropped once turned into twelve-month ones."""
        table = MonthlyStatistics._meta.db_table
        sql = (
            f"SELECT enterprise_id, month, software_revenue, product_revenue, rd_expense FROM {table}"
            " ORDER BY enterprise_id, month"
        )
        firms: dict[int, list[dict[date, float]]] = {}
        dates: dict[object, date] = {}
        current: int | None = None
        ytd: list[dict[date, float]] = [{}, {}, {}]
        with connection.cursor() as cursor:
            cursor.execute(sql)
            while batch := cursor.fetchmany(20_000):
                for enterprise_id, raw_month, *amounts in batch:
                    if enterprise_id != current:
                        if current is not None:
                            firms[current] = twelve_months(ytd)
                        current, ytd = enterprise_id, [{}, {}, {}]
                    month = as_date(raw_month, dates)
                    for series, amount in zip(ytd, amounts, strict=True):
                        if amount is not None:
                            series[month] = float(amount)
        if current is not None:
            firms[current] = twelve_months(ytd)
        return firms, sorted(set(dates.values()))

    def shangxing(self, year: int) -> set[int]:
        if year not in self.shangxing_years:
            self.shangxing_years[year] = shangxing_ids(year)
        return self.shangxing_years[year]


def twelve_months(ytd: list[dict[date, float]]) -> list[dict[date, float]]:
    return [{month: trailing_year(series, month) for month in series} for series in ytd]


def trailing_year(ytd: dict[date, float], month: date) -> float:
    """The last twelve months from year-to-date figures: this year's YTD plus the rest of last year.

    Last year's rest is its December less its same month; without that month, its December ×
    remaining months / 12; without last December, this year's YTD is annualised.
    """
    december = ytd.get(date(month.year - 1, 12, 1))
    if december is None:
        return ytd[month] * 12 / month.month
    same_month = ytd.get(date(month.year - 1, month.month, 1))
    rest = december - same_month if same_month is not None else december * (12 - month.month) / 12
    return ytd[month] + rest


# -- The rules, one per indicator (or per pair computed alike) --------------------------------------

Rule = Callable[[Sources, Window, str], Iterator[Contribution]]


def new_people(sources: Sources, window: Window, indicator: str) -> Iterator[Contribution]:
    """A person's first spell in the city, starting after the baseline month, credited by `credited`.

    Row: the `FirstSpell`."""
    spells, first_on_file = sources.first_spells
    core_only = indicator == Indicator.NEW_CORE_TALENT
    for spell in spells:
        _person, enterprise_id, month, _role, core, count = spell
        if not (window.base < month <= window.last) or (core_only and not core):
            continue
        place = credited(sources, first_on_file, enterprise_id, month)
        if place is not None:
            yield Contribution(place, ((month, float(count)),), spell)


def credited(sources: Sources, first_on_file: dict[int, date], enterprise_id: int, month: date) -> int | None:
    """The unit credited with a first spell starting in `month`, or None for a baseline spell.

    A spell that starts in its firm's first month on file is a baseline, not an entry, unless the
    firm itself arrived in Chongqing that month or the month before: a firm that starts filing late
    must not bring its whole staff in as new (`definitions.NEW_PEOPLE_RULE`)."""
    key = (enterprise_id, month)
    if key not in sources.entries:
        if month == first_on_file.get(enterprise_id) and not sources.arrived_by(enterprise_id, month):
            sources.entries[key] = None
        else:
            sources.entries[key] = sources.places.credited(sources.unit_in(enterprise_id, month))
    return sources.entries[key]


def new_enterprises(sources: Sources, window: Window, indicator: str) -> Iterator[Contribution]:
    """An origin 新设立/新引进 of the plan whose arrival is in the window. Row: (origin, firm)."""
    rows = EnterpriseOrigin.objects.filter(
        plan=window.plan,
        origin__in=NEW_ORIGINS,
        arrived_on__range=(window.plan.starts_on, window.plan.ends_on),
    ).values_list("pk", "enterprise_id", "credited_unit_id", "arrived_on")
    for pk, enterprise_id, credited_unit_id, arrived_on in rows:
        if arrived_on is not None:  # always, after the range filter: narrows the type
            unit = credited_unit_id or sources.ledger_unit.get(enterprise_id)
            yield Contribution(
                sources.places.credited(unit), ((arrived_on.replace(day=1), 1.0),), (pk, enterprise_id)
            )


def carrier_area(sources: Sources, window: Window, indicator: str) -> Iterator[Contribution]:
    """An occupancy: its area while in force at a month's end, less its area if in force on the
    window's first day. In force at a month's end from its move-in's month to the month before its
    move-out's (half-open dates). Row: (occupancy, firm, building, area, moved in, moved out, at start)."""
    start = window.plan.starts_on
    for pk, firm, building, unit, area, moved_in, moved_out in sources.occupancies:
        at_start = moved_in <= start and (moved_out is None or start < moved_out)
        first, until = moved_in.replace(day=1), moved_out.replace(day=1) if moved_out else None
        in_window = first <= window.last and (until is None or until > window.base)
        if not (at_start or in_window):
            continue
        steps = [(first, area)] + ([(until, -area)] if until else [])
        if at_start:
            steps.append((window.base, -area))
        steps.sort(key=lambda step: step[0])
        if first < window.base:
            # What happened before the window shows from its first month.
            before = sum(change for when, change in steps if when <= window.base)
            steps = [(window.base, before)] + [step for step in steps if step[0] > window.base]
        row = (pk, firm, building, area, moved_in, moved_out, at_start)
        yield Contribution(sources.places.credited(unit), tuple(steps), row)


def acquired_area(sources: Sources, window: Window, indicator: str) -> Iterator[Contribution]:
    """A building at 收储 or later: its 收储面积 from its acquisition's month (undated: from the
    start). Row: (building,)."""
    rows = Building.objects.filter(status__in=ACQUIRED_STATUSES, acquired_area__gt=0).values_list(
        "pk", "unit_id", "acquired_area", "acquired_on"
    )
    for pk, unit_id, area, acquired_on in rows:
        month = window.base if acquired_on is None else max(acquired_on.replace(day=1), window.base)
        if month <= window.last:
            yield Contribution(sources.places.credited(unit_id), ((month, float(area)),), (pk,))


def revenue_months(sources: Sources, window: Window) -> list[date]:
    """The window's months with any statistics on file: a month without any has no figure."""
    return [m for m in sources.statistics[1] if window.base <= m <= window.last]


def revenue(sources: Sources, window: Window, indicator: str) -> Iterator[Contribution]:
    """A firm's twelve-month figures at each month with statistics.

    软件业务收入 (increase): the figure less the firm's baseline. The baseline is its figure in the
    window's baseline month (the window's first month with any statistics); a firm whose statistics
    in the window start later has its own first month as its baseline, as for rosters, unless it
    arrived in Chongqing that month or the month before (then its baseline is zero: all of its
    revenue is new; `definitions.REVENUE_BASELINE_RULE`). A firm missing a later month counts nothing
    that month (its figure less its baseline). R&D (level) and the share's parts are the firm's
    figures as they are.

    Row: (firm, baseline month, baseline, twelve-month figures of the firm)."""
    for place, enterprise_id, first, baseline, after in revenue_baselines(sources, window):
        figures = sources.statistics[0][enterprise_id]
        software, products, rd = figures
        row = (enterprise_id, first, baseline, figures)
        if indicator == Indicator.SOFTWARE_REVENUE:
            yield Contribution(place, steps_of([(m, software.get(m, 0.0) - baseline) for m in after]), row)
        elif indicator == Indicator.RD_EXPENSE:
            yield Contribution(place, steps_of([(m, rd.get(m, 0.0)) for m in after]), row)
        else:
            yield Contribution(place, steps_of([(m, products.get(m, 0.0)) for m in after]), row, 0)
            yield Contribution(place, steps_of([(m, software.get(m, 0.0)) for m in after]), row, 1)


def revenue_baselines(sources: Sources, window: Window) -> list[tuple[int, int, date, float, list[date]]]:
    """(unit credited, firm, baseline month, baseline, the window's statistics months from it on) of
    every firm filing in the window, as `revenue` describes; once per window for the three indicators."""
    if window.base in sources.baselines:
        return sources.baselines[window.base]
    inside = revenue_months(sources, window)
    found = sources.baselines[window.base] = []
    if not inside:
        return found
    window_base = inside[0]
    for enterprise_id, (software, products, rd) in sources.statistics[0].items():
        filed = [m for m in inside if m in software or m in products or m in rd]
        if not filed:
            continue
        first = filed[0]
        if first == window_base or not sources.arrived_by(enterprise_id, first):
            baseline = software.get(first, 0.0)
        else:
            baseline = 0.0
        place = sources.places.credited(sources.ledger_unit.get(enterprise_id))
        found.append((place, enterprise_id, first, baseline, [m for m in inside if m >= first]))
    return found


def shangxing_year(month: date) -> int:
    """The year a month's end judges 上星 on: the last full year (the month's own year in December)."""
    return month.year if month.month == 12 else month.year - 1


def shangxing(sources: Sources, window: Window, indicator: str) -> Iterator[Contribution]:
    """A firm 上星 at some month of the window or at its baseline month: 1 while 上星, less 1 if it
    was 上星 at the baseline month (so −1 for a firm that lost it). Row: (firm, 上星 at the baseline month?)."""
    window_months = list(months(window.base, window.last))
    years = sorted({shangxing_year(m) for m in window_months})
    base_year = shangxing_year(window.base)
    firms = set().union(*(sources.shangxing(year) for year in years))
    for enterprise_id in sorted(firms):
        was = enterprise_id in sources.shangxing(base_year)
        levels = [
            (m, float(enterprise_id in sources.shangxing(shangxing_year(m))) - was) for m in window_months
        ]
        place = sources.places.credited(sources.ledger_unit.get(enterprise_id))
        # The first step is at the baseline month, zero or not: a firm 上星 throughout is a row too.
        yield Contribution(place, steps_of(levels), (enterprise_id, was))


def titled(sources: Sources, window: Window, indicator: str) -> Iterator[Contribution]:
    """A firm first awarded the title (listed, unicorn) inside the window. Row: (honour, firm)."""
    kind = next(k for k, code in HONOUR_INDICATORS.items() if code == indicator)
    first: dict[int, tuple[date, int]] = {}
    for pk, enterprise_id, awarded_on in Honour.objects.filter(kind=kind).values_list(
        "pk", "enterprise_id", "awarded_on"
    ):
        if enterprise_id not in first or (awarded_on, pk) < first[enterprise_id]:
            first[enterprise_id] = (awarded_on, pk)
    for enterprise_id, (awarded_on, pk) in first.items():
        if window.holds(awarded_on):
            place = sources.places.credited(sources.ledger_unit.get(enterprise_id))
            yield Contribution(place, ((awarded_on.replace(day=1), 1.0),), (pk, enterprise_id))


def plain(parts: list[float]) -> float | None:
    return parts[0]


def share(parts: list[float]) -> float | None:
    return parts[0] / parts[1] if parts[1] > 0 else None


# What every rule reads: the geography that says which unit holds a place today, and the plans.
PLACES = ("geo.Unit", "geo.Succession", "plans.Plan")
# Where a firm is: its ledger unit, its occupancies and their buildings' units.
LOCATION = ("enterprises.Enterprise", "carriers.Occupancy", "carriers.Building")


@dataclass(frozen=True)
class Spec:
    """An indicator's rule, the ledgers it reads (model labels, besides `PLACES`), the months it has
    values for, and how its parts make its value."""

    rule: Rule
    reads: tuple[str, ...]
    combine: Callable[[list[float]], float | None] = plain
    parts: int = 1
    by_statistics: bool = False  # values only for months with statistics on file

    def months(self, sources: Sources, window: Window) -> list[date]:
        if self.by_statistics:
            return [m for m in revenue_months(sources, window) if m <= window.stop]
        return window.months

    def contributions(self, sources: Sources, window: Window, indicator: str) -> Iterator[Contribution]:
        return self.rule(sources, window, indicator)


# First spells, where their firms were, and the firms' arrivals (a firm's first month on file).
PEOPLE = ("people.EmploymentSpell", "enterprises.EnterpriseOrigin", *LOCATION)
# Statistics, the firms' ledger units and arrivals (a late filer's baseline).
REVENUE = ("stats.MonthlyStatistics", "enterprises.EnterpriseOrigin", "enterprises.Enterprise")

SPECS: dict[str, Spec] = {
    Indicator.NEW_EMPLOYEES: Spec(new_people, PEOPLE),
    Indicator.NEW_CORE_TALENT: Spec(new_people, PEOPLE),
    Indicator.NEW_ENTERPRISES: Spec(
        new_enterprises, ("enterprises.EnterpriseOrigin", "enterprises.Enterprise")
    ),
    Indicator.CARRIER_AREA_IN_USE: Spec(carrier_area, LOCATION),
    Indicator.CARRIER_AREA_ACQUIRED: Spec(acquired_area, ("carriers.Building",)),
    Indicator.SOFTWARE_REVENUE: Spec(revenue, REVENUE, by_statistics=True),
    Indicator.SOFTWARE_PRODUCT_SHARE: Spec(revenue, REVENUE, share, parts=2, by_statistics=True),
    Indicator.RD_EXPENSE: Spec(revenue, REVENUE, by_statistics=True),
    Indicator.SHANGXING_ENTERPRISES: Spec(
        shangxing, ("enterprises.Enterprise", "stats.MonthlyStatistics", "people.RosterFiling")
    ),
    Indicator.LISTED_ENTERPRISES: Spec(titled, ("enterprises.Enterprise", "enterprises.Honour")),
    Indicator.UNICORN_ENTERPRISES: Spec(titled, ("enterprises.Enterprise", "enterprises.Honour")),
}
