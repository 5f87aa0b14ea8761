from django.db import models
from django.utils.translation import gettext_lazy as _


class BuildingStatus(models.TextChoices):
    """The path a building takes: listed in the ledger, acquired, refitted, in use."""

    LISTED = "listed", _("台账")
    ACQUIRED = "acquired", _("收储")
    REFITTING = "refitting", _("改造")
    IN_USE = "in_use", _("投用")


# The date each step was reached, in the order the steps are taken.
STATUS_DATE_FIELDS = {
    BuildingStatus.LISTED: "listed_on",
    BuildingStatus.ACQUIRED: "acquired_on",
    BuildingStatus.REFITTING: "refitting_on",
    BuildingStatus.IN_USE: "in_use_on",
}
