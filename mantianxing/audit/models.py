"""Reads of personal data: who opened a person, a salary or a roster export, when and from where.

Our own table rather than django-auditlog's "access" action: a roster export names no single
object (auditlog's entries need one), the records must be searchable by flags of their own
(whether salaries were shown) and they must not crowd the change history shown on every record's
page. The change history and this log share the request id (`core.middleware`), so a read and the
writes of the same request or command run can be put side by side.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mantianxing.audit.choices import AccessAction, Channel


class AccessRecord(models.Model):
    """One read of personal data; written once, never changed, kept at least the history window."""

    timestamp = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_records",
    )
    # The name as it was at the time (an account may be renamed or deleted later), or the OS user
    # of a command run.
    actor_name = models.CharField(_("用户名"), max_length=150)
    action = models.CharField(_("操作"), max_length=20, choices=AccessAction.choices)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("数据类型"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    object_pk = models.CharField(_("记录编号"), max_length=64, blank=True)
    # The person's name and masked ID number (never the full one), or what an export covered.
    object_repr = models.CharField(_("记录"), max_length=200, blank=True)
    includes_salary = models.BooleanField(_("含年薪"), default=False)
    detail = models.CharField(_("说明"), max_length=200, blank=True)
    remote_addr = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("个人信息访问记录")
        verbose_name_plural = _("个人信息访问记录")
        ordering = ["-timestamp", "-pk"]
        indexes = [
            models.Index(fields=["actor", "timestamp"], name="audit_access_actor_time"),
            models.Index(fields=["action", "timestamp"], name="audit_access_action_time"),
            models.Index(fields=["content_type", "object_pk"], name="audit_access_object"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.get_action_display()} {self.object_repr}"
