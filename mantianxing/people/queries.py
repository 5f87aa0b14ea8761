"""Who the user may see on the rosters, and with what: spells in scope, salaries only where allowed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from mantianxing.people.filters import PersonFilterSet
from mantianxing.people.models import EmploymentSpell, Person
from mantianxing.people.privacy import may_see_salary


def people_matching(people: QuerySet[Person], filters: PersonFilterSet, user: Any) -> QuerySet[Person]:
    """`people` (already scoped) narrowed to those with a matching spell the user may see.

    The spells are scoped too: a district officer filtering by another district's enterprise
    learns nothing about who worked there.
    """
    condition = filters.spell_expression()
    if condition is not None:
        spells = EmploymentSpell.objects.visible_to(user).filter(condition)
        people = people.filter(pk__in=spells.values("person_id"))
    return people


def with_last_spell(people: QuerySet[Person], user: Any) -> QuerySet[Person]:
    """Annotate the person's latest spell in the user's scope: its enterprise and months."""
    latest = (
        EmploymentSpell.objects.visible_to(user)
        .filter(person=OuterRef("pk"))
        .order_by("-last_month", "-first_month", "-pk")
    )
    return people.annotate(
        last_enterprise_id=Subquery(latest.values("enterprise_id")[:1]),
        last_enterprise_name=Subquery(latest.values("enterprise__name")[:1]),
        last_enterprise_uscc=Subquery(latest.values("enterprise__uscc")[:1]),
        last_month=Subquery(latest.values("last_month")[:1]),
    )


@dataclass(frozen=True)
class SpellRow:
    spell: EmploymentSpell
    salary_visible: bool

    @property
    def salary(self) -> Decimal | None:
        return self.spell.annual_salary if self.salary_visible else None


def spells_of(person: Person, user: Any) -> list[SpellRow]:
    """The person's spells in the user's scope, oldest first, each saying whether its salary shows."""
    spells = (
        EmploymentSpell.objects.visible_to(user)
        .filter(person=person)
        .select_related("enterprise", "batch")
        .order_by("first_month", "pk")
    )
    return [SpellRow(spell, may_see_salary(user, spell.enterprise_id)) for spell in spells]
