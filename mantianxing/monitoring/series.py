"""The monthly series of every indicator, computed from the ledgers (rules: `definitions`).

Each ledger is read once, in a few grouped queries, into plain Python; the series of both plans are
then built from what was read. `Ledgers.load()` does the reading, `build(plans)` the rest. A value
is keyed by (plan code, indicator, unit id, month); unit ids are today's units (see `Places`), and
the city unit carries the whole.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate

from django.db import connection
from django.db.models import Min
from django.utils import timezone

from mantianxing.carriers.choices import BuildingStatus
from mantianxing.carriers.models import Building, Occupancy
from mantianxing.enterprises.choices import NEW_ORIGINS, HonourKind
from mantianxing.enterprises.models import Enterprise, EnterpriseOrigin, Honour
from mantianxing.enterprises.shangxing import shangxing_ids
from mantianxing.geo.lookup import successor_map
from mantianxing.geo.models import CITY_CODE, Unit
from mantianxing.lib.periods import add_months, month_end, months
from mantianxing.monitoring.choices import Indicator
from mantianxing.people.choices import CORE_TALENT
from mantianxing.people.models import EmploymentSpell
from mantianxing.plans.models import Plan
from mantianxing.stats.models import MonthlyStatistics

Key = tuple[str, str, int, date]  # plan code, indicator, unit id, month
ACQUIRED_STATUSES = (BuildingStatus.ACQUIRED, BuildingStatus.REFITTING, BuildingStatus.IN_USE)
HONOUR_INDICATORS = {
    HonourKind.LISTED: Indicator.LISTED_ENTERPRISES,
    HonourKind.UNICORN: Indicator.UNICORN_ENTERPRISES,
}


@dataclass(frozen=True)
class Window:
    """A plan's window in months: from the month holding its start (the baseline month) to its last."""

    plan: Plan
    base: date
    last: date
    stop: date  # the last month computed: the window's last, or the current month if earlier

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


@dataclass
class Places:
    """Any unit id → the id of the unit carrying it today; the city's id."""

    today: dict[int, int]
    city: int

    @classmethod
    def load(cls) -> Places:
        city = Unit.objects.filter(code=CITY_CODE).values_list("pk", flat=True).get()
        return cls(successor_map(), city)

    def of(self, unit_id: int | None) -> int | None:
        return None if unit_id is None else self.today.get(unit_id, unit_id)


class Accumulator:
    """Values per (unit, month), the city's alongside: every credit to a unit is a credit to the city."""

    def __init__(self, places: Places) -> None:
        self.places = places
        self.values: dict[tuple[int, date], float] = defaultdict(float)

    def add(self, unit_id: int | None, month: date, amount: float) -> None:
        place = self.places.of(unit_id)
        if place is not None and place != self.places.city:
            self.values[(place, month)] += amount
        self.values[(self.places.city, month)] += amount

    def units(self) -> set[int]:
        return {unit for unit, _month in self.values}

    def get(self, unit: int, month: date) -> float:
        return self.values.get((unit, month), 0.0)


@dataclass
class Located:
    """Where each enterprise was: its occupancies (moved in, moved out, unit) and its ledger unit."""

    occupancies: dict[int, list[tuple[date, date | None, int]]]
    ledger_unit: dict[int, int]

    def unit_in(self, enterprise_id: int, month: date) -> int | None:
        """The unit of the enterprise's building during `month` (the earliest move-in in force), else its ledger unit."""
        end = month_end(month)
        for moved_in, moved_out, unit in self.occupancies.get(enterprise_id, ()):
            if moved_in <= end and (moved_out is None or moved_out > month):
                return unit
        return self.ledger_unit.get(enterprise_id)


@dataclass
class Ledgers:
    """What the series need from the ledgers, read once."""

    places: Places
    located: Located
    # (building unit, area, moved in, moved out) of every occupancy
    areas: list[tuple[int, float, date, date | None]] = field(default_factory=list)

    @classmethod
    def load(cls) -> Ledgers:
        occupancies: dict[int, list[tuple[date, date | None, int]]] = defaultdict(list)
        areas = []
        rows = Occupancy.objects.order_by("enterprise_id", "moved_in_on", "pk").values_list(
            "enterprise_id", "moved_in_on", "moved_out_on", "building__unit_id", "area"
        )
        for enterprise_id, moved_in, moved_out, unit_id, area in rows:
            occupancies[enterprise_id].append((moved_in, moved_out, unit_id))
            areas.append((unit_id, float(area), moved_in, moved_out))
        ledger_unit = dict(Enterprise.objects.values_list("pk", "unit_id"))
        return cls(Places.load(), Located(dict(occupancies), ledger_unit), areas)


Output = dict[Key, float]


def build(plans: Iterable[Plan], today: date | None = None) -> Output:
    """Every indicator's value for each plan, unit and month of its window (up to `today`)."""
    ledgers = Ledgers.load()
    windows = [Window.of(plan, today) for plan in plans]
    windows = [w for w in windows if w.base <= w.stop]
    out: Output = {}
    if not windows:
        return out
    span = list(months(min(w.base for w in windows), max(w.stop for w in windows)))
    entries = people_entries(ledgers)
    area_levels = carrier_area_levels(ledgers, span)
    acquired = acquired_levels(ledgers, span)
    revenue = revenue_levels(ledgers)
    shangxing_firms: dict[int, set[int]] = {}
    for window in windows:
        code = window.plan.code
        new_people(out, code, window, entries)
        new_enterprises(out, code, window, ledgers)
        carrier_area_in_use(out, code, window, ledgers, area_levels)
        level_series(out, code, Indicator.CARRIER_AREA_ACQUIRED, window, acquired)
        revenue_series(out, code, window, revenue)
        shangxing(out, code, window, ledgers, shangxing_firms)
        honours(out, code, window, ledgers)
    return out


def store(
    out: Output, code: str, indicator: str, window: Window, values: Accumulator, *, cumulative: bool
) -> None:
    """Write one indicator's series for every unit with any value: running totals of monthly
    amounts when `cumulative`, else the values as they are."""
    window_months = window.months
    for unit in values.units():
        series = [values.get(unit, month) for month in window_months]
        if cumulative:
            series = list(accumulate(series))
        if any(series):
            for month, value in zip(window_months, series, strict=True):
                out[(code, indicator, unit, month)] = value


# -- People ---------------------------------------------------------------------------------------


@dataclass
class EntryRule:
    """Whether a first spell is an entry into the city's software industry, and where it is credited.

    A spell that starts in its enterprise's first month on file is a baseline, not an entry, unless
    the enterprise itself arrived in Chongqing that month or the month before: a firm that starts
    filing late must not bring its whole staff in as new (see `definitions.NEW_PEOPLE_RULE`).
    """

    located: Located
    places: Places
    first_on_file: dict[int, date]
    arrived: dict[int, date]

    @classmethod
    def load(cls, ledgers: Ledgers, first_on_file: dict[int, date] | None = None) -> EntryRule:
        if first_on_file is None:
            first_on_file = dict(
                EmploymentSpell.objects.order_by()
                .values("enterprise_id")
                .annotate(first=Min("first_month"))
                .values_list("enterprise_id", "first")
            )
        arrived = dict(
            EnterpriseOrigin.objects.order_by()
            .filter(arrived_on__isnull=False)
            .values("enterprise_id")
            .annotate(first=Min("arrived_on"))
            .values_list("enterprise_id", "first")
        )
        return cls(ledgers.located, ledgers.places, first_on_file, arrived)

    def credited(self, enterprise_id: int, month: date) -> int | None:
        """The place credited with a first spell starting in `month`, or None for a baseline spell."""
        if month == self.first_on_file.get(enterprise_id):
            arrived_on = self.arrived.get(enterprise_id)
            if arrived_on is None or arrived_on < add_months(month, -1):
                return None
        return self.places.of(self.located.unit_in(enterprise_id, month)) or self.places.city


def people_entries(ledgers: Ledgers) -> dict[str, Accumulator]:
    """The people entering the city's software industry per month, all ("all") and core talent ("core")."""
    counts, first_on_file = first_spells()
    rule = EntryRule.load(ledgers, first_on_file)
    result = {"all": Accumulator(ledgers.places), "core": Accumulator(ledgers.places)}
    for (enterprise_id, month, core), count in counts.items():
        place = rule.credited(enterprise_id, month)
        if place is None:
            continue
        result["all"].add(place, month, count)
        if core:
            result["core"].add(place, month, count)
    return result


def first_spells_sql(where: str = "") -> str:
    """Everyone's first spell (earliest month, then lowest id): one window function, both databases."""
    table = EmploymentSpell._meta.db_table
    return (
        f"SELECT id, person_id, enterprise_id, first_month, role_category FROM ("
        f" SELECT id, person_id, enterprise_id, first_month, role_category,"
        f" ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY first_month, id) AS position"
        f" FROM {table}) AS spells WHERE position = 1 {where}"
    )


def first_spells() -> tuple[dict[tuple[int, date, bool], int], dict[int, date]]:
    """Everyone's first spell, counted by (enterprise, month, core talent?), and each enterprise's
    first month on file: one pass over the spells in the order of the (person, first month) index.
    """
    table = EmploymentSpell._meta.db_table
    sql = f"SELECT person_id, enterprise_id, first_month, role_category FROM {table} ORDER BY person_id, first_month, id"
    counts: dict[tuple[int, date, bool], int] = defaultdict(int)
    first_on_file: dict[int, date] = {}
    dates: dict[object, date] = {}
    previous = None
    with connection.cursor() as cursor:
        cursor.execute(sql)
        while batch := cursor.fetchmany(50_000):
            for person_id, enterprise_id, raw_month, role in batch:
                month = dates.get(raw_month)
                if month is None:
                    month = dates[raw_month] = (
                        date.fromisoformat(raw_month) if isinstance(raw_month, str) else raw_month
                    )
                known = first_on_file.get(enterprise_id)
                if known is None or month < known:
                    first_on_file[enterprise_id] = month
                if person_id != previous:
                    previous = person_id
                    counts[(enterprise_id, month, role in CORE_TALENT)] += 1
    return counts, first_on_file


def new_people(out: Output, code: str, window: Window, entries: dict[str, Accumulator]) -> None:
    # Entries in the baseline month were on the roster when the window opened: not new.
    for key, indicator in (("all", Indicator.NEW_EMPLOYEES), ("core", Indicator.NEW_CORE_TALENT)):
        source = entries[key]
        inside = Accumulator(source.places)
        inside.values = {(u, m): v for (u, m), v in source.values.items() if window.base < m <= window.stop}
        store(out, code, indicator, window, inside, cumulative=True)


# -- Enterprises ----------------------------------------------------------------------------------


def new_enterprises(out: Output, code: str, window: Window, ledgers: Ledgers) -> None:
    values = Accumulator(ledgers.places)
    rows = EnterpriseOrigin.objects.filter(
        plan=window.plan, origin__in=NEW_ORIGINS, arrived_on__isnull=False
    ).values_list("enterprise_id", "credited_unit_id", "arrived_on")
    for enterprise_id, credited_unit_id, arrived_on in rows:
        if arrived_on is not None and window.holds(arrived_on):
            unit = credited_unit_id or ledgers.located.ledger_unit.get(enterprise_id)
            values.add(unit, arrived_on.replace(day=1), 1)
    store(out, code, Indicator.NEW_ENTERPRISES, window, values, cumulative=True)


def shangxing(out: Output, code: str, window: Window, ledgers: Ledgers, firms: dict[int, set[int]]) -> None:
    """上星 firms of the last full year as of each month's end, less those as of the baseline month.

    `firms` caches the 上星 firms per year across plans."""
    for year in {shangxing_year(month) for month in window.months} - firms.keys():
        firms[year] = shangxing_ids(year)
    levels = Accumulator(ledgers.places)
    for month in window.months:
        for enterprise_id in firms[shangxing_year(month)]:
            levels.add(ledgers.located.ledger_unit.get(enterprise_id), month, 1)
    store(
        out,
        code,
        Indicator.SHANGXING_ENTERPRISES,
        window,
        less_baseline(levels, window.base),
        cumulative=False,
    )


def shangxing_year(month: date) -> int:
    """The year a month's end judges 上星 on: the last full year (the month's own year in December)."""
    return month.year if month.month == 12 else month.year - 1


def honours(out: Output, code: str, window: Window, ledgers: Ledgers) -> None:
    """Firms first awarded a title (listed, unicorn) inside the window."""
    first_award: dict[tuple[int, str], date] = {}
    rows = Honour.objects.filter(kind__in=list(HONOUR_INDICATORS)).values_list(
        "enterprise_id", "kind", "awarded_on"
    )
    for enterprise_id, kind, awarded_on in rows:
        key = (enterprise_id, kind)
        first_award[key] = min(awarded_on, first_award.get(key, awarded_on))
    for kind, indicator in HONOUR_INDICATORS.items():
        values = Accumulator(ledgers.places)
        for (enterprise_id, awarded_kind), awarded_on in first_award.items():
            if awarded_kind == kind and window.holds(awarded_on):
                values.add(ledgers.located.ledger_unit.get(enterprise_id), awarded_on.replace(day=1), 1)
        store(out, code, indicator, window, values, cumulative=True)


# -- Carriers -------------------------------------------------------------------------------------


def carrier_area_levels(ledgers: Ledgers, span: list[date]) -> Accumulator:
    """The area occupied at each month's end, per unit, over `span`.

    An occupancy is in force at a month's end exactly in the months from its move-in's month to the
    month before its move-out's (half-open dates): a difference array per unit, then running sums.
    """
    index = {month: i for i, month in enumerate(span)}
    deltas: dict[int, list[float]] = defaultdict(lambda: [0.0] * (len(span) + 1))
    for unit_id, area, moved_in, moved_out in ledgers.areas:
        first = _position(index, span, moved_in.replace(day=1))
        until = len(span) if moved_out is None else _position(index, span, moved_out.replace(day=1))
        if first < until:
            deltas[unit_id][first] += area
            deltas[unit_id][until] -= area
    levels = Accumulator(ledgers.places)
    for unit_id, delta in deltas.items():
        for month, level in zip(span, accumulate(delta), strict=False):
            if level:
                levels.add(unit_id, month, level)
    return levels


def _position(index: dict[date, int], span: list[date], month: date) -> int:
    """The index of `month` in `span`, clipped to its ends."""
    if month < span[0]:
        return 0
    return index.get(month, len(span))


def area_on(ledgers: Ledgers, day: date) -> Accumulator:
    """The area occupied on one day, per unit (keyed by that day's month)."""
    levels = Accumulator(ledgers.places)
    for unit_id, area, moved_in, moved_out in ledgers.areas:
        if moved_in <= day and (moved_out is None or day < moved_out):
            levels.add(unit_id, day.replace(day=1), area)
    return levels


def carrier_area_in_use(
    out: Output, code: str, window: Window, ledgers: Ledgers, levels: Accumulator
) -> None:
    start = area_on(ledgers, window.plan.starts_on)
    increase = Accumulator(ledgers.places)
    for unit in levels.units() | start.units():
        opening = start.get(unit, window.base)
        for month in window.months:
            increase.values[(unit, month)] = levels.get(unit, month) - opening
    store(out, code, Indicator.CARRIER_AREA_IN_USE, window, increase, cumulative=False)


def acquired_levels(ledgers: Ledgers, span: list[date]) -> Accumulator:
    """收储面积 of buildings acquired by each month's end; an undated acquisition counts from the start.

    A building acquired on a day counts from that day's month on: a difference array per unit.
    """
    index = {month: i for i, month in enumerate(span)}
    deltas: dict[int, list[float]] = defaultdict(lambda: [0.0] * (len(span) + 1))
    rows = Building.objects.filter(status__in=ACQUIRED_STATUSES, acquired_area__gt=0).values_list(
        "unit_id", "acquired_area", "acquired_on"
    )
    for unit_id, area, acquired_on in rows:
        first = 0 if acquired_on is None else _position(index, span, acquired_on.replace(day=1))
        deltas[unit_id][first] += float(area)
    levels = Accumulator(ledgers.places)
    for unit_id, delta in deltas.items():
        for month, level in zip(span, accumulate(delta), strict=False):
            if level:
                levels.add(unit_id, month, level)
    return levels


def level_series(out: Output, code: str, indicator: str, window: Window, levels: Accumulator) -> None:
    window_months = set(window.months)
    inside = Accumulator(levels.places)
    inside.values = {(u, m): v for (u, m), v in levels.values.items() if m in window_months}
    store(out, code, indicator, window, inside, cumulative=False)


def less_baseline(levels: Accumulator, base: date) -> Accumulator:
    """Each unit's levels less its level at `base` (zero when it had none then)."""
    result = Accumulator(levels.places)
    for (unit, month), value in levels.values.items():
        if month >= base:
            result.values[(unit, month)] = value - levels.get(unit, base)
    return result


# -- Revenue --------------------------------------------------------------------------------------


@dataclass
class Revenue:
    """Twelve-month figures per unit and month: software revenue, software products, R&D."""

    software: Accumulator
    products: Accumulator
    rd: Accumulator
    months_on_file: list[date]


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


def revenue_levels(ledgers: Ledgers) -> Revenue:
    """Twelve-month figures of every firm and month, summed by place: one ordered pass, raw rows
    (the ORM's per-value conversion cost more than the sums at a city's 400k+ rows)."""
    sums: list[dict[tuple[int, date], float]] = [defaultdict(float) for _ in range(3)]
    city = ledgers.places.city
    dates: dict[object, date] = {}
    seen: set[date] = set()

    def flush(enterprise_id: int, firm: list[dict[date, float]]) -> None:
        place = ledgers.places.of(ledgers.located.ledger_unit.get(enterprise_id))
        credited = (city,) if place in (None, city) else (place, city)
        for figures, total in zip(firm, sums, strict=True):
            for month in figures:
                value = trailing_year(figures, month)
                for key in credited:
                    total[(key, month)] += value  # type: ignore[index]

    table = MonthlyStatistics._meta.db_table
    sql = (
        f"SELECT enterprise_id, month, software_revenue, product_revenue, rd_expense FROM {table}"
        " ORDER BY enterprise_id, month"
    )
    current: int | None = None
    firm: list[dict[date, float]] = [{}, {}, {}]
    with connection.cursor() as cursor:
        cursor.execute(sql)
        while batch := cursor.fetchmany(20_000):
            for enterprise_id, raw_month, *amounts in batch:
                if enterprise_id != current:
                    if current is not None:
                        flush(current, firm)
                    current, firm = enterprise_id, [{}, {}, {}]
                month = dates.get(raw_month)
                if month is None:
                    # SQLite hands dates back as text from a raw query, PostgreSQL as dates.
                    month = dates[raw_month] = (
                        date.fromisoformat(raw_month) if isinstance(raw_month, str) else raw_month
                    )
                    seen.add(month)
                for figures, amount in zip(firm, amounts, strict=True):
                    if amount is not None:
                        figures[month] = float(amount)
    if current is not None:
        flush(current, firm)
    software, products, rd = (Accumulator(ledgers.places) for _ in range(3))
    software.values, products.values, rd.values = sums
    return Revenue(software, products, rd, months_on_file=sorted(seen))


def revenue_series(out: Output, code: str, window: Window, revenue: Revenue) -> None:
    inside = [m for m in revenue.months_on_file if window.base <= m <= window.stop]
    if not inside:
        return
    # The baseline is the window's first month, or the first month after it with any statistics.
    base = inside[0]
    software = Accumulator(revenue.software.places)
    share = Accumulator(revenue.software.places)
    for unit in revenue.software.units():
        for month in inside:
            software.values[(unit, month)] = revenue.software.get(unit, month) - revenue.software.get(
                unit, base
            )
            total = revenue.software.get(unit, month)
            if total > 0:
                share.values[(unit, month)] = revenue.products.get(unit, month) / total
    store_months(out, code, Indicator.SOFTWARE_REVENUE, inside, software)
    store_months(out, code, Indicator.SOFTWARE_PRODUCT_SHARE, inside, share)
    rd = Accumulator(revenue.rd.places)
    rd.values = {(u, m): v for (u, m), v in revenue.rd.values.items() if m in set(inside)}
    store_months(out, code, Indicator.RD_EXPENSE, inside, rd)


def store_months(
    out: Output, code: str, indicator: str, window_months: list[date], values: Accumulator
) -> None:
    """Like `store`, for the months that have statistics only: a month without any has no figure."""
    for unit in values.units():
        present = [(m, values.values[(unit, m)]) for m in window_months if (unit, m) in values.values]
        if any(value for _m, value in present):
            for month, value in present:
                out[(code, indicator, unit, month)] = value
