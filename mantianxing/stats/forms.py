from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mantianxing.core.filtering import first_of_month
from mantianxing.core.forms import ScopedModelForm
from mantianxing.enterprises.forms import EnterpriseUSCCField
from mantianxing.enterprises.models import Enterprise
from mantianxing.stats.models import MonthlyStatistics


class MonthField(forms.DateField):
    """A month typed as `2024-05` (a browser's month input), stored as its first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})
    default_error_messages = {"invalid": _("月份应为 YYYY-MM 格式，如 2024-05。")}

    def to_python(self, value: Any) -> date | None:
        if value in self.empty_values:
            return None
        try:
            month = first_of_month(value if isinstance(value, date) else str(value))
        except ValueError as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error
        assert isinstance(month, date)
        return month

    def prepare_value(self, value: Any) -> Any:
        return f"{value:%Y-%m}" if isinstance(value, date) else value


class MonthlyStatisticsForm(ScopedModelForm):
    """One month of an enterprise's statistics; the parts ≤ total and 营业收入 rules are the model's
    (`clean`)."""

    enterprise = EnterpriseUSCCField(Enterprise.objects.none())
    month = MonthField(label=_("统计月份"))

    class Meta:
        model = MonthlyStatistics
        fields = [
            "enterprise",
            "month",
            "software_revenue",
            "product_revenue",
            "it_service_revenue",
            "security_revenue",
            "embedded_revenue",
            "rd_expense",
            "headcount",
            "operating_revenue",
            "main_business_revenue",
        ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        # Statistics are filed for the enterprises the user keeps (their unit's, or their own).
        enterprises = Enterprise.objects.visible_to(user)
        self.fields["enterprise"].queryset = enterprises
        if self.instance.enterprise_id is not None:
            self.initial["enterprise"] = self.instance.enterprise.uscc
        elif "enterprise" not in self.initial:
            only = list(enterprises[:2])
            if len(only) == 1:
                self.initial["enterprise"] = only[0].uscc  # an enterprise user files its own
