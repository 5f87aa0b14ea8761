from __future__ import annotations

from typing import Any

from django import forms

from mantianxing.reporting.models import REPORTED_FIELDS, MonthlyReport


class MonthlyReportForm(forms.ModelForm):
    """The district's part of the report. It validates only; `services.save_draft` saves."""

    class Meta:
        model = MonthlyReport
        fields = [*REPORTED_FIELDS, "remarks"]
        widgets = {"remarks": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, editable: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.disabled = not editable
            if isinstance(field, forms.IntegerField | forms.DecimalField):
                field.widget.attrs.setdefault("min", 0)

    def _post_clean(self) -> None:
        # Neither copy the values onto the instance nor run its full_clean here: the service does
        # both on the stored row, under its lock.
        pass


class AmendForm(forms.Form):
    reason = forms.CharField(label="更正原因", widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(forms.Form):
    comment = forms.CharField(label="退回意见", widget=forms.Textarea(attrs={"rows": 2}))


class DeadlineForm(forms.Form):
    deadline = forms.DateField(label="报送截止日期", widget=forms.DateInput(attrs={"type": "date"}))
