from __future__ import annotations

from typing import Any

from auditlog.registry import auditlog
from django import forms
from django.utils.translation import gettext_lazy as _

from mantianxing.audit.choices import AccessAction, AuditSource

# django-auditlog's actions as stored (LogEntry.Action); "访问" is ours, in AccessAction.
CHANGE_ACTIONS = [("0", _("新建")), ("1", _("修改")), ("2", _("删除"))]


def model_choices() -> list[tuple[str, str]]:
    """Every model with a change history, as "app_label.model": the people too, read by the access log."""
    models = {model._meta.label_lower: str(model._meta.verbose_name) for model in auditlog.get_models()}
    models.setdefault("people.person", str(_("从业人员")))
    return [("", str(_("全部数据类型"))), *sorted(models.items(), key=lambda item: item[1])]


class AuditFilterForm(forms.Form):
    """The audit page's filters, each optional; an invalid one is reported and filters nothing."""

    source = forms.ChoiceField(label=_("审计类型"), choices=AuditSource.choices, required=False)
    user = forms.CharField(label=_("用户名"), max_length=150, required=False)
    action = forms.ChoiceField(
        label=_("操作"), choices=[("", _("全部操作")), *AccessAction.choices, *CHANGE_ACTIONS], required=False
    )
    model = forms.ChoiceField(label=_("数据类型"), choices=(), required=False)
    object_pk = forms.CharField(label=_("记录编号"), max_length=64, required=False)
    remote_addr = forms.GenericIPAddressField(label=_("来源地址"), required=False)
    since = forms.DateField(label=_("起始日期"), required=False)
    until = forms.DateField(label=_("截止日期"), required=False)
    salary = forms.BooleanField(label=_("仅含年薪的访问"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = model_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("起始日期晚于截止日期。"))
        data["source"] = data.get("source") or AuditSource.ACCESS
        return data
