from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.test import TestCase
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from mantianxing.accounts.models import User
from mantianxing.core.testing import current_unit
from mantianxing.enterprises.models import Enterprise
from mantianxing.imports.models import ImportBatch, Ledger
from mantianxing.lib.identifiers import make_uscc
from mantianxing.people.choices import RoleCategory
from mantianxing.people.models import EmploymentSpell, Person, RosterFiling
from mantianxing.people.spells import Entry, SpellChanges, apply_plan, plan_snapshots

Snapshots = dict[tuple[int, date], list[Entry]]


def month(n: int) -> date:
    """Month n of 2025 (n may run past 12 into 2026)."""
    return date(2025 + (n - 1) // 12, (n - 1) % 12 + 1, 1)


class RosterData:
    """Three enterprises and five people, made once per test class."""

    enterprises: list[Enterprise]
    people: list[Person]

    @classmethod
    def make_roster_data(cls) -> None:
        unit = current_unit("500103")
        cls.enterprises = [
            Enterprise.objects.create(uscc=make_uscc(f"91500103MA61000{i}X"), name=f"企业{i}", unit=unit)
            for i in range(3)
        ]
        cls.people = [
            Person.objects.create(id_hash=f"{i:064x}", id_masked=f"**************000{i}", name=f"员工{i}")
            for i in range(5)
        ]


def entry(person: Person, role: str = RoleCategory.SOFTWARE, salary: str | None = "12.50") -> Entry:
    return Entry(person.pk, role, date(2020, 3, 1), None if salary is None else Decimal(salary))


def run(snapshots: Snapshots, batch_id: int | None = None, user_id: int | None = None) -> SpellChanges:
    return apply_plan(plan_snapshots(snapshots), batch_id, user_id)


def spells() -> list[tuple[int, int, date, date]]:
    return sorted(
        EmploymentSpell.objects.values_list("person_id", "enterprise_id", "first_month", "last_month")
    )


class SpellTests(RosterData, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.make_roster_data()
        cls.a, cls.b, cls.c = cls.enterprises
        cls.ann, cls.bo, cls.cai, cls.dan, cls.eva = cls.people

    def test_it_opens_a_spell_for_someone_who_joins(self) -> None:
        changes = run({(self.a.pk, month(1)): [entry(self.ann)]})
        self.assertEqual(changes, SpellChanges(created=1, filings=1))
        self.assertEqual(spells(), [(self.ann.pk, self.a.pk, month(1), month(1))])

    def test_it_extends_the_spell_of_someone_who_stays(self) -> None:
        run({(self.a.pk, month(1)): [entry(self.ann)]})
        first = EmploymentSpell.objects.get()
        changes = run({(self.a.pk, month(2)): [entry(self.ann)]})
        self.assertEqual(changes, SpellChanges(extended=1, filings=1))
        self.assertEqual(EmploymentSpell.objects.get().pk, first.pk)
        self.assertEqual(spells(), [(self.ann.pk, self.a.pk, month(1), month(2))])

    def test_it_ends_the_spell_of_someone_missing_from_the_next_month(self) -> None:
        run({(self.a.pk, month(1)): [entry(self.ann), entry(self.bo)]})
        run({(self.a.pk, month(2)): [entry(self.ann), entry(self.bo)]})
        changes = run({(self.a.pk, month(3)): [entry(self.ann)]})
        self.assertEqual(changes, SpellChanges(extended=1, filings=1))
        self.assertEqual(
            spells(),
            [(self.ann.pk, self.a.pk, month(1), month(3)), (self.bo.pk, self.a.pk, month(1), month(2))],
        )

    def test_it_ends_every_spell_when_the_roster_is_empty(self) -> None:
        run({(self.a.pk, month(1)): [entry(self.ann)]})
        changes = run({(self.a.pk, month(2)): []})
        self.assertEqual(changes, SpellChanges(filings=1))
        self.assertEqual(spells(), [(self.ann.pk, self.a.pk, month(1), month(1))])
        self.assertEqual(RosterFiling.objects.get(month=month(2)).headcount, 0)

    def test_it_leaves_enterprises_absent_from_the_file_alone(self) -> None:
        run({(self.a.pk, month(1)): [entry(self.ann)], (self.b.pk, month(1)): [entry(self.bo)]})
        run({(self.a.pk, month(2)): [entry(self.ann)]})
        self.assertEqual(
            spells(),
            [(self.ann.pk, self.a.pk, month(1), month(2)), (self.bo.pk, self.b.pk, month(1), month(1))],
        )
        self.assertFalse(RosterFiling.objects.filter(enterprise=self.b, month=month(2)).exists())

    def test_it_follows_a_job_change_inside_the_city(self) -> None:
        run({(self.a.pk, month(1)): [entry(self.ann)], (self.b.pk, month(1)): [entry(self.bo)]})
        changes = run({(self.a.pk, month(2)): [], (self.b.pk, month(2)): [entry(self.bo), entry(self.ann)]})
        self.assertEqual(changes, SpellChanges(created=1, extended=1, filings=2))
        self.assertEqual(
            spells(),
            [
                (self.ann.pk, self.a.pk, month(1), month(1)),
                (self.ann.pk, self.b.pk, month(2), month(2)),
                (self.bo.pk, self.b.pk, month(1), month(2)),
            ],
        )
        self.assertEqual(Person.objects.count(), 5)

    def test_it_opens_a_second_spell_after_a_gap(self) -> None:
        for n, roster in [(1, [self.ann]), (2, [self.ann]), (3, []), (4, [self.ann]), (5, [self.ann])]:
            run({(self.a.pk, month(n)): [entry(person) for person in roster]})
        self.assertEqual(
            spells(),
            [(self.ann.pk, self.a.pk, month(1), month(2)), (self.ann.pk, self.a.pk, month(4), month(5))],
        )

    def test_it_writes_nothing_when_the_same_month_comes_again(self) -> None:
        snapshots = {
            (self.a.pk, month(1)): [entry(self.ann), entry(self.bo)],
            (self.b.pk, month(1)): [entry(self.cai)],
        }
        run(snapshots)
        run({(self.a.pk, month(2)): [entry(self.ann)], (self.b.pk, month(2)): [entry(self.cai)]})
        before = list(EmploymentSpell.objects.values_list("pk", "updated_at", "batch_id"))
        again = {(self.a.pk, month(2)): [entry(self.ann)], (self.b.pk, month(2)): [entry(self.cai)]}
        plan = plan_snapshots(again)
        self.assertFalse(plan)
        with self.assertNumQueries(0):
            changes = apply_plan(plan, None, None)
        self.assertIs(bool(changes), False)
        self.assertEqual(list(EmploymentSpell.objects.values_list("pk", "updated_at", "batch_id")), before)
        # An older month again, inside the spells, changes nothing either.
        self.assertFalse(plan_snapshots(snapshots))

    def test_it_merges_months_imported_out_of_order(self) -> None:
        run({(self.a.pk, month(3)): [entry(self.ann)]})
        run({(self.a.pk, month(1)): [entry(self.ann)]})
        self.assertEqual(len(spells()), 2)
        changes = run({(self.a.pk, month(2)): [entry(self.ann)]})
        self.assertEqual(changes, SpellChanges(extended=1, deleted=1, filings=1))
        self.assertEqual(spells(), [(self.ann.pk, self.a.pk, month(1), month(3))])

    def test_it_prepends_an_earlier_month(self) -> None:
        run({(self.a.pk, month(2)): [entry(self.ann)]})
        changes = run({(self.a.pk, month(1)): [entry(self.ann)]})
        self.assertEqual(changes, SpellChanges(changed=1, filings=1))
        self.assertEqual(spells(), [(self.ann.pk, self.a.pk, month(1), month(2))])

    def test_it_splits_a_spell_when_an_older_month_is_corrected(self) -> None:
        for n in range(1, 5):
            run({(self.a.pk, month(n)): [entry(self.ann), entry(self.bo)]})
        changes = run({(self.a.pk, month(2)): [entry(self.bo)]})
        self.assertEqual(changes, SpellChanges(created=1, changed=1, filings=1))
        self.assertEqual(
            spells(),
            [
                (self.ann.pk, self.a.pk, month(1), month(1)),
                (self.ann.pk, self.a.pk, month(3), month(4)),
                (self.bo.pk, self.a.pk, month(1), month(4)),
            ],
        )
        self.assertEqual(RosterFiling.objects.get(month=month(2)).headcount, 1)

    def test_it_deletes_a_one_month_spell_corrected_away(self) -> None:
        run({(self.a.pk, month(1)): [entry(self.ann), entry(self.bo)]})
        changes = run({(self.a.pk, month(1)): [entry(self.ann)]})
        self.assertEqual(changes, SpellChanges(deleted=1, filings=1))
        self.assertEqual(spells(), [(self.ann.pk, self.a.pk, month(1), month(1))])

    def test_it_applies_several_months_of_one_file_together(self) -> None:
        changes = run(
            {
                (self.a.pk, month(1)): [entry(self.ann), entry(self.bo)],
                (self.a.pk, month(2)): [entry(self.ann)],
                (self.a.pk, month(3)): [entry(self.ann), entry(self.bo)],
            }
        )
        self.assertEqual(changes, SpellChanges(created=3, filings=3))
        self.assertEqual(
            spells(),
            [
                (self.ann.pk, self.a.pk, month(1), month(3)),
                (self.bo.pk, self.a.pk, month(1), month(1)),
                (self.bo.pk, self.a.pk, month(3), month(3)),
            ],
        )

    def test_it_takes_the_values_of_the_latest_month(self) -> None:
        run({(self.a.pk, month(1)): [entry(self.ann, RoleCategory.OTHER, "10")]})
        changes = run({(self.a.pk, month(2)): [entry(self.ann, RoleCategory.AI_PLUS, "15.5")]})
        self.assertEqual(changes, SpellChanges(extended=1, filings=1))
        spell = EmploymentSpell.objects.get()
        self.assertEqual((spell.role_category, spell.annual_salary), (RoleCategory.AI_PLUS, Decimal("15.50")))
        # An older month again does not undo the newer month's values ...
        self.assertFalse(plan_snapshots({(self.a.pk, month(1)): [entry(self.ann, RoleCategory.OTHER, "10")]}))
        # ... but a corrected latest month does.
        changes = run({(self.a.pk, month(2)): [entry(self.ann, RoleCategory.SOFTWARE, None)]})
        self.assertEqual(changes, SpellChanges(changed=1))
        spell.refresh_from_db()
        self.assertEqual((spell.role_category, spell.annual_salary), (RoleCategory.SOFTWARE, None))

    def test_it_compares_salaries_as_stored(self) -> None:
        run({(self.a.pk, month(1)): [entry(self.ann, salary="12.344")]})
        self.assertEqual(EmploymentSpell.objects.get().annual_salary, Decimal("12.34"))
        self.assertFalse(plan_snapshots({(self.a.pk, month(1)): [entry(self.ann, salary="12.344")]}))

    def test_it_files_each_roster_with_its_headcount(self) -> None:
        changes = run({(self.a.pk, month(1)): [entry(self.ann), entry(self.bo), entry(self.ann)]})
        self.assertEqual(changes.filings, 1)
        self.assertEqual(RosterFiling.objects.get().headcount, 2)
        changes = run({(self.a.pk, month(1)): [entry(self.ann), entry(self.bo), entry(self.cai)]})
        self.assertEqual(changes, SpellChanges(created=1, filings=1))
        self.assertEqual(RosterFiling.objects.get().headcount, 3)

    def test_it_plans_without_writing(self) -> None:
        plan = plan_snapshots({(self.a.pk, month(1)): [entry(self.ann)]})
        self.assertEqual(plan.changes, SpellChanges(created=1, filings=1))
        self.assertTrue(plan)
        self.assertFalse(EmploymentSpell.objects.exists())
        self.assertFalse(RosterFiling.objects.exists())

    def test_it_records_the_batch_and_the_user(self) -> None:
        user = User.objects.create(username="importer")
        first = ImportBatch.objects.create(
            ledger=Ledger.ROSTER, file_name="1.xlsx", sha256="1" * 64, rows=1, valid=1, imported=1, skipped=0
        )
        second = ImportBatch.objects.create(
            ledger=Ledger.ROSTER, file_name="2.xlsx", sha256="2" * 64, rows=1, valid=1, imported=1, skipped=0
        )
        run({(self.a.pk, month(1)): [entry(self.ann)]}, first.pk, user.pk)
        spell = EmploymentSpell.objects.get()
        filing = RosterFiling.objects.get()
        for row in (spell, filing):
            self.assertEqual(
                (row.batch_id, row.created_by_id, row.updated_by_id), (first.pk, user.pk, user.pk)
            )
            self.assertIsNotNone(row.created_at)
        run({(self.a.pk, month(2)): [entry(self.ann)]}, second.pk, None)
        extended = EmploymentSpell.objects.get()
        self.assertEqual(
            (extended.batch_id, extended.created_by_id, extended.updated_by_id), (second.pk, user.pk, None)
        )
        self.assertEqual(extended.created_at, spell.created_at)
        self.assertGreater(extended.updated_at, spell.updated_at)

    def test_it_refuses_a_month_not_given_by_its_first_day(self) -> None:
        with self.assertRaises(ValueError):
            plan_snapshots({(self.a.pk, date(2025, 1, 15)): [entry(self.ann)]})


# A file: some (enterprise, month) snapshots, each a set of people (indices into RosterData).
files = st.lists(
    st.dictionaries(
        st.tuples(st.integers(0, 2), st.integers(1, 8)),
        st.frozensets(st.integers(0, 4), max_size=5),
        min_size=1,
        max_size=6,
    ),
    min_size=1,
    max_size=6,
)


class SpellPropertyTests(RosterData, HypothesisTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.make_roster_data()

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(files)
    def test_it_ends_with_the_runs_of_the_last_word_on_each_month(
        self, sequence: list[dict[tuple[int, int], frozenset[int]]]
    ) -> None:
        for file in sequence:
            run(self.snapshots(file))
        # The last file that gave a month of an enterprise says who worked there that month.
        last_word: dict[tuple[int, int], frozenset[int]] = {}
        for file in sequence:
            last_word.update(file)
        months: dict[tuple[int, int], set[int]] = {}
        for (e, m), people in last_word.items():
            for p in people:
                months.setdefault((self.people[p].pk, self.enterprises[e].pk), set()).add(m)
        expected = sorted(
            (person, enterprise, month(first), month(last))
            for (person, enterprise), employed in months.items()
            for first, last in runs(employed)
        )
        self.assertEqual(spells(), expected)
        # The last file once more changes nothing.
        self.assertFalse(plan_snapshots(self.snapshots(sequence[-1])))

    def snapshots(self, file: dict[tuple[int, int], frozenset[int]]) -> Snapshots:
        # The values depend on the month, so runs must merge across months whose values differ.
        return {
            (self.enterprises[e].pk, month(m)): [entry(self.people[p], salary=str(m)) for p in sorted(people)]
            for (e, m), people in file.items()
        }


def runs(months: set[int]) -> list[tuple[int, int]]:
    """Maximal runs of consecutive months."""
    found: list[tuple[int, int]] = []
    for m in sorted(months):
        if found and found[-1][1] == m - 1:
            found[-1] = (found[-1][0], m)
        else:
            found.append((m, m))
    return found
