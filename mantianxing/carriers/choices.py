from django.db import models
from django.utils.translation import gettext_lazy as _


class BuildingStatus(models.TextChoices):
    """The path a building takes: listed in the ledger, acquired, refitted, in use."""

    LISTED = "listed", _("台账")
    ACQUIRED = "acquired", _("收储")
    REFITTING = "refitting", _("改造")
    IN_USE = "in_use", _("投用")
