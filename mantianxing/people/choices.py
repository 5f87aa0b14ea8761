from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleCategory(models.TextChoices):
    """岗位类别 of the roster template; the first two make core talent (DOMAIN §4)."""

    SOFTWARE = "software", _("软件开发")
    AI_PLUS = "ai_plus", _("AI+应用")
    TECH_SERVICE = "tech_service", _("技术服务")
    MANAGEMENT = "management", _("管理")
    OTHER = "other", _("其他")


CORE_TALENT = frozenset({RoleCategory.SOFTWARE, RoleCategory.AI_PLUS})
