"""What several ledgers share: the model's rules and vocabularies applied to rows, resolving units,
and writing keyed rows as creates and updates."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from mantianxing.core.bulk import insert_rows, update_objects
from mantianxing.core.references import referable
from mantianxing.enterprises.models import Enterprise
from mantianxing.geo.models import CITY_CODE, Unit
from mantianxing.imports import cells
from mantianxing.imports.cells import code, text
from mantianxing.imports.changelog import Change
from mantianxing.imports.models import ImportBatch
from mantianxing.imports.pipeline import Plan, RowInvalid, required
from mantianxing.lib.identifiers import uscc_error
from mantianxing.vocabularies.registry import VOCABULARIES, lookup, term_key


class ModelRules:
    """A model's field rules run on import rows: the very checks the form, the API and the admin run.

    Each field's validators (length within the column, not negative, not in the future, …) are run
    as `Model.full_clean` runs them, with the same messages, reported under the row's column. Not
    `full_clean()` itself: building an instance per row costs ~100 µs, and a month of the city's
    roster is 600,000 rows. Rules across fields are the model's own functions (`building_errors`),
    called by the ledger with the row's values; `field_errors` turns their answer into row errors.
    """

    def __init__(self, model: type[Model], columns: Mapping[str, str]) -> None:
        """`columns` maps each field name to the column that fills it."""
        self.columns = dict(columns)
        self.fields = [(name, column, model._meta.get_field(name)) for name, column in columns.items()]

    def errors(self, record: Mapping[str, Any]) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        for name, column, model_field in self.fields:
            try:
                model_field.run_validators(record[name])  # type: ignore[union-attr]
            except ValidationError as error:
                found.append((column, "".join(error.messages)))
        return found

    def check(self, record: Mapping[str, Any]) -> None:
        """Raise RowInvalid with every field of `record` that breaks its rules."""
        if errors := self.errors(record):
            raise RowInvalid(*errors)

    def value(self, name: str, value: Any) -> Any:
        """`value` for field `name` if it keeps the field's rules; else a CellError (for one cell)."""
        for field_name, _column, model_field in self.fields:
            if field_name == name:
                try:
                    model_field.run_validators(value)  # type: ignore[union-attr]
                except ValidationError as error:
                    raise cells.CellError("".join(error.messages)) from None
                return value
        raise KeyError(name)

    def field_errors(self, errors: Mapping[str, str]) -> list[tuple[str, str]]:
        """A model's field-keyed errors (`{"acquired_area": "…"}`) as (column, message) pairs."""
        return [(self.columns.get(name, name), message) for name, message in errors.items()]


class VocabularyColumn:
    """A descriptive column read through its vocabulary: the labels, then the city office's synonyms.

    An unknown value is a cell error that names it and lists the choices (see `cells.not_a_choice`).
    Loaded once per import, in `prepare`.
    """

    def __init__(self, name: str) -> None:
        self.options = lookup(name)
        self.labels = [label for _value, label in VOCABULARIES[name].pairs()]

    def __call__(self, raw: Any) -> str | None:
        """The value for one cell, None when blank."""
        if cells.is_blank(raw):
            return None
        return self.term(cells.text(raw), raw)

    def term(self, term: str, raw: Any = None) -> str:
        value = self.options.get(term_key(term))
        if value is None:
            raise cells.not_a_choice(term if raw is None else raw, self.labels)
        return value


class UnitResolver:
    """所在区县 as districts write it: a code (500103), a name (渝中区) or a name without its suffix."""

    SUFFIXES = ("区", "县", "自治县")

    def __init__(self) -> None:
        today = timezone.localdate()
        self.current: dict[str, Unit] = {}
        self.abolished: dict[str, Unit] = {}
        for unit in Unit.objects.exclude(code=CITY_CODE):
            target = self.current if unit.is_valid_on(today) else self.abolished
            for name in self._names(unit):
                target.setdefault(name, unit)

    def _names(self, unit: Unit) -> list[str]:
        names = [unit.code, unit.name]
        for suffix in self.SUFFIXES:
            if unit.name.endswith(suffix) and len(unit.name) > len(suffix) + 1:
                names.append(unit.name[: -len(suffix)])
        return names

    def resolve(self, column: str, raw: Any) -> Unit:
        value = code(raw) if isinstance(raw, int | float) else "".join(text(raw).split())
        value = value.removeprefix("重庆市") if value != "重庆市" else value
        if not value:
            raise RowInvalid((column, _("不能为空。")))
        if unit := self.current.get(value.upper()) or self.current.get(value):
            return unit
        if old := self.abolished.get(value.upper()) or self.abolished.get(value):
            raise RowInvalid(
                (
                    column,
                    _("“%(name)s”已于 %(day)s 撤销，请填写现在的区县。")
                    % {"name": old.name, "day": old.abolished_on},
                )
            )
        raise RowInvalid(
            (column, _("无法识别的区县：“%(value)s”（请填写区县名称或 6 位代码）。") % {"value": value})
        )


@dataclass
class UpsertPlan(Plan):
    """Rows of one model keyed by a natural key: new ones are created, changed ones updated."""

    model: type[Model]
    fields: list[str]
    creates: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    updates: list[tuple[int, int, dict[str, Any]]] = field(default_factory=list)  # (row, pk, values)
    # The stored rows updated, by pk: each changed field's (before, after), for the change log.
    diffs: dict[int, dict[str, tuple[Any, Any]]] = field(default_factory=dict)

    def changed_rows(self) -> set[int]:
        return {row for row, _values in self.creates} | {row for row, _pk, _values in self.updates}

    def compare(self, row: int, stored: dict[str, Any] | None, values: dict[str, Any]) -> None:
        """Queue `values` as a create (nothing stored) or an update (some field differs)."""
        if stored is None:
            self.creates.append((row, values))
            return
        changed = {name: (stored[name], values[name]) for name in self.fields if stored[name] != values[name]}
        if changed:
            self.updates.append((row, stored["pk"], values))
            self.note(stored["pk"], changed)

    def note(self, pk: int, changed: dict[str, tuple[Any, Any]]) -> None:
        """Record fields of a stored row that change besides the model's columns (its many-to-many)."""
        self.diffs.setdefault(pk, {}).update(changed)

    def changes(self) -> Iterator[Change]:
        for pk, changed in self.diffs.items():
            yield Change(self.model, pk, changed)

    def write(self, batch: ImportBatch, user_id: int | None) -> None:
        now = timezone.now()
        model = self.model
        if self.creates:
            # Plain INSERTs: bulk_create's per-object cost is most of a 50,000-firm import.
            names = list(self.creates[0][1])
            rows = [tuple(values[name] for name in names) for _row, values in self.creates]
            stamp = {"created_at": now, "updated_at": now, "created_by": user_id, "updated_by": user_id}
            insert_rows(model, names, rows, batch=batch.pk, **stamp)
        objects = [
            model(pk=pk, **values, batch=batch, updated_by_id=user_id, updated_at=now)
            for _row, pk, values in self.updates
        ]
        update_objects(model, objects, [*self.fields, "batch", "updated_by", "updated_at"])


def uscc(value: Any) -> str:
    """An optional USCC: normalised, then checked by stdnum."""
    number = cells.code(value)
    if number and (error := uscc_error(number)):
        raise cells.CellError(error)
    return number


class EnterpriseRowsMixin:
    """Rows that name an enterprise by its USCC: it must be in the ledger and in the user's scope.

    Only the enterprises the user may see are loaded (`core.references`), so one outside the scope
    gets the very message of one not in the ledger: the report never tells that a code exists.
    """

    def load_enterprises(self) -> None:
        self.enterprises = {
            uscc: (pk, unit_id)
            for pk, uscc, unit_id in referable(self.user, Enterprise).values_list(  # type: ignore[attr-defined]
                "pk", "uscc", "unit_id"
            )
        }

    def enterprise(self, value: Any) -> int:
        code = required(cells.code(value))
        found = self.enterprises.get(code)
        if found is None or self.outside_scope(unit_id=found[1], enterprise_id=found[0]):  # type: ignore[attr-defined]
            raise cells.CellError(
                _("企业“%(code)s”不在企业台账中或不在您的数据范围内，请先导入企业台账。") % {"code": code}
            )
        return found[0]
