from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mantianxing.core.scoping import can_create
from mantianxing.vocabularies.models import Synonym
from mantianxing.vocabularies.registry import VOCABULARIES


@login_required
def vocabulary_list(request: HttpRequest) -> HttpResponse:
    """Every vocabulary of the imports: its values, where they come from, and the synonyms in force."""
    synonyms: dict[tuple[str, str], list[str]] = {}
    for name, meaning, term in Synonym.objects.values_list("vocabulary", "meaning", "term"):
        synonyms.setdefault((name, meaning), []).append(term)
    vocabularies = []
    for vocabulary in VOCABULARIES.values():
        notes = vocabulary.notes() if vocabulary.notes else {}
        values = [
            {
                "value": value,
                "label": label,
                "note": notes.get(value, ""),
                "synonyms": synonyms.get((vocabulary.name, value), []),
            }
            for value, label in vocabulary.pairs()
        ]
        vocabularies.append({"vocabulary": vocabulary, "values": values, "has_notes": bool(notes)})
    context = {"vocabularies": vocabularies, "may_edit": can_create(request.user, Synonym)}
    return render(request, "vocabularies/vocabulary_list.html", context)
