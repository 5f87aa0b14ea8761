from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mantianxing.carriers.models import Building, Occupancy
from mantianxing.core.forms import ScopedModelForm
from mantianxing.enterprises.forms import EnterpriseUSCCField
from mantianxing.enterprises.models import Enterprise

DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class BuildingForm(ScopedModelForm):
    class Meta:
        model = Building
        fields = [
            "code",
            "name",
            "unit",
            "address",
            "operator_uscc",
            "operator_name",
            "total_area",
            "acquired_area",
            "carrier_area",
            "status",
            "listed_on",
            "acquired_on",
            "refitting_on",
            "in_use_on",
            "move_in_ready",
        ]
        widgets = {
            "listed_on": DATE_INPUT,
            "acquired_on": DATE_INPUT,
            "refitting_on": DATE_INPUT,
            "in_use_on": DATE_INPUT,
        }


class BuildingCodeField(forms.ModelChoiceField):
    """A building named by its ledger code in a text box."""

    widget = forms.TextInput
    default_error_messages = {"invalid_choice": _("楼宇台账中没有该编码的楼宇（或不在您的数据范围内）。")}

    def __init__(self, queryset: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("楼宇编码"))
        super().__init__(queryset, to_field_name="code", **kwargs)

    def to_python(self, value: Any) -> Any:
        return super().to_python(value.strip() if isinstance(value, str) else value)


class OccupancyForm(ScopedModelForm):
    """An occupancy: the building among those the user may keep, the tenant by its USCC.

    The tenant is an enterprise the user may already see (`core.references`): a firm of another
    district is recorded by the city office, never pulled into an operator's scope by the operator.
    The overlap and capacity rules are the model's (`Occupancy.clean`).
    """

    building = BuildingCodeField(Building.objects.none())
    enterprise = EnterpriseUSCCField(Enterprise.objects.all())

    class Meta:
        model = Occupancy
        fields = ["building", "enterprise", "area", "moved_in_on", "moved_out_on"]
        widgets = {"moved_in_on": DATE_INPUT, "moved_out_on": DATE_INPUT}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        buildings = Building.objects.visible_to(user)
        self.fields["building"].queryset = buildings
        # A ModelForm's initial values are primary keys; these fields show codes.
        if self.instance.building_id is not None:
            self.initial["building"] = self.instance.building.code
        elif "building" not in self.initial:
            only = list(buildings[:2])
            if len(only) == 1:
                self.initial["building"] = only[0].code  # an operator keeps one building
        if self.instance.enterprise_id is not None:
            self.initial["enterprise"] = self.instance.enterprise.uscc
