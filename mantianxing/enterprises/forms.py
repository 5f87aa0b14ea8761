from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mantianxing.core.forms import ScopedModelForm
from mantianxing.enterprises.models import Enterprise, Honour
from mantianxing.lib.identifiers import normalize_uscc

DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class EnterpriseUSCCField(forms.ModelChoiceField):
    """An enterprise named by its USCC in a text box: a list of 50,000 firms is no choice to scroll.

    The code is normalised as the ledger stores it (half-width, no spaces, upper case).
    """

    widget = forms.TextInput
    default_error_messages = {
        "invalid_choice": _("企业台账中没有该统一社会信用代码的企业（或不在您的数据范围内）。"),
    }

    def __init__(self, queryset: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("企业统一社会信用代码"))
        super().__init__(queryset, to_field_name="uscc", **kwargs)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = normalize_uscc(value)
        return super().to_python(value)


class EnterpriseForm(ScopedModelForm):
    class Meta:
        model = Enterprise
        fields = [
            "uscc",
            "name",
            "established_on",
            "unit",
            "registered_address",
            "industry",
            "focus_domains",
            "claimed_origin",
        ]
        widgets = {"established_on": DATE_INPUT, "focus_domains": forms.CheckboxSelectMultiple}


class HonourForm(ScopedModelForm):
    class Meta:
        model = Honour
        fields = ["kind", "awarded_on", "source"]
        widgets = {"awarded_on": DATE_INPUT}
