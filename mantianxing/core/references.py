"""What a write may point at: only the rows the writer may already see.

A write names other rows (an occupancy names a building by its code and an enterprise by its USCC;
a roster or a statistics row names an enterprise). Resolved across the city, a reference would let a
building operator attach another district's firm and from then on read and export it (an enterprise
is visible to the operators of the buildings it occupies). So every door (API, form, import) resolves
a reference among the rows `visible_to` the writer, here, and answers a row outside the writer's
scope exactly as one that does not exist: the answer never tells whether a code is in use elsewhere.

A firm of another district moving into a building is therefore recorded by someone who sees both the
building and the firm: the city office, or the district officer once the firm is in their ledger.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def referable(user: Any, model: type[M]) -> models.QuerySet[M]:
    """The rows of `model` a write by `user` may name; None is the command line (the whole city)."""
    if user is None:
        return model._default_manager.all()
    return model._default_manager.visible_to(user)  # type: ignore[attr-defined,no-any-return]


def resolve_reference(user: Any, model: type[M], **lookup: Any) -> M | None:
    """The row named by `lookup` if `user` may name it; None when it is unknown *or* out of scope."""
    return referable(user, model).filter(**lookup).first()
