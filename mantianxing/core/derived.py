"""Derived facts: data computed from the ledgers, declared once with the ledgers they read.

A `Fact` names the models it reads and how to bring itself up to date. Every write to one of those
models marks the fact stale, whatever door the write came through, so no writer has to remember to
recompute anything:

- a single save or delete (a form, the API, the admin, a command, the shell): Django's model signals;
- a bulk write (`core.bulk`, which the imports and the roster spells use): its `rows_written` signal;
- a migration, data migrations included (their historical models send no signals): `post_migrate`
  marks every fact stale as a whole.

A mark is written to the fact's `DerivedState` row inside the writer's transaction, under the
row's lock: the flag `dirty` and, for a fact refreshed by key (origins: per enterprise; indicator
values: per indicator), the keys marked so far, so that the refresh can be partial (no keys: the
whole fact). A rolled-back write leaves no mark, a committed one cannot lose it, and marks made by
any process or thread add up.

When a fact is brought up to date:
- an **eager** fact (cheap per key: origins) at once after a single-row write, at the end of every
  import batch (`imports.signals.batch_written`, inside the batch's transaction) and after migrate;
- every fact before it is read: readers call `fresh(name)` (the dashboards, the API, the CLI);
- a fact that reads another fact (indicators read the stored origins) is marked stale whenever a
  refresh of the other changed anything, as for any write, and `fresh()` refreshes what it reads first.

`mtx verify` recomputes every fact from scratch and compares it with what is stored (`verify_all`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save
from django.utils import timezone

from mantianxing.core.bulk import rows_written

Keys = set[int] | None  # None: every key, i.e. the whole fact
# How a write to a model a fact reads names the keys it affects: the attribute of the row
# ("enterprise_id"), a function of the row, the same keys for any row, or None: the whole fact.
KeyOf = str | Callable[[Any], Iterable[int]] | frozenset[int] | None


@dataclass(frozen=True)
class Difference:
    """One stored derived value that disagrees with a recomputation from the ledgers."""

    kind: str
    key: str
    stored: Any
    recomputed: Any

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "key": self.key, "stored": self.stored, "recomputed": self.recomputed}


@dataclass(frozen=True)
class Check:
    """What a fact's verification found: how many values it compared, and those that differ."""

    checked: int
    differences: list[Difference]


@dataclass(frozen=True)
class Fact:
    """A derived fact.

    `reads` maps each model label it reads ("carriers.Occupancy") to the keys a write there affects
    (`KeyOf`; a function of the row counts as every key for a bulk write). `stores` names the models
    holding the fact, so that the facts reading those come after it. `refresh(keys)` brings the keys
    (None: all) up to date and returns how many stored rows it changed. `verify()` recomputes from
    scratch without writing.
    """

    name: str
    label: str
    reads: dict[str, KeyOf]
    refresh: Callable[[Keys], int]
    verify: Callable[[], Check]
    stores: tuple[str, ...] = ()
    eager: bool = False

    @property
    def sources(self) -> list[str]:
        """The Chinese names of the models it reads, for the 数据核验 page."""
        return [str(apps.get_model(label)._meta.verbose_name) for label in self.reads]

    @property
    def after(self) -> list[str]:
        """The facts it reads: those stored in a model it reads."""
        return [other.name for other in REGISTRY.values() if set(other.stores) & self.reads.keys()]

    @property
    def keyed(self) -> bool:
        return any(attribute is not None for attribute in self.reads.values())


REGISTRY: dict[str, Fact] = {}


def register(fact: Fact) -> None:
    """Declare a fact (from an app's `ready()`); connect the signals of the models it reads."""
    REGISTRY[fact.name] = fact
    for label in fact.reads:
        model = apps.get_model(label)
        uid = f"derived-{fact.name}-{label}"
        pre_save.connect(_row_saving, sender=model, dispatch_uid=f"{uid}-presave")
        post_save.connect(_row_saved, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_row_saved, sender=model, dispatch_uid=f"{uid}-delete")


def facts() -> list[Fact]:
    """Every fact, each after the facts it reads."""
    ordered: list[Fact] = []

    def visit(fact: Fact) -> None:
        if fact not in ordered:
            for name in fact.after:
                visit(REGISTRY[name])
            ordered.append(fact)

    for fact in REGISTRY.values():
        visit(fact)
    return ordered


# -- Marking ------------------------------------------------------------------------------------------


def pending(name: str) -> Keys:
    """The keys of a fact marked and not refreshed yet (None: all of it, or not stale at all)."""
    from mantianxing.core.models import DerivedState

    state = DerivedState.objects.filter(name=name, dirty=True).first()
    return None if state is None or state.stale_keys is None else set(state.stale_keys)


def readers_of(model: type[models.Model]) -> list[tuple[Fact, KeyOf]]:
    label = model._meta.label
    return [(fact, fact.reads[label]) for fact in REGISTRY.values() if label in fact.reads]


def mark(name: str, keys: Iterable[int] | None = None) -> None:
    """Mark a fact stale: the given keys, or all of it."""
    from mantianxing.core.models import DerivedState

    keys = None if keys is None or not REGISTRY[name].keyed else set(keys)
    if keys is not None and not keys:  # a write that affects no key (a building without tenants)
        return
    with transaction.atomic():
        state, created = DerivedState.objects.select_for_update().get_or_create(
            name=name, defaults={"dirty": True, "stale_keys": None if keys is None else sorted(keys)}
        )
        if created:
            return
        if not state.dirty:
            state.dirty, state.stale_keys = True, None if keys is None else sorted(keys)
        elif state.stale_keys is not None:  # already all of it stays all of it
            state.stale_keys = None if keys is None else sorted(keys.union(state.stale_keys))
        else:
            return
        state.save(update_fields=["dirty", "stale_keys"])


def _row_saving(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """A row about to change may leave a key (an occupancy moved to another firm): mark the old one."""
    if kwargs.get("raw") or instance._state.adding or instance.pk is None:
        return
    for fact, attribute in readers_of(sender):
        if isinstance(attribute, str) and attribute != sender._meta.pk.attname:
            before = sender._default_manager.filter(pk=instance.pk).values_list(attribute, flat=True).first()
            if before is not None and before != getattr(instance, attribute, None):
                mark(fact.name, [before])


def _row_saved(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # fixtures being loaded: migrate's own mark covers them
        return
    eager = []
    for fact, attribute in readers_of(sender):
        mark(fact.name, _keys_of_row(attribute, instance))
        if fact.eager:
            eager.append(fact.name)
    for name in eager:
        fresh(name)


def _keys_of_row(attribute: KeyOf, instance: models.Model) -> Iterable[int] | None:
    if isinstance(attribute, frozenset):
        return attribute
    if callable(attribute):
        return attribute(instance)
    key = getattr(instance, attribute, None) if attribute else None
    return None if key is None else [key]


def _rows_written(sender: type[models.Model], keys: Callable[[str], set[int] | None], **kwargs: Any) -> None:
    """A bulk write; `keys(attribute)` gives that column's values over the rows written, if known."""
    for fact, attribute in readers_of(sender):
        if isinstance(attribute, frozenset):
            mark(fact.name, attribute)
        else:
            mark(fact.name, keys(attribute) if isinstance(attribute, str) else None)


def _migrated(sender: Any, **kwargs: Any) -> None:
    """After migrate every fact is stale as a whole: data migrations send no model signals."""
    if sender.label != "core" or not REGISTRY:
        return
    for fact in REGISTRY.values():
        mark(fact.name)
    refresh_eager()


rows_written.connect(_rows_written, dispatch_uid="derived-bulk")
post_migrate.connect(_migrated, dispatch_uid="derived-migrate")


# -- Refreshing ---------------------------------------------------------------------------------------


def refresh_eager() -> None:
    """Bring every eager fact up to date: at the end of an import batch, of a migration."""
    for fact in facts():
        if fact.eager:
            fresh(fact.name)


def fresh(name: str) -> Any:
    """Bring a fact up to date (the facts it reads first); return its `DerivedState`."""
    from mantianxing.core.models import DerivedState

    fact = REGISTRY[name]
    for other in fact.after:
        fresh(other)
    state, _created = DerivedState.objects.get_or_create(name=name, defaults={"dirty": True})
    if not state.dirty:
        return state
    with transaction.atomic():
        # Concurrent readers queue on the row; the later ones find the work done.
        state = DerivedState.objects.select_for_update().get(pk=state.pk)
        if not state.dirty:
            return state
        keys = None if state.stale_keys is None else set(state.stale_keys)
        return _refresh(fact, state, keys)


def accept(name: str) -> None:
    """Take a fact as up to date as it is stored (values written directly, e.g. in a test)."""
    from mantianxing.core.models import DerivedState

    DerivedState.objects.update_or_create(name=name, defaults={"dirty": False, "stale_keys": None})


def refresh(name: str) -> Any:
    """Recompute a fact in full, stale or not (`mtx indicators --recompute`, the benchmarks)."""
    from mantianxing.core.models import DerivedState

    with transaction.atomic():
        state, _created = DerivedState.objects.select_for_update().get_or_create(name=name)
        return _refresh(REGISTRY[name], state, None)


def _refresh(fact: Fact, state: Any, keys: Keys) -> Any:
    started_at, started = timezone.now(), time.perf_counter()
    changed = fact.refresh(keys)
    state.dirty, state.stale_keys = False, None
    state.refreshed_at = started_at
    state.seconds = time.perf_counter() - started
    state.changed = changed
    state.partial = keys is not None
    state.save()
    if changed:  # as any bulk write of the models holding it would
        for label in fact.stores:
            for reader, attribute in readers_of(apps.get_model(label)):
                mark(reader.name, attribute if isinstance(attribute, frozenset) else None)
    return state


# -- Verifying ----------------------------------------------------------------------------------------


@dataclass
class Verification:
    checked: int = 0
    differences: list[Difference] = field(default_factory=list)
    by_fact: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.differences

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "differences": [difference.as_dict() for difference in self.differences],
        }


def verify_all() -> Verification:
    """Bring what is marked stale up to date (the normal read path), then recompute every fact from
    scratch and compare: a difference is staleness that no mark caught, or two rules that disagree."""
    result = Verification()
    for fact in facts():
        fresh(fact.name)
    for fact in facts():
        check = fact.verify()
        result.checked += check.checked
        result.differences.extend(check.differences)
        result.by_fact[fact.name] = len(check.differences)
    return result
