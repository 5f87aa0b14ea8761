"""Import batches: every row a spreadsheet wrote points to the batch that wrote it."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mantianxing.core.audit import NOT_RECORDED
from mantianxing.core.scoping import ScopedQuerySet, ScopeKind


class Ledger(models.TextChoices):
    BUILDINGS = "buildings", _("楼宇台账")
    ENTERPRISES = "enterprises", _("企业台账")
    OCCUPANCY = "occupancy", _("入驻记录")
    ROSTER = "roster", _("从业人员花名册")
    STATISTICS = "statistics", _("经营数据")


__all__ = ["NOT_RECORDED", "ChangeAction", "ImportBatch", "ImportChange", "Ledger"]


class ImportBatch(models.Model):
    """One import that wrote rows: the file, its sha256, who and when, and the counts."""

    ledger = models.CharField(_("台账"), max_length=20, choices=Ledger.choices)
    file_name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    run_id = models.CharField(_("请求/运行编号"), max_length=100, blank=True)
    rows = models.PositiveIntegerField(_("数据行"))
    valid = models.PositiveIntegerField(_("有效行"))
    imported = models.PositiveIntegerField(_("写入行"))
    skipped = models.PositiveIntegerField(_("跳过行"))
    errors = models.JSONField(_("错误"), default=list, blank=True)

    # A batch is seen by the users who share its importer's scope (and by the whole city).
    scope_lookups = {
        ScopeKind.UNIT: "created_by__unit",
        ScopeKind.BUILDING: "created_by__building",
        ScopeKind.ENTERPRISE: "created_by__enterprise",
    }
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_ledger_display()} {self.file_name}"

    def get_absolute_url(self) -> str:
        return reverse("imports:batch_detail", args=[self.pk])


class ChangeAction(models.IntegerChoices):
    # The numbers of django-auditlog's actions, so that both histories read alike.
    CHANGED = 1, _("修改")
    DELETED = 2, _("删除")


class ImportChange(models.Model):
    """A stored row an import batch changed or deleted: each changed field's value before and after.

    Rows a batch created are not listed: they point to it through their `batch`. Written in bulk
    inside the batch's transaction (imports/changelog.py); `changes` is {field: [before, after]}
    with values as JSON gives them (dates ISO, decimals as text, foreign keys as ids).
    """

    batch = models.ForeignKey(
        ImportBatch, verbose_name=_("导入批次"), on_delete=models.CASCADE, related_name="changes"
    )
    # Not indexed alone: the index on (content_type, object_id) serves it, and each index costs
    # a month's roster ~0.3 s.
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("数据类型"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    object_id = models.PositiveBigIntegerField(_("记录编号"))
    action = models.PositiveSmallIntegerField(_("操作"), choices=ChangeAction.choices)
    changes = models.JSONField(_("变更内容"))

    class Meta:
        verbose_name = _("导入变更")
        verbose_name_plural = _("导入变更")
        ordering = ["batch", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="import_change_object")]

    def __str__(self) -> str:
        return f"#{self.batch_id} {self.content_type_id}:{self.object_id}"
