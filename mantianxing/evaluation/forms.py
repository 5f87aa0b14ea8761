from __future__ import annotations

from typing import Any

from django import forms

from mantianxing.evaluation.fingerprint import MAX_SEED
from mantianxing.evaluation.models import Scheme
from mantianxing.evaluation.services import DEFAULT_DRAWS, MAX_DRAWS


class RunForm(forms.Form):
    period = forms.CharField(
        label="评价期", max_length=10, help_text="如 2026H1（上半年）、2026H2 或 2026（年度）"
    )
    scheme = forms.ModelChoiceField(label="评价方案", queryset=Scheme.objects.none(), empty_label=None)
    draws = forms.IntegerField(
        label="稳健性抽样次数",
        min_value=0,
        max_value=MAX_DRAWS,
        initial=DEFAULT_DRAWS,
        help_text="0 为不做稳健性分析",
    )
    seed = forms.IntegerField(
        label="随机种子",
        min_value=0,
        max_value=MAX_SEED,
        required=False,
        help_text="留空则取自方案与输入的哈希，同一方案、同一数据得到同一运行",
    )

    def __init__(self, *args: Any, schemes: list[Scheme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["scheme"]
        field.queryset = Scheme.objects.filter(pk__in=[s.pk for s in schemes])  # type: ignore[attr-defined]
        field.label_from_instance = lambda s: f"{s}{'（假设，待确定）' if s.assumption else ''}"  # type: ignore[attr-defined]


class SchemeForm(forms.Form):
    text = forms.CharField(
        label="方案（YAML）", widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "false"}), required=False
    )
    upload = forms.FileField(label="或上传 YAML 文件", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("upload")
        if upload:
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError("文件不是 UTF-8 编码的文本。") from None
        if not data.get("text", "").strip():
            raise forms.ValidationError("请填写方案内容或上传 YAML 文件。")
        return data
