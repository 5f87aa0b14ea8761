from django.db import models
from django.utils.translation import gettext_lazy as _


class Origin(models.TextChoices):
    """Where an enterprise comes from, for one plan window (DOMAIN §4). Only the first two are new."""

    ESTABLISHED = "established", _("新设立")
    INTRODUCED = "introduced", _("新引进")
    EXISTING = "existing", _("存量")
    RELOCATED = "relocated", _("市内迁移")
    LATER = "later", _("窗口后进入")


NEW_ORIGINS = frozenset({Origin.ESTABLISHED, Origin.INTRODUCED})


class HonourKind(models.TextChoices):
    LITTLE_GIANT = "little_giant", _("专精特新“小巨人”")
    UNICORN = "unicorn", _("独角兽")
    BEIDOU_STAR = "beidou_star", _("北斗星")
    QIMING_STAR = "qiming_star", _("启明星")
    LISTED = "listed", _("上市企业")
    KEY_SOFTWARE = "key_software", _("国家鼓励的重点软件企业")
