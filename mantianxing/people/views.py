from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mantianxing.audit.services import record_person_view
from mantianxing.core.audit import history_of
from mantianxing.core.generic import ScopedDetailView, ScopedListView
from mantianxing.people.choices import RoleCategory
from mantianxing.people.filters import PersonFilterSet
from mantianxing.people.models import EmploymentSpell, Person
from mantianxing.people.queries import people_matching, spells_of, with_last_spell


class PersonListView(ScopedListView):
    """People come from the monthly rosters only: there is no page to create or edit them."""

    model = Person
    filterset_class = PersonFilterSet
    template_name = "people/person_list.html"
    extra_context = {"role_choices": RoleCategory.choices}

    def get_queryset(self) -> QuerySet[Person]:
        user = self.request.user
        return with_last_spell(people_matching(super().get_queryset(), self.filters, user), user)


class PersonDetailView(ScopedDetailView):
    model = Person
    template_name = "people/person_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["spells"] = spells = spells_of(self.object, self.request.user)
        # The history of the spells the user may see; an import's change log holds no salary.
        subjects = {
            row.spell.pk: f"{row.spell.enterprise.name} {row.spell.first_month:%Y-%m} 起" for row in spells
        }
        context["history"] = history_of(EmploymentSpell, subjects, subjects=subjects)
        record_person_view(
            self.request.user, self.object, includes_salary=any(row.salary is not None for row in spells)
        )
        return context
