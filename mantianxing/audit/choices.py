from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessAction(models.TextChoices):
    PERSON_VIEW = "person_view", _("查看人员")
    ROSTER_EXPORT = "roster_export", _("导出花名册")
    AUDIT_EXPORT = "audit_export", _("导出访问审计")


class Channel(models.TextChoices):
    PAGE = "page", _("页面")
    API = "api", _("接口")
    COMMAND = "command", _("命令行")


class AuditSource(models.TextChoices):
    ACCESS = "access", _("个人信息访问")
    CHANGE = "change", _("数据变更")
