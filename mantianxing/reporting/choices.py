from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已审核（锁定）")


class Severity(models.TextChoices):
    ERROR = "error", _("错误")
    WARNING = "warning", _("提示")


class RuleKind(models.TextChoices):
    PARTS_LE_TOTAL = "parts_le_total", _("分项不大于合计")
    BOUNDS = "bounds", _("取值范围")
    REQUIRES = "requires", _("填报即须有前提")
    OUTLIER = "outlier", _("异常波动")
