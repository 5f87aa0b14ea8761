"""The shallow base every domain model stands on."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
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


class DerivedState(models.Model):
    """Whether a derived fact (`core.derived`) is stale, and how its last refresh went: one row a fact."""

    name = models.CharField(_("派生数据"), max_length=40, primary_key=True)
    dirty = models.BooleanField(_("待更新"), default=True)
    # The keys marked stale since the last refresh (enterprise ids, indicator positions); null: all.
    stale_keys = models.JSONField(_("待更新的键"), null=True, blank=True)
    refreshed_at = models.DateTimeField(_("最后更新时间"), null=True, blank=True)
    seconds = models.FloatField(_("更新耗时（秒）"), null=True, blank=True)
    changed = models.PositiveIntegerField(_("更新改动行数"), default=0)
    partial = models.BooleanField(_("按键局部更新"), default=False)

    class Meta:
        verbose_name = _("派生数据状态")
        verbose_name_plural = _("派生数据状态")

    def __str__(self) -> str:
        return f"{self.name}：{'待更新' if self.dirty else '已更新'}"


class Verification(models.Model):
    """One run of `mtx verify` (or the 数据核验 page): every derived fact recomputed and compared."""

    # Differences are kept up to this many per run; `differences_total` counts them all.
    KEPT = 500

    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    seconds = models.FloatField(_("耗时（秒）"), default=0)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.CharField(_("发起方式"), max_length=120, blank=True)
    ok = models.BooleanField(_("一致"))
    checked = models.PositiveIntegerField(_("核对数"), default=0)
    differences_total = models.PositiveIntegerField(_("差异数"), default=0)
    differences = models.JSONField(_("差异（前 500 条）"), default=list)
    by_fact = models.JSONField(_("各类派生数据的差异数"), default=dict)

    class Meta:
        verbose_name = _("数据核验")
        verbose_name_plural = _("数据核验")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {'一致' if self.ok else '有差异'}"
