from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mantianxing.honours.choices import CODED_KINDS, THRESHOLD_UNITS, CriterionKind
from mantianxing.honours.models import DemonstrationCriterion

SEPARATORS = re.compile(r"[\s,，、;；]+")


class CriterionForm(forms.Form):
    """One criterion's row on the criteria page; the fields a kind has no use for are left out."""

    threshold = forms.DecimalField(label=_("门槛值"), required=False, max_digits=12, decimal_places=2)
    codes = forms.CharField(label=_("代码"), required=False, help_text=_("以逗号或空格分隔。"))
    edition = forms.CharField(label=_("行业分类版本"), required=False, max_length=4)
    enabled = forms.BooleanField(label=_("启用"), required=False)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, data: Any = None, *, criterion: DemonstrationCriterion) -> None:
        self.criterion = criterion
        kind = CriterionKind(criterion.kind)
        initial = {
            "threshold": criterion.threshold,
            "codes": ", ".join(criterion.codes),
            "edition": criterion.edition,
            "enabled": criterion.enabled,
            "note": criterion.note,
        }
        super().__init__(data, prefix=criterion.kind, initial=initial)
        if kind not in THRESHOLD_UNITS:
            del self.fields["threshold"]
        if kind not in CODED_KINDS:
            del self.fields["codes"]
        if kind is not CriterionKind.SOFTWARE_FOCUS:
            del self.fields["edition"]

    def changes(self) -> dict[str, Any]:
        """The cleaned values as `services.save_criteria` takes them."""
        data = self.cleaned_data
        values: dict[str, Any] = {"enabled": data["enabled"], "note": data["note"].strip()}
        if "threshold" in self.fields:
            values["threshold"] = data["threshold"]
        if "codes" in self.fields:
            parameter: dict[str, Any] = {"codes": [c for c in SEPARATORS.split(data["codes"]) if c]}
            if "edition" in self.fields:
                parameter["edition"] = data["edition"].strip()
            values["parameter"] = parameter
        return values
