from __future__ import annotations

from typing import Any

from django import forms

from mantianxing.geo.lookup import units_assignable_by


class ScopedModelForm(forms.ModelForm):
    """A ledger form whose `unit` choices are the units the user may file records under."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if "unit" in self.fields:
            choices = units_assignable_by(user, keep=self.instance.unit_id)
            self.fields["unit"].queryset = choices
            if self.instance.unit_id is None and len(choices) == 1:
                self.initial["unit"] = choices[0].pk  # a district officer files under their own unit
