"""People on the rosters, read-only: the masked ID number only, and a salary only where allowed.

People are written by roster imports alone, so there is no create or edit here.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from mantianxing.audit.services import record_person_view
from mantianxing.people.choices import RoleCategory
from mantianxing.people.filters import PersonFilterSet
from mantianxing.people.models import EmploymentSpell, Person
from mantianxing.people.privacy import may_see_salary
from mantianxing.people.queries import people_matching, with_last_spell

router = Router(tags=["从业人员"])


def month_text(value: date | None) -> str | None:
    return f"{value:%Y-%m}" if value else None


class PersonSchema(Schema):
    id: int
    name: str
    id_masked: str
    last_enterprise: str | None  # USCC of the latest spell in the caller's scope
    last_enterprise_name: str | None
    last_month: str | None  # YYYY-MM

    @staticmethod
    def resolve_last_enterprise(obj: Person) -> str | None:
        return getattr(obj, "last_enterprise_uscc", None)

    @staticmethod
    def resolve_last_month(obj: Person) -> str | None:
        return month_text(getattr(obj, "last_month", None))


class SpellSchema(Schema):
    id: int
    enterprise: str
    enterprise_name: str
    first_month: str
    last_month: str
    role_category: RoleCategory
    hired_on: date | None
    annual_salary: Decimal | None  # null unless the caller may see it (see people/privacy.py)
    batch: int | None

    @staticmethod
    def resolve_enterprise(obj: EmploymentSpell) -> str:
        return obj.enterprise.uscc

    @staticmethod
    def resolve_enterprise_name(obj: EmploymentSpell) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_first_month(obj: EmploymentSpell) -> str:
        return f"{obj.first_month:%Y-%m}"

    @staticmethod
    def resolve_last_month(obj: EmploymentSpell) -> str:
        return f"{obj.last_month:%Y-%m}"

    @staticmethod
    def resolve_annual_salary(obj: EmploymentSpell, context: dict[str, Any]) -> Decimal | None:
        request = context["request"]
        return obj.annual_salary if may_see_salary(request.user, obj.enterprise_id) else None

    @staticmethod
    def resolve_batch(obj: EmploymentSpell) -> int | None:
        return obj.batch_id


class PersonDetailSchema(PersonSchema):
    spells: list[SpellSchema]  # in the caller's scope only

    @staticmethod
    def resolve_spells(obj: Person) -> list[EmploymentSpell]:
        return obj.spells_in_scope  # type: ignore[attr-defined]


@router.get("", response=list[PersonSchema], summary="从业人员列表（按数据范围过滤）")
@paginate
def list_people(request: HttpRequest, filters: Query[PersonFilterSet]):  # type: ignore[no-untyped-def]
    people = filters.filter(Person.objects.visible_to(request.user))
    return with_last_spell(people_matching(people, filters, request.user), request.user)


@router.get("/{person_id}", response=PersonDetailSchema, summary="从业人员详情（含任职记录）")
def get_person(request: HttpRequest, person_id: int) -> Person:
    people = with_last_spell(Person.objects.visible_to(request.user), request.user)
    person = get_object_or_404(people, pk=person_id)
    person.spells_in_scope = list(  # type: ignore[attr-defined]
        EmploymentSpell.objects.visible_to(request.user)
        .filter(person=person)
        .select_related("enterprise")
        .order_by("first_month", "pk")
    )
    record_person_view(
        request.user,
        person,
        includes_salary=any(
            spell.annual_salary is not None and may_see_salary(request.user, spell.enterprise_id)
            for spell in person.spells_in_scope  # type: ignore[attr-defined]
        ),
    )
    return person
