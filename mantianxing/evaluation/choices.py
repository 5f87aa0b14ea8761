from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    """A run's place in its (scheme name, period): a draft, the published one, or one published and replaced."""

    DRAFT = "draft", _("未发布")
    CURRENT = "current", _("已发布")
    SUPERSEDED = "superseded", _("已被替代")
