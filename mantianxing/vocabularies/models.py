"""Synonyms: what people write for a value of a vocabulary, kept as data the city office edits."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from mantianxing.accounts.choices import Role
from mantianxing.core.models import TrackedModel
from mantianxing.vocabularies.registry import VOCABULARIES, normalized_term, term_key


class Synonym(TrackedModel):
    """ "外地引进" in the column 申报来源 means 新引进: one term of one vocabulary and what it means.

    The term is stored half-width and without spaces, as imports compare it (`term_key`, which
    also folds case): "AI 智能体" and "AI智能体" are one term. Changes are in the history.
    """

    vocabulary = models.CharField(_("词表"), max_length=40)
    term = models.CharField(_("写法"), max_length=50)
    meaning = models.CharField(_("含义（取值）"), max_length=40)

    scope_writers = frozenset({Role.CITY_OFFICE})

    class Meta:
        verbose_name = _("同义词")
        verbose_name_plural = _("同义词")
        ordering = ["vocabulary", "meaning", "term"]
        constraints = [
            models.UniqueConstraint(
                fields=["vocabulary", "term"],
                name="vocabularies_synonym_unique_term",
                violation_error_message=_("该词表中已有这个写法。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.term} → {self.meaning_label()}"

    def meaning_label(self) -> str:
        vocabulary = VOCABULARIES.get(self.vocabulary)
        labels = dict(vocabulary.pairs()) if vocabulary else {}
        return labels.get(self.meaning, self.meaning)

    def clean_fields(self, exclude: object = None) -> None:
        # Stored as compared, so that the unique constraint sees "AI 智能体" and "AI智能体" as one.
        self.term = normalized_term(self.term or "")
        super().clean_fields(exclude)  # type: ignore[arg-type]

    def clean(self) -> None:
        vocabulary = VOCABULARIES.get(self.vocabulary)
        # The vocabulary is one the imports know.
        if vocabulary is None:
            raise ValidationError({"vocabulary": _("没有这个词表。")})
        # The meaning is one of its values.
        choices = vocabulary.pairs()
        if self.meaning not in dict(choices):
            raise ValidationError(
                {
                    "meaning": _("“%(value)s”不是%(vocabulary)s的可选值，可选：%(choices)s。")
                    % {
                        "value": self.meaning,
                        "vocabulary": vocabulary.label,
                        "choices": "、".join(label for _value, label in choices),
                    }
                }
            )
        # A synonym that is already a label of the vocabulary would be ambiguous or idle.
        if term_key(self.term or "") in {term_key(label) for _value, label in choices}:
            raise ValidationError({"term": _("这个写法本身就是可选值，不需要同义词。")})
