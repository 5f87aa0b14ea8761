from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from mantianxing.core.admin import ScopedAdmin
from mantianxing.vocabularies.models import Synonym
from mantianxing.vocabularies.registry import VOCABULARIES


class SynonymForm(forms.ModelForm):
    """The vocabulary and the meaning chosen from lists, not typed: a typo would be a dead synonym."""

    class Meta:
        model = Synonym
        fields = ["vocabulary", "term", "meaning"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vocabulary"].widget = forms.Select(
            choices=[(v.name, v.label) for v in VOCABULARIES.values()]
        )
        self.fields["meaning"].widget = forms.Select(
            choices=[
                (str(v.label), [(value, label) for value, label in v.pairs()]) for v in VOCABULARIES.values()
            ]
        )


@admin.register(Synonym)
class SynonymAdmin(ScopedAdmin):
    """Kept by the city office; every change is in the history (the link at the top of a synonym)."""

    form = SynonymForm
    list_display = ["term", "vocabulary_label", "meaning_label", "updated_at"]
    list_filter = ["vocabulary"]
    search_fields = ["term", "meaning"]

    @admin.display(description="词表")
    def vocabulary_label(self, obj: Synonym) -> str:
        vocabulary = VOCABULARIES.get(obj.vocabulary)
        return str(vocabulary.label) if vocabulary else obj.vocabulary

    @admin.display(description="含义")
    def meaning_label(self, obj: Synonym) -> str:
        return obj.meaning_label()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may_edit_some(request)
