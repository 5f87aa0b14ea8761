"""Monthly roster snapshots applied to employment spells: planned without writing, then written in bulk.

A roster file holds complete monthly snapshots of the enterprises it lists: for each (enterprise,
month) in the file, everyone on that enterprise's roster that month. For each (person, enterprise)
pair the file touches, the months employed become

    months of the existing spells
    + every snapshot month of the enterprise that lists the person
    - every snapshot month of the enterprise that does not,

and the maximal runs of consecutive months become the spells. So a month can be imported late, out
of order, twice, or corrected (someone removed from an older month splits the spell there), and
the spells come out the same as if the months had arrived in order. Someone returning to the same
enterprise after a gap gets a second spell; enterprises absent from the file are left unchanged.

A run's role category, hire date and salary are those of the latest month in it that gave them: an
existing spell's values count as given by its last month (or, where a correction cuts that month
off, by the last month it keeps), and a snapshot month that lists the person gives the row's values.
At the same month the snapshot wins, so re-importing a corrected last month updates the values,
while re-importing an older month inside a spell leaves the newer month's values alone.

The work is done in plain tuples and bulk statements, not model instances: a month of the whole
city is ~600,000 rows (see `apply_plan` for the write side). Call `plan_snapshots` and `apply_plan`
inside one transaction so the plan cannot go stale between the two.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connections, router, transaction
from django.db.models import CharField, Model, Q
from django.db.models.functions import Cast
from django.utils import timezone

from mantianxing.core.bulk import chunked, insert_rows, update_rows
from mantianxing.people.models import EmploymentSpell, RosterFiling

# Ids per `IN (...)` list: well under SQLite's 32,766 variables, and short enough for PostgreSQL.
ID_CHUNK = 10_000
# Enterprises whose spells are loaded and planned at once; bounds the memory held per step.
ENTERPRISE_CHUNK = 2_000
CENT = Decimal("0.01")
MISSING: Any = object()
SPELL_COLUMNS = [
    "person",
    "enterprise",
    "first_month",
    "last_month",
    "role_category",
    "hired_on",
    "annual_salary",
]

# (role_category, hired_on, annual_salary): the values a run takes from its latest month.
Attrs = tuple[str, date | None, Decimal | None]
# (id, first month, last month, attrs, updated_by_id) of an existing spell; months as indices.
OldSpell = tuple[int, int, int, Attrs, int | None]


@dataclass(frozen=True, slots=True)
class Entry:
    """One person on one enterprise's roster in one month."""

    person_id: int
    role_category: str
    hired_on: date | None
    annual_salary: Decimal | None


@dataclass
class SpellChanges:
    """What applying the snapshots does (or would do).

    `extended`: existing spells that keep their first month and gain later months (their values
    may follow the newer month). `changed`: every other rewrite of an existing spell (cut short,
    split, started earlier, values corrected). `filings`: roster filings new or with a new headcount.
    """

    created: int = 0
    extended: int = 0
    changed: int = 0
    deleted: int = 0
    filings: int = 0

    def __bool__(self) -> bool:
        return bool(self.created or self.extended or self.changed or self.deleted or self.filings)


@dataclass
class SpellPlan:
    """The writes that bring spells and filings in line with the snapshots, as plain tuples."""

    changes: SpellChanges = field(default_factory=SpellChanges)
    # Spells that only move their last month later, by new last month and by who last changed
    # them (so that `updated_by` is set only where it changes: it is indexed, and setting an
    # indexed column costs SQLite ~3 µs a row even to the same value).
    extend: dict[date, dict[int | None, list[int]]] = field(default_factory=lambda: defaultdict(dict))
    # Any other rewrite: (id, first_month, last_month, role_category, hired_on, annual_salary).
    rewrite: list[tuple[int, date, date, str, date | None, Decimal | None]] = field(default_factory=list)
    # New spells: (person_id, enterprise_id, first_month, last_month, role, hired_on, salary).
    create: list[tuple[int, int, date, date, str, date | None, Decimal | None]] = field(default_factory=list)
    delete: list[int] = field(default_factory=list)
    # New filings (enterprise_id, month, headcount); refiled: new headcount -> filing ids.
    new_filings: list[tuple[int, date, int]] = field(default_factory=list)
    refiled: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    # What the spells and filings this plan rewrites, extends or deletes held before, for the
    # import's change log (`stored_changes`): spells as loaded or as planned, read through `values`.
    old_rows: dict[int, Row] = field(default_factory=dict)
    old_spells: dict[int, OldSpell] = field(default_factory=dict)
    owners: dict[int, tuple[int, int]] = field(default_factory=dict)  # deleted spell → (person, enterprise)
    old_headcounts: dict[int, int] = field(default_factory=dict)
    values: _Values | None = None

    def __bool__(self) -> bool:
        return bool(self.changes)


def plan_snapshots(snapshots: dict[tuple[int, date], list[Entry]]) -> SpellPlan:
    """What applying `snapshots` ((enterprise_id, month) -> roster) would write; writes nothing.

    Months are the first day of the month. A person listed twice in one snapshot counts once, with
    the values of the later row.
    """
    plan = SpellPlan()
    months_of: dict[int, list[int]] = defaultdict(list)
    for enterprise_id, month in snapshots:
        if month.day != 1:
            raise ValueError(f"roster month {month} is not the first day of a month")
        months_of[enterprise_id].append(_index(month))
    if not months_of:
        return plan
    # Only spells that contain a snapshot month or touch one (ending the month before, starting
    # the month after) can change; anything wholly outside [lo - 1, hi + 1] stays as it is.
    lo = min(min(months) for months in months_of.values())
    hi = max(max(months) for months in months_of.values())
    window = (_month(lo - 1), _month(hi + 1))
    all_months = sorted({_month(m) for months in months_of.values() for m in months})
    values = plan.values = _Values()

    for chunk in chunked(sorted(months_of), ENTERPRISE_CHUNK):
        old = _load_spells(chunk, window)
        headcounts: dict[tuple[int, date], int] = {}
        for enterprise_id in chunk:
            months = sorted(months_of[enterprise_id])
            rosters = []
            for m in months:
                roster = {entry.person_id: entry for entry in snapshots[enterprise_id, _month(m)]}
                headcounts[enterprise_id, _month(m)] = len(roster)
                rosters.append(roster)
            spells = old.pop(enterprise_id, ({}, {}))
            if len(months) == 1:
                _plan_one_month(plan, values, enterprise_id, months[0], rosters[0], spells)
            else:
                _plan_months(plan, values, enterprise_id, months, rosters, spells)
        _plan_filings(plan, chunk, all_months, headcounts)
    return plan


def apply_plan(plan: SpellPlan, batch_id: int | None, user_id: int | None) -> SpellChanges:
    """Write `plan` in one transaction, stamping `batch_id` and `user_id`; nothing when it is empty.

    The common case, a spell running on by a month, is one `UPDATE … SET last_month = ? WHERE id
    IN (…)` per 10,000 spells, not a per-row `CASE`; new rows go in many to a statement (see
    `_update` and `_insert` for why not `QuerySet.update()` and `bulk_create()`).
    """
    if not plan:
        return plan.changes
    now = timezone.now()
    stamp = {"batch": batch_id, "updated_at": now, "updated_by": user_id}
    with transaction.atomic():
        for ids in chunked(plan.delete, ID_CHUNK):
            EmploymentSpell.objects.filter(pk__in=ids).delete()
        for last, by_updater in plan.extend.items():
            for updated_by, ids in by_updater.items():
                if updated_by == user_id:
                    update_rows(EmploymentSpell, ids, last_month=last, batch=batch_id, updated_at=now)
                else:
                    update_rows(EmploymentSpell, ids, last_month=last, **stamp)
        # Other rewrites, one UPDATE per distinct set of new values (usually one spell each).
        groups: dict[tuple[Any, ...], list[int]] = defaultdict(list)
        for spell_id, *rewritten in plan.rewrite:
            groups[tuple(rewritten)].append(spell_id)
        for group, ids in groups.items():
            update_rows(EmploymentSpell, ids, **dict(zip(SPELL_COLUMNS[2:], group, strict=True)), **stamp)
        made = {
            "batch": batch_id,
            "created_at": now,
            "updated_at": now,
            "created_by": user_id,
            "updated_by": user_id,
        }
        insert_rows(EmploymentSpell, SPELL_COLUMNS, plan.create, **made)
        insert_rows(RosterFiling, ["enterprise", "month", "headcount"], plan.new_filings, **made)
        for headcount, ids in plan.refiled.items():
            update_rows(RosterFiling, ids, headcount=headcount, **stamp)
    return plan.changes


# Planning ---------------------------------------------------------------------------------------

# A spell as loaded: (id, person_id, enterprise_id, first, last, role, hired_on, salary,
# updated_by_id), dates and salary as SQLite's text or as values; `_Values` reads them.
Raw = Any  # str (SQLite) or date / Decimal (PostgreSQL)
Row = tuple[int, int, int, Raw, Raw, str, Raw, Raw, int | None]
# An enterprise's spells by person: those with one spell in the window, and those with several.
Spells = tuple[dict[int, Row], dict[int, list[Row]]]


def _load_spells(enterprise_ids: list[int], window: tuple[date, date]) -> dict[int, Spells]:
    """The spells of these enterprises that reach into the window, per enterprise and person.

    On SQLite, dates and the salary come as text (`Cast`): Django would otherwise parse three
    dates and a decimal in Python on each of ~600,000 rows, half the time of planning a month;
    `_Values` parses each distinct text once. (psycopg parses them in C, so PostgreSQL sends them
    as they are, and its text form of a date would depend on the DateStyle setting.)
    """
    as_text = connections[router.db_for_read(EmploymentSpell)].vendor == "sqlite"

    def column(name: str) -> str | Cast:
        return Cast(name, CharField()) if as_text else name

    rows = (
        EmploymentSpell.objects.filter(
            _of_enterprises(enterprise_ids), last_month__gte=window[0], first_month__lte=window[1]
        )
        .order_by("enterprise_id")
        .values_list(
            "id",
            "person_id",
            "enterprise_id",
            column("first_month"),
            column("last_month"),
            "role_category",
            column("hired_on"),
            column("annual_salary"),
            "updated_by_id",
        )
    )
    spells: dict[int, Spells] = {}
    current = 0
    single: dict[int, Row] = {}
    multi: dict[int, list[Row]] = {}
    for row in rows:
        if row[2] != current:
            current = row[2]
            single, multi = {}, {}
            spells[current] = (single, multi)
        person_id = row[1]
        if person_id in multi:
            multi[person_id].append(row)
        elif person_id in single:
            multi[person_id] = [single.pop(person_id), row]
        else:
            single[person_id] = row
    return spells


def _of_enterprises(ids: list[int]) -> Q:
    """A filter for these enterprises (sorted): a range when they are most of it, else `IN`.

    A month of the city lists nearly every enterprise; a range then costs the ORM nothing, while
    an `IN` list costs it microseconds an id. Rows of enterprises in the range but not in `ids`
    are ignored by the callers.
    """
    if ids[-1] - ids[0] < 2 * len(ids):
        return Q(enterprise_id__gte=ids[0], enterprise_id__lte=ids[-1])
    return Q(enterprise_id__in=ids)


def _plan_one_month(
    plan: SpellPlan,
    values: _Values,
    enterprise_id: int,
    month: int,
    roster: dict[int, Entry],
    old: Spells,
) -> None:
    """The usual file, one month per enterprise: the common cases without building runs.

    This loop runs once per person of the city, so its look-ups are spelled out, not called.
    """
    day = _month(month)
    extend = plan.extend[day]
    single, multi = old
    month_of, day_of, salary_of = values.months.get, values.dates.get, values.salaries.get
    created = extended = changed = 0
    for person_id, entry in roster.items():
        row = single.pop(person_id, None)
        if row is None:
            if multi and person_id in multi:
                rows = multi.pop(person_id)
                _plan_pair(plan, person_id, enterprise_id, values.spells(rows), [(month, entry)], values)
            else:
                plan.create.append((person_id, enterprise_id, day, day, *values.of_entry(entry)))
                created += 1
            continue
        last = month_of(row[4]) or values.month(row[4])  # (no month has index 0)
        if last + 1 == month or last == month:
            hired = day_of(row[6], MISSING)
            old_salary = salary_of(row[7], MISSING)
            new_salary = salary_of(entry.annual_salary, MISSING)
            same = (
                entry.role_category == row[5]
                and entry.hired_on == (values.day(row[6]) if hired is MISSING else hired)
                and (values.salary(row[7]) if old_salary is MISSING else old_salary)
                == (values.salary(entry.annual_salary) if new_salary is MISSING else new_salary)
            )
            plan.old_rows[row[0]] = row
            if last + 1 == month:  # stayed on: the spell runs one month longer
                if same:
                    ids = extend.get(row[8])
                    if ids is None:
                        extend[row[8]] = [row[0]]
                    else:
                        ids.append(row[0])
                else:
                    plan.rewrite.append((row[0], _month(values.month(row[3])), day, *values.of_entry(entry)))
                extended += 1
            elif not same:  # the last month again, with other values: the snapshot's stand
                plan.rewrite.append((row[0], _month(values.month(row[3])), day, *values.of_entry(entry)))
                changed += 1
            continue
        if values.month(row[3]) <= month < last:  # an older month again: a later month's values stand
            continue
        _plan_pair(plan, person_id, enterprise_id, values.spells([row]), [(month, entry)], values)
    plan.changes.created += created
    plan.changes.extended += extended
    plan.changes.changed += changed
    # Whoever is left is not on this month's roster; only a spell covering the month changes.
    for person_id, row in single.items():
        if values.month(row[3]) <= month <= values.month(row[4]):
            _plan_pair(plan, person_id, enterprise_id, values.spells([row]), [(month, None)], values)
    for person_id, rows in multi.items():
        spells = values.spells(rows)
        if any(first <= month <= last for _, first, last, _, _ in spells):
            _plan_pair(plan, person_id, enterprise_id, spells, [(month, None)], values)


def _plan_months(
    plan: SpellPlan,
    values: _Values,
    enterprise_id: int,
    months: list[int],
    rosters: list[dict[int, Entry]],
    old: Spells,
) -> None:
    """Several months of one enterprise in the file: every pair they touch, the general way."""
    single, multi = old
    people = set(single) | set(multi)
    for roster in rosters:
        people.update(roster)
    for person_id in people:
        marks = [(m, roster.get(person_id)) for m, roster in zip(months, rosters, strict=True)]
        row = single.get(person_id)
        spells = values.spells([row] if row else multi.get(person_id, []))
        if all(entry is None for _, entry in marks) and not any(
            first <= m <= last for _, first, last, _, _ in spells for m in months
        ):
            continue  # not listed, and no spell covers a listed month: nothing to remove
        _plan_pair(plan, person_id, enterprise_id, spells, marks, values)


def _plan_pair(
    plan: SpellPlan,
    person_id: int,
    enterprise_id: int,
    spells: Sequence[OldSpell],
    marks: Sequence[tuple[int, Entry | None]],
    values: _Values,
) -> None:
    """Recompute one (person, enterprise) pair's spells from its old spells and snapshot marks."""
    absent = sorted(m for m, entry in marks if entry is None)
    # Pieces: (first, last, rank, attrs, old spell id or 0). The rank is the month that gave the
    # values, doubled, plus one for a snapshot so that it wins over a stored spell at that month.
    pieces: list[tuple[int, int, int, Attrs, int]] = []
    for spell_id, first, last, attrs, _ in spells:
        start = first
        for m in absent:
            if m < start:
                continue
            if m > last:
                break
            if m > start:
                pieces.append((start, m - 1, 2 * (m - 1), attrs, spell_id))
            start = m + 1
        if start <= last:
            pieces.append((start, last, 2 * last, attrs, spell_id))
    for m, entry in marks:
        if entry is not None:
            pieces.append((m, m, 2 * m + 1, values.of_entry(entry), 0))
    pieces.sort(key=lambda piece: piece[0])

    runs: list[list] = []  # [first, last, rank, attrs, [old spell ids]]
    for first, last, rank, attrs, spell_id in pieces:
        if runs and first <= runs[-1][1] + 1:
            run = runs[-1]
            run[1] = max(run[1], last)
            if rank > run[2]:
                run[2], run[3] = rank, attrs
        else:
            run = [first, last, rank, attrs, []]
            runs.append(run)
        if spell_id:
            run[4].append(spell_id)

    # Each run keeps the row of the first old spell in it that no earlier run took; a split spell's
    # second part becomes a new row.
    by_id = {spell[0]: spell for spell in spells}
    plan.old_spells.update(by_id)
    used: set[int] = set()
    changes = plan.changes
    for first, last, _, attrs, ids in runs:
        spell_id = next((i for i in ids if i not in used), 0)
        if not spell_id:
            plan.create.append((person_id, enterprise_id, _month(first), _month(last), *attrs))
            changes.created += 1
            continue
        used.add(spell_id)
        _, old_first, old_last, old_attrs, updated_by = by_id[spell_id]
        if (first, last, attrs) == (old_first, old_last, old_attrs):
            continue
        if first == old_first and last > old_last:
            changes.extended += 1
            if attrs == old_attrs:
                plan.extend[_month(last)].setdefault(updated_by, []).append(spell_id)
                continue
        else:
            changes.changed += 1
        plan.rewrite.append((spell_id, _month(first), _month(last), *attrs))
    for spell_id in by_id:
        if spell_id not in used:
            plan.delete.append(spell_id)
            plan.owners[spell_id] = (person_id, enterprise_id)
            changes.deleted += 1


def _plan_filings(
    plan: SpellPlan,
    enterprise_ids: list[int],
    months: list[date],
    headcounts: dict[tuple[int, date], int],
) -> None:
    """New filings, and filings whose headcount changed; a filing as it was is left alone."""
    on_file = {
        (enterprise_id, month): (filing_id, headcount)
        for filing_id, enterprise_id, month, headcount in RosterFiling.objects.filter(
            _of_enterprises(enterprise_ids), month__in=months
        ).values_list("id", "enterprise_id", "month", "headcount")
    }
    for key, headcount in headcounts.items():
        filed = on_file.get(key)
        if filed is None:
            plan.new_filings.append((*key, headcount))
        elif filed[1] != headcount:
            plan.refiled[headcount].append(filed[0])
            plan.old_headcounts[filed[0]] = filed[1]
        else:
            continue
        plan.changes.filings += 1


# The change log ---------------------------------------------------------------------------------

# A spell's columns as the change log names them, in the order of `rewrite`'s values.
SPELL_FIELDS = ("first_month", "last_month", "role_category", "hired_on", "annual_salary")


def stored_changes(plan: SpellPlan) -> Iterator[tuple[type[Model], int, dict[str, tuple[Any, Any]], bool]]:
    """Each stored spell or filing the plan changes: (model, id, {field: (before, after)}, deleted).

    A deleted spell lists every field with None after, and whose it was (person, enterprise).
    Extensions, most of a month's changes, give one field each, the same for many spells.
    """
    values = plan.values
    if values is None:
        return
    old_rows, old_spells = plan.old_rows, plan.old_spells

    def before(spell_id: int) -> tuple[Any, ...]:
        spell = old_spells.get(spell_id) or values.spells([old_rows[spell_id]])[0]
        _, first, last, attrs, _ = spell
        return (_month(first), _month(last), *attrs)

    # One dict per (old, new) last month, shared by the spells extended alike.
    extensions: dict[tuple[date, date], dict[str, tuple[Any, Any]]] = {}
    for last, by_updater in plan.extend.items():
        for ids in by_updater.values():
            for spell_id in ids:
                spell = old_spells.get(spell_id)
                old_last = _month(spell[2]) if spell else _month(values.month(old_rows[spell_id][4]))
                fields = extensions.get((old_last, last))
                if fields is None:
                    fields = extensions[old_last, last] = {"last_month": (old_last, last)}
                yield EmploymentSpell, spell_id, fields, False
    for spell_id, *after in plan.rewrite:
        pairs = zip(SPELL_FIELDS, before(spell_id), after, strict=True)
        yield EmploymentSpell, spell_id, {name: (old, new) for name, old, new in pairs if old != new}, False
    for spell_id in plan.delete:
        person_id, enterprise_id = plan.owners[spell_id]
        gone = {"person": (person_id, None), "enterprise": (enterprise_id, None)}
        gone |= {name: (old, None) for name, old in zip(SPELL_FIELDS, before(spell_id), strict=True)}
        yield EmploymentSpell, spell_id, gone, True
    for headcount, ids in plan.refiled.items():
        for filing_id in ids:
            yield RosterFiling, filing_id, {"headcount": (plan.old_headcounts[filing_id], headcount)}, False


# Helpers ----------------------------------------------------------------------------------------


class _Values:
    """Months, dates and salaries from what the database returns or an entry holds, read once each.

    A month of the city has ~600,000 rows but few distinct months, hire dates and salaries, so
    reading through these caches is a dict look-up. The database gives text on SQLite (see
    `_load_spells`) and values on PostgreSQL; the caches take both.
    """

    def __init__(self) -> None:
        self.months: dict[Raw, int] = {}
        self.dates: dict[Raw, date | None] = {None: None}
        # To Decimals with two places as stored: compare as stored, or every re-import of a
        # salary of 12.345 would look like a change.
        self.salaries: dict[Raw, Decimal | None] = {None: None}

    def month(self, raw: Raw) -> int:
        try:
            return self.months[raw]
        except KeyError:
            index = self.months[raw] = _index(_date(raw))
            return index

    def day(self, raw: Raw) -> date | None:
        try:
            return self.dates[raw]
        except KeyError:
            value = self.dates[raw] = _date(raw)
            return value

    def salary(self, raw: Raw) -> Decimal | None:
        try:
            return self.salaries[raw]
        except KeyError:
            amount = self.salaries[raw] = Decimal(raw).quantize(CENT)
            return amount

    def of_row(self, row: Row) -> Attrs:
        return row[5], self.day(row[6]), self.salary(row[7])

    def of_entry(self, entry: Entry) -> Attrs:
        return entry.role_category, entry.hired_on, self.salary(entry.annual_salary)

    def spells(self, rows: list[Row]) -> list[OldSpell]:
        return [(row[0], self.month(row[3]), self.month(row[4]), self.of_row(row), row[8]) for row in rows]


def _date(raw: Raw) -> date:
    return raw if isinstance(raw, date) else date.fromisoformat(raw[:10])


def _index(month: date) -> int:
    return month.year * 12 + month.month - 1


_months: dict[int, date] = {}


def _month(index: int) -> date:
    try:
        return _months[index]
    except KeyError:
        day = _months[index] = date(index // 12, index % 12 + 1, 1)
        return day
