"""The vocabularies of the imports' descriptive columns, registered by the apps that own them.

A vocabulary is a closed list of values (申报来源: 新设立、新引进、存量、市内迁移) whose labels an
import accepts as written, plus the synonyms the city office keeps as data (`Synonym`). This app
knows no domain: each domain app registers its vocabularies in its `AppConfig.ready`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mantianxing.lib.identifiers import to_halfwidth


@dataclass(frozen=True)
class Vocabulary:
    name: str  # the key stored with each synonym, e.g. "claimed_origin"
    label: Any  # the column's name, e.g. 申报来源
    # The canonical (value, label) pairs, read when asked: some live in the database.
    choices: Callable[[], list[tuple[str, str]]]
    # Values an import accepts besides the labels (a focus domain's code, say).
    accepts_values: bool = False
    # A note per value for the vocabularies page (the plan a focus domain comes from), if any.
    notes: Callable[[], dict[str, str]] | None = None

    def pairs(self) -> list[tuple[str, str]]:
        """The (value, label) pairs, as plain strings."""
        return [(str(value), str(label)) for value, label in self.choices()]


VOCABULARIES: dict[str, Vocabulary] = {}


def register(vocabulary: Vocabulary) -> None:
    VOCABULARIES[vocabulary.name] = vocabulary


def normalized_term(term: str) -> str:
    """A term as stored: NFKC (half-width), without whitespace."""
    return "".join(to_halfwidth(term).split())


def term_key(term: str) -> str:
    """How terms are compared: as stored, case folded."""
    return normalized_term(term).casefold()


def lookup(name: str) -> dict[str, str]:
    """Every accepted way to write a value of vocabulary `name`, by `term_key`, to the value.

    The labels first, then the values when the vocabulary accepts them, then the synonyms (which
    cannot shadow a label: `Synonym.clean` refuses those).
    """
    from mantianxing.vocabularies.models import Synonym

    vocabulary = VOCABULARIES[name]
    choices = vocabulary.pairs()
    found = {term_key(label): value for value, label in choices}
    if vocabulary.accepts_values:
        for value, _label in choices:
            found.setdefault(term_key(value), value)
    known = {value for value, _label in choices}
    for term, meaning in Synonym.objects.filter(vocabulary=name).values_list("term", "meaning"):
        if meaning in known:  # a value since withdrawn from the vocabulary gives way
            found.setdefault(term_key(term), meaning)
    return found
