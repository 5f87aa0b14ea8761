from __future__ import annotations

from typing import Any

from django import forms

from mantianxing.core.references import referable
from mantianxing.geo.lookup import units_assignable_by


class ScopedModelForm(forms.ModelForm):
    """A ledger form whose `unit` choices are the units the user may file records under, and whose
    other references (a building, an enterprise) are among the rows the user may see
    (`core.references`): an out-of-scope row is refused exactly as an unknown one."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "visible_to"):
                field.queryset = queryset & referable(user, queryset.model)  # type: ignore[attr-defined]
        if "unit" in self.fields:
            choices = units_assignable_by(user, keep=self.instance.unit_id)
            self.fields["unit"].queryset = choices
            if self.instance.unit_id is None and len(choices) == 1:
                self.initial["unit"] = choices[0].pk  # a district officer files under their own unit
