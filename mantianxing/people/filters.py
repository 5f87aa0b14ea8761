from __future__ import annotations

from django.db.models import Q
from ninja import FilterSchema

from mantianxing.core.filtering import Month
from mantianxing.lib.identifiers import normalize_uscc
from mantianxing.people.choices import RoleCategory


class PersonFilterSet(FilterSchema):
    """The filters of the person list, shared by the page and the API.

    Only `q` applies to the person row itself. The others select employment spells, all on the
    same spell (employed by that enterprise, in that month, in that role), and only among the spells
    the user may see: see `mantianxing.people.queries.people_matching`.
    """

    q: str | None = None  # name, or the last characters of the ID number
    enterprise: str | None = None  # USCC
    unit: str | None = None  # code of the enterprise's unit
    month: Month | None = None  # employed in that month
    role: RoleCategory | None = None

    def custom_expression(self) -> Q:
        if not self.q:
            return Q()
        text = self.q.strip()
        return Q(name__icontains=text) | Q(id_masked__iendswith=text)

    def spell_expression(self) -> Q | None:
        """The condition on one spell, or None when no spell filter is given."""
        condition = Q()
        if self.enterprise:
            condition &= Q(enterprise__uscc=normalize_uscc(self.enterprise))
        if self.unit:
            condition &= Q(enterprise__unit__code=self.unit.strip())
        if self.month:
            condition &= Q(first_month__lte=self.month, last_month__gte=self.month)
        if self.role:
            condition &= Q(role_category=self.role)
        return condition or None
