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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import islice
from typing import TypeVar

from django.db import transaction
from django.utils import timezone

from mantianxing.people.models import EmploymentSpell, RosterFiling

# Ids per `IN (...)` list: well under SQLite's 32,766 variables, and short enough for PostgreSQL.
ID_CHUNK = 10_000
# Enterprises whose spells are loaded and planned at once; bounds the memory held per step.
ENTERPRISE_CHUNK = 2_000
CREATE_BATCH = 5_000
CENT = Decimal("0.01")

T = TypeVar("T")
# (role_category, hired_on, annual_salary): the values a run takes from its latest month.
Attrs = tuple[str, date | None, Decimal | None]
# (id, first month, last month, attrs) of an existing spell; months as integer indices.
OldSpell = tuple[int, int, int, Attrs]


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
    # Spells that only move their last month later: new last month -> ids (one UPDATE per chunk).
    extend: dict[date, list[int]] = field(default_factory=lambda: defaultdict(list))
    # Any other rewrite: (id, first_month, last_month, role_category, hired_on, annual_salary).
    rewrite: list[tuple[int, date, date, str, date | None, Decimal | None]] = field(default_factory=list)
    # New spells: (person_id, enterprise_id, first_month, last_month, role, hired_on, salary).
    create: list[tuple[int, int, date, date, str, date | None, Decimal | None]] = field(default_factory=list)
    delete: list[int] = field(default_factory=list)
    # New filings (enterprise_id, month, headcount); refiled: new headcount -> filing ids.
    new_filings: list[tuple[int, date, int]] = field(default_factory=list)
    refiled: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))

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
    window = {"last_month__gte": _month(lo - 1), "first_month__lte": _month(hi + 1)}
    all_months = sorted({_month(m) for months in months_of.values() for m in months})

    for chunk in _chunks(sorted(months_of), ENTERPRISE_CHUNK):
        old: dict[int, dict[int, list[OldSpell]]] = defaultdict(lambda: defaultdict(list))
        rows = EmploymentSpell.objects.filter(enterprise_id__in=chunk, **window).values_list(
            "id",
            "person_id",
            "enterprise_id",
            "first_month",
            "last_month",
            "role_category",
            "hired_on",
            "annual_salary",
        )
        for spell_id, person_id, enterprise_id, first, last, role, hired, salary in rows:
            old[enterprise_id][person_id].append(
                (spell_id, _index(first), _index(last), (role, hired, salary))
            )
        headcounts: dict[tuple[int, date], int] = {}
        for enterprise_id in chunk:
            months = sorted(months_of[enterprise_id])
            rosters = []
            for m in months:
                roster = {entry.person_id: entry for entry in snapshots[enterprise_id, _month(m)]}
                headcounts[enterprise_id, _month(m)] = len(roster)
                rosters.append(roster)
            _plan_enterprise(plan, enterprise_id, months, rosters, old.pop(enterprise_id, {}))
        _plan_filings(plan, chunk, all_months, headcounts)
    return plan


def apply_plan(plan: SpellPlan, batch_id: int | None, user_id: int | None) -> SpellChanges:
    """Write `plan` in one transaction, stamping `batch_id` and `user_id`; nothing when it is empty.

    The common case, a spell running on by a month, is `UPDATE … SET last_month = ? WHERE id IN
    (…)` per 10,000 spells, not a per-row `CASE`; new spells go in with `bulk_create`.
    """
    if not plan:
        return plan.changes
    now = timezone.now()
    stamp = {"batch_id": batch_id, "updated_at": now, "updated_by_id": user_id}
    spells = EmploymentSpell.objects
    with transaction.atomic():
        if plan.delete:
            for ids in _chunks(plan.delete, ID_CHUNK):
                spells.filter(pk__in=ids).delete()
        for last, ids in plan.extend.items():
            for chunk in _chunks(ids, ID_CHUNK):
                spells.filter(pk__in=chunk).update(last_month=last, **stamp)
        _rewrite(plan.rewrite, stamp)
        for batch in _chunks(plan.create, CREATE_BATCH):
            spells.bulk_create(
                [
                    EmploymentSpell(
                        person_id=person_id,
                        enterprise_id=enterprise_id,
                        first_month=first,
                        last_month=last,
                        role_category=role,
                        hired_on=hired,
                        annual_salary=salary,
                        batch_id=batch_id,
                        created_by_id=user_id,
                        updated_by_id=user_id,
                    )
                    for person_id, enterprise_id, first, last, role, hired, salary in batch
                ]
            )
        for batch in _chunks(plan.new_filings, CREATE_BATCH):
            RosterFiling.objects.bulk_create(
                [
                    RosterFiling(
                        enterprise_id=enterprise_id,
                        month=month,
                        headcount=headcount,
                        batch_id=batch_id,
                        created_by_id=user_id,
                        updated_by_id=user_id,
                    )
                    for enterprise_id, month, headcount in batch
                ]
            )
        for headcount, ids in plan.refiled.items():
            for chunk in _chunks(ids, ID_CHUNK):
                RosterFiling.objects.filter(pk__in=chunk).update(headcount=headcount, **stamp)
    return plan.changes


# Planning ---------------------------------------------------------------------------------------


def _plan_enterprise(
    plan: SpellPlan,
    enterprise_id: int,
    months: list[int],
    rosters: list[dict[int, Entry]],
    old: dict[int, list[OldSpell]],
) -> None:
    if len(months) == 1:
        _plan_one_month(plan, enterprise_id, months[0], rosters[0], old)
        return
    people = set(old)
    for roster in rosters:
        people.update(roster)
    for person_id in people:
        marks = [(m, roster.get(person_id)) for m, roster in zip(months, rosters, strict=True)]
        spells = old.get(person_id, [])
        if all(entry is None for _, entry in marks) and not any(
            first <= m <= last for _, first, last, _ in spells for m in months
        ):
            continue  # not listed, and no spell covers a listed month: nothing to remove
        _plan_pair(plan, person_id, enterprise_id, spells, marks)


def _plan_one_month(
    plan: SpellPlan, enterprise_id: int, month: int, roster: dict[int, Entry], old: dict[int, list[OldSpell]]
) -> None:
    """The usual file, one month per enterprise; the common cases without building runs."""
    changes = plan.changes
    for person_id, entry in roster.items():
        spells = old.pop(person_id, None)
        if spells is None:
            day = _month(month)
            plan.create.append((person_id, enterprise_id, day, day, *_attrs(entry)))
            changes.created += 1
            continue
        if len(spells) == 1:
            spell_id, first, last, attrs = spells[0]
            if last + 1 == month:  # stayed on: the spell runs one month longer
                new = _attrs(entry)
                if new == attrs:
                    plan.extend[_month(month)].append(spell_id)
                else:
                    plan.rewrite.append((spell_id, _month(first), _month(month), *new))
                changes.extended += 1
                continue
            if first <= month < last:  # an older month again: a later month's values stand
                continue
            if month == last:
                new = _attrs(entry)
                if new != attrs:
                    plan.rewrite.append((spell_id, _month(first), _month(last), *new))
                    changes.changed += 1
                continue
        _plan_pair(plan, person_id, enterprise_id, spells, [(month, entry)])
    # Whoever is left is not on this month's roster; only a spell covering the month changes.
    for person_id, spells in old.items():
        if any(first <= month <= last for _, first, last, _ in spells):
            _plan_pair(plan, person_id, enterprise_id, spells, [(month, None)])


def _plan_pair(
    plan: SpellPlan,
    person_id: int,
    enterprise_id: int,
    spells: Sequence[OldSpell],
    marks: Sequence[tuple[int, Entry | None]],
) -> None:
    """Recompute one (person, enterprise) pair's spells from its old spells and snapshot marks."""
    absent = sorted(m for m, entry in marks if entry is None)
    # Pieces: (first, last, rank, attrs, old spell id or 0). The rank is the month that gave the
    # values, doubled, plus one for a snapshot so that it wins over a stored spell at that month.
    pieces: list[tuple[int, int, int, Attrs, int]] = []
    for spell_id, first, last, attrs in spells:
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
            pieces.append((m, m, 2 * m + 1, _attrs(entry), 0))
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
    used: set[int] = set()
    changes = plan.changes
    for first, last, _, attrs, ids in runs:
        spell_id = next((i for i in ids if i not in used), 0)
        if not spell_id:
            plan.create.append((person_id, enterprise_id, _month(first), _month(last), *attrs))
            changes.created += 1
            continue
        used.add(spell_id)
        _, old_first, old_last, old_attrs = by_id[spell_id]
        if (first, last, attrs) == (old_first, old_last, old_attrs):
            continue
        if first == old_first and last > old_last:
            changes.extended += 1
            if attrs == old_attrs:
                plan.extend[_month(last)].append(spell_id)
                continue
        else:
            changes.changed += 1
        plan.rewrite.append((spell_id, _month(first), _month(last), *attrs))
    for spell_id in by_id:
        if spell_id not in used:
            plan.delete.append(spell_id)
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
            enterprise_id__in=enterprise_ids, month__in=months
        ).values_list("id", "enterprise_id", "month", "headcount")
    }
    for key, headcount in headcounts.items():
        filed = on_file.get(key)
        if filed is None:
            plan.new_filings.append((*key, headcount))
        elif filed[1] != headcount:
            plan.refiled[headcount].append(filed[0])
        else:
            continue
        plan.changes.filings += 1


# Writing ----------------------------------------------------------------------------------------


def _rewrite(rows: list[tuple[int, date, date, str, date | None, Decimal | None]], stamp: dict) -> None:
    """Rewrite spells, one UPDATE per group of identical new values and chunk of ids."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    for spell_id, *values in rows:
        groups[tuple(values)].append(spell_id)
    for (first, last, role, hired, salary), ids in groups.items():
        for chunk in _chunks(ids, ID_CHUNK):
            EmploymentSpell.objects.filter(pk__in=chunk).update(
                first_month=first,
                last_month=last,
                role_category=role,
                hired_on=hired,
                annual_salary=salary,
                **stamp,
            )


# Helpers ----------------------------------------------------------------------------------------


def _index(month: date) -> int:
    return month.year * 12 + month.month - 1


_months: dict[int, date] = {}


def _month(index: int) -> date:
    try:
        return _months[index]
    except KeyError:
        day = _months[index] = date(index // 12, index % 12 + 1, 1)
        return day


def _attrs(entry: Entry) -> Attrs:
    salary = entry.annual_salary
    # Stored with two decimals: compare as stored, or every re-import would look like a change.
    return entry.role_category, entry.hired_on, None if salary is None else salary.quantize(CENT)


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
