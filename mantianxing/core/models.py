"""The shallow base every domain model stands on."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mantianxing.core.scoping import ScopedQuerySet, ScopeKind


class TrackedModel(models.Model):
    """Who made a row and who last changed it, and when; and who may see and change it.

    The field-by-field history is django-auditlog's. Subclasses declare their scope rules
    (see `mantianxing.core.scoping`): without them only the city office sees the rows.
    """

    scope_lookups: ClassVar[dict[ScopeKind, str]] = {}
    scope_writers: ClassVar[frozenset[str]] = frozenset()

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        db_index=False,  # never searched by; an index would slow every bulk write
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最后修改人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        db_index=False,
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class LedgerRecord(TrackedModel):
    """A ledger row: it knows the import batch that last wrote it, or none when a user edited it.

    Bulk imports bypass the field-by-field history, so the batch is what makes such a row traceable;
    a later edit through a form clears it, and the history then says who changed what.
    """

    batch = models.ForeignKey(
        "imports.ImportBatch",
        verbose_name=_("导入批次"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        abstract = True
